"""The gateway's own settings, read from the environment (beyond pacesetter_shared.config): the password policy,
when a working day ends for deadlines, and how failed logins slow the next ones."""
from __future__ import annotations

from datetime import time

from pacesetter_shared.config import ConfigurationError
from pacesetter_shared.workdays import DEFAULT_END_OF_DAY, parse_end_of_day

from .domain.logins import Backoff, LoginRules
from .domain.passwords import DEFAULT_POLICY, PasswordPolicy


def password_policy(env) -> PasswordPolicy:
    return PasswordPolicy(min_length=env.read("int", "PASSWORD_MIN_LENGTH", DEFAULT_POLICY.min_length),
                          min_score=env.read("int", "PASSWORD_MIN_SCORE", DEFAULT_POLICY.min_score))


def end_of_day(env) -> time:
    raw = env.read("str", "DEADLINE_END_OF_DAY", None) if env else None
    try:
        return parse_end_of_day(raw) if raw else DEFAULT_END_OF_DAY
    except ValueError as exc:
        raise ConfigurationError(f"DEADLINE_END_OF_DAY={exc}") from None


def login_rules(env) -> LoginRules:
    def backoff(delay_after: str, lock_after: str, defaults: Backoff) -> Backoff:
        return Backoff(delay_after=env.read("int", delay_after, defaults.delay_after),
                       lock_after=env.read("int", lock_after, defaults.lock_after),
                       first_delay=env.read("float", "LOGIN_DELAY_SECONDS", defaults.first_delay),
                       longest_delay=env.read("float", "LOGIN_LONGEST_DELAY_SECONDS", defaults.longest_delay),
                       lock_seconds=env.read("int", "LOGIN_LOCK_SECONDS", defaults.lock_seconds))

    defaults = LoginRules()
    return LoginRules(account=backoff("LOGIN_DELAY_AFTER", "LOGIN_LOCK_AFTER", defaults.account),
                      address=backoff("LOGIN_ADDRESS_DELAY_AFTER", "LOGIN_ADDRESS_LOCK_AFTER", defaults.address),
                      forget_seconds=env.read("int", "LOGIN_FORGET_SECONDS", defaults.forget_seconds))
