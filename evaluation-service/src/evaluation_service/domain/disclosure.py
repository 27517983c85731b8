"""Which aggregates of the masses' ratings may be shown, so that no two of them give a small group away.

Plain Python. Every answer the service gives about window ratings — a unit's, a window's or a member
on duty's counts for a day, week, month or year, and a unit's satisfaction by hour of day or weekday
over a month or a year — is a union of *cells*: the ratings of one window, one member on duty (or
none), one Shanghai day and one hour. The guard decides, for the whole organisation and one calendar
year at once (no period spans two years), which answers show, so that every caller sees the same
decision (互补抑制, complementary suppression). An answer is hidden when

1. it holds fewer than ``min_group`` ratings;
2. an answer holding it (its cells a superset) with ``min_group`` ratings or more differs from it by
   1 … ``min_group``-1 ratings — a month minus a day, a unit minus its window, a window minus its only
   member on duty, a week that happens to lie inside a month: of two such answers the smaller never shows;
3. an answer holding it with ``min_group`` ratings or more, minus all its parts of one kind that have
   ``min_group`` ratings (a unit's windows, a month's days, a window's members, a month's hours), leaves
   1 … ``min_group``-1 ratings, and it is among the smallest of those parts, hidden until the remainder
   is a large enough group.

So whatever shows, no shown answer minus one shown part, nor minus all its shown parts of one kind,
leaves a small group: what rule 3 leaves is 0 or at least ``min_group``, and any further hidden part
adds ``min_group`` ratings or more to it. Each decision depends only on the ratings (never on the order
answers are looked at, nor on other decisions), which is what lets ``YearGuard`` work out again, when
ratings arrive, only the answers they reach, with the same decision as a pass over the whole year.
Containment is judged on the cells that hold ratings, because an empty period shows as absent and an
attacker knows it.
"""
from __future__ import annotations

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


_bucket = lru_cache(maxsize=4096)(bucket_of)


def _kind(key: AnswerKey, organisation: Organisation) -> tuple:
    """Answers of one kind never share a rating, so they can be the parts of a larger answer."""
    if key[0] in ("hour", "weekday"):
        return (key[0], organisation.depth(key[1]), key[2])
    if key[0] == "unit":
        return ("unit", organisation.depth(key[1]), key[2])
    return (key[0], key[2])


_MANY = object()  # more than one window, or member on duty

# An answer's counts per level are added up for every cell it holds: millions of additions for a year.
# Packed into one integer, a field of _FIELD bits per level, they take one addition each, as the total does.
_FIELD = 40
_MASK = (1 << _FIELD) - 1


def _pack(counts: Mapping[int, int]) -> int:
    return sum(n << (_FIELD * (level - 1)) for level, n in counts.items())


def _unpack(packed: int) -> dict[int, int]:
    return {level: n for level in range(1, 6) if (n := (packed >> (_FIELD * (level - 1))) & _MASK)}


