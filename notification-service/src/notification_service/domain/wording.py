"""The words a notice is worded with, in the reader's language (zh, en): the labels of the events' values (LABELS),
the phrases the texts are built of (PHRASES), people's time (Beijing), and the labellers that derive from an
event's data the labels its template names (see templates.py)."""
from __future__ import annotations

from datetime import datetime
from typing import Callable
from zoneinfo import ZoneInfo

from pacesetter_shared.events.labels import GRADE_WORDS, LEVEL_WORDS, PARTY_WORDS, SATISFACTION_WORDS, in_language

# the codes every service shows (levels, parties, grades, satisfaction) from the shared table, the rest worded here
_SHARED = {"level": LEVEL_WORDS, "party": PARTY_WORDS, "grade": GRADE_WORDS, "satisfaction": SATISFACTION_WORDS}
_OWN = {
    "zh": {
        "pledge_kind": {"annual": "年度承诺", "instant": "即时承诺"},
        "target_kind": {"pledge": "承诺践诺评议", "member_year": "年度民主评议", "branch": "支部评议",
                        "window": "窗口服务评议"},
        "verdict": {True: "通过验收", False: "未通过验收"},
    },
    "en": {
        "pledge_kind": {"annual": "annual pledge", "instant": "instant pledge"},
        "target_kind": {"pledge": "pledge evaluation", "member_year": "annual democratic evaluation",
                        "branch": "branch evaluation", "window": "service-window evaluation"},
        "verdict": {True: "passed", False: "did not pass"},
    },
}
LABELS = {language: own | {group: in_language(words, language) for group, words in _SHARED.items()}
          for language, own in _OWN.items()}

PHRASES = {
    "zh": {
        "unknown_name": "（目录中暂无）",
        "party_score": "· {party}（权重 {weight:g}%）：{score:.1f} 分",
        # 群众评议 below the anonymity threshold: the score is withheld, never estimated
        "party_hidden": "· {party}（权重 {weight:g}%）：不予显示（参评人数不足）",
        "first_grade": "首次定级",
        "grade_up": "较上年度“{previous}”晋位",
        "grade_same": "与上年度持平",
        "grade_down": "较上年度“{previous}”降位",
        "overdue_item": "· 《{title}》（完成时限 {due_date}）",
        "separator": "、",
        "no_reasons": "未选择原因",
        "case_item": "· “{level_label}”（原因：{reasons_label}），请于 {deadline_local}（北京时间）前办结",
        "window_of": "的服务窗口",
        "stars": "{stars}星",
        "no_stars": "未评星",
        "stars_before": "（上次：{previous}）",
        "no_rate": "（评价人数不足，不予显示）",
    },
    "en": {
        "unknown_name": "(not yet in the directory)",
        "party_score": "· {party} (weight {weight:g}%): {score:.1f}",
        "party_hidden": "· {party} (weight {weight:g}%): not shown (too few raters)",
        "first_grade": "first grading",
        "grade_up": "up from “{previous}” last year",
        "grade_same": "same as last year",
        "grade_down": "down from “{previous}” last year",
        "overdue_item": "· “{title}” (due {due_date})",
        "separator": ", ",
        "no_reasons": "no reason given",
        "case_item": "· “{level_label}” (reasons: {reasons_label}), by {deadline_local} (Beijing time)",
        "window_of": "A service window of ",
        "stars": "{stars} stars",
        "no_stars": "no stars",
        "stars_before": " (before: {previous})",
        "no_rate": "(too few ratings to show)",
    },
}

GRADE_RANK = {"lagging": 0, "ordinary": 1, "advanced": 2}
PEOPLES_TIME = ZoneInfo("Asia/Shanghai")  # people read times in Beijing time; events carry UTC


def local_time(moment: datetime) -> str:
    return moment.astimezone(PEOPLES_TIME).strftime("%Y-%m-%d %H:%M")


Labeller = Callable[[str, dict], dict]  # (language, event data) -> labels the texts may use


def _pledge_labels(language: str, data: dict) -> dict:
    return {"kind_label": LABELS[language]["pledge_kind"][data["kind"]]}


