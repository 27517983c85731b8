"""A minimal service for the backbone tests: plumbing tables plus one table of handler effects."""
from __future__ import annotations

import threading
import uuid
from contextlib import contextmanager
from datetime import date

import pytest
import sqlalchemy as sa

from pacesetter_shared.db import make_engine, make_session_factory, plumbing_metadata
from pacesetter_shared.messaging import EventConsumer
from pacesetter_shared.uow import UnitOfWorkFactory

effects_metadata = sa.MetaData()
effects = sa.Table(
    "effects", effects_metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("event_id", sa.Uuid, nullable=False),  # deliberately not unique: doubles must show
    sa.Column("title", sa.String(200), nullable=False),
)


def pledge_data(title: str = "带头服务群众") -> dict:
    return {"pledge_id": uuid.uuid4(), "pledger_kind": "member", "pledger_id": uuid.uuid4(),
            "unit_id": uuid.uuid4(), "kind": "annual", "title": title, "year": 2026,
            "due_date": date(2026, 12, 31)}


def record_effect(uow, envelope, data) -> None:
    uow.session.execute(sa.insert(effects).values(event_id=envelope.id, title=data["title"]))


@pytest.fixture
def bus(fresh_database, make_settings, amqp_url, namespace):
    """Settings, engine and unit-of-work factory of a throwaway consuming service ("notification")."""
    url = fresh_database("bus")
    engine = make_engine(url)
    plumbing_metadata.create_all(engine)
    effects_metadata.create_all(engine)

    class Bus:
        def settings(self, **overrides):
            values = dict(database_url=url, broker_url=amqp_url, events_exchange=namespace,
                          consumer_retry_base_seconds=0.2, consumer_max_retries=3, relay_interval=0.05)
            values.update(overrides)
            return make_settings("notification", **values)

        uow_factory = UnitOfWorkFactory(make_session_factory(engine), "pledge")

        def effect_count(self) -> int:
            with engine.connect() as conn:
                return conn.execute(sa.select(sa.func.count()).select_from(effects)).scalar_one()

        def distinct_effects(self) -> int:
            with engine.connect() as conn:
                return conn.execute(sa.select(sa.func.count(sa.distinct(effects.c.event_id)))).scalar_one()

    b = Bus()
    b.engine = engine
    b.namespace = namespace
    yield b
    engine.dispose()


@contextmanager
def running(target_obj):
    """Run a consumer or relay in a thread for the duration of the block."""
    thread = threading.Thread(target=target_obj.run, daemon=True)
    thread.start()
    if hasattr(target_obj, "ready"):
        assert target_obj.ready.wait(15), "the consumer did not start consuming"
    try:
        yield target_obj
    finally:
        target_obj.stop()
        thread.join(15)


def consumer(bus, handlers=None, read_ahead=None, **overrides) -> EventConsumer:
    settings = bus.settings(**overrides)
    return EventConsumer(settings, "notification", handlers or {"pledge.submitted": record_effect},
                         bus.uow_factory, read_ahead=read_ahead)
