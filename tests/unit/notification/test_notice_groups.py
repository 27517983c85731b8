"""Each notice links to its exact item on a path the gateway serves, and is grouped by what it is about; a
group of several reads as one titled row, in zh and en."""
from __future__ import annotations

import re
import uuid
from datetime import datetime, timezone

import pytest

from notification_service.domain.grouping import MORE, SUBJECTS, TITLES, NoticeGroup, parse_group_key, split_key
from notification_service.domain.inbox import notices_for
from notification_service.domain.model import Audience, Notice, NoticeKind
from notification_service.domain.templates import TEMPLATES, render

NOW = datetime(2025, 3, 1, 8, 0, tzinfo=timezone.utc)
CJK = re.compile(r"[\u4e00-\u9fff]")
NAMES = {"unit_name": "Branch One", "pledger_name": "Chen Ming", "subject_name": "Chen Ming",
         "branch_name": "Branch One"}
# the portal paths the gateway serves (an e-mail's link to anything else would be a 404)
SERVED = ("/pledges", "/evaluations", "/grading", "/windows", "/feedback")
# what names the exact item each event is about: every one of these values is in its link
ITEM = {"pledge.overdue_list": ("unit_id",), "pledge.reminder_requested": ("year",), "grading.cycle_opened": ("cycle_id",),
        "grading.publicity_started": ("cycle_id",), "grading.level_finalised": ("cycle_id", "branch_id"),
        "grading.published": ("cycle_id", "branch_id"), "rectification.accepted": ("cycle_id", "branch_id"),
        "rectification.task_overdue": ("cycle_id", "branch_id", "task_id"),
        "evaluation.star_graded": ("key", "month")}


def _item_fields(event_type: str) -> tuple[str, ...]:
    if event_type in ITEM:
        return ITEM[event_type]
    return {"pledge": ("pledge_id",), "evaluation": ("round_id",), "feedback": ("case_id",)}[event_type.split(".")[0]]


@pytest.mark.parametrize("event_type", sorted(TEMPLATES))
def test_every_notice_links_to_its_exact_item_on_a_served_path(event_type, sample_data):
    data = sample_data(event_type)
    item = data["cases"][0] if event_type == "feedback.negative" else data  # v3: a place's cases, here one
    for audience in TEMPLATES[event_type]:
        link = render(event_type, audience, "zh", data, NAMES).link
        assert link.startswith(SERVED), link
        for name in _item_fields(event_type):
            assert str(item[name]) in link, (event_type, audience, name, link)


def test_a_batchs_cases_at_a_window_are_one_notice_with_a_line_each_linking_to_the_windows_open_cases(sample_data):
    cases = [{"case_id": str(uuid.uuid4()), "level": level, "reasons": reasons, "deadline": "2025-03-09T09:30:00+00:00"}
             for level, reasons in [(1, ["服务态度"]), (2, []), (2, ["办事效率", "环境设施"])]]
    data = sample_data("feedback.negative", cases=cases)
    names = {**NAMES, "place_name": "教务处综合服务窗口"}
    zh = render("feedback.negative", Audience.RESPONSIBLE, "zh", data, names)
    assert zh.title == "教务处综合服务窗口 新增 3 件差评待整改"
    assert zh.link == f"/windows/cases?window_id={data['window_id']}"
    lines = zh.body.splitlines()[1:]
    assert [line.split("（")[0] for line in lines] == ["· “非常不满意”", "· “不满意”", "· “不满意”"]
    assert "未选择原因" in lines[1] and "办事效率、环境设施" in lines[2]
    en = render("feedback.negative", Audience.RESPONSIBLE, "en", data, {**NAMES, "place_name": "Window One"})
    assert en.title == "3 new bad ratings to follow up at Window One" and not CJK.search(en.title)
    assert len(en.body.splitlines()) == 4 and "no reason given" in en.body


def test_every_kind_of_notice_has_a_subject_to_be_grouped_by():
    assert set(TEMPLATES) <= set(SUBJECTS)
    assert {"notification.bad_rating_alert", "notification.daily_digest"} <= set(SUBJECTS)


@pytest.mark.parametrize("event_type, subject_kind", sorted(TITLES))
def test_a_group_of_several_is_titled_by_its_count_and_subject_in_both_languages(event_type, subject_kind):
    key = subject_kind if subject_kind == "all" else f"{subject_kind}:{uuid.uuid4()}"
    notice = Notice(uuid.uuid4(), uuid.uuid4(), uuid.uuid4(), event_type, NoticeKind.TASK, "通知标题", "…", None, NOW,
                    group_key=key, subject_name="Window One")
    group = NoticeGroup(event_type, key, count=3, unread=3, latest_at=NOW, items=[notice])
    zh, en = group.title("zh"), group.title("en")
    assert "3" in zh and "3" in en and "{" not in zh + en
    assert CJK.search(zh) and not CJK.search(en)
    if subject_kind != "all":
        assert "Window One" in zh and "Window One" in en
    single = NoticeGroup(event_type, key, count=1, unread=0, latest_at=NOW, items=[notice])
    assert single.title("en") == single.title("zh") == "通知标题"  # one notice reads as itself


def test_a_group_without_a_title_of_its_own_reads_as_its_newest_notice_and_a_count():
    notice = Notice(uuid.uuid4(), uuid.uuid4(), uuid.uuid4(), "pledge.due_soon", NoticeKind.REMINDER,
                    "承诺即将到期：《迎新》", "…", "/pledges/1", NOW, group_key="pledge:" + str(uuid.uuid4()))
    group = NoticeGroup("pledge.due_soon", notice.group_key, count=2, unread=1, latest_at=NOW, items=[notice])
    assert group.title("zh") == MORE[0].format(title="承诺即将到期：《迎新》", count=2) == "承诺即将到期：《迎新》（共 2 条）"
    assert group.title("en") == "承诺即将到期：《迎新》 (2 notices)"
    assert split_key(group.key) == ("pledge.due_soon", notice.group_key)
    with pytest.raises(ValueError):
        split_key("pledge.due_soon")


def test_notices_are_grouped_by_what_they_are_about_for_their_reader(org, sample_data):
    window = org.directory.add_window("教务处综合服务窗口", org.branch)
    rating = sample_data("feedback.negative", window_id=window, unit_id=org.branch, responsible_id=org.member,
                         deadline="2025-03-02T02:30:00+00:00")
    [bad] = notices_for(uuid.uuid4(), "feedback.negative", rating, org.directory, NOW)
    assert (parse_group_key(bad.group_key), bad.subject_name) == (("window", window), "教务处综合服务窗口")

    overdue = sample_data("pledge.overdue", pledger_kind="member", pledger_id=org.member, unit_id=org.branch,
                          kind="annual", title="带头搞好教书育人", due_date="2025-12-31")
    found = {n.audience: n for n in notices_for(uuid.uuid4(), "pledge.overdue", overdue, org.directory, NOW)}
    # the member: their own pledge; the branch secretary: every overdue pledge of the branch in one group
    assert (parse_group_key(found[Audience.OWN].group_key), found[Audience.OWN].subject_name) == (
        ("pledge", overdue["pledge_id"]), "带头搞好教书育人")
    assert (parse_group_key(found[Audience.SECRETARY].group_key), found[Audience.SECRETARY].subject_name) == (
        ("unit", org.branch), "教工第一党支部")

    asked = sample_data("evaluation.requested", rater_ids=[org.member, org.english_member], unit_id=org.branch,
                        subject_person_id=org.reviewer)
    assert {n.group_key for n in notices_for(uuid.uuid4(), "evaluation.requested", asked, org.directory, NOW)} == {
        "all"}
