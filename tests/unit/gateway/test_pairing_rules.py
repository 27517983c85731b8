"""The rules of pairing a device by a short code (RFC 8628), without a database."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from gateway.domain.pairing import (
    EXPIRED, PENDING, POLL_INTERVAL, SLOW_DOWN, USER_CODE_LETTERS, Pairing, new_user_code, shown, typed,
)

NOW = datetime(2026, 12, 5, 8, 0, tzinfo=timezone.utc)


def _pairing(**changes) -> Pairing:
    return Pairing(**({"kind": "kiosk", "expires_at": NOW + timedelta(minutes=10), "approved": False,
                       "collected": False, "last_polled_at": None} | changes))


def test_a_user_code_is_eight_unambiguous_consonants_shown_in_two_groups():
    codes = {new_user_code() for _ in range(200)}
    assert len(codes) == 200  # 20^8 of them: no repeats in a handful
    assert all(len(c) == 8 and set(c) <= set(USER_CODE_LETTERS) for c in codes)
    assert not set("AEIOU01") & set(USER_CODE_LETTERS)  # no words, no look-alikes
    assert shown("BDFGHJKL") == "BDFG-HJKL"


def test_a_code_is_read_as_a_person_types_it():
    assert typed("bdfg-hjkl") == "BDFGHJKL"
    assert typed(" BDFG HJKL ") == "BDFGHJKL"
    assert typed("BDFG-HJK") is None  # too short
    assert typed("BDFG-HJKA") is None  # a vowel is never in a code
    assert typed("") is None


def test_the_device_waits_then_slows_down_then_collects_once():
    assert _pairing().refusal(NOW) == PENDING
    assert _pairing(last_polled_at=NOW - timedelta(seconds=1)).refusal(NOW) == SLOW_DOWN
    assert _pairing(last_polled_at=NOW - timedelta(seconds=POLL_INTERVAL)).refusal(NOW) == PENDING
    assert _pairing(approved=True).refusal(NOW) is None
    assert _pairing(approved=True, collected=True).refusal(NOW) == EXPIRED  # handed out once


def test_an_expired_pairing_is_neither_collected_nor_approved():
    late = NOW + timedelta(minutes=10)
    assert _pairing(approved=True).refusal(late) == EXPIRED
    assert _pairing().can_approve(NOW) and not _pairing().can_approve(late)
    assert not _pairing(approved=True).can_approve(NOW)
