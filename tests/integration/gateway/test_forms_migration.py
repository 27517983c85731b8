"""The gateway's migration 0005 (issue 21): the form templates' and the yearly archives' tables come and go, on PostgreSQL and on the
embedded mode's SQLite; the directory before it is left as it was."""
from __future__ import annotations

import pytest
import sqlalchemy as sa
from alembic import command

from gateway.app import MIGRATIONS
from pacesetter_shared import migrations
from pacesetter_shared.db import make_engine


@pytest.mark.parametrize("backend", ["postgresql", "sqlite"])
def test_the_form_templates_and_archives_tables_are_added_and_removed(backend, fresh_database, tmp_path):
    url = fresh_database("gwforms") if backend == "postgresql" else f"sqlite:///{tmp_path}/gateway.sqlite"
    migrations.upgrade(MIGRATIONS, url, "0005")
    engine = make_engine(url, poolclass=sa.pool.NullPool)
    columns = {c["name"] for c in sa.inspect(engine).get_columns("form_templates")}
    assert {"organisation_id", "kind", "version", "content", "fields", "active"} <= columns
    assert {"unit_id", "year", "state", "requester", "done", "total", "content"} <= {
        c["name"] for c in sa.inspect(engine).get_columns("form_archives")}
    command.downgrade(migrations.alembic_config(MIGRATIONS, url), "0004")
    tables = set(sa.inspect(engine).get_table_names())
    assert not {"form_templates", "form_archives"} & tables and "units" in tables
    migrations.upgrade(MIGRATIONS, url, "0005")
    assert {"form_templates", "form_archives"} <= set(sa.inspect(engine).get_table_names())
    engine.dispose()
