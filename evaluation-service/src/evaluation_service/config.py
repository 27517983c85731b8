"""evaluation-service's own settings: quorum, deadlines, ranking minimum, anonymity and star thresholds,
how often the dashboards' figures are worked out again, how old a rating may arrive and how many online
ratings a window takes, and which parties each kind of round waits for and how long.

Each is read from the environment through ``settings.env`` (documented in the shared ``VARIABLES``);
unset, the policy's default below applies. A value the policy forbids stops the service at start.
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import time, timedelta

from pacesetter_shared.config import ConfigurationError, Settings
from pacesetter_shared.workdays import DEFAULT_END_OF_DAY, parse_end_of_day

from .domain.model import DEFAULT_QUORUM_PERCENT, MIN_ANONYMOUS_GROUP
from .domain.parties import DEFAULT_PARTY_TERMS, PartyTerms, RoundKind
from .domain.ratings import FOLLOWUP_WORKING_DAYS, MIN_RANKED_RATINGS, IntakeRule
from .domain.stars import DEFAULT_STAR_RULE, StarRule
from .service.figures import FigurePolicy


@dataclass(frozen=True)
class EvaluationConfig:
    min_group: int = MIN_ANONYMOUS_GROUP  # fewest raters whose aggregate may be shown (never below 3)
    quorum_percent: float = DEFAULT_QUORUM_PERCENT  # at a deadline, shown parties must weigh this much
    followup_working_days: int = FOLLOWUP_WORKING_DAYS  # 差评整改 deadline
    deadline_end_of_day: time = DEFAULT_END_OF_DAY  # a working-day deadline is the end of its last day
    instant_round_days: int = 14  # 一事一评: how long the round of a fulfilled instant pledge stays open
    # per kind of round, the parties it waits for and each one's working days (ROUND_PARTIES_<KIND>)
    party_terms: Mapping[RoundKind, PartyTerms] = field(default_factory=lambda: dict(DEFAULT_PARTY_TERMS))
    ranking_min_ratings: int = MIN_RANKED_RATINGS  # fewer ratings earn no place in a ranking
    stars: StarRule = field(default_factory=lambda: DEFAULT_STAR_RULE)
    # how stale a dashboard may be: the figures keeper takes new ratings into the figures this often. A timer rather
    # than a refresh on each rating: one turn takes in every rating since, whatever the kiosks' rate, keeps
    # the kiosks' path free of it, and costs a look at an index when nothing arrived; 0: on every read
    disclosure_refresh_seconds: int = 30
    # how old a rating may arrive, and the cap on a window's online ratings
    intake: IntakeRule = field(default_factory=IntakeRule)

    @property
    def figures(self) -> FigurePolicy:
        return FigurePolicy(self.min_group, refresh_on_read=self.disclosure_refresh_seconds == 0)


def _read(settings: Settings, kind: str, name: str, default):
    return default if settings.env is None else settings.env.read(kind, name, default)


_UNITS = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}


def _duration(settings: Settings, name: str, default: timedelta) -> timedelta:
    """A span in seconds, or with a unit: 90m, 48h, 2d; at least a second."""
    raw = _read(settings, "str", name, None)
    if raw is None:
        return default
    match = re.fullmatch(r"\s*(\d{1,9})\s*([smhd]?)\s*", raw.lower())
    if not match or int(match[1]) == 0:
        raise ConfigurationError(f"{name}={raw!r}: a span such as 600, 10m, 48h or 2d")
    return timedelta(seconds=int(match[1]) * _UNITS[match[2]])


def _intake(settings: Settings) -> IntakeRule:
    defaults = IntakeRule()
    most = _read(settings, "int", "RATING_WINDOW_ONLINE_MAX", defaults.window_online_max)
    if most < 1:
        raise ConfigurationError(f"RATING_WINDOW_ONLINE_MAX={most}: at least 1 rating")
    return IntakeRule(kiosk_max_age=_duration(settings, "RATING_MAX_AGE_KIOSK", defaults.kiosk_max_age),
                      online_max_age=_duration(settings, "RATING_MAX_AGE_ONLINE", defaults.online_max_age),
                      window_online_max=most,
                      window_online_span=_duration(settings, "RATING_WINDOW_ONLINE_SPAN", defaults.window_online_span))


def _party_terms(settings: Settings) -> dict[RoundKind, PartyTerms]:
    """ROUND_PARTIES_INSTANT_PLEDGE=self:5,peer:5,masses:5,leader:5 … : each kind's parties and working days."""
    terms = dict(DEFAULT_PARTY_TERMS)
    for kind in RoundKind:
        name = f"ROUND_PARTIES_{kind.name}"
        raw = _read(settings, "str", name, None)
        if raw is None:
            continue
        try:
            terms[kind] = PartyTerms.parse(raw)
        except ValueError as exc:
            raise ConfigurationError(f"{name}={raw!r}: {exc}; e.g. self:5,peer:5,masses,leader:5") from None
    return terms


