"""Login, access tokens, refresh, logout and one's own password.

Authentication sits behind one seam, ``Authenticator``: today a password check, tomorrow the
campus CAS or OIDC, without touching what comes after (sessions and tokens).

Access tokens are short-lived HS256 JWTs carrying what the services need (roles, branch,
language), so a request needs no database lookup; refresh tokens are opaque, stored hashed,
rotated on use and revoked at logout. A revoked session's access token is refused within
``REVOCATION_REFRESH`` seconds by every gateway process, at once by the one that revoked it.
The same revocation ends a person's sessions when their password is reset, their account is
disabled or their roles change (``revoke_sessions``, from the directory's use cases): the claims
an access token carries are never older than the person's entry for longer than that.

Sessions made from one another by refresh form a chain; a refresh token that was already rotated,
shown again, means two holders of one chain (one of them a thief), and the whole chain ends
(RFC 9700, refresh token reuse detection). Failed logins slow the next ones (``logins``).
"""
from __future__ import annotations

import hashlib
import secrets
import threading
import time
import uuid
from datetime import datetime, timedelta, timezone
from typing import Protocol

import jwt
import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from pacesetter_shared.directory import NO_UNIT
from pacesetter_shared.i18n import _
from pacesetter_shared.identity import Identity, RoleGrant, sign_identity

from ..adapters.logins import LoginThrottle
from ..adapters.tables import auth_sessions, persons, role_grants
from ..domain.logins import LoginRules, Refusal
from ..domain.passwords import PasswordPolicy

ACCESS_TTL = 600
REFRESH_TTL = 14 * 24 * 3600
REVOCATION_REFRESH = 5.0

_hasher = PasswordHasher()


class AuthenticationFailed(Exception):
    def __init__(self, message: str | None = None):
        super().__init__(message if message is not None else _("Wrong username or password."))


class LoginThrottled(Exception):
    """Too many failed attempts: this one waits (429, Retry-After)."""

    def __init__(self, refusal: Refusal):
        super().__init__(
            _("Too many failed attempts: logging in is locked for {seconds} s.", seconds=refusal.seconds)
            if refusal.locked else _("Too many failed attempts; try again in {seconds} s.", seconds=refusal.seconds))
        self.retry_after = refusal.seconds


class PasswordRefused(Exception):
    """A password change the person may not make as asked (422, the field named)."""

    def __init__(self, message: str, details: dict):
        super().__init__(message)
        self.details = details


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def revoke_sessions(conn, person_id: uuid.UUID, *, keep: str | None = None) -> list[str]:
    """End every open session of the person (but ``keep``); the ended sessions' ids. ``conn``: a connection or
    session, inside the transaction that makes the change."""
    ended = sa.update(auth_sessions).where(auth_sessions.c.person_id == person_id, auth_sessions.c.revoked_at.is_(None))
    if keep is not None:
        ended = ended.where(auth_sessions.c.id != uuid.UUID(keep))
    return [str(i) for i in conn.execute(ended.values(revoked_at=datetime.now(timezone.utc))
                                         .returning(auth_sessions.c.id)).scalars()]


class Authenticator(Protocol):
    def authenticate(self, conn, credentials: dict) -> uuid.UUID:
        """Return the person id the credentials prove, or raise AuthenticationFailed."""


class PasswordAuthenticator:
    # A fixed hash to verify against when the user does not exist, so that timing does not
    # tell which usernames exist.
    _decoy = _hasher.hash(secrets.token_hex(8))

    def authenticate(self, conn, credentials: dict) -> uuid.UUID:
        row = conn.execute(sa.select(persons.c.id, persons.c.password_hash, persons.c.active)
                           .where(persons.c.username == credentials.get("username", ""))).first()
        try:
            _hasher.verify(row.password_hash if row and row.password_hash else self._decoy,
                           credentials.get("password", ""))
        except (VerificationError, InvalidHashError):
            raise AuthenticationFailed() from None
        if row is None or not row.active:
            raise AuthenticationFailed()
        return row.id


