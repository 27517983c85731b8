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

Longer than 400 lines because the whole pass and ``YearGuard.add`` must reach the same decision for every answer,
and they work on the same numbered answers and packed cells: kept side by side, a change to one is seen beside
the other (the property tests compare them).
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache

from .ratings import Granularity, LevelCounts, bucket_of


@dataclass(frozen=True, slots=True)  # a million of them in a year
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


@lru_cache(maxsize=1024)
def _periods(day: date) -> tuple:
    """A day's periods, its rhythm spans and weekday: asked for every cell, the same for every cell of a day."""
    return (tuple((g, bucket_of(day, g)) for g in Granularity.ALL),
            tuple((span, bucket_of(day, span)) for span in RHYTHM_SPANS), day.isoweekday())


_bucket = lru_cache(maxsize=4096)(bucket_of)


@lru_cache(maxsize=1 << 16)  # a year's pairs of days, at most
def _spans(first: date, last: date) -> tuple:
    """The one period of each granularity that holds the days from ``first`` to ``last`` (or None)."""
    return tuple(_bucket(first, g) if _bucket(first, g) == _bucket(last, g) else None for g in Granularity.ALL)


@lru_cache(maxsize=4096)
def _starts(first: date, last: date, granularity: str) -> tuple:
    """The periods of a granularity that the days from ``first`` to ``last`` fall in."""
    return tuple(dict.fromkeys(_bucket(first + timedelta(days=i), granularity) for i in range((last - first).days + 1)))


def _kind(key: AnswerKey, organisation: Organisation) -> tuple:
    """Answers of one kind never share a rating, so they can be the parts of a larger answer."""
    if key[0] in ("hour", "weekday"):
        return (key[0], organisation.depth(key[1]), key[2])
    if key[0] == "unit":
        return ("unit", organisation.depth(key[1]), key[2])
    return (key[0], key[2])


_MANY = object()  # more than one window, or member on duty
_NONE: frozenset = frozenset()  # for a look-up's default, not made anew each time

# An answer's counts per level are added up for every cell it holds: millions of additions for a year.
# Packed into one integer, a field of _FIELD bits per level, they take one addition each, as the total does.
_FIELD = 40
_MASK = (1 << _FIELD) - 1
_SHIFTS = tuple(_FIELD * (level - 1) for level in range(1, 6))


def _pack(counts: Mapping[int, int]) -> int:
    return sum(n << _SHIFTS[level - 1] for level, n in counts.items())


def _unpack(packed: int) -> dict[int, int]:
    return {level: n for level, shift in enumerate(_SHIFTS, 1) if (n := packed >> shift & _MASK)}


class _Group:
    """Cells of one day taken in together because they count in the same answers (a window's day, a member's
    day, a unit's hour): their ratings summed, and what they share as ``YearGuard`` keeps it per answer."""

    __slots__ = ("coords", "size", "levels", "hours", "window", "member", "units", "new_at")

    def __init__(self, coords: tuple, chain: frozenset, served: bool):
        self.coords, self.units = coords, chain  # coords: its first cell's
        self.window, self.member = coords[0], coords[1]
        self.size = self.levels = self.hours = 0
        self.new_at: dict | None = {} if served else None  # a member's day: their new cells per window

    def take(self, coords: tuple, size: int, levels: int, chain: frozenset, new: bool, shared) -> None:
        window, member, _, hour = coords
        self.size += size
        self.levels += levels
        self.hours |= 1 << hour
        if self.window != window:
            self.window = _MANY
        if self.member != member:
            self.member = _MANY
        if self.units is not chain and not chain >= self.units:
            self.units = shared(self.units, chain)
        if new and self.new_at is not None:
            self.new_at[window] = self.new_at.get(window, 0) + 1