def load_config(settings: Settings) -> EvaluationConfig:
    """The settings, checked; a bad one raises ConfigurationError naming the variable."""
    defaults = EvaluationConfig()
    min_group = settings.min_anonymous_group  # read and floored at 3 by the shared settings
    if min_group < MIN_ANONYMOUS_GROUP:
        raise ConfigurationError(f"ANONYMITY_MIN_GROUP may never be below {MIN_ANONYMOUS_GROUP}")
    quorum = _read(settings, "float", "QUORUM_PERCENT", defaults.quorum_percent)
    if not 0 < quorum <= 100:
        raise ConfigurationError(f"QUORUM_PERCENT={quorum}: a share of the weights from 1 to 100")
    working_days = _read(settings, "int", "FOLLOWUP_WORKING_DAYS", defaults.followup_working_days)
    if working_days < 1:
        raise ConfigurationError(f"FOLLOWUP_WORKING_DAYS={working_days}: at least 1 working day")
    raw_end = _read(settings, "str", "DEADLINE_END_OF_DAY", None)
    try:
        end_of_day = parse_end_of_day(raw_end) if raw_end else defaults.deadline_end_of_day
    except ValueError as exc:
        raise ConfigurationError(f"DEADLINE_END_OF_DAY={exc}") from None
    round_days = _read(settings, "int", "INSTANT_ROUND_DAYS", defaults.instant_round_days)
    if round_days < 1:
        raise ConfigurationError(f"INSTANT_ROUND_DAYS={round_days}: at least 1 day")
    least = _read(settings, "int", "RANKING_MIN_RATINGS", defaults.ranking_min_ratings)
    if least < min_group:
        raise ConfigurationError(
            f"RANKING_MIN_RATINGS={least}: at least ANONYMITY_MIN_GROUP ({min_group}), or a place exposes raters")
    raw = _read(settings, "str", "STAR_THRESHOLDS", None)
    try:
        stars = StarRule.parse(raw) if raw else DEFAULT_STAR_RULE
    except ValueError as exc:
        raise ConfigurationError(f"STAR_THRESHOLDS={raw!r}: {exc}") from None
    stars = StarRule(stars.thresholds, least)  # a star needs as many ratings as a place in the ranking
    refresh = _read(settings, "int", "DISCLOSURE_REFRESH_SECONDS", defaults.disclosure_refresh_seconds)
    if refresh < 0:
        raise ConfigurationError(f"DISCLOSURE_REFRESH_SECONDS={refresh}: seconds, or 0 to refresh on every read")
    return EvaluationConfig(min_group=min_group, quorum_percent=quorum, followup_working_days=working_days,
                            deadline_end_of_day=end_of_day,
                            instant_round_days=round_days, party_terms=_party_terms(settings),
                            ranking_min_ratings=least, stars=stars,
                            disclosure_refresh_seconds=refresh, intake=_intake(settings))
