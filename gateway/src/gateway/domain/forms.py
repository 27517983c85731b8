"""Which forms there are, what a template of each may say, and when one may be printed. Plain Python.

A template names its fields in docxtpl's Jinja syntax (``{{ member_name }}``, ``{% for p in parties %}``); a
field no form supplies would print empty, so a template using one is refused where it is uploaded.
"""
from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote

from pacesetter_shared.events.labels import GRADE_WORDS, LEVEL_WORDS, PARTY_WORDS, in_language
from pacesetter_shared.i18n import _, term


class FormRefused(Exception):
    """A form or template request the rules refuse; ``details`` names the field."""

    def __init__(self, message, details=None):
        super().__init__(message)
        self.details = details or {}


class TemplateRefused(FormRefused):
    """An uploaded template that is no DOCX or that uses fields its form does not have."""


class NotPrintable(FormRefused):
    """The data is not (yet) what the form records: a round still open, a result the caller may not see."""


# Every form gets these: who prints it and when.
COMMON_FIELDS = frozenset({"organisation", "printed_on"})
WINDOW_FIELDS = frozenset({"name", "identity", "post", "unit_name", "window_name", "location", "pledge_title",
                           "pledge_content", "pledge_year", "qr_code", "rating_url"})


@dataclass(frozen=True)
class FormKind:
    """One printed form: its code in the path, its Chinese and English names, the ids that choose its data
    (the query), and the fields its template may use."""

    code: str
    zh: str
    en: str
    asks: tuple[str, ...]
    fields: frozenset[str]
    picture_cm: float = 4.5  # how wide a picture field (the rating QR code) prints

    def term(self):
        """The form's name inside a message: 承诺书 in Chinese, "pledge letter" in English."""
        return term("form_kind", self.code, self.en.lower())

    def unknown_fields(self, used: set[str]) -> list[str]:
        """The fields a template uses that this form does not supply, sorted."""
        return sorted(set(used) - self.fields - COMMON_FIELDS)


FORM_KINDS: dict[str, FormKind] = {kind.code: kind for kind in (
    FormKind("pledge-letter", "承诺书", "Pledge letter", ("pledge_id",), frozenset({
        "pledger_name", "pledger_kind", "unit_name", "year", "pledge_kind", "mode", "title", "content", "targets",
        "areas", "due_date", "participants"})),
    FormKind("desk-plate", "承诺桌牌", "Pledge desk plate", ("window_id", "person_id"), WINDOW_FIELDS, 6.0),
    FormKind("name-card", "承诺名片", "Pledge name card", ("window_id", "person_id"), WINDOW_FIELDS, 2.3),
    FormKind("member-review", "党员评议表", "Member evaluation form", ("round_id",), frozenset({
        "member_name", "unit_name", "year", "period", "round_title", "targets", "parties", "score", "level",
        "min_group", "closed_on"})),
    FormKind("grading-application", "定级申报表", "Grading application", ("cycle_id", "branch_id"), frozenset({
        "branch_name", "year", "indicators", "self_total", "suggested_level", "deadline"})),
    FormKind("grading-result", "分类定级结果", "Grading result", ("cycle_id", "branch_id"), frozenset({
        "branch_name", "year", "parts", "indicators", "total", "level", "level_source", "previous_level", "change",
        "changes"})),
    FormKind("rectification-plan", "整改方案", "Rectification plan", ("cycle_id", "branch_id"), frozenset({
        "branch_name", "year", "level", "emphasis", "problems", "measures", "owner_name", "deadline", "tasks"})),
)}

# The table of contents, first in a unit's yearly archive (年度归档): what it holds, and what was left out and why.
ARCHIVE_TOC = "00-目录.csv"

FORMATS = {"docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
           "pdf": "application/pdf"}

LEVELS = in_language(GRADE_WORDS, "zh")  # a branch's grade
RATINGS = in_language(LEVEL_WORDS, "zh")  # an evaluation's level
PARTIES = in_language(PARTY_WORDS, "zh")
CHANGES = {"up": "晋位", "same": "持平", "down": "降位"}
MEMBER_STATUS = {"full": "中共党员", "probationary": "中共预备党员"}
PLEDGE_KINDS = {"annual": "年度承诺", "instant": "即时承诺"}
LEAD_AREAS = {"study": "带头学习提高", "achievement": "带头争创佳绩", "serving_masses": "带头服务群众",
              "discipline": "带头遵纪守法", "upright_spirit": "带头弘扬正气"}
PLEDGE_MODES = {"individual": "党员个人承诺", "collective": "党员集体承诺", "with_masses": "党员带领群众共同承诺"}
TOO_FEW = "参评人数不足，不予显示"


def form_kind(code: str) -> FormKind:
    kind = FORM_KINDS.get(code)
    if kind is None:
        raise KeyError(code)
    return kind


def check_template(kind: FormKind, used: set[str]) -> None:
    unknown = kind.unknown_fields(used)
    if unknown:
        raise TemplateRefused(_("The template uses fields the {form} does not have: {fields}.",
                                form=kind.term(), fields=", ".join(unknown)),
                              {"file": [_("unknown field {field}", field=f) for f in unknown]})


def party_rows(breakdown: list[dict]) -> list[dict]:
    """The four parties of a 党员评议表 exactly as the evaluation service shows them: a party whose raters
    are too few to stay anonymous has no score there, and none here either."""
    rows = []
    for part in breakdown:
        shown = part.get("score") is not None
        rows.append({"name": PARTIES.get(part["party"], part["party"]), "weight": f"{part['weight']:g}%",
                     "raters": part["raters"] if shown else "—",
                     "score": f"{part['score']:.1f}" if shown else TOO_FEW})
    return rows


def check_review_printable(round_: dict) -> None:
    """A 党员评议表 records a completed round's result (评议完成), to those who may see that result."""
    if round_.get("state") == "open":
        raise NotPrintable(_("The round is still open: its evaluation form is printed once it has closed."),
                           {"round_id": [_("still open")]})
    if round_.get("state") != "completed":
        raise NotPrintable(_("The round ended without enough raters: it has no result to print."),
                           {"round_id": [_("no result")]})
    if round_.get("breakdown") is None:
        raise NotPrintable(_("Only the evaluated member, their leaders and the organisers print this round's "
                             "evaluation form."), {"round_id": [_("result not yours to see")]})


def identity_label(member_status: str | None) -> str:
    """亮身份: what a desk plate says the member is."""
    return MEMBER_STATUS.get(member_status or "", "共产党员")


def content_disposition(kind: FormKind, subject: str, extension: str) -> str:
    name = f"{kind.zh}-{subject}.{extension}" if subject else f"{kind.zh}.{extension}"
    return attachment(name, f"{kind.code}.{extension}")


def attachment(name: str, ascii_name: str) -> str:
    """attachment, with the Chinese file name in RFC 5987 form and an ASCII stand-in for old clients."""
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name, safe='')}"
