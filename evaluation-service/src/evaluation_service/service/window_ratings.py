"""窗口评价 WindowRating: the masses' ratings of windows (即时评价), one at a time or a kiosk's batch in one
transaction, and the reason tags they are given under (评价标签, a versioned tag set).

A bad rating opens its follow-up case (差评整改): followup_cases.py.
"""
from __future__ import annotations

import uuid
from datetime import datetime, time, timezone

import sqlalchemy as sa

from pacesetter_shared.directory import windows
from pacesetter_shared.i18n import _
from pacesetter_shared.identity import Identity
from pacesetter_shared.uow import UnitOfWork
from pacesetter_shared.workdays import DEFAULT_END_OF_DAY
from pacesetter_shared.working_calendar import COPY_AS_OF, calendar_in_force

from ..adapters.rating_rows import insert_ratings
from ..adapters.tables import tag_sets
from ..domain.model import EvaluationError, InvalidEvaluation
from ..domain.ratings import (
    FOLLOWUP_WORKING_DAYS, IntakeRule, KioskForAnotherWindow, RatingRejected, WindowRating, check_on_duty,
    check_tag_set,
)
from . import rating_links
from .followup_cases import case_row, open_cases
from .rounds import Forbidden

DEFAULT_INTAKE = IntakeRule()


class UnknownWindow(EvaluationError):
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
_WINDOW_WITH_CURRENT_TAGS = sa.select(_LATEST_TAGS, windows, COPY_AS_OF.label("calendar_as_of")).select_from(
    _LATEST_TAGS.outerjoin(windows, windows.c.id == sa.bindparam("window_id", type_=windows.c.id.type)))


_UNREAD = object()


class _Batch:
    """What one request needs again and again: windows and tag sets, read once."""

    def __init__(self, uow: UnitOfWork, identity: Identity, now: datetime, followup_days: int = FOLLOWUP_WORKING_DAYS,
                 window_id=None, intake: IntakeRule = DEFAULT_INTAKE, end_of_day: time = DEFAULT_END_OF_DAY):
        self.uow, self.identity, self.now, self.followup_days = uow, identity, now, followup_days
        self.end_of_day = end_of_day
        self.intake = intake
        # a kiosk rates its own window only (its credential says which), read once rather than per rating
        self.kiosk_window = (uuid.UUID(identity.window_id) if identity.kind == "kiosk" and identity.window_id
                             else None)
        self._windows: dict = {}
        self._last_window: tuple = (None, None)  # (the id object last asked for, its row)
        self._ratings: dict = {}  # each distinct (level, reasons, tag set version) judged once
        self._online: dict = {}  # online ratings taken per window in this request, not yet in the database
        self._calendar_as_of = {}  # not read: the calendar is read when a case needs it
        if window_id is None:
            current = current_tag_set(uow)
        else:  # the window known before the ratings are read: with the current tag set and the calendar's
            # version, one round trip
            current = uow.session.execute(_WINDOW_WITH_CURRENT_TAGS, {"window_id": window_id}).first()
            self._windows[window_id] = current if current.id is not None else None
            self._calendar_as_of = {"as_of": current.calendar_as_of}
        self.current_version = current.version
        self._tags: dict = {current.version: current.tags}  # read already: no second query for it

    def window(self, window_id):
        # a batch's items share one loaded id object (PlainLoad): no UUID hash and compare, Python calls
        # both, for each of a kiosk's hundred ratings
        if window_id is self._last_window[0]:
            return self._last_window[1]
        row = self._windows.get(window_id, _UNREAD)
        if row is _UNREAD:
            row = self._windows[window_id] = self.uow.session.execute(
                sa.select(windows).where(windows.c.id == window_id)).first()
        self._last_window = (window_id, row)
        return row

    def rating(self, level, reasons, version: int, tags) -> WindowRating:
        """The rating judged by the domain's rule, once for each distinct one: a batch repeats a few of them."""
        key = (level, tuple(reasons) if reasons else (), version)
        rating = self._ratings.get(key)
        if rating is None:
            rating = self._ratings[key] = WindowRating.given(level, reasons, version, tags)
        return rating

    def tags(self, version: int):
        if version not in self._tags:
            row = self.uow.session.execute(sa.select(tag_sets.c.tags).where(tag_sets.c.version == version)).first()
            self._tags[version] = row.tags if row else None
        return self._tags[version]

    def check(self, item: dict) -> tuple:
        """Every rule of one rating, nothing written: its window, the rating, and the row to store."""
        kiosk = self.kiosk_window is not None
        if self.identity.kind == "kiosk" and not kiosk:
            raise KioskForAnotherWindow(_("This kiosk is bound to no window."), {"window_id": [_("the kiosk has none")]})
        window_id = item.get("window_id") or self.kiosk_window
        if window_id is None:
            raise RatingRejected(_("Say which window you rate."), {"window_id": [_("required")]})
        if kiosk and window_id != self.kiosk_window:
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
        rating = self.rating(item["level"], item.get("reasons"), version, tags)
        rated_at = item.get("rated_at") or self.now
        self.intake.check_rated_at(rated_at, self.now, kiosk=kiosk)
        on_duty_id = item.get("on_duty_id")
        if on_duty_id is not None:  # most ratings name no one: no set of those serving to build for them
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
        bad = [(window, rating, rating_id) for _item, window, rating, rating_id in items
               if rating_id is not None and rating.negative]
        calendar = calendar_in_force(self.uow, self.end_of_day, **self._calendar_as_of) if bad else None
        cases = [case_row(window, int(rating.level), list(rating.reasons), self.now, rating_id=rating_id,
                          working_days=self.followup_days, calendar=calendar) for window, rating, rating_id in bad]
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
