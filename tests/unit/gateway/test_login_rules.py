"""Growing waits, then a lock, after failed logins; failures forgotten after a while."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from gateway.domain.logins import Backoff, LoginRules, Refusal

NOW = datetime(2026, 12, 1, 8, 0, tzinfo=timezone.utc)
ACCOUNT = Backoff(delay_after=5, lock_after=10, first_delay=2, longest_delay=60, lock_seconds=900)


def test_the_wait_doubles_with_each_failure_until_the_lock():
    waits = [ACCOUNT.refusal(failures, NOW, NOW) for failures in range(12)]
    assert waits[:5] == [None] * 5
    assert waits[5:10] == [Refusal(s, False) for s in (2, 4, 8, 16, 32)]
    assert waits[10:] == [Refusal(900, True)] * 2


def test_the_wait_counts_from_the_last_failure_and_is_capped():
    assert ACCOUNT.refusal(7, NOW - timedelta(seconds=5), NOW) == Refusal(3, False)
    assert ACCOUNT.refusal(7, NOW - timedelta(seconds=8), NOW) is None
    assert ACCOUNT.refusal(9, NOW - timedelta(seconds=0.5), NOW) == Refusal(32, False)  # whole seconds, up
    assert ACCOUNT.refusal(10, NOW - timedelta(seconds=900), NOW) is None  # the lock is over
    capped = Backoff(delay_after=1, lock_after=10 ** 9, first_delay=2, longest_delay=60, lock_seconds=900)
    assert capped.refusal(10 ** 7, NOW, NOW) == Refusal(60, False)  # a huge count neither overflows nor locks


def test_the_longer_of_account_and_address_waits_and_old_failures_are_forgotten():
    rules = LoginRules()
    assert rules.refusal((10, NOW), (31, NOW), NOW) == Refusal(900, True)
    assert rules.refusal((5, NOW), (35, NOW), NOW) == Refusal(60, False)
    assert rules.refusal(None, None, NOW) is None
    long_ago = NOW - timedelta(seconds=rules.forget_seconds + 1)
    assert rules.refusal((50, long_ago), (500, long_ago), NOW) is None