class YearGuard:
    """The guard's decision over a family of answers (one year's), kept as ratings are added.

    ``add`` takes new ratings per cell and works out again only what they can reach: the answers that hold
    them (their totals change), and the answers those answers hide by rules 2 and 3, before or after — the
    ones nearly as large as a changed answer, found among the answers of its first ``min_group`` cells
    (a part short of fewer than ``min_group`` ratings holds at least one of them), and the smallest parts of
    a kind where its remainder is small, known from a running sum per kind. Ratings taken away (an upheld
    appeal) or a changed organisation or threshold mean a new guard, worked out over the whole year.
    """

    def __init__(self, organisation: Organisation, min_group: int, year: int | None = None):
        self.min_group, self.year = min_group, year
        # windows, units and members numbered: UUIDs hash in Python, small ints in C
        self._number, self._names, n = {}, [], self._n
        self._org = Organisation({n(w): n(u) for w, u in organisation.window_unit.items()},
                                 {n(u): n(p) for u, p in organisation.parent.items()})
        self._cells: dict[tuple, list[int]] = {}  # (window, member, day, hour) -> [ratings, packed levels]
        self.total: dict[AnswerKey, int] = {}
        self.ratings = 0  # taken in so far
        self._packed: dict[AnswerKey, int] = {}  # counts per level (see _pack)
        # containment, judged on what all the cells of an answer share (kept small: hundreds of thousands of
        # answers a year): the one window and member on duty, or _MANY
        self._window: dict[AnswerKey, object] = {}
        self._member: dict[AnswerKey, object] = {}
        self._days: dict[AnswerKey, tuple[date, date]] = {}  # first and last
        self._hours: dict[AnswerKey, int] = {}  # bit h set: it holds ratings of hour h
        self._weekdays: dict[AnswerKey, int] = {}
        self._served: dict[AnswerKey, dict[int, int]] = {}  # a member's month: window -> their cells there
        self._units: dict[AnswerKey, frozenset] = {}  # the units over every window of the answer
        self._sample: dict[AnswerKey, list[tuple]] = {}  # its first min_group cells
        self._holders: dict[AnswerKey, set[AnswerKey]] = {}
        self._parts: dict[AnswerKey, dict[tuple, set[AnswerKey]]] = {}
        self._large: dict[AnswerKey, dict[tuple, int]] = {}  # ratings in parts of a kind holding min_group or more
        self._kinds: dict[AnswerKey, tuple] = {}
        self._nearly: dict[AnswerKey, set] = {}  # whom rules 2 and 3 hide under it (kept when not empty)
        self._smallest: dict[AnswerKey, set] = {}
        self.shown: set[AnswerKey] = set()
        self._asked: dict[tuple, tuple] = {}  # a cell's answers, within one add

    def _n(self, value):
        if value is None:
            return None
        if value not in self._number:
            self._number[value] = len(self._names)
            self._names.append(value)
        return self._number[value]

    def named(self, key: AnswerKey) -> AnswerKey:
        return (key[0], self._names[key[1]], *key[2:])

    def numbered(self, key: AnswerKey) -> AnswerKey | None:
        return None if key[1] not in self._number else (key[0], self._number[key[1]], *key[2:])

    def _answers(self, coords: tuple) -> tuple[AnswerKey, ...]:
        # asked again and again within one ``add`` (the first cells of many answers are the same few)
        if coords not in self._asked:
            self._asked[coords] = tuple(answers_of(Cell(*coords), self._org, self.year))
        return self._asked[coords]

    def add(self, cells: Mapping[Cell, Mapping[int, int]]) -> set[AnswerKey]:
        """Take these ratings (counts per level in each cell) in; the answers (named) whose counts or
        decision changed."""
        before: dict[AnswerKey, int] = {}  # each reached answer's total before
        for cell, counts in cells.items():
            size = sum(counts.values())
            coords = (self._n(cell.window), self._n(cell.on_duty), cell.day, cell.hour)
            keys = self._answers(coords) if size else ()
            if keys:
                self._take(coords, keys, size, _pack(counts), before)
        # an answer equal to a grown one held it (the first key holds the other): now the grown one holds it
        equal = {big for key, was in before.items() for big in self._holders.get(key, ())
                 if big not in before and self.total[big] == was}
        reached = set(before) | equal  # decisions under them and over them may change
        for key, was in (*before.items(), *((key, self.total[key]) for key in equal)):
            reached |= self._place(key, was)
        affected = set(before) | equal
        for big in reached:
            for hides, work in ((self._nearly, self._nearly_whole), (self._smallest, self._smallest_parts)):
                old, new = hides.pop(big, set()), work(big)
                if new:
                    hides[big] = new
                affected |= old | new
        changed = set(before)
        for key in affected:
            if self._decide(key) != (key in self.shown):
                self.shown ^= {key}
                changed.add(key)
        self._asked.clear()
        return {self.named(key) for key in changed}

    def _take(self, coords: tuple, keys: list, size: int, levels: int, before: dict) -> None:
        window, member, day, hour = coords
        known, self.ratings = self._cells.get(coords), self.ratings + size
        if known is not None:
            known[0] += size
            known[1] += levels
        else:
            self._cells[coords] = [size, levels]
        chain = frozenset(self._org.units_over(window))
        for key in keys:
            if key not in self.total:
                self.total[key] = self._packed[key] = 0
                self._window[key], self._member[key], self._days[key] = window, member, (day, day)
                self._hours[key], self._weekdays[key], self._units[key], self._sample[key] = 0, 0, chain, []
                if key[0] == "on_duty" and key[2] == Granularity.MONTH:
                    self._served[key] = {}
                self._kinds[key] = _kind(key, self._org)
            before.setdefault(key, self.total[key])
            self.total[key] += size
            self._packed[key] += levels
            if known is None:
                if self._window[key] != window:
                    self._window[key] = _MANY
                if self._member[key] != member:
                    self._member[key] = _MANY
                first, last = self._days[key]
                if not first <= day <= last:
                    self._days[key] = (min(first, day), max(last, day))
                self._hours[key] |= 1 << hour
                self._weekdays[key] |= 1 << day.isoweekday()
                if key in self._served:
                    self._served[key][window] = self._served[key].get(window, 0) + 1
                if not chain >= self._units[key]:
                    self._units[key] = self._units[key] & chain
                if len(self._sample[key]) < self.min_group:
                    self._sample[key].append(coords)

    def _place(self, key: AnswerKey, was: int) -> set[AnswerKey]:
        """Its holders found again and its share of their running sums set right; the holders, old and new."""
        least, kind = self.min_group, self._kinds[key]
        old = self._holders.get(key, set())
        new = {big for big in self._answers(self._sample[key][0]) if big != key and self._holds(big, key)}
        self._holders[key] = new
        for big in old:
            self._parts[big][kind].discard(key)
            if was >= least:
                self._large[big][kind] -= was
        total = self.total[key]
        for big in new:
            self._parts.setdefault(big, {}).setdefault(kind, set()).add(key)
            large = self._large.setdefault(big, {})
            large[kind] = large.get(kind, 0) + (total if total >= least else 0)
        return old | new

    def _holds(self, big: AnswerKey, small: AnswerKey) -> bool:
        """Whether every cell of ``small`` lies in ``big`` (equal ones: the first key holds the other)."""
        size, other = self.total[small], self.total[big]
        if other < size or (other == size and not self.named(big) < self.named(small)):
            return False
        kind, scope, span, start = big[:4]
        first, last = self._days[small]
        if _bucket(first, span) != start or _bucket(last, span) != start:
            return False
        if kind == "window":
            return self._window[small] == scope
        if kind == "on_duty":
            return self._member[small] == scope
        if scope not in self._units[small]:
            return False
        if kind == "hour":
            return self._hours[small] == 1 << big[4]
        if kind == "weekday":
            return self._weekdays[small] == 1 << big[4]
        return True

    def _nearly_whole(self, big: AnswerKey) -> set[AnswerKey]:
        """Rule 2: the answers inside ``big`` that fall short of it by 1 … min_group-1 ratings."""
        total = self.total[big]
        if total < self.min_group:
            return set()
        return {key for cell in self._sample[big] for key in self._answers(cell)
                if total - self.min_group < self.total[key] < total and big in self._holders[key]}

    def _smallest_parts(self, big: AnswerKey) -> set[AnswerKey]:
        """Rule 3: of each kind of ``big``'s parts whose large ones leave a small remainder, the smallest (one
        is enough: it holds ``min_group`` ratings or more)."""
        total, least, hidden = self.total[big], self.min_group, set()
        if total < least:
            return hidden
        for kind, large in self._large.get(big, {}).items():
            if kind == self._kinds[big] or not 0 < total - large < least:
                continue
            parts = [p for p in self._parts[big][kind] if self.total[p] >= least]
            if parts:
                smallest = min(self.total[p] for p in parts)
                hidden.add(min((p for p in parts if self.total[p] == smallest), key=self.named))
        return hidden

    def _decide(self, key: AnswerKey) -> bool:
        total, least = self.total[key], self.min_group
        return total >= least and not any(
            self.total[big] >= least and (total < self.total[big] < total + least or key in self._smallest.get(big, ()))
            for big in self._holders[key])

    def counts(self, key: AnswerKey) -> LevelCounts:
        """A named answer's counts per level, shown or not."""
        return LevelCounts(_unpack(self._packed.get(self.numbered(key), 0)))

    def served(self, key: AnswerKey) -> dict:
        """A member on duty's month (named): the windows they served at, each with how many of their cells."""
        return {self._names[w]: n for w, n in self._served.get(self.numbered(key), {}).items()}

    def is_shown(self, key: AnswerKey) -> bool:
        return self.numbered(key) in self.shown

    def cells_of(self, key: AnswerKey) -> frozenset[Cell]:
        """A named answer's cells, looked for among all (for tests and audits)."""
        inner = self.numbered(key)
        return frozenset(Cell(self._names[w], None if m is None else self._names[m], day, hour)
                         for (w, m, day, hour) in self._cells if inner in self._answers((w, m, day, hour)))