def _hash_refresh(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def load_identity(conn, person_id: uuid.UUID) -> Identity:
    person = conn.execute(sa.select(persons).where(persons.c.id == person_id)).first()
    grants = conn.execute(sa.select(role_grants.c.role, role_grants.c.unit_id)
                          .where(role_grants.c.person_id == person_id)).all()
    return Identity(
        subject=str(person.id), kind="person", name=person.name,
        unit_id=str(person.unit_id) if person.unit_id else None,
        roles=tuple(sorted((RoleGrant(g.role, None if g.unit_id == NO_UNIT else str(g.unit_id)) for g in grants),
                           key=lambda g: (g.role, g.unit_id or ""))),
        language=person.language,
    )


class TokenService:
    def __init__(self, engine: sa.Engine, secret: str, identity_private_key: str,
                 authenticator: Authenticator | None = None, login_rules: LoginRules | None = None,
                 passwords: PasswordPolicy | None = None):
        self.engine = engine
        self.secret = secret
        self.identity_private_key = identity_private_key
        self.authenticator = authenticator or PasswordAuthenticator()
        self.throttle = LoginThrottle(login_rules or LoginRules())
        self.passwords = passwords or PasswordPolicy()
        self._cache: dict[str, tuple[str, Identity, str, int]] = {}
        self._revoked: set[str] = set()
        # Ended by this process and not yet seen in a reload (one read before their commit would drop them).
        self._ended_here: set[str] = set()
        self._revoked_loaded = 0.0
        self._lock = threading.Lock()

    # -- sessions ----------------------------------------------------------------------
    def login(self, credentials: dict, address: str = "") -> dict:
        """Tokens for the credentials, or AuthenticationFailed; LoginThrottled, whatever the credentials, while
        failed attempts at the account or from the address make this one wait. Every attempt is audited."""
        username, now = credentials.get("username", ""), datetime.now(timezone.utc)
        failure = tokens = None
        with self.engine.begin() as conn:
            refusal = self.throttle.refusal(conn, username, address, now)
            if refusal is None:
                try:
                    person_id = self.authenticator.authenticate(conn, credentials)
                except AuthenticationFailed as exc:
                    failure = exc
                    self.throttle.failed(conn, username, address, now)
                else:
                    self.throttle.succeeded(conn, username)
                    tokens = self._open_session(conn, person_id)
            self.throttle.audit(conn, username, address, "login", _outcome(refusal, failure), now)
        if refusal is not None:
            raise LoginThrottled(refusal)
        if failure is not None:
            raise failure
        return tokens

    def _open_session(self, conn, person_id: uuid.UUID, chain_id: uuid.UUID | None = None) -> dict:
        now = datetime.now(timezone.utc)
        session_id, refresh = uuid.uuid4(), secrets.token_urlsafe(32)
        conn.execute(sa.insert(auth_sessions).values(
            id=session_id, person_id=person_id, refresh_hash=_hash_refresh(refresh), created_at=now,
            expires_at=now + timedelta(seconds=REFRESH_TTL), chain_id=chain_id or session_id))
        return self._tokens(conn, person_id, session_id, refresh)

    def _tokens(self, conn, person_id, session_id, refresh: str) -> dict:
        identity = load_identity(conn, person_id)
        now = int(time.time())
        access = jwt.encode({"sub": str(person_id), "sid": str(session_id), "iat": now, "exp": now + ACCESS_TTL,
                             "typ": "access", "idn": identity.to_claims()}, self.secret, algorithm="HS256")
        return {"access_token": access, "refresh_token": refresh, "token_type": "Bearer", "expires_in": ACCESS_TTL,
                "person": {"id": identity.subject, "name": identity.name, "language": identity.language,
                           "unit_id": identity.unit_id,
                           "roles": [{"role": g.role, "unit_id": g.unit_id} for g in identity.roles]}}

    def refresh(self, refresh_token: str) -> dict:
        now = datetime.now(timezone.utc)
        not_valid = AuthenticationFailed(_("The refresh token is not valid; log in again."))
        with self.engine.begin() as conn:
            row = conn.execute(sa.select(auth_sessions).where(
                auth_sessions.c.refresh_hash == _hash_refresh(refresh_token or ""))).first()
            if row is None or row.expires_at < now:
                raise not_valid
            # Rotate: the old refresh token dies with the old session. Already dead (rotated, here or by a
            # concurrent refresh, or ended): a second holder of the chain, so the whole chain ends.
            rotated = conn.execute(sa.update(auth_sessions).where(
                auth_sessions.c.id == row.id, auth_sessions.c.revoked_at.is_(None)).values(revoked_at=now))
            reused = rotated.rowcount != 1
            if reused:
                ended = [str(i) for i in conn.execute(
                    sa.update(auth_sessions).where(auth_sessions.c.chain_id == row.chain_id,
                                                   auth_sessions.c.revoked_at.is_(None))
                    .values(revoked_at=now).returning(auth_sessions.c.id)).scalars()]
            elif conn.execute(sa.select(persons.c.active).where(persons.c.id == row.person_id)).scalar():
                tokens = self._open_session(conn, row.person_id, row.chain_id)
            else:
                # not reached while disabling ends the sessions; kept for accounts disabled before that
                raise AuthenticationFailed(_("The account is disabled."))
        self.forget(ended if reused else [str(row.id)])
        if reused:
            raise not_valid
        return tokens

    def logout(self, session_id: str) -> None:
        with self.engine.begin() as conn:
            conn.execute(sa.update(auth_sessions).where(auth_sessions.c.id == uuid.UUID(session_id),
                                                        auth_sessions.c.revoked_at.is_(None))
                         .values(revoked_at=datetime.now(timezone.utc)))
        self.forget([session_id])

    def change_password(self, person_id: uuid.UUID, session_id: str, current: str, new: str,
                        address: str = "") -> None:
        """One's own password: the current one proven (throttled and audited like a login), the new one kept
        to the policy; every other session of the person ends, this one goes on."""
        now = datetime.now(timezone.utc)
        refusal = failure = None
        ended: list[str] = []
        with self.engine.begin() as conn:
            person = conn.execute(sa.select(persons).where(persons.c.id == person_id)).one()
            problems = self.passwords.problems(new, (person.username, person.name, person.email))
            if new == current:
                problems.insert(0, _("must differ from the current password"))
            if problems:
                raise PasswordRefused(_("The new password is not accepted: {reason}", reason=problems[0]),
                                      {"new_password": problems})
            refusal = self.throttle.refusal(conn, person.username, address, now)
            if refusal is None:
                try:
                    _hasher.verify(person.password_hash or "", current)
                except (VerificationError, InvalidHashError):
                    failure = PasswordRefused(_("The current password is wrong."),
                                              {"current_password": [_("not your current password")]})
                    self.throttle.failed(conn, person.username, address, now)
                else:
                    self.throttle.succeeded(conn, person.username)
                    conn.execute(sa.update(persons).where(persons.c.id == person_id)
                                 .values(password_hash=hash_password(new)))
                    ended = revoke_sessions(conn, person_id, keep=session_id)
            self.throttle.audit(conn, person.username, address, "password_change", _outcome(refusal, failure), now)
        if refusal is not None:
            raise LoginThrottled(refusal)
        if failure is not None:
            raise failure
        self.forget(ended)

    def forget(self, session_ids: list[str]) -> None:
        """Ended sessions refused at once by this process (the others learn it within REVOCATION_REFRESH)."""
        if not session_ids:
            return
        with self._lock:
            self._revoked.update(session_ids)
            self._ended_here.update(session_ids)
            for token in [t for t, v in self._cache.items() if v[2] in session_ids]:
                self._cache.pop(token, None)

    def reload_revocations(self) -> None:
        """Sessions ended by a change elsewhere in this process (the directory's): refused from the next request."""
        self._revoked_loaded = float("-inf")

    # -- per request -------------------------------------------------------------------
    def _refresh_revocations(self) -> None:
        if time.monotonic() - self._revoked_loaded < REVOCATION_REFRESH:
            return
        since = datetime.now(timezone.utc) - timedelta(seconds=ACCESS_TTL + 60)
        with self.engine.connect() as conn:
            revoked = {str(r) for r in conn.execute(
                sa.select(auth_sessions.c.id).where(auth_sessions.c.revoked_at >= since)).scalars()}
        with self._lock:
            self._ended_here -= revoked
            self._revoked = revoked | self._ended_here
            self._revoked_loaded = time.monotonic()

    def identity_for(self, access_token: str) -> tuple[Identity, str, str]:
        """(identity, signed identity token for the services, session id) or AuthenticationFailed."""
        self._refresh_revocations()
        cached = self._cache.get(access_token)
        now = time.time()
        if cached is not None and cached[3] > now:
            signed, identity, sid, _exp = cached
            if sid in self._revoked:
                raise AuthenticationFailed(_("The session has ended; log in again."))
            return identity, signed, sid
        try:
            claims = jwt.decode(access_token, self.secret, algorithms=["HS256"],
                                options={"require": ["exp", "sub", "sid", "typ"]})
        except jwt.ExpiredSignatureError:
            raise AuthenticationFailed(_("The access token has expired; refresh it.")) from None
        except jwt.PyJWTError:
            raise AuthenticationFailed(_("The access token is not valid.")) from None
        if claims["typ"] != "access" or claims["sid"] in self._revoked:
            raise AuthenticationFailed(_("The session has ended; log in again."))
        identity = Identity.from_claims(claims["idn"])
        signed = sign_identity(identity, self.identity_private_key, ttl_seconds=int(claims["exp"] - now) + 5)
        with self._lock:
            if len(self._cache) > 10000:
                self._cache.clear()
            self._cache[access_token] = (signed, identity, claims["sid"], claims["exp"])
        return identity, signed, claims["sid"]


def _outcome(refusal: Refusal | None, failure: Exception | None) -> str:
    if refusal is not None:
        return "locked" if refusal.locked else "delayed"
    return "failed" if failure is not None else "succeeded"
