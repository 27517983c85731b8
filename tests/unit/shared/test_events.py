import importlib
import uuid
from datetime import date

import pytest
import sqlalchemy as sa

from pacesetter_shared.db import make_engine, make_session_factory, outbox_table, plumbing_metadata
from pacesetter_shared.events import InvalidEvent, UnknownEvent, load_data, prepare_data, registered_types
from pacesetter_shared.messaging.topology import SUBSCRIPTIONS
from pacesetter_shared.uow import UnitOfWorkFactory

GOOD = {"pledge_id": uuid.uuid4(), "pledger_kind": "member", "pledger_id": uuid.uuid4(), "unit_id": uuid.uuid4(),
        "kind": "annual", "title": "带头学习", "year": 2026, "due_date": date(2026, 12, 31)}


@pytest.fixture
def uow_factory(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path}/x.sqlite")
    plumbing_metadata.create_all(engine)
    return UnitOfWorkFactory(make_session_factory(engine), "pledge"), engine


def test_recording_an_unregistered_event_is_a_programming_error(uow_factory):
    factory, engine = uow_factory
    with pytest.raises(UnknownEvent):
        with factory() as uow:
            uow.record("pledge.teleported", "x", {})
    with engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(outbox_table)).scalar() == 0


def test_recording_invalid_data_names_the_field_and_writes_nothing(uow_factory):
    factory, engine = uow_factory
    with pytest.raises(InvalidEvent) as caught:
        with factory() as uow:
            uow.record("pledge.submitted", "x", GOOD | {"kind": "eternal"})
    assert "kind" in caught.value.errors
    with engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(outbox_table)).scalar() == 0


def test_an_envelope_carries_the_request_correlation_id(uow_factory):
    from pacesetter_shared import context
    factory, _engine = uow_factory
    token = context.correlation_id.set("req-42")
    try:
        with factory() as uow:
            envelope = uow.record("pledge.submitted", GOOD["pledge_id"], GOOD)
    finally:
        context.correlation_id.reset(token)
    assert envelope.correlation_id == "req-42" and envelope.producer == "pledge"
    assert envelope.version == 1 and envelope.type == "pledge.submitted"


def test_consumers_ignore_fields_they_do_not_know():
    payload = prepare_data("pledge.submitted", 1, GOOD) | {"added_in_a_later_release": True}
    assert "added_in_a_later_release" not in load_data("pledge.submitted", 1, payload)


def _matches(pattern: str, key: str) -> bool:
    p, k = pattern.split("."), key.split(".")
    if p[-1] == "#":
        return k[:len(p) - 1] == p[:-1]
    return len(p) == len(k) and all(a in ("*", b) for a, b in zip(p, k))


@pytest.mark.parametrize("service, package", [("pledge", "pledge_service"), ("evaluation", "evaluation_service"),
                                              ("grading", "grading_service"),
                                              ("notification", "notification_service")])
def test_every_handled_event_is_registered_and_bound_to_the_service_queue(service, package):
    handlers = importlib.import_module(f"{package}.consumers").HANDLERS
    registered = {t for t, _v in registered_types()}
    for event_type in handlers:
        assert event_type in registered, f"{service} handles unregistered {event_type}"
        assert any(_matches(p, event_type) for p in SUBSCRIPTIONS[service]), \
            f"{service} handles {event_type} but its queue is not bound to it"