def _evaluation_labels(language: str, data: dict) -> dict:
    labels, phrases = LABELS[language], PHRASES[language]
    lines = []
    for part in data["breakdown"]:
        phrase = phrases["party_hidden"] if part["score"] is None else phrases["party_score"]
        lines.append(phrase.format(party=labels["party"][part["party"]], weight=part["weight"],
                                   score=part["score"]))
    return {"target_label": labels["target_kind"][data["target_kind"]],
            "level_label": labels["level"][data["level"]], "breakdown": "\n".join(lines)}


def _grade_labels(language: str, data: dict) -> dict:
    grades, phrases = LABELS[language]["grade"], PHRASES[language]
    grade, previous = data["grade"], data["previous_grade"]
    if previous is None:
        change = phrases["first_grade"]
    else:
        step = GRADE_RANK[grade] - GRADE_RANK[previous]
        change = phrases["grade_up" if step > 0 else "grade_down" if step < 0 else "grade_same"]
        change = change.format(previous=grades[previous])
    return {"grade_label": grades[grade], "grade_change": change}


def _objection_deadline(language: str, data: dict) -> dict:
    return {"deadline_local": local_time(data["objection_deadline"])}


def _overdue_list_labels(language: str, data: dict) -> dict:
    item = PHRASES[language]["overdue_item"]
    return {"count": len(data["pledges"]),
            "pledge_lines": "\n".join(item.format(title=p["title"], due_date=p["due_date"]) for p in data["pledges"])}


def _request_labels(language: str, data: dict) -> dict:
    labels = LABELS[language]
    return {"target_label": labels["target_kind"][data["target_kind"]], "party_label": labels["party"][data["party"]],
            "deadline_local": local_time(data["deadline"])}


def _incomplete_labels(language: str, data: dict) -> dict:
    labels = LABELS[language]
    missing = PHRASES[language]["separator"].join(labels["party"][p] for p in data["missing_parties"])
    return {"target_label": labels["target_kind"][data["target_kind"]], "missing_label": missing}


def _feedback_labels(language: str, data: dict) -> dict:
    phrases = PHRASES[language]
    # feedback.negative v2: a complaint to a unit names no window
    labels = {"deadline_local": local_time(data["deadline"]),
              "window_of": phrases["window_of"] if data.get("window_id") else ""}
    if "level" in data:
        labels["level_label"] = LABELS[language]["satisfaction"][data["level"]]
        labels["reasons_label"] = phrases["separator"].join(data["reasons"]) or phrases["no_reasons"]
    return labels


def _case_labels(language: str, data: dict) -> dict:
    """A place's one case (feedback.negative in v3's shape), worded as a v1 or v2 event was."""
    [case] = data["cases"]
    return {"case_id": case["case_id"], **_feedback_labels(language, {**data, **case})}


def _cases_labels(language: str, data: dict) -> dict:
    """A batch's cases at one place: a line each, and the place's open cases to follow them up one by one."""
    phrases, satisfaction = PHRASES[language], LABELS[language]["satisfaction"]
    lines = [phrases["case_item"].format(
        level_label=satisfaction[case["level"]], deadline_local=local_time(case["deadline"]),
        reasons_label=phrases["separator"].join(case["reasons"]) or phrases["no_reasons"]) for case in data["cases"]]
    place = f"?window_id={data['window_id']}" if data.get("window_id") else ""
    return {"count": len(data["cases"]), "case_lines": "\n".join(lines), "cases_link": f"/windows/cases{place}"}


def _verdict_labels(language: str, data: dict) -> dict:
    return {"verdict_label": LABELS[language]["verdict"][data["passed"]]}


def _star_labels(language: str, data: dict) -> dict:
    phrases = PHRASES[language]

    def stars(n):
        return phrases["stars"].format(stars=n) if n else phrases["no_stars"]

    rate = data["satisfaction_rate"]
    return {"stars_label": stars(data["stars"]),
            "rate_label": f"{rate:.1%}" if rate is not None else phrases["no_rate"],
            "change_label": (phrases["stars_before"].format(previous=stars(data["previous_stars"]))
                             if data["previous_stars"] is not None else "")}
