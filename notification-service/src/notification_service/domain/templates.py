"""What each notice says (消息模板): one template per event type and audience, in zh and en.

Templates are ``str.format`` strings over the event's data, the names the inbox looked up in the
directory, and labels derived in the reader's language (wording.py). A field a template names but the
event does not carry raises ``MissingField``: better a dead-lettered event than a notice with a hole.
"""
from __future__ import annotations

from dataclasses import dataclass

from .model import Audience, MissingField, NoticeKind
from .wording import (PHRASES, Labeller, _case_labels, _cases_labels, _evaluation_labels, _feedback_labels,
                      _grade_labels, _incomplete_labels, _objection_deadline, _overdue_list_labels, _pledge_labels,
                      _request_labels, _star_labels, _verdict_labels)


@dataclass(frozen=True)
class Template:
    kind: NoticeKind
    title: dict[str, str]  # language -> format string
    body: dict[str, str]
    link: str  # a portal path, formatted like the texts
    labeller: Labeller | None
    many: Template | None = None  # the wording when the event carries several cases (feedback.negative v3)


@dataclass(frozen=True)
class Rendered:
    kind: NoticeKind
    title: str
    body: str
    link: str


def _template(kind: NoticeKind, title_zh: str, body_zh: str, title_en: str, body_en: str, *,
              link: str = "/pledges/{pledge_id}", labeller: Labeller | None = _pledge_labels,
              many: Template | None = None) -> Template:
    return Template(kind, {"zh": title_zh, "en": title_en}, {"zh": body_zh, "en": body_en}, link, labeller, many)


