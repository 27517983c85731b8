"""评价二维码: each window's rating link, and what an online rating must show before it is stored.

An online rating (a phone, no login) proves it was given at the window by the token of the link printed
there; the organisation department rotates it, and the old link stops working at once. Whoever a rating
names as on duty must have served the window, and one window takes only so many online ratings in a span —
counted in the database, so that every process of the service agrees.
"""
from __future__ import annotations

import hmac
import math
import secrets
import uuid
from datetime import datetime, timezone

import sqlalchemy as sa

from pacesetter_shared import directory
from pacesetter_shared.db import dialect_insert, insert_ignoring, is_postgres
from pacesetter_shared.directory import DirectoryView, persons, windows
from pacesetter_shared.i18n import _
from pacesetter_shared.identity import Identity
from pacesetter_shared.uow import UnitOfWork

from ..adapters.tables import duty_departures, rating_links, window_ratings
from ..domain.model import EvaluationError
from ..domain.ratings import IntakeRule
from .rounds import Forbidden, NotFound

_SECRETARIES = ("general_branch_secretary", "branch_secretary")


class LinkRefused(EvaluationError):
    """An online rating, or the public page, without the window's current link token."""


class TooManyRatings(EvaluationError):
    """The window has taken its online ratings for the span; ``retry_after`` seconds until one more fits."""

    def __init__(self, message: str, retry_after: int):
        super().__init__(message, {"window_id": [_("too many online ratings")]})
        self.retry_after = retry_after


def link_path(window_id, token: str) -> str:
    """The portal's public rating page, as the QR code printed at the window carries it."""
    return f"/rate/{window_id}?t={token}"


def _window(uow: UnitOfWork, window_id):
    row = uow.session.execute(sa.select(windows).where(windows.c.id == window_id)).first()
    if row is None:
        raise NotFound(_("No such service window."))
    return row


def _answer(window_id, row) -> dict:
    return {"window_id": window_id, "token": row.token, "url": link_path(window_id, row.token),
            "rotated_at": row.rotated_at}


def _may_manage(uow: UnitOfWork, identity: Identity, window) -> bool:
    """Who prints a window's link: who manages the window in the directory (the organisation department, ops)
    and the secretaries of its unit and of the units above it, as for its cases and satisfaction."""
    if identity.kind != "person":
        return False
    if identity.has_role("org_department") or identity.has_role("ops_admin"):
        return True
    return any(identity.has_role(role, str(unit.id)) for unit in DirectoryView(uow.session).ancestors(window.unit_id)
               for role in _SECRETARIES)


def current_link(uow: UnitOfWork, identity: Identity, window_id, now: datetime | None = None) -> dict:
    """The window's link, made on first asking: no link exists before someone can print it."""
    window = _window(uow, window_id)
    if not _may_manage(uow, identity, window):
        raise Forbidden(_("Only those who manage the window see its rating link."))
    uow.session.execute(insert_ignoring(uow.session, rating_links, "window_id"), {
        "window_id": window_id, "token": secrets.token_urlsafe(24), "rotated_at": now or datetime.now(timezone.utc),
        "rotated_by": None})
    return _answer(window_id, uow.session.execute(
        sa.select(rating_links).where(rating_links.c.window_id == window_id)).one())


def rotate_link(uow: UnitOfWork, identity: Identity, window_id, now: datetime | None = None) -> dict:
    """A new token (组织部): the link printed before stops working at once, e.g. when one was copied off."""
    if not identity.has_role("org_department"):
        raise Forbidden(_("Only the organisation department renews a window's rating link."))
    _window(uow, window_id)
    values = {"token": secrets.token_urlsafe(24), "rotated_at": now or datetime.now(timezone.utc),
              "rotated_by": uuid.UUID(identity.subject)}
    uow.session.execute(dialect_insert(uow.session, rating_links).values(window_id=window_id, **values)
                        .on_conflict_do_update(index_elements=["window_id"], set_=values))
    return _answer(window_id, uow.session.execute(
        sa.select(rating_links).where(rating_links.c.window_id == window_id)).one())


