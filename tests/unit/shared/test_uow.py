"""The unit of work's rows sent later: together at the commit, or earlier when something is about to read them."""
import uuid
from datetime import datetime, timezone

import pytest
import sqlalchemy as sa

from pacesetter_shared.db import insert_ignoring, make_engine, make_session_factory, plumbing_metadata
from pacesetter_shared.db import processed_events_table as processed
from pacesetter_shared.uow import UnitOfWorkFactory

NOW = datetime(2026, 11, 29, tzinfo=timezone.utc)


@pytest.fixture
def uow_factory(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path}/x.sqlite")
    plumbing_metadata.create_all(engine)
    yield UnitOfWorkFactory(make_session_factory(engine), "notification")
    engine.dispose()


def _row() -> dict:
    return {"event_id": uuid.uuid4(), "event_type": "feedback.negative", "processed_at": NOW}


def _count(uow) -> int:
    return uow.session.execute(sa.select(sa.func.count()).select_from(processed)).scalar_one()


def test_rows_waiting_under_a_key_are_sent_when_asked_and_the_rest_with_the_commit(uow_factory):
    with uow_factory() as uow:
        statement = insert_ignoring(uow.session, processed, "event_id")
        uow.insert_later("processed", statement, [_row(), _row()])
        assert _count(uow) == 0
        uow.send_waiting("processed")
        assert _count(uow) == 2
        uow.send_waiting("processed")  # nothing waits any more: nothing sent twice
        uow.send_waiting("nothing under this key")
        uow.insert_later("processed", statement, [_row()])
    with uow_factory() as uow:
        assert _count(uow) == 3


def test_an_insert_ignoring_conflicts_is_built_once_and_skips_a_row_already_there(uow_factory):
    row = _row()
    with uow_factory() as uow:
        statement = insert_ignoring(uow.session, processed, "event_id", returning=("event_id",))
        assert insert_ignoring(uow.session, processed, "event_id", returning=("event_id",)) is statement
        assert insert_ignoring(uow.session, processed, "event_id") is not statement
        assert uow.session.execute(statement, [row]).scalars().all() == [row["event_id"]]
        new = _row()
        assert uow.session.execute(statement, [row, new]).scalars().all() == [new["event_id"]]
        assert _count(uow) == 2
