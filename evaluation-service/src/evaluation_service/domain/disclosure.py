"""Which aggregates of the masses' ratings may be shown, so that no two of them give a small group away.

Plain Python. Every answer the service gives about window ratings — a unit's, a window's or a member
on duty's counts for a day, week, month or year, and a unit's satisfaction by hour of day or weekday
over a month or a year — is a union of *cells*: the ratings of one window, one member on duty (or
none), one Shanghai day and one hour. The guard works out, for the whole organisation and one
calendar year at once (no period spans two years), which answers show, so that every caller sees the same decision (互补抑制,
complementary suppression):

1. an answer with fewer than ``min_group`` ratings is hidden;
2. two shown answers, one inside the other (its cells a subset), never differ by 1 … ``min_group``-1
   ratings: the smaller one is hidden — a month minus a day, a unit minus its window, a window minus
   its only member on duty, a week that happens to lie inside a month;
3. a shown answer minus all its shown parts of one kind (a unit's windows, a month's days, a
   window's members, a month's hours) never leaves 1 … ``min_group``-1 ratings: the smallest shown
   parts are hidden until it does not.

The rules only ever hide, so they are applied again until nothing changes. Containment is judged on
the cells that hold ratings, because an empty period shows as absent and an attacker knows it.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

from .ratings import Granularity, LevelCounts, bucket_of


@dataclass(frozen=True)
class Cell:
    """The finest grain of the ratings: one window, one member on duty (None: none named), one day, one hour."""

    window: object
    on_duty: object | None
    day: date
    hour: int


# An answer's key: (scope kind, scope id, granularity, period start) for counts; for the rhythm
# tables ("hour" | "weekday", unit id, "month" | "year", period start, hour 0–23 | ISO weekday 1–7).
AnswerKey = tuple

RHYTHM_SPANS = (Granularity.MONTH, Granularity.YEAR)


@dataclass(frozen=True)
class Organisation:
    """Where windows sit: each window's unit, each unit's parent (None at the top)."""

    window_unit: Mapping[object, object]
    parent: Mapping[object, object | None]
    _chains: dict = field(default_factory=dict, compare=False, repr=False)  # asked once per cell: kept

    def units_over(self, window) -> list:
        if window not in self._chains:
            chain, unit, seen = [], self.window_unit.get(window), set()
            while unit is not None and unit not in seen:
                chain.append(unit)
                seen.add(unit)
                unit = self.parent.get(unit)
            self._chains[window] = chain
        return self._chains[window]

    def depth(self, unit) -> int:
        depth, seen = 0, set()
        while self.parent.get(unit) is not None and unit not in seen:
            seen.add(unit)
            unit, depth = self.parent[unit], depth + 1
        return depth


def answers_of(cell: Cell, organisation: Organisation, year: int | None = None) -> Iterable[AnswerKey]:
    """Every answer the cell counts in; with ``year``, only if the cell lies in that year (no period
    spans two years: a year's family of answers shares no rating with another's)."""
    units = organisation.units_over(cell.window)
    scopes = [("window", cell.window)] + [("unit", u) for u in units]
    if cell.on_duty is not None:
        scopes.append(("on_duty", cell.on_duty))
    if year is not None and cell.day.year != year:
        return
    periods, spans, weekday = _periods(cell.day)
    for granularity, start in periods:
        for kind, key in scopes:
            yield (kind, key, granularity, start)
    for span, start in spans:
        for unit in units:
            yield ("hour", unit, span, start, cell.hour)
            yield ("weekday", unit, span, start, weekday)


@lru_cache(maxsize=1024)
def _periods(day: date) -> tuple:
    """A day's periods, its rhythm spans and weekday: asked for every cell, the same for every cell of a day."""
    return (tuple((g, bucket_of(day, g)) for g in Granularity.ALL),
            tuple((span, bucket_of(day, span)) for span in RHYTHM_SPANS), day.isoweekday())


def _kind(key: AnswerKey, organisation: Organisation) -> tuple:
    """Answers of one kind never share a rating, so they can be the parts of a larger answer."""
    if key[0] in ("hour", "weekday"):
        return (key[0], organisation.depth(key[1]), key[2])
    if key[0] == "unit":
        return ("unit", organisation.depth(key[1]), key[2])
    return (key[0], key[2])


@dataclass
class Disclosure:
    """The guard's decision for a family of answers: how many ratings each holds, and which of them show."""

    totals: dict[AnswerKey, int]
    shown: set[AnswerKey]
    _members: dict[AnswerKey, set[int]]  # the numbers of each answer's cells
    _cells: list[Cell]
    _packed: dict[AnswerKey, int]  # each answer's counts per level, packed (see _pack)

    def cells_of(self, key: AnswerKey) -> frozenset[Cell]:
        """Which cells an answer holds (worked out when asked: few callers need it)."""
        return frozenset(self._cells[i] for i in self._members.get(key, ()))

    def counts_of(self, key: AnswerKey) -> LevelCounts:
        """An answer's counts per level, shown or not (for the guard's own checks and tests)."""
        return LevelCounts(_unpack(self._packed.get(key, 0)))

    def get(self, key: AnswerKey) -> LevelCounts | None:
        """The counts when shown; None when hidden or when there is nothing (look at ``exists``)."""
        return self.counts_of(key) if key in self.shown else None

    def exists(self, key: AnswerKey) -> bool:
        return key in self.totals


