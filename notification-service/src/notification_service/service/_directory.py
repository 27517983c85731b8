"""What the event handlers (delivery.py, alerts.py) read once per unit of work, a consumer's batch: the directory
projection (``_EventDirectory``) and, read the same way, people's choices and units' robots."""
from __future__ import annotations

import uuid
from typing import Callable

import sqlalchemy as sa

from pacesetter_shared.directory import DirectoryView, persons, windows
from pacesetter_shared.uow import UnitOfWork

from ..adapters.repository import PreferenceRepository, RobotRepository
from ..domain.preferences import Preferences
from ..domain.webhook import Robot


class _EventDirectory(DirectoryView):
    """The projection as a unit of work reads it: recipients, names, language and e-mail each ask for the
    same person or unit again (six reads of one person per notice), and the events of a consumer's batch
    for the same branch and secretaries again, so each is read once per unit of work. The directory's own
    handlers drop what was read (``forget``): an event after a directory change in the batch sees it."""

    MEMO = "notification.directory"

    def __init__(self, uow: UnitOfWork):
        super().__init__(uow.session)
        memo = uow.memo.setdefault(self.MEMO, {"people": {}, "units": {}, "holders": {}, "windows": {}})
        self._people, self._units, self._holders = memo["people"], memo["units"], memo["holders"]
        self._windows = memo["windows"]

    @classmethod
    def forget(cls, uow: UnitOfWork) -> None:
        uow.memo.pop(cls.MEMO, None)

    def read_people(self, person_ids) -> None:
        """Rows of all these people in one query (absent ones remembered as absent)."""
        missing = [p for p in dict.fromkeys(person_ids) if p not in self._people]
        if missing:
            found = {r.id: r for r in self.session.execute(sa.select(persons).where(persons.c.id.in_(missing)))}
            self._people.update({p: found.get(p) for p in missing})

    def person(self, person_id):
        if person_id not in self._people:
            self._people[person_id] = super().person(person_id)
        return self._people[person_id]

    def unit(self, unit_id):
        if unit_id not in self._units:
            self._units[unit_id] = super().unit(unit_id)
        return self._units[unit_id]

    def window(self, window_id):
        """A service window of the projection (its name titles a group of notices about it)."""
        if window_id not in self._windows:
            self._windows[window_id] = self.session.execute(
                sa.select(windows).where(windows.c.id == window_id)).first()
        return self._windows[window_id]

    def holders(self, role: str, unit_ids) -> list:
        key = (role, tuple(unit_ids))
        if key not in self._holders:
            self._holders[key] = super().holders(role, unit_ids)
            # the rows are whole persons: the secretaries' language and e-mail need no read of their own
            for row in self._holders[key]:
                self._people.setdefault(row.id, row)
        return self._holders[key]


def _read_once(uow: UnitOfWork, key: str, ids: list[uuid.UUID], fetch: Callable[[list[uuid.UUID]], dict]) -> dict:
    """What ``fetch`` finds for ``ids``, each read once per unit of work (a consumer's batch): for what only
    the web API changes, never an event."""
    known = uow.memo.setdefault(key, {})
    missing = [i for i in dict.fromkeys(ids) if i not in known]
    if missing:
        found = fetch(missing)
        known.update({i: found.get(i) for i in missing})
    return {i: known[i] for i in ids if known[i] is not None}


def _preferences(uow: UnitOfWork, person_ids: list[uuid.UUID]) -> dict[uuid.UUID, Preferences]:
    """People's choices."""
    return _read_once(uow, "notification.preferences", person_ids, PreferenceRepository(uow.session).of)


def _robots(uow: UnitOfWork, unit_ids: list[uuid.UUID]) -> dict[uuid.UUID, Robot]:
    """Units' chat robots."""
    return _read_once(uow, "notification.robots", unit_ids, RobotRepository(uow.session).of_units)
