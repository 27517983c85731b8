"""Use cases of the masses' ratings of windows (即时评价) and their follow-up (差评整改)."""
from __future__ import annotations

import uuid
from datetime import datetime, time, timezone

import sqlalchemy as sa

from pacesetter_shared.directory import DirectoryView, windows
from pacesetter_shared.i18n import _
from pacesetter_shared.identity import Identity
from pacesetter_shared.uow import UnitOfWork, UnitOfWorkFactory
from pacesetter_shared.workdays import DEFAULT_END_OF_DAY, WorkingCalendar
from pacesetter_shared.working_calendar import calendar_in_force

from . import rating_links
from .adapters.rating_rows import insert_ratings
from .adapters.tables import followup_cases, tag_sets
from .domain.model import EvaluationError, InvalidEvaluation
from .domain.ratings import (
    FOLLOWUP_WORKING_DAYS, UNCLOSED_CASE_STATES, IntakeRule, KioskForAnotherWindow, RatingRejected, WindowRating,
    check_on_duty, check_tag_set, followup_deadline,
)
from .rounds import Forbidden, NotFound

DEFAULT_INTAKE = IntakeRule()


class UnknownWindow(EvaluationError):
    pass


class CaseClosed(EvaluationError):
    pass


def current_tag_set(uow: UnitOfWork):
    return uow.session.execute(sa.select(tag_sets).order_by(tag_sets.c.version.desc()).limit(1)).first()


def publish_tag_set(uow: UnitOfWork, identity: Identity, tags: dict, now: datetime | None = None):
    """The organisation department publishes a new version; ratings keep the version they were given under."""
    if not identity.has_role("org_department"):
        raise Forbidden(_("Only the organisation department maintains the reason tags."))
    tags = check_tag_set(tags)
    version = current_tag_set(uow).version + 1
    uow.session.execute(sa.insert(tag_sets).values(version=version, tags=tags, created_by=uuid.UUID(identity.subject),
                                                   created_at=now or datetime.now(timezone.utc)))
    return current_tag_set(uow)


_LATEST_TAGS = sa.select(tag_sets.c.version, tag_sets.c.tags).order_by(tag_sets.c.version.desc()).limit(1).subquery()
# built once: making the subquery and its join again for every single rating cost more CPU than running it
_WINDOW_WITH_CURRENT_TAGS = sa.select(_LATEST_TAGS, windows).select_from(
    _LATEST_TAGS.outerjoin(windows, windows.c.id == sa.bindparam("window_id", type_=windows.c.id.type)))


