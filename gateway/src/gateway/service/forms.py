"""Use cases of the printed forms: compose a form's data from the services (as the caller sees it), render it
from the organisation's active template, and keep the organisation's template versions."""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from pacesetter_shared.i18n import _
from pacesetter_shared.identity import Identity
from pacesetter_shared.uow import UnitOfWork

from ..adapters import rendering
from ..adapters.services import ServiceReader
from ..adapters.tables import form_templates, persons, units
from ..domain import forms as domain
from ..domain.form_samples import SAMPLES
from . import directory

SHANGHAI = ZoneInfo("Asia/Shanghai")
PUBLIC_PLEDGE_STATES = "published,overdue,fulfilled,evaluated"
POSTS = {"window": "服务窗口", "vanguard_post": "党员先锋岗", "responsibility_area": "党员责任区"}
INDICATORS = {"leader": "党组织带头人", "work_plan": "工作思路", "rules": "工作制度", "venue": "活动阵地",
              "support": "保障机制", "performance": "工作业绩", "masses": "群众评价"}
GRADING_PARTS = {"self": "基层党组织自评", "members_and_masses": "党员群众评议", "superior": "上级党组织评定"}
LEVEL_SOURCES = {"confirmed": "按得分确认", "overridden": "上级调整"}


@dataclass
class Composed:
    """A form's data: the template's fields, whom it is about (for the file name), and the unit whose
    organisation's template prints it."""

    context: dict
    subject: str
    unit_id: uuid.UUID | None


# -- Dates as people read them (Asia/Shanghai) --

def _day(value) -> str:
    if not value:
        return "—"
    if isinstance(value, str):
        value = datetime.fromisoformat(value) if "T" in value else date.fromisoformat(value)
    if isinstance(value, datetime):
        value = value.astimezone(SHANGHAI).date()
    return f"{value.year}年{value.month}月{value.day}日"


def _score(value) -> str:
    return "—" if value is None else f"{value:.1f}"


# -- The organisation (党委) whose templates and name a unit's forms take --

def organisation_of(uow: UnitOfWork, unit_id) -> tuple[uuid.UUID | None, str]:
    """The committee at the top of the unit's tree, and its name."""
    current, seen = unit_id, set()
    while current is not None and current not in seen:
        seen.add(current)
        row = uow.session.execute(sa.select(units.c.id, units.c.name, units.c.parent_id)
                                  .where(units.c.id == current)).first()
        if row is None:
            return None, ""
        if row.parent_id is None:
            return row.id, row.name
        current = row.parent_id
    return None, ""


def _person(uow: UnitOfWork, person_id) -> dict | None:
    row = uow.session.execute(sa.select(persons.c.name, persons.c.member_status, persons.c.unit_id)
                              .where(persons.c.id == person_id)).first()
    return dict(row._mapping) if row else None


def person_name(uow: UnitOfWork, person_id) -> str:
    person = _person(uow, person_id) if person_id else None
    return person["name"] if person else "—"


# -- Each form's data --

def _pledge_letter(uow, reader: ServiceReader, identity: Identity, query: dict) -> Composed:
    pledge = reader.get(f"/api/pledges/{query['pledge_id']}")
    participants = [person_name(uow, p) for p in pledge.get("participant_ids") or []]
    participants += list(pledge.get("masses_participants") or [])
    return Composed({
        "pledger_name": pledge.get("pledger_name") or "—",
        "pledger_kind": "党组织" if pledge["pledger_kind"] == "unit" else "共产党员",
        "unit_name": pledge.get("unit_name") or "—", "year": pledge["year"],
        "pledge_kind": domain.PLEDGE_KINDS.get(pledge["kind"], pledge["kind"]),
        "mode": domain.PLEDGE_MODES.get(pledge["mode"], pledge["mode"]),
        "title": pledge["title"], "content": pledge["content"], "targets": pledge.get("targets") or [],
        "areas": "、".join(domain.LEAD_AREAS.get(a, a) for a in pledge.get("areas") or []) or "—", "due_date": _day(pledge.get("due_date")),
        "participants": "、".join(participants) or "—",
    }, pledge.get("pledger_name") or "", uuid.UUID(pledge["unit_id"]))


