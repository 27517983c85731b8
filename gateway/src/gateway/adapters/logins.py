"""Failed-login counters and the login audit, in the gateway's database.

The counters live in the database, not in the rate limiter's storage: that is memory:// by default, one
count per process, and a lock that holds on one gateway process but not on the next would be no lock. An
account's counter row is locked for the length of an attempt, so guesses sent at once are counted one after
the other; an address's counter is only added to (many people may share one address).
"""
from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from ..domain.logins import LoginRules, Refusal
from .tables import login_audit, login_failures

ACCOUNT, ADDRESS = "account", "address"
_KEY_LENGTH = 64  # login_failures.key, login_audit.username / address


def _key(text: str) -> str:
    return (text or "")[:_KEY_LENGTH]


def _upsert(conn):
    return (postgresql.insert if conn.dialect.name == "postgresql" else sqlite.insert)(login_failures)


class LoginThrottle:
    def __init__(self, rules: LoginRules):
        self.rules = rules

    def refusal(self, conn, username: str, address: str, now: datetime) -> Refusal | None:
        """Whether this attempt must wait; holds the account's counter until the transaction ends."""
        conn.execute(_upsert(conn).values(scope=ACCOUNT, key=_key(username), failures=0, last_failed_at=now)
                     .on_conflict_do_nothing(index_elements=["scope", "key"]))
        account = conn.execute(sa.select(login_failures.c.failures, login_failures.c.last_failed_at).where(
            login_failures.c.scope == ACCOUNT, login_failures.c.key == _key(username)).with_for_update()).first()
        address_row = conn.execute(sa.select(login_failures.c.failures, login_failures.c.last_failed_at).where(
            login_failures.c.scope == ADDRESS, login_failures.c.key == _key(address))).first()
        return self.rules.refusal(tuple(account) if account else None,
                                  tuple(address_row) if address_row else None, now)

    def failed(self, conn, username: str, address: str, now: datetime) -> None:
        for scope, key in ((ACCOUNT, username), (ADDRESS, address)):
            statement = _upsert(conn).values(scope=scope, key=_key(key), failures=1, last_failed_at=now)
            forgotten = login_failures.c.last_failed_at < now - timedelta(seconds=self.rules.forget_seconds)
            conn.execute(statement.on_conflict_do_update(index_elements=["scope", "key"], set_={
                "failures": sa.case((forgotten, 1), else_=login_failures.c.failures + 1), "last_failed_at": now}))

    @staticmethod
    def succeeded(conn, username: str) -> None:
        """The account's failures are forgotten (not the address's: one's own login must not clear a guesser's)."""
        forget_failures(conn, username)

    @staticmethod
    def audit(conn, username: str, address: str, purpose: str, outcome: str, now: datetime) -> None:
        conn.execute(sa.insert(login_audit).values(at=now, username=_key(username), address=_key(address),
                                                   purpose=purpose, outcome=outcome))


def forget_failures(conn, username: str | None) -> None:
    """An account starts afresh (a successful login, a new password set by the organisation department)."""
    if username:
        conn.execute(sa.delete(login_failures).where(login_failures.c.scope == ACCOUNT,
                                                     login_failures.c.key == _key(username)))
