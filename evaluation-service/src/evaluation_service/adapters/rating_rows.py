"""Ratings of windows into the database, many in one statement (a kiosk's batch)."""
from __future__ import annotations

import functools
import json

from sqlalchemy.dialects import sqlite
from sqlalchemy.orm import Session

from .tables import window_ratings

COLUMNS = ("window_id", "unit_id", "source", "origin", "client_id", "level", "reasons", "tag_set_version",
           "on_duty_id", "rated_at", "received_at")
_KEY = ("window_id", "origin", "client_id")  # what makes a re-sent rating the same one

# The rows as one array per column, unnested: the text is the same for every batch of the same shape, so
# psycopg converts it once and PostgreSQL prepares it (a multi-row VALUES of 100 ratings, 27 kB, was parsed
# again in Python for every batch), and %b sends the arrays in binary (text arrays cost 5 ms a batch to write).
# A value every row shares (a kiosk's batch: its window, unit, tag set, the time received…) goes once, not as
# an array of 100 copies: writing the arrays was most of the statement's cost.
_TYPES = {"window_id": "uuid", "unit_id": "uuid", "source": "varchar(10)", "origin": "varchar(60)",
          "client_id": "varchar(64)", "level": "smallint", "reasons": "jsonb", "tag_set_version": "integer",
          "on_duty_id": "uuid", "rated_at": "timestamptz", "received_at": "timestamptz"}


# Columns sent as one text and split by the server, not as an array psycopg writes element by element in
# Python (most of the statement's cost on the client): the client ids joined by a separator no client id holds
# (WindowRatingIn refuses control characters), the levels as a string of digits.
_SEPARATOR = "\x1f"
_PACKED = {"client_id": f"string_to_array(%s, E'\\x{ord(_SEPARATOR):02x}')::varchar(64)[]",
           "level": "string_to_array(%s, NULL)::smallint[]"}


@functools.lru_cache(maxsize=64)
def _insert_arrays(shared: frozenset, packed: frozenset) -> str:
    """The INSERT for rows whose ``shared`` columns hold one value each: the others unnested from arrays (the
    reasons' JSON as text, since a list of reason lists would go as one two-dimensional array), the ``packed``
    ones split from one text."""
    apart = [c for c in COLUMNS if c not in shared]
    returned = ", ".join(["id", *(c for c in _KEY if c not in shared)])
    arrays = ", ".join(_PACKED[c] if c in packed else "%b::text[]" if c == "reasons" else f"%b::{_TYPES[c]}[]"
                       for c in apart)
    values = ", ".join(f"%b::{_TYPES[c]}" if c in shared else
                       ("r.reasons::jsonb" if c == "reasons" else f"r.{c}") for c in COLUMNS)
    return (f"INSERT INTO window_ratings ({', '.join(COLUMNS)}) SELECT {values} "
            f"FROM unnest({arrays}) AS r({', '.join(apart)}) ON CONFLICT DO NOTHING RETURNING {returned}")


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
        with session.connection().connection.driver_connection.cursor() as cursor:
            if len(rows) == 1:
                row = rows[0] | {"reasons": _reasons_json(rows[0]["reasons"])}
                stored = cursor.execute(_INSERT_ONE, [row[column] for column in COLUMNS]).fetchall()
            else:
                columns = {column: [row[column] for row in rows] for column in COLUMNS}
                columns["reasons"] = [_reasons_json(row["reasons"]) for row in rows]
                # the client ids always as an array: it is what the rows' count comes from
                # (count: an identical object matches without a call to its __eq__, and a batch's are identical)
                shared = frozenset(c for c, values in columns.items()
                                   if c != "client_id" and values.count(values[0]) == len(values))
                packed = _packed(columns, shared)
                params = [columns[c][0] for c in COLUMNS if c in shared] + [
                    packed.get(c, columns[c]) for c in COLUMNS if c not in shared]
                # a shared part of the key is not sent back a hundred times either
                stored = cursor.execute(_insert_arrays(shared, frozenset(packed)), params).fetchall()
                if "window_id" in shared and "origin" in shared:  # a kiosk's batch: only the client ids came back
                    # (and matched by them alone: a key with the window's UUID hashes it in Python, per row)
                    ids = {client_id: rating_id for rating_id, client_id in stored}
                    return [ids.pop(row["client_id"], None) for row in rows]
                if shared & set(_KEY):
                    stored = _with_shared_key(stored, {c: columns[c][0] for c in shared})
    else:
        # executemany with RETURNING: SQLAlchemy sends it as multi-row VALUES ("insertmanyvalues")
        stored = session.execute(sqlite.insert(window_ratings).on_conflict_do_nothing().returning(
            window_ratings.c.id, window_ratings.c.window_id, window_ratings.c.origin, window_ratings.c.client_id),
            rows).all()
    ids = {(window_id, origin, client_id): rating_id for rating_id, window_id, origin, client_id in stored}
    return [ids.pop((row["window_id"], row["origin"], row["client_id"]), None) for row in rows]


def _packed(columns: dict, shared: frozenset) -> dict:
    """The columns that can go as one text each (see _PACKED), as that text."""
    packed = {}
    if "client_id" not in shared:
        joined = _SEPARATOR.join(columns["client_id"])
        if joined.count(_SEPARATOR) == len(columns["client_id"]) - 1:  # else an id holds it: sent as an array
            packed["client_id"] = joined
    if "level" not in shared:
        digits = "".join(map(str, columns["level"]))
        if len(digits) == len(columns["level"]):  # one digit each, as every level is
            packed["level"] = digits
    return packed


def _with_shared_key(stored: list, shared: dict) -> list:
    """The returned rows as (id, window_id, origin, client_id), the key's shared values filled in."""
    apart = [c for c in _KEY if c not in shared]
    rows = []
    for rating_id, *values in stored:
        key = shared | dict(zip(apart, values))
        rows.append((rating_id, *(key[c] for c in _KEY)))
    return rows


def _reasons_json(reasons: list[str]) -> str:
    # most ratings are good ones and give no reason: no encoder call for them
    return json.dumps(reasons, ensure_ascii=False) if reasons else "[]"