def _window_person(uow, reader: ServiceReader, identity: Identity, query: dict) -> Composed:
    """桌牌 and 名片: who serves at the window (亮身份), its post, their public annual pledge and the window's
    rating QR code. The rating link is the evaluation service's, given only to those who may print it."""
    window = directory.get_window(uow, query["window_id"])
    person_id = query["person_id"]
    if person_id not in [uuid.UUID(str(p)) for p in window["on_duty_ids"] or []] \
            and person_id != window.get("responsible_id"):
        raise domain.NotPrintable(_("That person is not on duty at this window."),
                                  {"person_id": [_("not on duty at the window")]})
    link = reader.get(f"/api/ratings/windows/{window['id']}/link")
    person = _person(uow, person_id) or {}
    year = datetime.now(SHANGHAI).year
    pledge = _annual_pledge(reader, identity, person_id, person.get("unit_id"), year)
    unit_name = directory.get_unit(uow, window["unit_id"])["name"]
    return Composed({
        "name": person.get("name", "—"), "identity": domain.identity_label(person.get("member_status")),
        "post": POSTS.get(window["kind"], window["kind"]), "unit_name": unit_name,
        "window_name": window["name"], "location": window["location"] or "",
        "pledge_title": pledge["title"] if pledge else "—",
        "pledge_content": pledge["content"] if pledge else "",
        "pledge_year": year, "rating_url": link["url"], "qr_code": rendering.qr_png(link["url"]),
    }, person.get("name", ""), window["unit_id"])


def _annual_pledge(reader: ServiceReader, identity: Identity, person_id, unit_id, year: int) -> dict | None:
    """The member's public annual pledge of the year, as the caller may see it: their own, or the ledger's."""
    if str(person_id) == identity.subject:
        page = reader.get("/api/pledges", scope="mine", kind="annual", year=year, pledger_id=person_id,
                          state=PUBLIC_PLEDGE_STATES)
    elif unit_id is not None:
        page = reader.get("/api/pledges/ledger", unit_id=unit_id, year=year, kind="annual", pledger_id=person_id,
                          state=PUBLIC_PLEDGE_STATES.split(","))
    else:
        return None
    items = page.get("items") or []
    return reader.get(f"/api/pledges/{items[0]['id']}") if items else None


def _member_review(uow, reader: ServiceReader, identity: Identity, query: dict) -> Composed:
    round_ = reader.get(f"/api/evaluations/rounds/{query['round_id']}")
    domain.check_review_printable(round_)
    return Composed({
        "member_name": round_.get("subject_name") or "—", "unit_name": round_.get("unit_name") or "—",
        "year": round_["year"], "period": round_.get("period") or str(round_["year"]),
        "round_title": round_.get("title") or "—", "targets": round_.get("targets") or [],
        "parties": domain.party_rows(round_["breakdown"]), "score": _score(round_.get("score")),
        "level": domain.RATINGS.get(round_.get("level") or "", round_.get("level") or "—"),
        "min_group": round_.get("min_group"), "closed_on": _day(round_.get("closed_at")),
    }, round_.get("subject_name") or "", uuid.UUID(round_["unit_id"]))


def _branch(reader: ServiceReader, query: dict) -> tuple[dict, dict]:
    cycle = reader.get(f"/api/grading/cycles/{query['cycle_id']}")
    branch = reader.get(f"/api/grading/cycles/{query['cycle_id']}/branches/{query['branch_id']}")
    return cycle, branch


def _grading_application(uow, reader: ServiceReader, identity: Identity, query: dict) -> Composed:
    cycle, branch = _branch(reader, query)
    own = (branch.get("scores") or {}).get("self") or {}
    weights = cycle.get("indicator_weights") or {}
    indicators = [{"name": INDICATORS[code], "weight": f"{weights.get(code, 0):g}%",
                   "score": _score((own.get(code) or {}).get("score")),
                   "evidence": (own.get(code) or {}).get("evidence") or "—"} for code in INDICATORS]
    return Composed({
        "branch_name": branch["name"], "year": cycle["year"], "indicators": indicators,
        "self_total": _score((branch.get("part_totals") or {}).get("self")),
        "suggested_level": domain.LEVELS.get(branch.get("suggested_level") or "", "—"),
        "deadline": _day(cycle.get("self_assessment_deadline")),
    }, branch["name"], uuid.UUID(str(query["branch_id"])))


