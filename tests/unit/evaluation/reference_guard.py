"""The guard as it was before issue 24 (a 10 M-rating year in memory) changed how it keeps its state: kept, frozen,
as the tests' oracle. The changed ``YearGuard`` must decide every answer exactly as this one does; do not edit it.
Copied from ``evaluation_service.domain.disclosure`` as of 2026-12-06 (with ``add_all``), with the private helpers
it uses, so that a change to those in the module does not change the oracle.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from functools import lru_cache

from evaluation_service.domain.disclosure import RHYTHM_SPANS, AnswerKey, Cell, Organisation
from evaluation_service.domain.ratings import Granularity, LevelCounts, bucket_of


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

    A year holds a million answers and more: each is numbered as it first appears, and what the guard knows of
    it sits in lists at that number (a list slot is 8 bytes, a dict entry keyed by a tuple ten times that, and a
    tuple hashes in Python on every look-up), its holders in a tuple, the cells it shares with others in shared
    objects (a window's chain of units, a cell's coordinates, a day).
    """

    def __init__(self, organisation: Organisation, min_group: int, year: int | None = None):
        self.min_group, self.year = min_group, year
        # windows, units and members numbered: UUIDs hash in Python, small ints in C
        self._number, self._names, n = {}, [], self._n
        self._org = Organisation({n(w): n(u) for w, u in organisation.window_unit.items()},
                                 {n(u): n(p) for u, p in organisation.parent.items()})
        self._cells: dict[tuple, int] = {}  # (window, member, day, hour) -> packed levels (see _pack)
        self.ratings = 0  # taken in so far
        self.shown: set[AnswerKey] = set()
        # answers numbered; per answer, at its number:
        self._id: dict[AnswerKey, int] = {}
        self._key: list[AnswerKey] = []
        self._total: list[int] = []
        self._packed: list[int] = []  # counts per level
        # containment, judged on what all the cells of an answer share: the one window and member on duty
        # (or _MANY), its first and last day, the hours and weekdays it holds (bit h set: ratings of hour h),
        # the units over every window of it
        self._window: list = []
        self._member: list = []
        self._first: list[date | None] = []
        self._last: list[date | None] = []
        self._hours: list[int] = []
        self._weekdays: list[int] = []
        self._units: list[frozenset] = []
        self._sample: list[tuple] = []  # its first min_group cells
        self._kind: list[tuple] = []
        self._holders: list[tuple[int, ...]] = []
        self._served: dict[int, dict[int, int]] = {}  # a member's month: window -> their cells there
        self._parts: dict[int, dict[tuple, set[int]]] = {}
        self._large: dict[int, dict[tuple, int]] = {}  # ratings in parts of a kind holding min_group or more
        self._nearly: dict[int, set[int]] = {}  # whom rules 2 and 3 hide under it (kept when not empty)
        self._smallest: dict[int, set[int]] = {}
        self._kinds: dict[tuple, tuple] = {}  # a few kinds, each kept once
        self._chains: dict[int, frozenset] = {}  # a window's units, one object for all its answers
        self._common: dict[tuple, frozenset] = {}  # two chains' shared units
        # within one add: a cell's answers, put together from those of its window's day, its member's day and
        # its unit's day and hour (shared by many cells)
        self._at_window: dict[tuple, tuple[int, ...]] = {}
        self._at_member: dict[tuple, tuple[int, ...]] = {}
        self._at_hour: dict[tuple, tuple[int, ...]] = {}

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

    @property
    def total(self) -> dict[AnswerKey, int]:
        """Every answer's total (numbered keys), put together when asked."""
        return dict(zip(self._key, self._total))

    @property
    def answers(self) -> list[AnswerKey]:
        """Every answer (numbered keys), in the order they appeared."""
        return self._key

    def _numbers(self, keys) -> tuple[int, ...]:
        found, new = self._id, self._new
        return tuple(found[key] if key in found else new(key) for key in keys)

    def _new(self, key: AnswerKey) -> int:
        number = self._id[key] = len(self._key)
        self._key.append(key)
        for column in (self._total, self._packed, self._hours, self._weekdays):
            column.append(0)
        for column in (self._window, self._member, self._first, self._last, self._units):
            column.append(None)
        self._sample.append(())
        self._holders.append(())
        kind = _kind(key, self._org)
        self._kind.append(self._kinds.setdefault(kind, kind))
        if key[0] == "on_duty" and key[2] == Granularity.MONTH:
            self._served[number] = {}
        return number

    def _chain(self, window) -> frozenset:
        if window not in self._chains:
            self._chains[window] = frozenset(self._org.units_over(window))
        return self._chains[window]

    def _answers(self, coords: tuple) -> tuple[int, ...]:
        """Every answer the cell counts in (only if it lies in the guard's year: no period spans two years, so
        a year's family of answers shares no rating with another's)."""
        window, member, day, hour = coords
        if self.year is not None and day.year != self.year:
            return ()
        periods, spans, weekday = _periods(day)
        units = self._org.units_over(window)
        place = (window, day)
        if place not in self._at_window:
            scopes = [("window", window)] + [("unit", u) for u in units]
            self._at_window[place] = self._numbers((kind, key, granularity, start)
                                                   for granularity, start in periods for kind, key in scopes)
        answers = self._at_window[place]
        if member is not None:
            duty = (member, day)
            if duty not in self._at_member:
                self._at_member[duty] = self._numbers(("on_duty", member, granularity, start)
                                                      for granularity, start in periods)
            answers += self._at_member[duty]
        rhythm = (self._org.window_unit.get(window), day, hour)  # a unit's windows share their chain of units
        if rhythm not in self._at_hour:
            self._at_hour[rhythm] = self._numbers(
                key for span, start in spans for unit in units
                for key in (("hour", unit, span, start, hour), ("weekday", unit, span, start, weekday)))
        return answers + self._at_hour[rhythm]

    def add(self, cells: Mapping[Cell, Mapping[int, int]]) -> set[AnswerKey]:
        """Take these ratings (counts per level in each cell) in; the answers (named) whose counts or
        decision changed."""
        before: dict[int, int] = {}  # each reached answer's total before
        for cell, counts in cells.items():
            size = sum(counts.values())
            if size:
                coords = (self._n(cell.window), self._n(cell.on_duty), cell.day, cell.hour)
                self._take(coords, size, _pack(counts), before)
        total, holders = self._total, self._holders
        # an answer equal to a grown one held it (the first key holds the other): now the grown one holds it
        equal = {big for key, was in before.items() for big in holders[key]
                 if big not in before and total[big] == was}
        reached = set(before) | equal  # decisions under them and over them may change
        # what holds an answer that had cells held it before, or was equal to it and held by it (then it grew
        # too, and may have grown past it): its holders are among those, fewer than its first cell's answers
        among = {key: holders[key] for key, was in before.items() if was}
        for key, was in before.items():
            for big in holders[key]:
                if before.get(big) == was and big in among:
                    among[big] += (key,)
        for key, was in before.items():
            reached.update(self._place(key, was, among.get(key)))
        for key in equal:
            reached.update(self._place(key, total[key], None))
        affected = set(before) | equal
        for big in reached:
            for hides, work in ((self._nearly, self._nearly_whole), (self._smallest, self._smallest_parts)):
                old, new = hides.pop(big, set()), work(big)
                if new:
                    hides[big] = new
                affected |= old | new
        changed = set(before)
        for number in affected:
            key = self._key[number]
            if self._decide(number) != (key in self.shown):
                self.shown ^= {key}
                changed.add(number)
        for asked in (self._at_window, self._at_member, self._at_hour):
            asked.clear()
        return {self.named(self._key[number]) for number in changed}

    def add_all(self, chunks: Iterable[Mapping[Cell, Mapping[int, int]]]) -> set[AnswerKey]:
        """``add`` for ratings that come in chunks (a whole year streamed from the database), so that they never
        sit in memory all at once; the answers (named) whose counts or decision changed."""
        changed: set[AnswerKey] = set()
        for chunk in chunks:
            changed |= self.add(chunk)
        return changed

    def _take(self, coords: tuple, size: int, levels: int, before: dict) -> None:
        numbers = self._answers(coords)
        if not numbers:
            return
        window, member, day, hour = coords
        known, self.ratings = self._cells.get(coords), self.ratings + size
        self._cells[coords] = (known or 0) + levels
        total, packed = self._total, self._packed
        if known is not None:  # its answers hold the cell already: only their counts grow
            for number in numbers:
                if number not in before:
                    before[number] = total[number]
                total[number] += size
                packed[number] += levels
            return
        chain, hour_bit, weekday_bit = self._chain(window), 1 << hour, 1 << day.isoweekday()
        windows, members, firsts, lasts, units = self._window, self._member, self._first, self._last, self._units
        hours, weekdays, samples, served = self._hours, self._weekdays, self._sample, self._served
        for number in numbers:
            if number not in before:
                before[number] = total[number]
            total[number] += size
            packed[number] += levels
            sample = samples[number]
            if not sample:  # its first cell
                windows[number], members[number], firsts[number], lasts[number] = window, member, day, day
                hours[number], weekdays[number], units[number], samples[number] = hour_bit, weekday_bit, chain, (coords,)
            else:
                if windows[number] != window:
                    windows[number] = _MANY
                if members[number] != member:
                    members[number] = _MANY
                if day < firsts[number]:
                    firsts[number] = day
                elif day > lasts[number]:
                    lasts[number] = day
                hours[number] |= hour_bit
                weekdays[number] |= weekday_bit
                if units[number] is not chain and not chain >= units[number]:
                    units[number] = self._shared(units[number], chain)
                if len(sample) < self.min_group:
                    samples[number] = (*sample, coords)
            if number in served:
                served[number][window] = served[number].get(window, 0) + 1

    def _shared(self, units: frozenset, chain: frozenset) -> frozenset:
        pair = (units, chain)
        if pair not in self._common:
            self._common[pair] = units & chain
        return self._common[pair]

    def _place(self, key: int, was: int, among: tuple[int, ...] | None) -> set[int]:
        """Its holders found again (``among`` these, or among all answers of its first cell) and its share of
        their running sums set right; the holders, old and new."""
        least, kind = self.min_group, self._kind[key]
        old = self._holders[key]
        new = self._holders[key] = self._holding(key, among)
        total, parts, large = self._total[key], self._parts, self._large
        now, then = (total if total >= least else 0), (was if was >= least else 0)
        for big in old:
            if big in new:  # still its holder: only the running sum moves
                if now != then:
                    large[big][kind] += now - then
            else:
                parts[big][kind].discard(key)
                large[big][kind] -= then
        for big in new:
            if big not in old:
                parts.setdefault(big, {}).setdefault(kind, set()).add(key)
                sums = large.setdefault(big, {})
                sums[kind] = sums.get(kind, 0) + now
        return {*old, *new}

    def _holding(self, small: int, among: tuple[int, ...] | None = None) -> tuple[int, ...]:
        """The answers every cell of ``small`` lies in (equal ones: the first key holds the other), among
        ``among`` or those of its first cell: millions of tests in a whole pass, so what ``small`` is comes out
        once."""
        totals, keys = self._total, self._key
        size, first, last, units = totals[small], self._first[small], self._last[small], self._units[small]
        by_kind = {"window": self._window[small], "on_duty": self._member[small]}
        parts = {"hour": self._hours[small], "weekday": self._weekdays[small]}
        periods: dict[str, date | None] = {}  # a granularity: its one period holding the answer, or None
        found = []
        for big in self._answers(self._sample[small][0]) if among is None else among:
            other = totals[big]
            if other < size or big == small or (other == size and not self._named(big) < self._named(small)):
                continue
            key = keys[big]
            kind, scope, span = key[0], key[1], key[2]
            if span not in periods:
                start = _bucket(first, span)
                periods[span] = start if _bucket(last, span) == start else None
            if periods[span] != key[3]:
                continue
            if kind in by_kind:
                if by_kind[kind] == scope:
                    found.append(big)
            elif scope in units and (kind == "unit" or parts[kind] == 1 << key[4]):
                found.append(big)
        return tuple(found)

    def _named(self, number: int) -> AnswerKey:
        return self.named(self._key[number])

    def _nearly_whole(self, big: int) -> set[int]:
        """Rule 2: the answers inside ``big`` that fall short of it by 1 … min_group-1 ratings."""
        totals, total = self._total, self._total[big]
        if total < self.min_group:
            return set()
        return {key for cell in self._sample[big] for key in self._answers(cell)
                if total - self.min_group < totals[key] < total and big in self._holders[key]}

    def _smallest_parts(self, big: int) -> set[int]:
        """Rule 3: of each kind of ``big``'s parts whose large ones leave a small remainder, the smallest (one
        is enough: it holds ``min_group`` ratings or more)."""
        totals, total, least, hidden = self._total, self._total[big], self.min_group, set()
        if total < least:
            return hidden
        for kind, large in self._large.get(big, {}).items():
            if kind == self._kind[big] or not 0 < total - large < least:
                continue
            parts = [p for p in self._parts[big][kind] if totals[p] >= least]
            if parts:
                smallest = min(totals[p] for p in parts)
                hidden.add(min((p for p in parts if totals[p] == smallest), key=self._named))
        return hidden

    def _decide(self, key: int) -> bool:
        totals, least = self._total, self.min_group
        total = totals[key]
        return total >= least and not any(
            totals[big] >= least and (total < totals[big] < total + least or key in self._smallest.get(big, ()))
            for big in self._holders[key])

    def _number_of(self, key: AnswerKey) -> int | None:
        return self._id.get(self.numbered(key))

    def counts(self, key: AnswerKey) -> LevelCounts:
        """A named answer's counts per level, shown or not."""
        number = self._number_of(key)
        return LevelCounts(_unpack(0 if number is None else self._packed[number]))

    def served(self, key: AnswerKey) -> dict:
        """A member on duty's month (named): the windows they served at, each with how many of their cells."""
        return {self._names[w]: n for w, n in self._served.get(self._number_of(key), {}).items()}

    def is_shown(self, key: AnswerKey) -> bool:
        return self.numbered(key) in self.shown

    def cells_of(self, key: AnswerKey) -> frozenset[Cell]:
        """A named answer's cells, looked for among all (for tests and audits)."""
        number = self._number_of(key)
        found = frozenset(Cell(self._names[w], None if m is None else self._names[m], day, hour)
                          for (w, m, day, hour) in self._cells if number in self._answers((w, m, day, hour)))
        for asked in (self._at_window, self._at_member, self._at_hour):
            asked.clear()
        return found
