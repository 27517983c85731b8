import importlib
import uuid
from datetime import date

import pytest
import sqlalchemy as sa
from marshmallow import fields

from pacesetter_shared.db import make_engine, make_session_factory, outbox_table, plumbing_metadata
from pacesetter_shared.events import (InvalidEvent, UnknownEvent, event_schema, load_data, prepare_data,
                                     registered_types, routing_key)
from pacesetter_shared.events import registry
from pacesetter_shared.events.registry import EventData
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
        # a type routed by a field is bound by its key with one more word, the field's value
        assert any(_matches(p, event_type) or p.startswith(f"{event_type}.") and p.count(".") == event_type.count(".") + 1
                   for p in SUBSCRIPTIONS[service]), f"{service} handles {event_type} but its queue is not bound to it"


def _receivers(key: str) -> set[str]:
    return {service for service, patterns in SUBSCRIPTIONS.items() if any(_matches(p, key) for p in patterns)}


@pytest.mark.parametrize("kind, receivers", [("pledge", {"pledge", "notification"}),
                                             ("branch", {"grading", "notification"}),
                                             ("member_year", {"notification"}), ("window", {"notification"})])
def test_a_finished_round_is_routed_by_its_target_to_the_services_that_keep_it(kind, receivers):
    data = {"target_kind": kind}
    assert routing_key("evaluation.completed", data) == f"evaluation.completed.{kind}"
    assert _receivers(routing_key("evaluation.completed", data)) == receivers
    # the other types keep their bare type as the key
    assert routing_key("pledge.submitted", GOOD) == "pledge.submitted"
    assert _receivers("pledge.fulfilled") == {"evaluation", "notification"}


def test_every_version_of_a_type_is_routed_by_the_same_field(monkeypatch):
    for name in ("_SCHEMAS", "_ROUTED_BY"):  # the registry as it was, once the test is over
        monkeypatch.setattr(registry, name, dict(getattr(registry, name)))

    @event_schema("test.routed", 1, routed_by="kind")
    class RoutedV1(EventData):
        kind = fields.String(required=True)

    with pytest.raises(RuntimeError, match="same field"):
        @event_schema("test.routed", 2)
        class RoutedV2(EventData):
            kind = fields.String(required=True)
