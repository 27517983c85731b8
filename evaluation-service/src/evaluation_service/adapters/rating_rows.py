"""Ratings of windows into the database, many in one statement (a kiosk's batch)."""
from __future__ import annotations

import json

from sqlalchemy.dialects import sqlite
from sqlalchemy.orm import Session

from .tables import window_ratings

COLUMNS = ("window_id", "unit_id", "source", "origin", "client_id", "level", "reasons", "tag_set_version",
           "on_duty_id", "rated_at", "received_at")

# The rows as one array per column, unnested: the text is the same for every batch, so psycopg converts
# it once and PostgreSQL prepares it (a multi-row VALUES of 100 ratings, 27 kB, was parsed again in
# Python for every batch), and %b sends the arrays in binary (text arrays cost 5 ms a batch to write).
_INSERT_ARRAYS = (
    "INSERT INTO window_ratings (" + ", ".join(COLUMNS) + ") "
    "SELECT * FROM unnest(%b::uuid[], %b::uuid[], %b::varchar(10)[], %b::varchar(60)[], %b::varchar(64)[], "
    "%b::smallint[], %b::text[]::jsonb[], %b::integer[], %b::uuid[], %b::timestamptz[], %b::timestamptz[]) "
    "ON CONFLICT DO NOTHING RETURNING id, window_id, origin, client_id"
)
# One rating (a kiosk's single POST): plain values, since eleven one-element arrays cost more to write
# than the row itself.
_INSERT_ONE = (
    "INSERT INTO window_ratings (" + ", ".join(COLUMNS) + ") VALUES ("
    + ", ".join("%s::jsonb" if column == "reasons" else "%s" for column in COLUMNS) + ") "
    "ON CONFLICT DO NOTHING RETURNING id, window_id, origin, client_id"
)


def insert_ratings(session: Session, rows: list[dict]) -> list:
    """Each row's id, or None where that rating (window, origin, client id) was stored before — also
    earlier in the same list, whose first copy counts."""
    if not rows:
        return []
    if session.bind.dialect.name == "postgresql":
        # reasons as JSON text: a list of reason lists would go as one two-dimensional array
        with session.connection().connection.driver_connection.cursor() as cursor:
            if len(rows) == 1:
                row = rows[0] | {"reasons": _reasons_json(rows[0]["reasons"])}
                stored = cursor.execute(_INSERT_ONE, [row[column] for column in COLUMNS]).fetchall()
            else:
                arrays = [[row[column] for row in rows] for column in COLUMNS]
                arrays[COLUMNS.index("reasons")] = [_reasons_json(row["reasons"]) for row in rows]
                stored = cursor.execute(_INSERT_ARRAYS, arrays).fetchall()
    else:
        # executemany with RETURNING: SQLAlchemy sends it as multi-row VALUES ("insertmanyvalues")
        stored = session.execute(sqlite.insert(window_ratings).on_conflict_do_nothing().returning(
            window_ratings.c.id, window_ratings.c.window_id, window_ratings.c.origin, window_ratings.c.client_id),
            rows).all()
    ids = {(window_id, origin, client_id): rating_id for rating_id, window_id, origin, client_id in stored}
    return [ids.pop((row["window_id"], row["origin"], row["client_id"]), None) for row in rows]


def _reasons_json(reasons: list[str]) -> str:
    # most ratings are good ones and give no reason: no encoder call for them
    return json.dumps(reasons, ensure_ascii=False) if reasons else "[]"
