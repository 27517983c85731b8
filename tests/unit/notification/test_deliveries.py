"""Deliveries: which channels an event's notices go to, backoff, giving up, and retrying by hand."""
from __future__ import annotations

import uuid
from datetime import datetime, timedelta, timezone

import pytest

from notification_service.domain.delivery import Channel, Delivery, DeliveryStatus, NotRetryable, RetryPolicy
from notification_service.domain.email import email_message
from notification_service.domain.inbox import notices_for
from notification_service.domain.routing import deliveries_for

NOW = datetime(2025, 3, 1, 8, 0, tzinfo=timezone.utc)


def _delivery() -> Delivery:
    return Delivery(id=uuid.uuid4(), event_id=uuid.uuid4(), event_type="pledge.approved", recipient_id=uuid.uuid4(),
                    channel=Channel.EMAIL, address="a@example.edu.cn", next_attempt_at=NOW, created_at=NOW)


def test_backoff_grows_fourfold_up_to_a_cap():
    policy = RetryPolicy(base=timedelta(seconds=30), factor=4, cap=timedelta(minutes=10))
    assert [policy.delay_after(n) for n in (1, 2, 3, 4)] == [
        timedelta(seconds=30), timedelta(minutes=2), timedelta(minutes=8), timedelta(minutes=10)]


def test_a_delivery_is_retried_until_it_runs_out_of_tries_then_failed():
    policy = RetryPolicy(max_attempts=3, base=timedelta(minutes=1))
    d = _delivery()
    d.attempt_failed(NOW, "connection refused", policy)
    assert (d.status, d.attempts, d.next_attempt_at) == (DeliveryStatus.PENDING, 1, NOW + timedelta(minutes=1))
    d.attempt_failed(NOW, "connection refused", policy)
    d.attempt_failed(NOW, "timed out", policy)
    assert (d.status, d.attempts, d.next_attempt_at, d.last_error) == (DeliveryStatus.FAILED, 3, None, "timed out")


def test_only_a_failed_delivery_is_retried_by_hand_and_it_starts_counting_again():
    d = _delivery()
    with pytest.raises(NotRetryable):
        d.retry_by_hand(NOW)
    d.attempt_failed(NOW, "refused", RetryPolicy(max_attempts=1))
    d.retry_by_hand(NOW + timedelta(hours=1))
    assert (d.status, d.attempts, d.next_attempt_at) == (DeliveryStatus.PENDING, 0, NOW + timedelta(hours=1))
    d.succeeded(NOW + timedelta(hours=2))
    assert (d.status, d.attempts, d.delivered_at) == (DeliveryStatus.DELIVERED, 1, NOW + timedelta(hours=2))
    with pytest.raises(NotRetryable):
        d.retry_by_hand(NOW)


def test_every_notice_is_in_the_inbox_at_once_and_mailed_to_whoever_has_an_address(org, sample_data):
    mailed = org.directory.add_person("刘党员", language="en", email="liu@example.edu.cn")
    data = sample_data("grading.cycle_opened", branch_ids=[org.branch, org.other_branch])
    org.directory.roles.add((mailed, "branch_secretary", org.other_branch))
    notices = notices_for(uuid.uuid4(), "grading.cycle_opened", data, org.directory, NOW)
    found = {(d.recipient_id, d.channel): d for d in deliveries_for(notices, org.directory, NOW, {})}
    assert set(found) == {(org.secretary, Channel.INBOX), (org.other_secretary, Channel.INBOX),
                          (mailed, Channel.INBOX), (mailed, Channel.EMAIL)}
    assert {d.status for (_, c), d in found.items() if c is Channel.INBOX} == {DeliveryStatus.DELIVERED}
    email = found[(mailed, Channel.EMAIL)]
    assert (email.status, email.address, email.next_attempt_at) == (DeliveryStatus.PENDING, "liu@example.edu.cn", NOW)
    assert email.message["language"] == "en" and email.message["title"].startswith("The ")


def test_an_email_has_the_same_words_as_plain_text_and_escaped_html():
    message = {"title": "承诺已公开：《<迎新>》", "body": "第一行\n第二行 & more", "link": "/pledges/1", "language": "zh"}
    mail = email_message(message, "https://dj.example.edu.cn/")
    assert mail["subject"] == "承诺已公开：《<迎新>》"
    assert mail["text"].startswith("第一行\n第二行 & more\n\n在平台中查看：https://dj.example.edu.cn/pledges/1")
    assert "<h2>承诺已公开：《&lt;迎新&gt;》</h2><p>第一行</p><p>第二行 &amp; more</p>" in mail["html"]
    assert '<a href="https://dj.example.edu.cn/pledges/1">在平台中查看</a>' in mail["html"]
