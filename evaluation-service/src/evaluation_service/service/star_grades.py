"""星级窗口 / 服务标兵 StarGrade: each window's and each member on duty's stars for a month, on demand as the ratings
stand, and recorded once the month is over (the job; evaluation.star_graded when stars are earned or change).

Every figure comes out of the anonymity guard's decision kept by ``figures`` (公开口径), as in statistics.py.
"""
from __future__ import annotations

import uuid
from datetime import date, datetime

import sqlalchemy as sa

from pacesetter_shared.directory import DirectoryView, persons, windows
from pacesetter_shared.i18n import _
from pacesetter_shared.identity import Identity
from pacesetter_shared.uow import UnitOfWork, UnitOfWorkFactory

from ..adapters.tables import star_grades
from ..domain.ratings import SHANGHAI, month_before
from ..domain.stars import StarRule
from . import figures
from .figures import FigurePolicy
from .rounds import Forbidden, NotFound
from .statistics import freshness


def star_grades_of(uow: UnitOfWork, month: date, rule: StarRule) -> list[dict]:
    """Every window's and every member on duty's stars for a month, from the figures as they stand: none
    when too few ratings or when the guard hides the month's figures."""
    window_rows = {w.id: w for w in uow.session.execute(sa.select(windows)).all()}
    grades = []
    for scope in ("window", "on_duty"):
        for figure in figures.months(uow, scope, month):
            if scope == "window":
                window = window_rows.get(figure.key)
                unit_id = window.unit_id if window else None
                responsible_id = window.responsible_id if window else None
            else:  # a member is graded in the unit where most of their ratings were given
                unit_id, responsible_id = figure.home_unit_id, figure.key
            if unit_id is None:
                continue
            shown = figure.counts
            grades.append({"scope": scope, "key": figure.key, "unit_id": unit_id, "responsible_id": responsible_id,
                           "month": month.strftime("%Y-%m"), "stars": rule.stars_for(shown) if shown else 0,
                           "ratings": shown.total if shown else None,
                           "satisfaction_rate": shown.satisfaction_rate if shown else None})
    return sorted(grades, key=lambda g: (g["scope"], -g["stars"], str(g["key"])))


def current_stars(uow: UnitOfWork, identity: Identity, *, unit_id, month: date, by: str, rule: StarRule,
                  policy: FigurePolicy) -> tuple[list[dict], dict]:
    """On demand: the month's stars as they stand, for the windows or members under a unit, with their
    ``freshness``."""
    if identity.kind != "person":  # like the ranking: every person may see a unit's stars
        raise Forbidden(_("Star grades are for people, not kiosks."))
    under = {u.id for u in DirectoryView(uow.session).descendants(unit_id)}
    if not under:
        raise NotFound(_("No such unit."))
    fresh = freshness(uow, [month.year], policy)
    return _named(uow, by, [g for g in star_grades_of(uow, month, rule)
                            if g["scope"] == by and g["unit_id"] in under]), fresh


def _named(uow: UnitOfWork, by: str, grades: list[dict]) -> list[dict]:
    """Each grade with the name of its window or member on duty, so that a list of stars reads on its own."""
    table = windows if by == "window" else persons
    keys = {uuid.UUID(str(g["key"])) for g in grades}
    names = dict(uow.session.execute(sa.select(table.c.id, table.c.name).where(table.c.id.in_(keys))).all()) \
        if keys else {}
    return [g | {"name": names.get(uuid.UUID(str(g["key"])))} for g in grades]


def star_history(uow: UnitOfWork, identity: Identity, *, unit_id, by: str, limit: int, offset: int):
    """The stars recorded month by month (the job's), newest first."""
    if identity.kind != "person":
        raise Forbidden(_("Star grades are for people, not kiosks."))
    under = [u.id for u in DirectoryView(uow.session).descendants(unit_id)]
    if not under:
        raise NotFound(_("No such unit."))
    query = sa.select(star_grades).where(star_grades.c.scope == by, star_grades.c.unit_id.in_(under))
    total = uow.session.execute(sa.select(sa.func.count()).select_from(query.subquery())).scalar_one()
    rows = uow.session.execute(query.order_by(star_grades.c.month.desc(), star_grades.c.stars.desc(),
                                              star_grades.c.key).limit(limit).offset(offset)).all()
    return _named(uow, by, [dict(r._mapping) for r in rows]), total


def grade_month(uow_factory: UnitOfWorkFactory, now: datetime, rule: StarRule, min_group: int) -> int:
    """The scheduled job: last month's stars (a month is graded once it is over), kept as history; stars
    earned, or changed by late batches and upheld appeals, are announced (evaluation.star_graded)."""
    month = month_before(now.astimezone(SHANGHAI).date().replace(day=1))
    announced = 0
    with uow_factory() as uow:
        figures.refresh(uow, month.year, min_group, now)  # exact, whatever the refresh interval
        for grade in star_grades_of(uow, month, rule):
            where = (star_grades.c.scope == grade["scope"], star_grades.c.key == grade["key"],
                     star_grades.c.month == grade["month"])
            before = uow.session.execute(sa.select(star_grades).where(*where)).first()
            if before is not None and (before.stars, before.ratings, before.satisfaction_rate) == (
                    grade["stars"], grade["ratings"], grade["satisfaction_rate"]):
                continue
            values = {"unit_id": grade["unit_id"], "stars": grade["stars"], "ratings": grade["ratings"],
                      "satisfaction_rate": grade["satisfaction_rate"], "graded_at": now}
            if before is None:
                uow.session.execute(sa.insert(star_grades).values(
                    id=uuid.uuid4(), scope=grade["scope"], key=grade["key"], month=grade["month"], **values))
            else:
                uow.session.execute(sa.update(star_grades).where(*where).values(**values))
            # news: stars earned, or stars changed; a first "no stars" tells nobody anything
            if (before is None and grade["stars"]) or (before is not None and before.stars != grade["stars"]):
                uow.record("evaluation.star_graded", grade["key"], {
                    **grade, "previous_stars": before.stars if before is not None else None, "graded_at": now})
                announced += 1
    return announced
