"""The password policy says why a password is weak in our words (zxcvbn's English never reaches a user)."""
from __future__ import annotations

import pytest

from gateway.service.demo import DEMO_PASSWORD
from gateway.domain.passwords import PasswordPolicy
from pacesetter_shared.i18n import ZH_CN, translate

POLICY = PasswordPolicy()


@pytest.mark.parametrize("password, reason", [
    ("12345678", "at least 10 characters"),
    ("password", "a commonly used password"),
    ("aaaaaaaa", "repeated characters or words (aaaa, abcabc) are easy to guess"),
    ("iloveyou1234", "a commonly used password"),
    ("abcdefghijkl", "runs such as abcd or 1234 are easy to guess"),
    ("1987-04-12", "dates and years are easy to guess"),
    ("dangyuan2026", "must not contain your user name or name"),
])
def test_weak_passwords_are_refused_and_said_why(password, reason):
    problems = POLICY.problems(password, ("dangyuan", "陈党员", None))
    assert reason in problems
    for problem in problems:  # ours, so each has its Chinese
        chinese = translate(problem, ZH_CN)
        assert chinese != str(problem) and any("\u4e00" <= c <= "\u9fff" for c in chinese), chinese


def test_strong_passwords_and_the_demo_password_pass():
    for password in (DEMO_PASSWORD, "lantern-orchid-1976", "Xk9#mPq2vL!w", "red kite over the autumn field"):
        assert POLICY.problems(password, ("liuwei", "刘伟", "liu@example.edu.cn")) == [], password


def test_a_long_password_is_judged_by_its_start_and_the_settings_count():
    assert POLICY.problems("x" * 200) == ["repeated characters or words (aaaa, abcabc) are easy to guess"]
    assert POLICY.problems("lantern-orchid-1976" + "!" * 150) == []
    strict = PasswordPolicy(min_length=20, min_score=4)
    assert strict.problems("lantern-orchid-1976") == ["at least 20 characters"]