class YearGuard:
    """The guard's decision over a family of answers (one year's), kept as ratings are added.

    ``add`` takes new ratings per cell and works out again only what they can reach: the answers that hold
    them (their totals change), and the answers those answers hide by rules 2 and 3, before or after — the
    ones nearly as large as a changed answer, kept per answer and looked for again only among the answers
    placed anew (a total only grows, and what holds an answer changes only when it grows or one equal to it
    does), and the smallest parts of a kind where its remainder is small, known from a running sum per kind.
    Ratings taken away (an upheld appeal), a window the year has ratings of moved or a changed threshold mean a new
    guard, worked out over the whole year.

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
        self._cell: list[tuple | None] = []  # its first cell
        self._kind: list[tuple] = []
        self._holders: list[tuple[int, ...]] = []
        self._served: dict[int, dict[int, int]] = {}  # a member's month: window -> their cells there
        # per answer, per kind of its parts: the ratings in those holding min_group or more, and the smallest of
        # them (rule 3) while it is known: a part's total only grows, so only the smallest growing (or leaving,
        # which only a grown part does) makes it unknown; then rule 3 looks for it again when it asks, among the
        # answers the structure allows (the big one's windows, their members on duty, units, periods, hours)
        self._large: dict[int, dict[tuple, int]] = {}
        self._least: dict[int, dict[tuple, int]] = {}
        self._rota: dict[int, set[int]] = {}  # a window: the members on duty there
        self._windows_under: dict[int, list[int]] = {}  # a unit: its windows and those of the units under it
        # under an answer (kept when not empty): the large answers nearly as large or as large (rule 2 hides the
        # former), the smallest parts rule 3 hides
        self._nearly: dict[int, set[int]] = {}
        self._smallest: dict[int, set[int]] = {}
        self._kinds: dict[tuple, tuple] = {}  # a few kinds, each kept once
        self._chains: dict[int, frozenset] = {}  # a window's units, one object for all its answers
        self._common: dict[tuple, frozenset] = {}  # two chains' shared units
        # within one add: a cell's answers, put together from those of its window's day, its member's day and
        # its unit's day and hour (shared by many cells)
        self._at_window: dict[tuple, tuple[int, ...]] = {}
        self._at_member: dict[tuple, tuple[int, ...]] = {}
        self._at_hour: dict[tuple, tuple[int, ...]] = {}
        self._shapes: dict[int, tuple] = {}  # within one add: what a reached answer's holders were found from

    def reorganise(self, organisation: Organisation) -> bool:
        """Takes the directory as it is now, when every window this year has ratings of sits where it did (windows
        or units added, or moved where the year has none): the answers stand, and later ratings count under their
        windows' units as they are now. False, and nothing changed, when one of those windows moved: then the
        whole year is worked out again."""
        n = self._n
        now = Organisation({n(w): n(u) for w, u in organisation.window_unit.items()},
                           {n(u): n(p) for u, p in organisation.parent.items()})
        moved = {window for window, chain in self._chains.items() if frozenset(now.units_over(window)) != chain}
        if moved and moved & {window for window, *_ in self._cells}:
            return False
        for window in moved:
            del self._chains[window]
        self._org = now
        self._windows_under.clear()  # a unit's windows: a window added or moved under it is one of them
        return True

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
        # One lookup a key, not `in` then `[]`: hashing the key tuple is most of the cost, and most keys are known.
        known, new = self._id.get, self._new
        return tuple(number if (number := known(key)) is not None else new(key) for key in keys)

    def _new(self, key: AnswerKey) -> int:
        number = self._id[key] = len(self._key)
        self._key.append(key)
        for column in (self._total, self._packed, self._hours, self._weekdays):
            column.append(0)
        for column in (self._window, self._member, self._first, self._last, self._units):
            column.append(None)
        self._cell.append(None)
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
        answers = self._of_window(window, day)
        if member is not None:
            answers += self._of_member(member, day)
        return answers + self._of_hour(window, day, hour)

    # A cell's answers in three parts, each shared by many cells and put together once within an add: its window's
    # and units' on its day, its member's on its day, its units' rhythm tables at its hour.

    def _of_window(self, window, day: date) -> tuple[int, ...]:
        place = (window, day)
        if place not in self._at_window:
            scopes = [("window", window)] + [("unit", u) for u in self._org.units_over(window)]
            self._at_window[place] = self._numbers((kind, key, granularity, start)
                                                   for granularity, start in _periods(day)[0] for kind, key in scopes)
        return self._at_window[place]

    def _of_member(self, member, day: date) -> tuple[int, ...]:
        duty = (member, day)
        if duty not in self._at_member:
            self._at_member[duty] = self._numbers(("on_duty", member, granularity, start)
                                                  for granularity, start in _periods(day)[0])
        return self._at_member[duty]

    def _of_hour(self, window, day: date, hour: int) -> tuple[int, ...]:
        rhythm = (self._org.window_unit.get(window), day, hour)  # a unit's windows share their chain of units
        if rhythm not in self._at_hour:
            _, spans, weekday = _periods(day)
            self._at_hour[rhythm] = self._numbers(
                key for span, start in spans for unit in self._org.units_over(window)
                for key in (("hour", unit, span, start, hour), ("weekday", unit, span, start, weekday)))
        return self._at_hour[rhythm]

    def add(self, cells: Mapping[Cell, Mapping[int, int]]) -> set[AnswerKey]:
        """Take these ratings (counts per level in each cell) in; the answers (named) whose counts or
        decision changed."""
        before: dict[int, int] = {}  # each reached answer's total before
        self._take_all(cells, before)
        return self._settle(before)

    def add_all(self, chunks: Iterable[Mapping[Cell, Mapping[int, int]]]) -> set[AnswerKey]:
        """``add`` for ratings that come in chunks (a whole year streamed from the database), so that they never
        sit in memory all at once; the answers (named) whose counts or decision changed. Every chunk is taken in
        before anything is decided: decisions depend only on the ratings, so deciding once gives the same, and
        an answer reached by many chunks (a unit's year) is placed once, not once a chunk."""
        before: dict[int, int] = {}
        for chunk in chunks:
            self._forget_asked()  # the chunk before's, for memory; the last one's stay: settling asks again
            self._take_all(chunk, before)
        return self._settle(before)

    def _take_all(self, cells: Mapping[Cell, Mapping[int, int]], before: dict[int, int]) -> None:
        # Every answer a cell counts in is one of its window's day, its member's day or its unit's hour (see
        # _answers), shared by all the cells there: the cells are summed per window's day, member's day and unit's
        # hour, and each answer takes a sum once, not each cell (a whole pass over 2 M ratings in the system
        # volume's shape: 77 s CPU, where it was 92).
        groups: dict[tuple, _Group] = {}
        n, stored, window_unit = self._n, self._cells, self._org.window_unit
        for cell, counts in cells.items():
            size = sum(counts.values())
            if not size or (self.year is not None and cell.day.year != self.year):
                continue
            coords = window, member, day, hour = n(cell.window), n(cell.on_duty), cell.day, cell.hour
            known, levels = stored.get(coords), _pack(counts)
            stored[coords] = (known or 0) + levels
            self.ratings += size
            chain = self._chain(window)
            places = [("window", window, day), ("hour", window_unit.get(window), day, hour)]
            if member is not None:
                places.append(("on_duty", member, day))
            for place in places:
                group = groups.get(place)
                if group is None:
                    group = groups[place] = _Group(coords, chain, served=place[0] == "on_duty")
                group.take(coords, size, levels, chain, known is None, self._shared)
        for (kind, *_), group in groups.items():
            window, member, day, hour = group.coords
            numbers = (self._of_window(window, day) if kind == "window" else self._of_member(member, day)
                       if kind == "on_duty" else self._of_hour(window, day, hour))
            self._take(numbers, group, before)

    def _forget_asked(self) -> None:
        """Forgets the cells' answers put together: they never change, but are kept within one add only (memory)."""
        for asked in (self._at_window, self._at_member, self._at_hour):
            asked.clear()

    def _settle(self, before: dict[int, int]) -> set[AnswerKey]:
        """The decisions worked out again where answers grew (``before``: their totals before); the answers
        (named) whose counts or decision changed."""
        total, holders, kinds, least = self._total, self._holders, self._kind, self._least
        # one look through each grown answer's holders (only a large one has any), as they were:
        # - one equal to it held it (the first key holds the other): now the grown one holds it (``equal``);
        # - one that grew from the same total may have grown past it: then it may hold that one now (``joined``: to
        #   look among besides its holders; what holds an answer that was large held it before, or was one of those);
        # - grown, it is no longer known to be the smallest part of anything
        equal, tied, joined = set(), set(), {}
        for key, was in before.items():
            kind = kinds[key]
            for big in holders[key]:
                if big in before:
                    if before[big] == was:
                        joined.setdefault(big, []).append(key)
                        tied.add(key)
                elif total[big] == was:
                    equal.add(big)
                    tied.add(key)
                known = least.get(big)
                if known is not None and known.get(kind) == key:
                    del known[kind]
        placed = set(before) | equal  # their holders are found again
        reached = set(placed)  # decisions under them and over them may change
        shapes, large = self._shapes, self.min_group
        for key, was in before.items():
            # its new cells lie where it did, so whatever held it got them too and still does, and nothing else
            # can hold it now but an answer it tied with
            among = None if was < large else holders[key] + tuple(joined[key]) if key in joined else holders[key]
            same = key in shapes and key not in joined and key not in tied and shapes[key] == self._shape(key)
            reached.update(self._place(key, was, among, same))
        for key in equal:
            reached.update(self._place(key, total[key], None))
        shapes.clear()
        near = self._near(placed)
        affected = set(placed)
        for big in reached:
            kept = self._nearly.get(big, _NONE)
            for hides, new in ((self._nearly, self._nearly_whole(big, kept, near.get(big, _NONE), placed)),
                               (self._smallest, self._smallest_parts(big))):
                old = hides.pop(big, _NONE)
                if new:
                    hides[big] = new
                affected |= old | new
        changed = set(before)
        for number in affected:
            key = self._key[number]
            if self._decide(number) != (key in self.shown):
                self.shown ^= {key}
                changed.add(number)
        self._forget_asked()
        return {self.named(self._key[number]) for number in changed}

    def _take(self, numbers: tuple[int, ...], group: _Group, before: dict) -> None:
        """The group's ratings counted in these answers (all of its cells count in each), and what they share
        merged with what the answers' cells share. A cell taken in before adds nothing to that: merged again, it
        changes nothing."""
        window, member, coords, size, levels = group.window, group.member, group.coords, group.size, group.levels
        day, hour_bits, chain, new_at = coords[2], group.hours, group.units, group.new_at
        weekday_bit = 1 << day.isoweekday()
        total, packed, windows, members, firsts, lasts = (self._total, self._packed, self._window, self._member,
                                                           self._first, self._last)
        units, hours, weekdays, cells, served = self._units, self._hours, self._weekdays, self._cell, self._served
        for number in numbers:
            if number not in before:
                self._reach(number, before)
            total[number] += size
            packed[number] += levels
            if cells[number] is None:  # its first cells
                windows[number], members[number], firsts[number], lasts[number] = window, member, day, day
                hours[number], weekdays[number], units[number], cells[number] = hour_bits, weekday_bit, chain, coords
            else:
                if windows[number] != window:
                    windows[number] = _MANY
                if members[number] != member:
                    members[number] = _MANY
                if day < firsts[number]:
                    firsts[number] = day
                elif day > lasts[number]:
                    lasts[number] = day
                hours[number] |= hour_bits
                weekdays[number] |= weekday_bit
                if units[number] is not chain and not chain >= units[number]:
                    units[number] = self._shared(units[number], chain)
            if new_at and number in served:
                at = served[number]
                for place, count in new_at.items():
                    if place not in at:
                        self._rota.setdefault(place, set()).add(member)
                    at[place] = at.get(place, 0) + count

    def _reach(self, number: int, before: dict) -> None:
        before[number] = self._total[number]
        if before[number] >= self.min_group:  # it has holders
            self._shapes[number] = self._shape(number)

    def _shape(self, number: int) -> tuple:
        """What its holders are found from, besides the totals: its window and member, units, hours, weekdays,
        and the one period of each granularity that holds its days (or None)."""
        return (self._window[number], self._member[number], self._units[number], self._hours[number],
                self._weekdays[number], _spans(self._first[number], self._last[number]))

    def _shared(self, units: frozenset, chain: frozenset) -> frozenset:
        pair = (units, chain)
        if pair not in self._common:
            self._common[pair] = units & chain
        return self._common[pair]

    def _place(self, key: int, was: int, among: tuple[int, ...] | None, same: bool = False) -> tuple[int, ...]:
        """Its holders found again (``among`` these, or among all answers of its first cell; ``same``: they are
        those) and its share of their running sums set right; the holders, old and new."""
        least, kind, large = self.min_group, self._kind[key], self._large
        old = self._holders[key]
        if same:  # large before and after (its shape kept): only its share of each one's sum grows
            for big in old:
                large[big][kind] += self._total[key] - was
            return old
        # below min_group, rule 1 hides it and it adds nothing to any running sum: its holders are never asked
        new = self._holders[key] = self._holding(key, among) if self._total[key] >= least else ()
        total, smallest = self._total[key], self._least
        now, then = (total if total >= least else 0), (was if was >= least else 0)
        kept = set(old) & set(new)
        for big in old:
            if then and big not in kept:
                large[big][kind] -= then
        for big in new:
            had = then if big in kept else 0  # its share of the running sum so far
            if now == had:
                continue
            sums = large.setdefault(big, {})
            others = sums.get(kind, 0) - had
            sums[kind] = others + now
            # the smallest large part set if it is this one (growing while large, it is not, and was forgotten)
            if had:
                continue
            if not others:
                smallest.setdefault(big, {})[kind] = key
            elif kind in smallest.get(big, ()) and self._before(key, smallest[big][kind]):
                smallest[big][kind] = key
        return old + new

    def _before(self, one: int, other: int) -> bool:
        """Smaller, or as large and first by named key: which of two parts rule 3 hides."""
        totals = self._total
        return totals[one] < totals[other] or (totals[one] == totals[other] and self._named(one) < self._named(other))

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
        for big in self._answers(self._cell[small]) if among is None else among:
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

    def _near(self, placed: set[int]) -> dict[int, set[int]]:
        """Of the answers whose holders were just found again, the large ones as large as a holder or short of it by
        fewer than min_group ratings: per holder."""
        total, holders, least, near = self._total, self._holders, self.min_group, {}
        for key in placed:
            size = total[key]
            if size >= least:
                for big in holders[key]:
                    if total[big] < size + least:
                        near.setdefault(big, set()).add(key)
        return near

    def _nearly_whole(self, big: int, kept: set[int], near: set[int], placed: set[int]) -> set[int]:
        """Rule 2: the large answers inside ``big`` short of it by 1 … min_group-1 ratings, and those as large (not
        hidden, but kept: when ``big`` grows they fall short of it). Its total only grows and what holds an answer
        changes only when the answer is placed again, so they are those it kept that still come near it, and the
        ``placed`` ones that do (``near``: found from their holders), never all its parts looked through again
        (rule 1 hides the small ones whatever they are near)."""
        totals, limit = self._total, self._total[big] - self.min_group
        return {key for key in kept if key not in placed and totals[key] > limit} | near

    def _smallest_parts(self, big: int) -> set[int]:
        """Rule 3: of each kind of ``big``'s parts whose large ones leave a small remainder, the smallest (one
        is enough: it holds ``min_group`` ratings or more)."""
        total, least, hidden = self._total[big], self.min_group, set()
        if total < least:
            return hidden
        known = self._least.get(big, {})
        for kind, large in self._large.get(big, {}).items():
            if kind == self._kind[big] or not 0 < total - large < least:
                continue
            if kind not in known:
                known = self._least.setdefault(big, known)
                known[kind] = self._smallest_part(big, kind)
            hidden.add(known[kind])
        return hidden

    def _smallest_part(self, big: int, kind: tuple) -> int:
        """The smallest of ``big``'s large parts of a kind (there is one: their sum is not 0), looked for among the
        answers of that kind its structure allows: of its windows, their members, the units over them, in the
        periods within its days, at its hours or weekdays."""
        totals, holders, least, number = self._total, self._holders, self.min_group, self._id
        name, granularity, first, last = kind[0], kind[-1], self._first[big], self._last[big]
        starts = _starts(first, last, granularity)
        windows = self._windows_of(big)
        if name == "window":
            scopes = windows
        elif name == "on_duty":
            member = self._member[big]
            scopes = {m for w in windows for m in self._rota.get(w, ())} if member is _MANY else {member} - {None}
        else:
            scopes = {u for w in windows for u in self._chain(w) if self._org.depth(u) == kind[1]}
        if name in ("hour", "weekday"):
            bits = self._hours[big] if name == "hour" else self._weekdays[big]
            keys = ((name, scope, granularity, start, slot) for scope in scopes for start in starts
                    for slot in range(bits.bit_length()) if bits >> slot & 1)
        else:
            keys = ((name, scope, granularity, start) for scope in scopes for start in starts)
        found = None
        for key in keys:
            part = number.get(key)
            if part is not None and totals[part] >= least and big in holders[part] and (
                    found is None or self._before(part, found)):
                found = part
        return found

    def _windows_of(self, big: int):
        """The windows ``big``'s ratings may come from."""
        window, key = self._window[big], self._key[big]
        if window is not _MANY:
            return (window,)
        if key[0] == "on_duty":
            return [w for w, members in self._rota.items() if key[1] in members]
        if key[1] not in self._windows_under:
            self._windows_under[key[1]] = [w for w in self._org.window_unit if key[1] in self._chain(w)]
        return self._windows_under[key[1]]

    def _decide(self, key: int) -> bool:
        totals, least, smallest = self._total, self.min_group, self._smallest
        total = totals[key]
        if total < least:
            return False
        for big in self._holders[key]:  # a loop, not any() over a generator: asked of every answer a change reaches
            other = totals[big]
            if other >= least and (total < other < total + least or key in smallest.get(big, ())):
                return False
        return True

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

    def figure(self, key: AnswerKey) -> tuple[bool, tuple[int, ...]]:
        """A named answer's decision and its count at each level 1 … 5, numbered once: the keeper asks it of every
        answer a refresh changed (a day at 10 M ratings: 70,000), where ``is_shown`` and ``counts`` would number
        each twice and make a dict between."""
        numbered = self.numbered(key)
        number = self._id.get(numbered)
        packed = 0 if number is None else self._packed[number]
        return numbered in self.shown, tuple(packed >> shift & _MASK for shift in _SHIFTS)

    def cells_of(self, key: AnswerKey) -> frozenset[Cell]:
        """A named answer's cells, looked for among all (for tests and audits)."""
        number = self._number_of(key)
        found = frozenset(Cell(self._names[w], None if m is None else self._names[m], day, hour)
                          for (w, m, day, hour) in self._cells if number in self._answers((w, m, day, hour)))
        self._forget_asked()
        return found


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
