"""Which parties each kind of round waits for and how long each has (评议主体与评议时限), and which parties a
closing round leaves out (未达匿名人数的评议主体不计入, 其权重按比例分给其余各方).

Plain Python: no framework here.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import Enum

from pacesetter_shared.i18n import _, term

from .model import PARTY_LABELS, Party, PartyResult, PartyWeights, RoundRaters, TargetKind, party_done


class RoundKind(str, Enum):
    """A kind of round, as its parties and deadlines are set: a pledge's round is 一事一评 for an instant pledge,
    once a year for an annual one."""

    INSTANT_PLEDGE = "instant_pledge"  # 即时承诺: 一事一评, promptly
    ANNUAL_PLEDGE = "annual_pledge"  # 年度承诺: 一年一评
    MEMBER_YEAR = "member_year"  # 党员年度民主评议
    BRANCH = "branch"  # 基层党组织
    WINDOW = "window"  # 服务窗口

    @classmethod
    def of(cls, target_kind: TargetKind, *, instant: bool = False) -> "RoundKind":
        if TargetKind(target_kind) is TargetKind.PLEDGE:
            return cls.INSTANT_PLEDGE if instant else cls.ANNUAL_PLEDGE
        return cls(TargetKind(target_kind).value)


INSTANT_WORKING_DAYS = 5  # the policy's "promptly": an instant pledge is evaluated within five working days


@dataclass(frozen=True)
class PartyTerms:
    """评议时限: the parties a kind of round waits for, each with the working days it has from the round's opening
    (None: until the round's deadline). No parties named: the round waits for every weighted party until its
    deadline, as before. A weighted party it does not wait for still counts if shown when the round closes."""

    working_days: Mapping[Party, int | None]

    @classmethod
    def parse(cls, text: str) -> "PartyTerms":
        """``self:5,peer:5,masses,leader:5``: the parties waited for, each with its working days or none."""
        days: dict[Party, int | None] = {}
        for item in (part.strip() for part in text.split(",")):
            name, _sep, count = item.partition(":")
            party = Party(name.strip())  # ValueError names what is wrong
            if party in days:
                raise ValueError(f"{party.value} named twice")
            if count.strip():
                if not count.strip().isdigit() or not 1 <= int(count) <= 250:
                    raise ValueError(f"{party.value}: working days from 1 to 250, not {count.strip()!r}")
                days[party] = int(count)
            else:
                days[party] = None
        return cls(days)

    def required(self, weights: PartyWeights) -> tuple[Party, ...]:
        """The weighted parties the round waits for: all of them when the terms name none of them (a round that
        waited for no one would close at its first rating)."""
        return tuple(p for p in weights.parties if p in self.working_days) or weights.parties

    def deadlines(self, weights: PartyWeights, opened_at: datetime, deadline: datetime,
                  working_day_deadline: Callable[[datetime, int], datetime]) -> dict[Party, datetime]:
        """Each weighted party's own deadline, never after the round's; a party not waited for rates until the
        round closes (the latest deadline of those waited for)."""
        required = self.required(weights)
        own = {p: deadline if self.working_days.get(p) is None
               else min(working_day_deadline(opened_at, self.working_days[p]), deadline) for p in required}
        closes = max(own.values(), default=deadline)
        return {p: own.get(p, closes) for p in weights.parties}


DEFAULT_PARTY_TERMS = {
    RoundKind.INSTANT_PLEDGE: PartyTerms({p: INSTANT_WORKING_DAYS for p in Party}),
    RoundKind.ANNUAL_PLEDGE: PartyTerms({}),
    RoundKind.MEMBER_YEAR: PartyTerms({}),
    RoundKind.BRANCH: PartyTerms({}),
    RoundKind.WINDOW: PartyTerms({}),
}


def settled(waited: Mapping[Party, datetime], raters: RoundRaters, rated: Mapping[Party, set], min_group: int,
            now: datetime) -> bool:
    """The round may close: every party it waits for is in or past its own deadline."""
    return all(party_done(party, raters, rated.get(party, set()), min_group) or deadline <= now
               for party, deadline in waited.items())


class LeftOutReason(str, Enum):
    """Why a party is not in a result."""

    NONE_RATED = "none_rated"  # no one rated by its deadline
    # fewer raters than the anonymity minimum (a peer or masses part): shown, they could be told apart
    TOO_FEW = "too_few"


def left_out(breakdown: tuple[PartyResult, ...], deadlines: Mapping[Party, datetime]) -> list[dict]:
    """The parties a closing round leaves out (their weight goes to the others in proportion), and why."""
    return [{"party": part.party.value,
             "reason": (LeftOutReason.NONE_RATED if part.raters == 0 else LeftOutReason.TOO_FEW).value,
             "raters": part.raters, "deadline": deadlines[part.party].isoformat()}
            for part in breakdown if part.score is None]


def why_left_out(entry: Mapping, min_group: int):
    """A left-out party, in words for the result."""
    party = term("party", entry["party"], PARTY_LABELS[Party(entry["party"])][1])
    if entry["reason"] == LeftOutReason.NONE_RATED.value:
        return _("{party}: no one rated by its deadline, so it is left out and its weight is shared among the "
                 "others in proportion.", party=party)
    return _("{party}: only {count} rated by its deadline, fewer than the {min_group} that keep raters "
             "anonymous, so it is left out and its weight is shared among the others in proportion.",
             party=party, count=entry["raters"], min_group=min_group)