A, K = Audience, NoticeKind  # short names keep the table readable
TEMPLATES: dict[str, dict[Audience, Template]] = {
    "pledge.submitted": {A.REVIEWER: _template(
        K.TASK,
        "承诺待审核：《{title}》",
        "{pledger_name}（{unit_name}）提交了{kind_label}《{title}》，完成时限 {due_date}，请及时审核。",
        "Pledge awaiting your review: “{title}”",
        "{pledger_name} ({unit_name}) submitted the {kind_label} “{title}”, due {due_date}. Please review it.",
    )},
    "pledge.returned": {A.OWN: _template(
        K.TASK,
        "承诺被退回：《{title}》",
        "您的{kind_label}《{title}》未通过党总支审核，已退回修改。退回理由：{reason}",
        "Pledge returned: “{title}”",
        "Your {kind_label} “{title}” was returned by the general branch for revision. Reason: {reason}",
    )},
    "pledge.approved": {A.OWN: _template(
        K.UPDATE,
        "承诺已通过审核：《{title}》",
        "您的{kind_label}《{title}》已通过党总支审核，公开后接受党员群众监督。",
        "Pledge approved: “{title}”",
        "Your {kind_label} “{title}” was approved by the general branch; once public it is open to "
        "supervision by members and the masses.",
    )},
    "pledge.published": {A.OWN: _template(
        K.UPDATE,
        "承诺已公开：《{title}》",
        "您的{kind_label}《{title}》已公开承诺，接受党员群众监督，请于 {due_date} 前认真践诺。",
        "Pledge made public: “{title}”",
        "Your {kind_label} “{title}” is now public and open to supervision. Please fulfil it by {due_date}.",
    )},
    "pledge.due_soon": {A.OWN: _template(
        K.REMINDER,
        "承诺即将到期：《{title}》",
        "您的{kind_label}《{title}》将于 {due_date} 到期（剩余 {days_left} 天），请抓紧践诺。",
        "Pledge due soon: “{title}”",
        "Your {kind_label} “{title}” is due on {due_date} ({days_left} day(s) left). Please fulfil it in time.",
    )},
    "pledge.overdue": {
        A.OWN: _template(
            K.REMINDER,
            "承诺已逾期：《{title}》",
            "您的{kind_label}《{title}》已超过完成时限（{due_date}），请尽快践诺并报告进展。",
            "Pledge overdue: “{title}”",
            "Your {kind_label} “{title}” passed its due date ({due_date}). Please fulfil it and report "
            "progress as soon as you can.",
        ),
        # 督促检查: the branch hears of it so that it can remind and help in time
        A.SECRETARY: _template(
            K.REMINDER,
            "支部有承诺逾期：《{title}》",
            "{pledger_name}的{kind_label}《{title}》已超过完成时限（{due_date}），请及时提醒和帮助。",
            "Overdue pledge in your branch: “{title}”",
            "The {kind_label} “{title}” of {pledger_name} passed its due date ({due_date}). Please remind "
            "and help in time.",
        ),
    },
    "pledge.fulfilled": {A.OWN: _template(
        K.UPDATE,
        "承诺已践诺：《{title}》",
        "您的{kind_label}《{title}》已践诺完成，等待评议。",
        "Pledge fulfilled: “{title}”",
        "Your {kind_label} “{title}” is fulfilled and awaits evaluation.",
    )},
    "evaluation.completed": {
        A.OWN: _template(
            K.RESULT,
            "评议结果：{target_label}",
            "您的{target_label}已完成：综合得分 {score:.1f} 分，等次“{level_label}”。\n{breakdown}",
            "Evaluation result: {target_label}",
            "Your {target_label} is complete: overall score {score:.1f}, rated “{level_label}”.\n{breakdown}",
            link="/evaluations/{round_id}", labeller=_evaluation_labels,
        ),
        A.SECRETARY: _template(
            K.RESULT,
            "评议结果：{subject_name}的{target_label}",
            "{subject_name}的{target_label}已完成：综合得分 {score:.1f} 分，等次“{level_label}”。\n{breakdown}",
            "Evaluation result for {subject_name}: {target_label}",
            "The {target_label} of {subject_name} is complete: overall score {score:.1f}, rated "
            "“{level_label}”.\n{breakdown}",
            link="/evaluations/{round_id}", labeller=_evaluation_labels,
        ),
    },
    "grading.cycle_opened": {A.SECRETARY: _template(
        K.TASK,
        "{year}年度晋位升级工作已启动",
        "{year}年度基层党组织晋位升级工作已启动，请于 {self_assessment_deadline} 前完成本支部自评。",
        "The {year} grading of Party branches has begun",
        "The {year} grading and upgrading of Party branches has begun. Please complete your branch's "
        "self-assessment by {self_assessment_deadline}.",
        link="/grading/{cycle_id}", labeller=None,
    )},
    "grading.publicity_started": {
        A.SECRETARY: _template(
            K.TASK,
            "{year}年度分类定级结果公示",
            "{year}年度基层党组织分类定级结果已公示，公示期至 {publicity_ends_on}，异议受理截止时间 {deadline_local}"
            "（北京时间）。请组织本支部党员群众查看公示名单，如有异议请在截止前提出。",
            "{year} grading results on public notice",
            "The {year} levels of the Party branches are on public notice until {publicity_ends_on}; objections "
            "are taken until {deadline_local} (Beijing time). Please have your branch's members and the masses "
            "read the list, and object before the deadline if need be.",
            link="/grading/publicity?cycle={cycle_id}", labeller=_objection_deadline,
        ),
        A.SUPERIOR: _template(
            K.TASK,
            "{year}年度分类定级结果公示：请答复异议",
            "{year}年度基层党组织分类定级结果已公示，公示期至 {publicity_ends_on}，异议受理截止时间 {deadline_local}"
            "（北京时间）。请及时答复对所属党支部提出的异议。",
            "{year} grading results on public notice: objections to answer",
            "The {year} levels of the Party branches are on public notice until {publicity_ends_on}; objections "
            "are taken until {deadline_local} (Beijing time). Please answer in time those lodged against your "
            "general branch's branches.",
            link="/grading/publicity?cycle={cycle_id}", labeller=_objection_deadline,
        ),
    },
    "grading.level_finalised": {A.SECRETARY: _template(
        K.RESULT,
        "{year}年度定级结果：{branch_name}“{grade_label}”",
        "{branch_name}{year}年度分类定级结果为“{grade_label}”（综合得分 {total:.1f} 分，{grade_change}）。"
        "请按照巩固先进、推动一般、整顿后进的要求做好整改提高。",
        "{year} grade of {branch_name}: “{grade_label}”",
        "{branch_name} is graded “{grade_label}” for {year} (total {total:.1f}, {grade_change}). Please plan "
        "rectification accordingly: consolidate the advanced, push the ordinary, overhaul the lagging.",
        link="/grading/{cycle_id}?branch_id={branch_id}", labeller=_grade_labels,
    )},
    "pledge.overdue_list": {A.SECRETARY: _template(
        K.REMINDER,
        "本周逾期承诺清单：{unit_name}（{count} 项）",
        "{unit_name}第 {week} 周有 {count} 项承诺已超过完成时限，请督促检查：\n{pledge_lines}",
        "Overdue pledges this week: {unit_name} ({count})",
        "{unit_name} has {count} pledge(s) past their due date in week {week}. Please follow them up:\n"
        "{pledge_lines}",
        link="/pledges?unit_id={unit_id}&status=overdue", labeller=_overdue_list_labels,
    )},
    "pledge.reminder_requested": {A.OWN: _template(
        K.REMINDER,
        "请作出{year}年度承诺",
        "{unit_name}提醒您：您还没有作出 {year} 年度承诺。请在“我的承诺”中新建年度承诺，提交党总支审核。",
        "Please make your {year} annual pledge",
        "{unit_name} reminds you that you have not made your annual pledge for {year} yet. Please create it "
        "under My pledges and submit it for review.",
        link="/pledges/mine?year={year}", labeller=None,
    )},
    "evaluation.requested": {A.RATER: _template(
        K.TASK,
        "请参加评议：{subject_name}的{target_label}",
        "请以“{party_label}”身份参加{subject_name}的{target_label}，截止时间 {deadline_local}（北京时间）。",
        "Please take part: {target_label} of {subject_name}",
        "Please take part in the {target_label} of {subject_name} as {party_label}, by {deadline_local} "
        "(Beijing time).",
        link="/evaluations/{round_id}", labeller=_request_labels,
    )},
    "evaluation.incomplete": {
        A.OWN: _template(
            K.UPDATE,
            "评议未形成结果：{target_label}",
            "您的{target_label}截止时未达到参评人数要求，暂不形成结果。缺少：{missing_label}。",
            "No result for your {target_label}",
            "Your {target_label} closed without enough raters, so it has no result. Missing: {missing_label}.",
            link="/evaluations/{round_id}", labeller=_incomplete_labels,
        ),
        A.SECRETARY: _template(
            K.REMINDER,
            "评议未形成结果：{subject_name}的{target_label}",
            "{subject_name}的{target_label}截止时未达到参评人数要求，暂不形成结果。缺少：{missing_label}。",
            "No result for the {target_label} of {subject_name}",
            "The {target_label} of {subject_name} closed without enough raters, so it has no result. "
            "Missing: {missing_label}.",
            link="/evaluations/{round_id}", labeller=_incomplete_labels,
        ),
    },
    "feedback.negative": {A.RESPONSIBLE: _template(
        K.TASK,
        "服务差评待整改：{unit_name}",
        "{unit_name}{window_of}收到“{level_label}”评价（原因：{reasons_label}），请于 {deadline_local}"
        "（北京时间）前核实整改并回访。",
        "Bad rating to follow up: {unit_name}",
        "{window_of}{unit_name} was rated “{level_label}” (reasons: {reasons_label}). Please look "
        "into it, fix it and call back by {deadline_local} (Beijing time).",
        link="/feedback/{case_id}", labeller=_case_labels,
        many=_template(
            K.TASK,
            "{place_name} 新增 {count} 件差评待整改",
            "{place_name}新增 {count} 件差评，请逐件核实整改并回访：\n{case_lines}",
            "{count} new bad ratings to follow up at {place_name}",
            "{place_name} received {count} bad ratings. Please look into each, fix it and call back:\n{case_lines}",
            link="{cases_link}", labeller=_cases_labels,
        ),
    )},
    "evaluation.star_graded": {
        A.RESPONSIBLE: _template(
            K.RESULT,
            "星级窗口评定：{unit_name} {month} {stars_label}",
            "{unit_name}的服务窗口 {month} 的群众满意率为 {rate_label}，评定为“{stars_label}”{change_label}。",
            "Star window: {unit_name}, {month}, {stars_label}",
            "A service window of {unit_name} had a satisfaction rate of {rate_label} in {month}: "
            "{stars_label}{change_label}.",
            link="/windows/{key}?month={month}", labeller=_star_labels,
        ),
        A.OWN: _template(
            K.RESULT,
            "服务标兵评定：{month} {stars_label}",
            "您 {month} 值守服务窗口的群众满意率为 {rate_label}，评定为“{stars_label}”{change_label}。",
            "Service model: {month}, {stars_label}",
            "As the member on duty in {month}, your satisfaction rate was {rate_label}: {stars_label}{change_label}.",
            # the member's own stars of the month (服务标兵): under /windows, which the portal serves at its path
            link="/windows/stars?by=on_duty&key={key}&month={month}", labeller=_star_labels,
        ),
    },
    "feedback.followup_overdue": {
        A.RESPONSIBLE: _template(
            K.REMINDER,
            "差评整改已逾期：{unit_name}",
            "{unit_name}服务窗口的差评整改已超过时限（{deadline_local}，北京时间），已报党总支督办，请尽快办结。",
            "Bad-rating follow-up overdue: {unit_name}",
            "The follow-up of a bad rating at {unit_name} passed its deadline ({deadline_local}, Beijing time) "
            "and was escalated to the general branch. Please close it as soon as you can.",
            link="/feedback/{case_id}", labeller=_feedback_labels,
        ),
        A.SUPERIOR: _template(
            K.REMINDER,
            "差评整改逾期督办：{unit_name}",
            "{unit_name}服务窗口的差评整改已超过时限（{deadline_local}，北京时间）仍未办结，请督促落实。",
            "Escalated: overdue bad-rating follow-up at {unit_name}",
            "The follow-up of a bad rating at {unit_name} is still open past its deadline ({deadline_local}, "
            "Beijing time). Please see that it is done.",
            link="/feedback/{case_id}", labeller=_feedback_labels,
        ),
    },
    "rectification.task_overdue": {
        A.OWN: _template(
            K.REMINDER,
            "整改任务已逾期：《{title}》",
            "您负责的整改任务《{title}》已超过完成时限（{deadline}），请尽快完成。",
            "Rectification task overdue: “{title}”",
            "The rectification task “{title}” you are in charge of passed its deadline ({deadline}). Please "
            "complete it as soon as you can.",
            link="/grading/{cycle_id}?branch_id={branch_id}&task_id={task_id}", labeller=None,
        ),
        A.SECRETARY: _template(
            K.REMINDER,
            "支部整改任务已逾期：《{title}》",
            "{branch_name}的整改任务《{title}》已超过完成时限（{deadline}），请抓好整改提高。",
            "Rectification task overdue in {branch_name}: “{title}”",
            "The rectification task “{title}” of {branch_name} passed its deadline ({deadline}). Please see "
            "that it is done.",
            link="/grading/{cycle_id}?branch_id={branch_id}&task_id={task_id}", labeller=None,
        ),
    },
    "rectification.accepted": {A.SECRETARY: _template(
        K.RESULT,
        "整改考核验收结果：{branch_name}{verdict_label}",
        "{branch_name}上一轮整改提高经党总支考核验收，结果为“{verdict_label}”。{notes}",
        "Rectification inspection: {branch_name} {verdict_label}",
        "The general branch inspected the last rectification of {branch_name}: it {verdict_label}. {notes}",
        link="/grading/{cycle_id}?branch_id={branch_id}", labeller=_verdict_labels,
    )},
}


TEMPLATES["grading.published"] = TEMPLATES["grading.level_finalised"]  # its old name, still read (see the schema)


def render(event_type: str, audience: Audience, language: str, data: dict, names: dict[str, str | None]) -> Rendered:
    """The notice for one reader; ``names`` holds the directory names (None when not known yet)."""
    template = TEMPLATES[event_type][audience]
    if template.many is not None and len(data["cases"]) > 1:
        template = template.many
    unknown = PHRASES[language]["unknown_name"]
    try:
        fields = dict(data)
        if template.labeller:
            fields.update(template.labeller(language, data))
        fields.update({key: name or unknown for key, name in names.items()})
        return Rendered(
            kind=template.kind,
            title=template.title[language].format_map(fields),
            body=template.body[language].format_map(fields),
            link=template.link.format_map(fields),
        )
    except KeyError as exc:
        field = exc.args[0] if exc.args else "?"
        raise MissingField(f"The {event_type} template ({language}) needs {field!r}, which the event lacks.",
                           {"event_type": event_type, "language": language, "field": field}) from None
