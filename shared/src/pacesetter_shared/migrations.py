"""Alembic, the same way in every service.

A service keeps its own ``migrations/`` folder (its schema is its own); its ``env.py`` is one
call to ``run_env`` and ``upgrade`` is how the service, the launcher and the tests apply it.
"""
from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.config import Config

from .db import is_postgres, make_engine, normalise_url

# Replicas that start together must not migrate at the same time.
_MIGRATION_LOCK_ID = 0x70616365  # "pace"


def alembic_config(script_location: Path | str, database_url: str) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(script_location))
    cfg.set_main_option("sqlalchemy.url", normalise_url(database_url).replace("%", "%%"))
    return cfg


def upgrade(script_location: Path | str, database_url: str, revision: str = "head") -> None:
    command.upgrade(alembic_config(script_location, database_url), revision)


def run_env(context, target_metadata) -> None:
    """Body of every service's ``migrations/env.py``."""
    url = context.config.get_main_option("sqlalchemy.url")
    if context.is_offline_mode():
        context.configure(url=url, target_metadata=target_metadata, literal_binds=True)
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = make_engine(url, poolclass=sa.pool.NullPool)
    with engine.connect() as connection:
        if is_postgres(connection):
            connection.exec_driver_sql(f"SELECT pg_advisory_lock({_MIGRATION_LOCK_ID})")
            connection.commit()
        try:
            context.configure(connection=connection, target_metadata=target_metadata,
                              render_as_batch=connection.dialect.name == "sqlite")
            with context.begin_transaction():
                context.run_migrations()
            connection.commit()
        finally:
            if is_postgres(connection):
                connection.exec_driver_sql(f"SELECT pg_advisory_unlock({_MIGRATION_LOCK_ID})")
                connection.commit()
    engine.dispose()