def _grading_result(uow, reader: ServiceReader, identity: Identity, query: dict) -> Composed:
    cycle, branch = _branch(reader, query)
    if not branch.get("level"):
        raise domain.NotPrintable(_("The branch has no level yet: its grading result is printed once it has one."),
                                  {"branch_id": [_("no level yet")]})
    weights = cycle.get("indicator_weights") or {}
    totals = branch.get("part_totals") or {}
    scores = branch.get("indicator_scores") or {}
    return Composed({
        "branch_name": branch["name"], "year": cycle["year"], "total": _score(branch.get("total")),
        "level": domain.LEVELS.get(branch["level"], branch["level"]),
        "level_source": LEVEL_SOURCES.get(branch.get("level_source") or "", "—"),
        "previous_level": domain.LEVELS.get(branch.get("previous_level") or "", "—"),
        "change": domain.CHANGES.get(branch.get("change") or "", "—"),
        "parts": [{"name": GRADING_PARTS[code], "score": _score(totals.get(code))} for code in GRADING_PARTS],
        "indicators": [{"name": INDICATORS[code], "weight": f"{weights.get(code, 0):g}%",
                        "score": _score(scores.get(code))} for code in INDICATORS],
        "changes": [{"at": _day(c["at"]), "what": c["what"], "old": domain.LEVELS.get(c.get("old") or "", "—"),
                     "new": domain.LEVELS.get(c["new"], c["new"]), "reason": c.get("reason") or ""}
                    for c in branch.get("changes") or [] if c["what"] == "level"],
    }, branch["name"], uuid.UUID(str(query["branch_id"])))


def _rectification_plan(uow, reader: ServiceReader, identity: Identity, query: dict) -> Composed:
    cycle, branch = _branch(reader, query)
    plan = reader.get(f"/api/grading/cycles/{query['cycle_id']}/branches/{query['branch_id']}/rectification")
    return Composed({
        "branch_name": branch["name"], "year": cycle["year"], "level": domain.LEVELS.get(plan["level"], plan["level"]),
        "emphasis": plan.get("emphasis_zh") or plan["emphasis"], "problems": plan["problems"],
        "measures": plan["measures"], "owner_name": person_name(uow, plan["owner_id"]), "deadline": _day(plan["deadline"]),
        "tasks": [{"title": t["title"], "owner": person_name(uow, t.get("owner_id")), "deadline": _day(t["deadline"]),
                   "percent": t["percent"]} for t in plan.get("tasks") or []],
    }, branch["name"], uuid.UUID(str(query["branch_id"])))


COMPOSERS = {"pledge-letter": _pledge_letter, "desk-plate": _window_person, "name-card": _window_person,
             "member-review": _member_review, "grading-application": _grading_application,
             "grading-result": _grading_result, "rectification-plan": _rectification_plan}


def render_form(uow: UnitOfWork, reader: ServiceReader, identity: Identity, kind: domain.FormKind, query: dict,
                fmt: str) -> tuple[bytes, str]:
    """The form as DOCX or PDF, from the active template of the organisation it belongs to; and its file name's
    subject."""
    composed = COMPOSERS[kind.code](uow, reader, identity, query)
    organisation_id, organisation = organisation_of(uow, composed.unit_id)
    context = composed.context | {"organisation": organisation, "printed_on": _day(datetime.now(timezone.utc))}
    document = rendering.render_docx(active_template(uow, organisation_id, kind.code), context, kind.picture_cm)
    return (rendering.docx_to_pdf(document) if fmt == "pdf" else document), composed.subject


# -- The organisation's templates (表单模板) --

def _organisation_managed(uow: UnitOfWork, identity: Identity) -> uuid.UUID:
    """The committee whose templates the caller (组织部) keeps."""
    for unit_id in identity.units_with("org_department"):
        organisation_id, _organisation = organisation_of(uow, uuid.UUID(unit_id))
        if organisation_id is not None:
            return organisation_id
    raise directory.Forbidden(_("Only the organisation department manages the forms' templates."))


def active_template(uow: UnitOfWork, organisation_id, kind: str) -> bytes:
    content = uow.session.execute(sa.select(form_templates.c.content).where(
        form_templates.c.organisation_id == organisation_id, form_templates.c.kind == kind,
        form_templates.c.active.is_(True))).scalar() if organisation_id else None
    return content if content is not None else rendering.default_template(kind)


def _versions(uow: UnitOfWork, organisation_id, kind: str) -> list[dict]:
    rows = uow.session.execute(sa.select(*[c for c in form_templates.c if c.name != "content"]).where(
        form_templates.c.organisation_id == organisation_id, form_templates.c.kind == kind)
        .order_by(form_templates.c.version.desc())).all()
    return [dict(r._mapping) | {"uploaded_by_name": person_name(uow, r.uploaded_by)} for r in rows]


