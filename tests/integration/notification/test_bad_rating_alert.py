"""Bad-rating alerts against PostgreSQL: crossing the threshold within the span alerts once per span."""
from __future__ import annotations

import dataclasses
import threading
import uuid
from datetime import datetime, timedelta, timezone

import sqlalchemy as sa

from notification_service.consumers import HANDLERS
from pacesetter_shared.events import load_data, new_envelope, prepare_data
from tests.support.statements import DriverStatements

BRANCH, WINDOW = uuid.uuid4(), uuid.uuid4()
START = datetime(2025, 3, 2, 1, 0, tzinfo=timezone.utc)


def _setup(notification):
    notification.deliver("directory.unit_upserted", {"unit_id": BRANCH, "name": "图书馆党支部", "kind": "branch",
                                                     "parent_id": None, "revision": 1})
    ids = {"responsible": uuid.uuid4(), "secretary": uuid.uuid4()}
    for key, name, language, roles in [("responsible", "刘岗长", "zh", []),
                                       ("secretary", "Zhang Wei", "en", [("branch_secretary", BRANCH)])]:
        notification.deliver("directory.person_upserted", {
            "person_id": ids[key], "name": name, "language": language, "unit_id": BRANCH, "member_status": "full",
            "revision": 1, "roles": [{"role": r, "unit_id": u} for r, u in roles + [("member", BRANCH)]]})
    return ids


def bad_rating(ids, minutes: int, level: int = 2, reasons=("服务态度",)):
    data = prepare_data("feedback.negative", 1, {
        "case_id": uuid.uuid4(), "window_id": WINDOW, "unit_id": BRANCH, "responsible_id": ids["responsible"],
        "level": level, "reasons": list(reasons), "deadline": START + timedelta(days=3)})
    return dataclasses.replace(new_envelope("feedback.negative", 1, "test", str(WINDOW), data),
                               occurred_at=START + timedelta(minutes=minutes))


def rate(notification, ids, minutes: int, level: int = 2, reasons=("服务态度",)):
    envelope = bad_rating(ids, minutes, level, reasons)
    with notification.uow_factory() as uow:
        HANDLERS[envelope.type](uow, envelope, load_data(envelope.type, 1, envelope.data))
    return envelope


def alerts(notification, person):
    page = notification.client.get("/api/notifications", query_string={"limit": 200},
                                   headers=notification.headers(person)).json
    return [n for n in page["items"] if n["event_type"] == "notification.bad_rating_alert"]


def test_three_bad_ratings_within_an_hour_alert_once_with_the_most_frequent_reasons(notification):
    ids = _setup(notification)
    rate(notification, ids, 0, reasons=["服务态度", "服务效率"])
    rate(notification, ids, 10, level=3)  # a complaint rated 基本满意 is not 不满意 or worse: not counted
    second = rate(notification, ids, 20, level=1, reasons=["服务态度"])
    assert alerts(notification, ids["responsible"]) == []
    third = rate(notification, ids, 50, reasons=["服务态度", "其他"])
    notification.redeliver(third)
    notification.redeliver(second)

    [alert] = alerts(notification, ids["responsible"])
    assert alert["title"] == "差评预警：图书馆党支部服务窗口"
    assert alert["body"] == ("图书馆党支部的服务窗口在 60 分钟内收到 3 条“不满意”及以下评价，"
                             "最常见的原因：服务态度（3）、服务效率（1）、其他（1）。请立即核查并整改。")
    assert alert["link"] == f"/windows/{WINDOW}"
    [english] = alerts(notification, ids["secretary"])
    assert english["title"] == "Bad-rating alert: a service window of 图书馆党支部"

    with DriverStatements() as sent:
        rate(notification, ids, 70)  # a fourth within the same span as the alert: no second alert
    assert len(alerts(notification, ids["responsible"])) == 1
    # counted for the next span, but the window's hour of bad ratings is not read again to find that out
    assert len(sent.starting("INSERT INTO bad_ratings")) == 1
    assert not [t for t in sent.texts if t.startswith("SELECT") and "FROM bad_ratings" in t], sent.texts
    rate(notification, ids, 111)
    rate(notification, ids, 112)  # an hour after the alert, three again within the hour
    assert len(alerts(notification, ids["responsible"])) == 2
    assert len(alerts(notification, ids["secretary"])) == 2


def test_ratings_spread_over_more_than_the_span_do_not_alert(notification):
    ids = _setup(notification)
    for minutes in (0, 45, 90, 135):
        rate(notification, ids, minutes)
    assert alerts(notification, ids["responsible"]) == []


def test_two_consumers_crossing_the_threshold_at_once_alert_once(notification):
    ids = _setup(notification)
    rate(notification, ids, 0)
    rate(notification, ids, 10)
    barrier = threading.Barrier(2)

    def third(minutes):
        barrier.wait()
        rate(notification, ids, minutes)

    racers = [threading.Thread(target=third, args=(m,)) for m in (20, 21)]
    for racer in racers:
        racer.start()
    for racer in racers:
        racer.join(30)
    assert len(alerts(notification, ids["responsible"])) == 1
    assert len(alerts(notification, ids["secretary"])) == 1


def test_a_consumer_batch_of_bad_ratings_at_one_window_locks_it_once_and_alerts_once(notification):
    ids = _setup(notification)
    rate(notification, ids, -120)  # the window's first, long before: its alert row is there
    batch = [bad_rating(ids, minutes) for minutes in (0, 5, 10, 15, 20)]
    with DriverStatements() as sent, notification.uow_factory() as uow:  # one transaction, as a consumer's batch
        for envelope in batch:
            HANDLERS[envelope.type](uow, envelope, load_data(envelope.type, 1, envelope.data))
    locks = [t for t in sent.texts if "FROM window_alerts" in t and "FOR UPDATE" in t]
    assert len(locks) == 1, sent.texts
    # the third crossed the threshold; the fourth and fifth came within the span of that alert
    [alert] = alerts(notification, ids["responsible"])
    assert "3 条" in alert["body"]
    # Until the alert each bad rating is sent just before it reads the hour (it must count itself); the
    # fourth and fifth, within the alert's span, read nothing and go together with the commit.
    inserts = [i for i, t in enumerate(sent.texts) if t.startswith("INSERT INTO bad_ratings")]
    reads = [i for i, t in enumerate(sent.texts) if t.startswith("SELECT") and "FROM bad_ratings" in t]
    assert len(reads) == 3 and len(inserts) == 4, sent.texts
    assert all(insert < read for insert, read in zip(inserts, reads)) and inserts[-1] > reads[-1]
    with notification.uow_factory() as uow:
        assert uow.session.execute(sa.text("SELECT count(*) FROM bad_ratings")).scalar_one() == 6
    # its alert row was there already: locked and read in one statement
    assert not [t for t in sent.texts if t.startswith("INSERT INTO window_alerts")], sent.texts


def test_a_windows_first_bad_rating_makes_its_alert_row(notification):
    ids = _setup(notification)
    with DriverStatements() as sent:
        rate(notification, ids, 0)
    assert len(sent.starting("INSERT INTO window_alerts")) == 1
    with notification.uow_factory() as uow:
        assert uow.session.execute(sa.text("SELECT count(*) FROM window_alerts")).scalar_one() == 1
    with DriverStatements() as sent:
        rate(notification, ids, 5)
    assert not sent.starting("INSERT INTO window_alerts")