class _Batch:
    """What one request needs again and again: windows and tag sets, read once."""

    def __init__(self, uow: UnitOfWork, identity: Identity, now: datetime, followup_days: int = FOLLOWUP_WORKING_DAYS,
                 window_id=None, intake: IntakeRule = DEFAULT_INTAKE, end_of_day: time = DEFAULT_END_OF_DAY):
        self.uow, self.identity, self.now, self.followup_days = uow, identity, now, followup_days
        self.end_of_day = end_of_day
        self.intake = intake
        self._windows: dict = {}
        self._online: dict = {}  # online ratings taken per window in this request, not yet in the database
        if window_id is None:
            current = current_tag_set(uow)
        else:  # the window known before the ratings are read: with the current tag set, one round trip
            current = uow.session.execute(_WINDOW_WITH_CURRENT_TAGS, {"window_id": window_id}).first()
            self._windows[window_id] = current if current.id is not None else None
        self.current_version = current.version
        self._tags: dict = {current.version: current.tags}  # read already: no second query for it

    def window(self, window_id):
        if window_id not in self._windows:
            self._windows[window_id] = self.uow.session.execute(
                sa.select(windows).where(windows.c.id == window_id)).first()
        return self._windows[window_id]

    def tags(self, version: int):
        if version not in self._tags:
            row = self.uow.session.execute(sa.select(tag_sets.c.tags).where(tag_sets.c.version == version)).first()
            self._tags[version] = row.tags if row else None
        return self._tags[version]

    def check(self, item: dict) -> tuple:
        """Every rule of one rating, nothing written: its window, the rating, and the row to store."""
        kiosk = self.identity.kind == "kiosk"
        if kiosk and not self.identity.window_id:
            raise KioskForAnotherWindow(_("This kiosk is bound to no window."), {"window_id": [_("the kiosk has none")]})
        window_id = item.get("window_id") or (uuid.UUID(self.identity.window_id) if kiosk else None)
        if window_id is None:
            raise RatingRejected(_("Say which window you rate."), {"window_id": [_("required")]})
        if kiosk and str(window_id) != self.identity.window_id:
            raise KioskForAnotherWindow(_("A kiosk rates only its own window."), {"window_id": [str(window_id)]})
        window = self.window(window_id)
        if window is None or not window.active:
            raise UnknownWindow(_("No such service window."), {"window_id": [_("no window {window_id}", window_id=window_id)]})
        if not kiosk:  # a kiosk proves its window by its credential, anyone else by the link printed there
            rating_links.check_link(self.uow, window.id, item.get("link_token"), lock=True)
        version = item.get("tag_set_version") or self.current_version
        tags = self.tags(version)
        if tags is None:
            raise RatingRejected(_("Unknown tag set version."), {"tag_set_version": [str(version)]})
        rating = WindowRating.given(item["level"], item.get("reasons"), version, tags)
        rated_at = item.get("rated_at") or self.now
        self.intake.check_rated_at(rated_at, self.now, kiosk=kiosk)
        on_duty_id = item.get("on_duty_id")
        check_on_duty(on_duty_id, rating_links.serving(self.uow, window, rated_at, on_duty_id))
        if not kiosk:
            taken = self._online.get(window.id, 0)
            rating_links.check_room(self.uow, window.id, self.now, self.intake, taken)
            self._online[window.id] = taken + 1
        values = {
            "window_id": window.id, "unit_id": window.unit_id, "source": "kiosk" if kiosk else "online",
            # not the device: a kiosk's random client ids keep its ratings apart, and no device is tied to one
            "origin": "kiosk" if kiosk else "online", "client_id": item["client_id"],
            "level": int(rating.level), "reasons": list(rating.reasons), "tag_set_version": version,
            "on_duty_id": on_duty_id, "rated_at": rated_at, "received_at": self.now,
        }
        return window, rating, values

    def answer(self, items: list[tuple[dict, object, WindowRating, object]]) -> list[dict]:
        """Each stored rating's answer; the bad ones' follow-up cases opened together, one INSERT for all."""
        cases = [case_row(window, int(rating.level), list(rating.reasons), self.now, rating_id=rating_id,
                          working_days=self.followup_days, calendar=calendar_in_force(self.uow, self.end_of_day))
                 for _item, window, rating, rating_id in items if rating_id is not None and rating.negative]
        case_ids = iter(open_cases(self.uow, cases))
        answers = []
        for item, _window, rating, rating_id in items:
            if rating_id is None:  # sent before: the first copy counts, this one does not
                answers.append({"client_id": item["client_id"], "status": "duplicate"})
            else:
                answers.append({"client_id": item["client_id"], "status": "accepted", "rating_id": rating_id,
                                "case_id": next(case_ids) if rating.negative else None})
        return answers

    def rate(self, item: dict) -> dict:
        """One rating: stored once per (window, origin, client id); a bad one opens a follow-up case."""
        window, rating, values = self.check(item)
        return self.answer([(item, window, rating, insert_ratings(self.uow.session, [values])[0])])[0]