def list_kinds(uow: UnitOfWork, identity: Identity) -> list[dict]:
    """Every form with its fields and the version in use (0: the suite's default)."""
    organisation_id = _organisation_managed(uow, identity)
    active = dict(uow.session.execute(sa.select(form_templates.c.kind, form_templates.c.version).where(
        form_templates.c.organisation_id == organisation_id, form_templates.c.active.is_(True))).all())
    return [{"code": k.code, "zh": k.zh, "en": k.en, "asks": list(k.asks),
             "fields": sorted(k.fields | domain.COMMON_FIELDS), "active_version": active.get(k.code, 0)}
            for k in domain.FORM_KINDS.values()]


def list_versions(uow: UnitOfWork, identity: Identity, kind: domain.FormKind, limit: int,
                  offset: int) -> tuple[list[dict], int]:
    """A page of the organisation's versions of a form's template, newest first, and how many there are."""
    versions = _versions(uow, _organisation_managed(uow, identity), kind.code)
    return versions[offset:offset + limit], len(versions)


def upload_template(uow: UnitOfWork, identity: Identity, kind: domain.FormKind, content: bytes,
                    filename: str) -> dict:
    """A new version, not yet in use: preview it, then activate it. Refused, naming them, when it uses fields
    the form does not have."""
    organisation_id = _organisation_managed(uow, identity)
    used = rendering.template_fields(content)
    domain.check_template(kind, used)
    # The versions of one form are numbered in turn; the lock keeps two uploads from taking one number.
    uow.session.execute(sa.select(units.c.id).where(units.c.id == organisation_id).with_for_update())
    latest = uow.session.execute(sa.select(sa.func.max(form_templates.c.version)).where(
        form_templates.c.organisation_id == organisation_id, form_templates.c.kind == kind.code)).scalar() or 0
    uow.session.execute(form_templates.insert().values(
        id=uuid.uuid4(), organisation_id=organisation_id, kind=kind.code, version=latest + 1,
        filename=(filename or f"{kind.code}.docx")[:200], content=content, fields=sorted(used), active=False,
        uploaded_by=uuid.UUID(identity.subject), uploaded_at=datetime.now(timezone.utc)))
    return _version(uow, organisation_id, kind.code, latest + 1)


def _version(uow: UnitOfWork, organisation_id, kind: str, version: int) -> dict:
    found = [v for v in _versions(uow, organisation_id, kind) if v["version"] == version]
    if not found:
        raise directory.NotFound(_("No such template version."))
    return found[0]


def activate_version(uow: UnitOfWork, identity: Identity, kind: domain.FormKind, version: int) -> dict:
    """Use this version from now on (an older one: revert to it); version 0 is the suite's default."""
    organisation_id = _organisation_managed(uow, identity)
    uow.session.execute(sa.select(units.c.id).where(units.c.id == organisation_id).with_for_update())
    if version:
        _version(uow, organisation_id, kind.code, version)
    where = (form_templates.c.organisation_id == organisation_id, form_templates.c.kind == kind.code)
    uow.session.execute(form_templates.update().where(*where).values(active=False))
    if version:
        uow.session.execute(form_templates.update().where(*where, form_templates.c.version == version)
                            .values(active=True))
    return next(k for k in list_kinds(uow, identity) if k["code"] == kind.code)


def template_file(uow: UnitOfWork, identity: Identity, kind: domain.FormKind, version: int) -> bytes:
    organisation_id = _organisation_managed(uow, identity)
    if not version:
        return rendering.default_template(kind.code)
    content = uow.session.execute(sa.select(form_templates.c.content).where(
        form_templates.c.organisation_id == organisation_id, form_templates.c.kind == kind.code,
        form_templates.c.version == version)).scalar()
    if content is None:
        raise directory.NotFound(_("No such template version."))
    return content


def preview(uow: UnitOfWork, identity: Identity, kind: domain.FormKind, version: int) -> bytes:
    """Page 1 of the version rendered with sample data, as PNG: what a print of it will look like."""
    template = template_file(uow, identity, kind, version)
    _organisation_id, organisation = organisation_of(uow, _organisation_managed(uow, identity))
    context = SAMPLES[kind.code] | {"organisation": organisation, "printed_on": _day(datetime.now(timezone.utc))}
    if "rating_url" in context:
        context["qr_code"] = rendering.qr_png(context["rating_url"])
    document = rendering.render_docx(template, context, kind.picture_cm)
    return rendering.pdf_first_page_png(rendering.docx_to_pdf(document))