# An answer's counts per level are added up for every cell it holds: millions of additions for a year.
# Packed into one integer, a field of _FIELD bits per level, they take one addition each, as the total does.
_FIELD = 40
_MASK = (1 << _FIELD) - 1


def _pack(counts: Mapping[int, int]) -> int:
    return sum(n << (_FIELD * (level - 1)) for level, n in counts.items())


def _unpack(packed: int) -> dict[int, int]:
    return {level: n for level in range(1, 6) if (n := (packed >> (_FIELD * (level - 1))) & _MASK)}


def disclose(cells: Mapping[Cell, Mapping[int, int]], organisation: Organisation, min_group: int,
             year: int | None = None) -> Disclosure:
    """The answers over ``cells`` (counts per level in each cell) and which of them may show; with
    ``year``, only over the cells of that year."""
    # Windows, units and members are numbered first: UUIDs hash in Python, small ints in C.
    number: dict = {}
    names: list = []

    def n(value):
        if value is None:
            return None
        if value not in number:
            number[value] = len(names)
            names.append(value)
        return number[value]

    local = Organisation({n(w): n(u) for w, u in organisation.window_unit.items()},
                         {n(u): n(p) for u, p in organisation.parent.items()})
    members: dict[AnswerKey, set[int]] = defaultdict(set)  # answer -> the numbers of its cells
    total: dict[AnswerKey, int] = defaultdict(int)
    packed: dict[AnswerKey, int] = defaultdict(int)
    by_cell: list[list[AnswerKey]] = []
    originals: list[Cell] = []
    for cell, counts in cells.items():
        size = sum(counts.values())
        if not size:
            continue
        keys = list(answers_of(Cell(n(cell.window), n(cell.on_duty), cell.day, cell.hour), local, year))
        if not keys:
            continue
        index = len(originals)
        originals.append(cell)
        by_cell.append(keys)
        levels = _pack(counts)
        for key in keys:
            members[key].add(index)
            total[key] += size
            packed[key] += levels

    # Which answers hold which: candidates share the answer's first cell, then the subset test.
    inside: dict[AnswerKey, list[AnswerKey]] = defaultdict(list)  # container -> answers within it
    holders: dict[AnswerKey, list[AnswerKey]] = {}  # answer -> answers holding it
    for key, own in members.items():
        size = total[key]
        holders[key] = [other for other in by_cell[next(iter(own))]
                        if other != key and total[other] >= size
                        and (total[other] > size or other < key)  # equal sets: one holds the other
                        and own <= members[other]]
        for other in holders[key]:
            inside[other].append(key)

    kinds = {key: _kind(key, local) for key in total}
    shown = {key for key, size in total.items() if size >= min_group}
    largest_first = sorted(total, key=lambda k: (-total[k], k))
    changed = True
    while changed:
        changed = False
        # rule 2: of two nested answers differing by too few ratings, the smaller hides
        for key in largest_first:
            if key in shown and any(other in shown and total[other] - total[key] < min_group
                                    and total[other] > total[key] for other in holders[key]):
                shown.discard(key)
                changed = True
        # rule 3: what a shown answer's hidden parts of one kind add up to is 0 or a large enough group
        for key in largest_first:
            if key not in shown:
                continue
            parts: dict[tuple, list[AnswerKey]] = defaultdict(list)
            for part in inside[key]:
                if part in shown and kinds[part] != kinds[key]:
                    parts[kinds[part]].append(part)
            for kind, visible in parts.items():
                hidden = total[key] - sum(total[p] for p in visible)
                if not 0 < hidden < min_group:
                    continue
                visible.sort(key=lambda p: (total[p], p))
                while 0 < hidden < min_group and visible:
                    smallest = visible.pop(0)
                    shown.discard(smallest)
                    hidden += total[smallest]
                    changed = True

    def named(key: AnswerKey) -> AnswerKey:
        return (key[0], names[key[1]], *key[2:])

    return Disclosure({named(k): size for k, size in total.items()}, {named(k) for k in shown},
                      {named(k): own for k, own in members.items()}, originals,
                      {named(k): value for k, value in packed.items()})


def revealed_by_two(disclosure: Disclosure, min_group: int) -> list:
    """The attack, for tests and audits: every pair of shown answers, one inside the other, whose
    difference is a group of 1 … ``min_group``-1 ratings. Empty when the guard holds."""
    shown = sorted(disclosure.shown, key=str)
    cells = {key: disclosure.cells_of(key) for key in shown}
    found = []
    for big in shown:
        for small in shown:
            if big == small or not cells[small] <= cells[big]:
                continue
            difference = disclosure.totals[big] - disclosure.totals[small]
            if 0 < difference < min_group:
                found.append((big, small, difference))
    return found