def case_row(window, level: int, reasons: list[str], now: datetime, *, rating_id=None, suggestion_id=None,
             unit_id=None, responsible_id=None, working_days: int = FOLLOWUP_WORKING_DAYS,
             calendar: WorkingCalendar | None = None) -> dict:
    """差评整改: the window's responsible person (or, for a complaint to a unit without a window, the
    unit's branch secretary) answers within the working days set."""
    return {"id": uuid.uuid4(), "rating_id": rating_id, "suggestion_id": suggestion_id,
            "window_id": window.id if window is not None else None,
            "unit_id": window.unit_id if window is not None else unit_id,
            "responsible_id": window.responsible_id if window is not None else responsible_id,
            "source": "rating" if rating_id is not None else "suggestion", "level": level, "reasons": reasons,
            "state": "open", "deadline": followup_deadline(now, working_days, calendar), "opened_at": now}


_PLACE = ("window_id", "unit_id", "responsible_id", "source")  # what one feedback.negative's cases share


def open_cases(uow: UnitOfWork, cases: list[dict]) -> list[uuid.UUID]:
    """The cases in one INSERT, announced in one feedback.negative per place and source: a kiosk's batch with
    five bad ratings is one event and one notice, not five. Each case keeps its own deadline (closed or
    escalated on its own, by its own events)."""
    if cases:
        uow.session.execute(sa.insert(followup_cases), cases)
    places: dict[tuple, list[dict]] = {}
    for case in cases:
        places.setdefault(tuple(case[k] for k in _PLACE), []).append(case)
    for place, opened in places.items():
        facts = dict(zip(_PLACE, place))
        uow.record("feedback.negative", facts["window_id"] or facts["unit_id"], {**facts, "cases": [
            {"case_id": case["id"], **{k: case[k] for k in ("level", "reasons", "deadline")}} for case in opened]})
    return [case["id"] for case in cases]


def open_case(uow: UnitOfWork, window, level: int, reasons: list[str], now: datetime, **facts) -> uuid.UUID:
    return open_cases(uow, [case_row(window, level, reasons, now, **facts)])[0]


def rate_window(uow: UnitOfWork, identity: Identity, item: dict, now: datetime | None = None,
                followup_days: int = FOLLOWUP_WORKING_DAYS, intake: IntakeRule = DEFAULT_INTAKE,
                end_of_day: time = DEFAULT_END_OF_DAY) -> dict:
    """One rating, from a kiosk or online; a broken rule is the request's error."""
    window_id = item.get("window_id") or (uuid.UUID(identity.window_id) if identity.window_id else None)
    return _Batch(uow, identity, now or datetime.now(timezone.utc), followup_days, window_id, intake,
                  end_of_day).rate(item)


def rate_windows(uow: UnitOfWork, identity: Identity, items: list[tuple[dict | None, dict]],
                 now: datetime | None = None, followup_days: int = FOLLOWUP_WORKING_DAYS,
                 intake: IntakeRule = DEFAULT_INTAKE, end_of_day: time = DEFAULT_END_OF_DAY) -> dict:
    """A kiosk's batch, in this one transaction: each item accepted, a duplicate, or rejected with why.

    ``items`` pairs each loaded rating with its validation errors (one of the two is empty).
    """
    # a kiosk rates its own window only: read with the current tag set, one round trip for both
    own_window = uuid.UUID(identity.window_id) if identity.kind == "kiosk" and identity.window_id else None
    batch = _Batch(uow, identity, now or datetime.now(timezone.utc), followup_days, own_window, intake, end_of_day)
    answers: list = [None] * len(items)
    checked = []
    for index, (item, errors) in enumerate(items):
        if errors:
            answers[index] = {"index": index, "client_id": (item or {}).get("client_id"), "status": "rejected",
                              "error": {"code": "validation_error", "message": _("The rating is not valid."),
                                        "details": errors}}
            continue
        try:  # every rule is checked before anything is written, so a rejected item leaves no trace
            checked.append((index, item, *batch.check(item)))
        except EvaluationError as exc:
            answers[index] = {"index": index, "client_id": item.get("client_id"), "status": "rejected",
                              "error": {"code": ERROR_CODES.get(type(exc), "rating_rejected"),
                                        "message": exc.args[0], "details": exc.details}}
    ids = insert_ratings(uow.session, [values for *_, values in checked])
    stored = batch.answer([(item, window, rating, rating_id)
                           for (_index, item, window, rating, _values), rating_id in zip(checked, ids)])
    for (index, *_rest), answer in zip(checked, stored):
        answers[index] = {"index": index, **answer}
    count = {s: sum(1 for a in answers if a["status"] == s) for s in ("accepted", "duplicate", "rejected")}
    return {**count, "items": answers}


