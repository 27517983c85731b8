"""What a piece of code sends PostgreSQL, seen at the driver: every statement psycopg executes, the
pool's ping and raw cursors included (an executemany is pipelined: one entry)."""
from __future__ import annotations

import psycopg


class DriverStatements:
    """``with DriverStatements() as sent:`` — ``sent.texts`` lists each statement's SQL, in order."""

    def __init__(self):
        self.texts: list[str] = []
        self._methods = {name: getattr(psycopg.Cursor, name) for name in ("execute", "executemany")}

    def __enter__(self) -> "DriverStatements":
        for name, method in self._methods.items():
            setattr(psycopg.Cursor, name, self._seen(method))
        return self

    def __exit__(self, *_) -> None:
        for name, method in self._methods.items():
            setattr(psycopg.Cursor, name, method)

    def _seen(self, method):
        def execute(cursor, query, *args, **kwargs):
            text = query.decode() if isinstance(query, bytes) else query if isinstance(query, str) else str(query)
            self.texts.append(" ".join(text.split()))
            return method(cursor, query, *args, **kwargs)
        return execute

    def starting(self, prefix: str) -> list[str]:
        return [t for t in self.texts if t.upper().startswith(prefix.upper())]
