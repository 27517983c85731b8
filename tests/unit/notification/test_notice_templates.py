"""Every notice renders in zh and en from data shaped by the event schemas; a hole in a template raises."""
from __future__ import annotations

import re

import pytest

from pacesetter_shared.events import registered_types
from notification_service.domain.model import LANGUAGES, Audience, MissingField
from notification_service.domain.recipients import RULES, SILENT
from notification_service.domain.templates import TEMPLATES, render

CJK = re.compile(r"[\u4e00-\u9fff]")
PLEDGE_TYPES = sorted({t for t, _ in registered_types() if t.startswith("pledge.")})
# every event a person could hear of: the directory and the working calendar feed services' copies, nobody's news
NEWS_TYPES = {t for t, _ in registered_types() if not t.startswith(("directory.", "calendar."))}
# ASCII names: an English text then has no Chinese in it at all
NAMES = {"unit_name": "Branch One", "pledger_name": "Chen Ming", "subject_name": "Chen Ming",
         "branch_name": "Branch One"}


def test_every_event_type_has_a_template_or_is_deliberately_silent():
    assert NEWS_TYPES - set(SILENT) == set(TEMPLATES)
    assert not set(SILENT) & set(TEMPLATES)


def test_every_event_with_a_recipient_rule_has_its_templates():
    assert set(RULES) == set(TEMPLATES)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("event_type", sorted(TEMPLATES))
def test_every_template_renders_in_both_languages(event_type, language, sample_data):
    data = sample_data(event_type)
    for audience in TEMPLATES[event_type]:
        text = render(event_type, audience, language, data, NAMES)
        assert text.title and text.body
        assert "{" not in text.title + text.body + text.link, text
        assert text.link.startswith("/")
        if language == "zh":
            assert CJK.search(text.title) and CJK.search(text.body)
        else:
            assert not CJK.search(text.title + text.body)
        # the lists name a branch's pledges or members, not one pledge
        if event_type.startswith("pledge.") and event_type not in ("pledge.overdue_list", "pledge.reminder_requested"):
            assert data["title"] in text.title
            assert text.link == f"/pledges/{data['pledge_id']}"


def test_the_sample_data_covers_every_registered_event_type(sample_data):
    for event_type in NEWS_TYPES:
        assert sample_data(event_type)


@pytest.mark.parametrize("event_type, audience, field", [
    ("pledge.returned", Audience.OWN, "reason"),
    ("pledge.due_soon", Audience.OWN, "days_left"),
    ("pledge.submitted", Audience.REVIEWER, "kind"),
    ("evaluation.completed", Audience.OWN, "breakdown"),
    ("grading.cycle_opened", Audience.SECRETARY, "self_assessment_deadline"),
    ("grading.level_finalised", Audience.SECRETARY, "previous_grade"),
    ("grading.publicity_started", Audience.SECRETARY, "objection_deadline"),
])
@pytest.mark.parametrize("language", LANGUAGES)
def test_a_missing_field_raises_instead_of_rendering_a_hole(event_type, audience, field, language, sample_data):
    data = sample_data(event_type)
    del data[field]
    with pytest.raises(MissingField) as raised:
        render(event_type, audience, language, data, NAMES)
    assert raised.value.details["field"] == field


def test_names_the_directory_does_not_know_yet_say_so(sample_data):
    data = sample_data("pledge.submitted", kind="annual")
    names = {"unit_name": None, "pledger_name": None}
    zh = render("pledge.submitted", Audience.REVIEWER, "zh", data, names)
    en = render("pledge.submitted", Audience.REVIEWER, "en", data, names)
    assert zh.body.startswith("（目录中暂无）（（目录中暂无））提交了年度承诺")
    assert en.body.startswith("(not yet in the directory) ((not yet in the directory)) submitted the annual pledge")


def _breakdown():
    return [{"party": "self", "weight": 20, "score": 88, "raters": 1},
            {"party": "masses", "weight": 30, "score": None, "raters": 2},
            {"party": "leader", "weight": 50, "score": 91.25, "raters": 1}]


def test_an_evaluation_shows_score_level_and_each_party_but_hides_too_small_groups(sample_data):
    data = sample_data("evaluation.completed", target_kind="pledge", score=90.04, level="excellent",
                       breakdown=_breakdown())
    zh = render("evaluation.completed", Audience.OWN, "zh", data, NAMES)
    assert zh.title == "评议结果：承诺践诺评议"
    assert zh.body.splitlines() == [
        "您的承诺践诺评议已完成：综合得分 90.0 分，等次“优秀”。",
        "· 个人自评（权重 20%）：88.0 分",
        "· 群众评议（权重 30%）：不予显示（参评人数不足）",
        "· 领导点评（权重 50%）：91.2 分",
    ]
    en = render("evaluation.completed", Audience.SECRETARY, "en", data, NAMES)
    assert en.title == "Evaluation result for Chen Ming: pledge evaluation"
    assert "· evaluation by the masses (weight 30%): not shown (too few raters)" in en.body.splitlines()
    assert "rated “excellent”" in en.body


@pytest.mark.parametrize("grade, previous, label, zh, en", [
    ("advanced", None, "先进", "首次定级", "first grading"),
    ("advanced", "ordinary", "先进", "较上年度“一般”晋位", "up from “ordinary” last year"),
    ("lagging", "advanced", "后进", "较上年度“先进”降位", "down from “advanced” last year"),
    ("ordinary", "ordinary", "一般", "与上年度持平", "same as last year"),
])
def test_a_published_grade_says_how_it_moved(grade, previous, label, zh, en, sample_data):
    data = sample_data("grading.level_finalised", grade=grade, previous_grade=previous, year=2024, total=86.5)
    text_zh = render("grading.level_finalised", Audience.SECRETARY, "zh", data, NAMES)
    text_en = render("grading.level_finalised", Audience.SECRETARY, "en", data, NAMES)
    assert text_zh.title == f"2024年度定级结果：Branch One“{label}”"
    assert f"（综合得分 86.5 分，{zh}）" in text_zh.body
    assert f"(total 86.5, {en})" in text_en.body