ERROR_CODES = {UnknownWindow: "unknown_window", KioskForAnotherWindow: "forbidden",
               RatingRejected: "rating_rejected", InvalidEvaluation: "validation_error",
               rating_links.LinkRefused: "rating_link_invalid", rating_links.TooManyRatings: "too_many_requests"}


def _case_facts(case) -> dict:
    return {"case_id": case.id, "window_id": case.window_id, "unit_id": case.unit_id,
            "responsible_id": case.responsible_id, "source": case.source}


def _may_follow_up(identity: Identity, directory: DirectoryView, case) -> bool:
    """The window's responsible person, the general branch over its unit, the organisation department."""
    if identity.kind != "person":
        return False
    if case.responsible_id is not None and str(case.responsible_id) == identity.subject:
        return True
    if identity.has_role("org_department"):
        return True
    return any(identity.has_role(role, str(u.id)) for u in directory.ancestors(case.unit_id)
               for role in ("general_branch_secretary", "branch_secretary"))


# A case with its window's name: a secretary over several windows must tell which one it is about.
_CASES = sa.select(followup_cases, windows.c.name.label("window_name")).outerjoin(
    windows, windows.c.id == followup_cases.c.window_id)


# 按紧急程度: the unclosed cases first, the earliest deadline first (so the overdue ones lead), then the
# closed ones, the latest closed first
_CASE_ORDERS = {
    "urgency": (sa.case((followup_cases.c.state == "closed", 1), else_=0),
                sa.case((followup_cases.c.state != "closed", followup_cases.c.deadline)),
                followup_cases.c.closed_at.desc(), followup_cases.c.opened_at.desc()),
    "deadline": (followup_cases.c.deadline,),
    "-deadline": (followup_cases.c.deadline.desc(),),
    "opened_at": (followup_cases.c.opened_at,),
    "-opened_at": (followup_cases.c.opened_at.desc(),),
}


def list_cases(uow: UnitOfWork, identity: Identity, *, state: list[str] | str | None = None, window_id=None,
               overdue: bool | None = None, deadline_after: datetime | None = None,
               deadline_before: datetime | None = None, sort: str = "urgency", limit: int, offset: int,
               now: datetime | None = None):
    """The follow-up cases I answer for or oversee (my units and the units below), filtered, in the order
    asked for; the total counts every case that matches, not only the page."""
    now = now or datetime.now(timezone.utc)
    directory = DirectoryView(uow.session)
    query = _CASES.order_by(*_CASE_ORDERS[sort], followup_cases.c.id)
    if state:
        query = query.where(followup_cases.c.state.in_([state] if isinstance(state, str) else list(state)))
    if window_id is not None:
        query = query.where(followup_cases.c.window_id == window_id)
    if overdue is not None:  # case_overdue, as SQL
        late = sa.and_(followup_cases.c.state.in_(UNCLOSED_CASE_STATES), followup_cases.c.deadline <= now)
        query = query.where(late if overdue else sa.not_(late))
    if deadline_after is not None:
        query = query.where(followup_cases.c.deadline >= deadline_after)
    if deadline_before is not None:
        query = query.where(followup_cases.c.deadline < deadline_before)
    if not identity.has_role("org_department"):
        units = {u.id for role in ("general_branch_secretary", "branch_secretary")
                 for unit in identity.units_with(role) for u in directory.descendants(uuid.UUID(unit))}
        query = query.where(sa.or_(followup_cases.c.responsible_id == uuid.UUID(identity.subject),
                                   followup_cases.c.unit_id.in_(units)))
    total = uow.session.execute(sa.select(sa.func.count()).select_from(query.subquery())).scalar_one()
    return uow.session.execute(query.limit(limit).offset(offset)).all(), total