def check_link(uow: UnitOfWork, window_id, token: str | None, *, lock: bool = False) -> None:
    """The token of the window's current link, or the request is refused. ``lock``: hold the link's row until
    the rating is stored, so that two online ratings of one window are counted one after the other."""
    if not token:
        raise LinkRefused(_("Rate a window by scanning the QR code at its counter: an online rating needs "
                            "the window's rating link."), {"link_token": [_("required")]})
    query = sa.select(rating_links.c.token).where(rating_links.c.window_id == window_id)
    if lock and is_postgres(uow.session.get_bind()):
        query = query.with_for_update()
    current = uow.session.execute(query).scalar()
    if current is None or not hmac.compare_digest(current.encode(), str(token).encode()):
        raise LinkRefused(_("This rating link is no longer valid: scan the QR code at the window again."),
                          {"link_token": [_("not the window's current link")]})


def check_room(uow: UnitOfWork, window_id, now: datetime, rule: IntakeRule, pending: int = 0) -> None:
    """One more online rating of the window fits under its cap (``pending``: taken in this request already)."""
    room = rule.window_online_max - pending
    since = now - rule.window_online_span
    if room > 0:
        # the room-th newest online rating of the span: while it is in the span, the window is full
        oldest = uow.session.execute(
            sa.select(window_ratings.c.received_at)
            .where(window_ratings.c.window_id == window_id, window_ratings.c.source == "online",
                   window_ratings.c.received_at > since)
            .order_by(window_ratings.c.received_at.desc()).offset(room - 1).limit(1)).scalar()
        if oldest is None:
            return
        wait = (oldest - since).total_seconds()
    else:
        wait = rule.window_online_span.total_seconds()
    seconds = max(1, math.ceil(wait))
    raise TooManyRatings(_("This window has had many online ratings just now; try again in {seconds} s.",
                           seconds=seconds), seconds)


def serving(uow: UnitOfWork, window, since: datetime, person_id) -> set[str]:
    """Who may be named on duty at the window for a rating given at ``since``: those on duty and its responsible
    person as the directory last said, and whoever left its duty since (a kiosk's queue may name them)."""
    people = {str(p) for p in window.on_duty_ids} | ({str(window.responsible_id)} if window.responsible_id else set())
    if person_id is not None and str(person_id) not in people:  # rare: read the departures only then
        people |= {str(p) for p in uow.session.execute(
            sa.select(duty_departures.c.person_id).where(duty_departures.c.window_id == window.id,
                                                         duty_departures.c.left_at >= since)).scalars()}
    return people


def public_window(uow: UnitOfWork, window_id, token: str) -> dict:
    """What the public rating page shows, to the holder of the window's current link only: the window's
    name and the names of those on duty (their ids, to name one in the rating; nothing else of them)."""
    window = uow.session.execute(sa.select(windows).where(windows.c.id == window_id)).first()
    if window is None or not window.active:
        raise NotFound(_("No such service window."))
    check_link(uow, window_id, token)
    on_duty = [uuid.UUID(p) for p in window.on_duty_ids]
    names = dict(uow.session.execute(sa.select(persons.c.id, persons.c.name).where(
        persons.c.id.in_(on_duty), persons.c.active.is_(True))).all()) if on_duty else {}
    return {"window_id": window.id, "name": window.name, "location": window.location,
            "on_duty": [{"id": p, "name": names[p]} for p in on_duty if p in names]}


def on_window_upserted(uow: UnitOfWork, envelope, data: dict) -> None:
    """The directory's projection, and who left the window's duty with this change, and when."""
    before = uow.session.execute(sa.select(windows.c.on_duty_ids, windows.c.responsible_id, windows.c.revision)
                                 .where(windows.c.id == data["window_id"])).first()
    directory.on_window_upserted(uow, envelope, data)
    if before is None or before.revision >= data["revision"]:
        return

    def people(on_duty_ids, responsible_id) -> set[str]:
        return {str(p) for p in on_duty_ids} | ({str(responsible_id)} if responsible_id else set())

    left = people(before.on_duty_ids, before.responsible_id) - people(data["on_duty_ids"], data["responsible_id"])
    for person_id in sorted(left):
        values = {"left_at": envelope.occurred_at}
        uow.session.execute(dialect_insert(uow.session, duty_departures).values(
            window_id=data["window_id"], person_id=uuid.UUID(person_id), **values)
            .on_conflict_do_update(index_elements=["window_id", "person_id"], set_=values))