@dataclass
class Disclosure:
    """The guard's decision for a family of answers: how many ratings each holds, and which of them show."""

    totals: dict[AnswerKey, int]
    shown: set[AnswerKey]
    guard: YearGuard
    _cells: dict = field(default_factory=dict, repr=False)  # an attack asks for the same answers' cells often

    def cells_of(self, key: AnswerKey) -> frozenset[Cell]:
        if key not in self._cells:
            self._cells[key] = self.guard.cells_of(key)
        return self._cells[key]

    def counts_of(self, key: AnswerKey) -> LevelCounts:
        """An answer's counts per level, shown or not (for the guard's own checks and tests)."""
        return self.guard.counts(key)

    def get(self, key: AnswerKey) -> LevelCounts | None:
        """The counts when shown; None when hidden or when there is nothing (look at ``exists``)."""
        return self.counts_of(key) if key in self.shown else None

    def exists(self, key: AnswerKey) -> bool:
        return key in self.totals


def disclose(cells: Mapping[Cell, Mapping[int, int]], organisation: Organisation, min_group: int,
             year: int | None = None) -> Disclosure:
    """The answers over ``cells`` (counts per level in each cell) and which of them may show; with
    ``year``, only over the cells of that year: the whole pass."""
    guard = YearGuard(organisation, min_group, year)
    guard.add(cells)
    return Disclosure({guard.named(k): size for k, size in guard.total.items()},
                      {guard.named(k) for k in guard.shown}, guard)


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