def get_case(uow: UnitOfWork, identity: Identity, case_id):
    """One case, for those who answer for it or oversee it (a notice links to it); to anyone else there is none."""
    case = uow.session.execute(_CASES.where(followup_cases.c.id == case_id)).first()
    if case is None or not _may_follow_up(identity, DirectoryView(uow.session), case):
        raise NotFound(_("No such follow-up case."))
    return case


def close_case(uow: UnitOfWork, identity: Identity, case_id, action_taken: str, called_back: bool,
               now: datetime | None = None):
    """整改完成: what was done, and whether the rater was called back (回访)."""
    now = now or datetime.now(timezone.utc)
    query = sa.select(followup_cases).where(followup_cases.c.id == case_id)
    if uow.session.bind.dialect.name == "postgresql":
        query = query.with_for_update()
    case = uow.session.execute(query).first()
    if case is None or not _may_follow_up(identity, DirectoryView(uow.session), case):
        raise NotFound(_("No such follow-up case."))
    if case.state == "closed":
        raise CaseClosed(_("This case is closed already."), {"state": [case.state]})
    uow.session.execute(sa.update(followup_cases).where(followup_cases.c.id == case_id).values(
        state="closed", closed_at=now, closed_by=uuid.UUID(identity.subject), action_taken=action_taken,
        called_back=called_back))
    uow.record("feedback.followup_closed", case_id, _case_facts(case) | {
        "called_back": called_back, "action_taken": action_taken})
    return uow.session.execute(_CASES.where(followup_cases.c.id == case_id)).first()


# what a case that cannot be closed answers in a batch: the code the single close would answer with
CLOSE_ERRORS = {NotFound: "not_found", CaseClosed: "case_closed"}


def close_cases(uow: UnitOfWork, identity: Identity, case_ids: list, action_taken: str, called_back: bool,
                now: datetime | None = None) -> dict:
    """批量办结: several cases with the same result, each closed exactly as ``close_case`` closes one (the same
    rules, the same event), or said why not; the others are closed all the same. Locked in the order of
    their ids, so that two batches over the same cases never wait on each other in a circle."""
    now = now or datetime.now(timezone.utc)
    outcomes = {}
    for case_id in sorted(set(case_ids), key=str):
        try:
            case = close_case(uow, identity, case_id, action_taken, called_back, now)
            outcomes[case_id] = {"id": case_id, "status": "closed", "case": case, "error": None}
        except tuple(CLOSE_ERRORS) as exc:
            outcomes[case_id] = {"id": case_id, "status": "failed", "case": None, "error": {
                "code": CLOSE_ERRORS[type(exc)], "message": exc.args[0], "details": exc.details}}
    items = [outcomes[case_id] for case_id in case_ids]
    closed = sum(1 for item in items if item["status"] == "closed")
    return {"closed": closed, "failed": len(items) - closed, "items": items}


def escalate_overdue_cases(uow_factory: UnitOfWorkFactory, now: datetime) -> int:
    """Open cases past their deadline go up to the general branch, each once (the state says so)."""
    with uow_factory() as uow:
        query = sa.select(followup_cases).where(followup_cases.c.state == "open", followup_cases.c.deadline <= now)
        if uow.session.bind.dialect.name == "postgresql":
            query = query.with_for_update(skip_locked=True)
        due = uow.session.execute(query).all()
        for case in due:
            uow.session.execute(sa.update(followup_cases).where(followup_cases.c.id == case.id)
                                .values(state="escalated", escalated_at=now))
            uow.record("feedback.followup_overdue", case.id, _case_facts(case) | {"deadline": case.deadline})
    return len(due)
