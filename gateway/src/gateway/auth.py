"""Login, access tokens, refresh and logout.

Authentication sits behind one seam, ``Authenticator``: today a password check, tomorrow the
campus CAS or OIDC, without touching what comes after (sessions and tokens).

Access tokens are short-lived HS256 JWTs carrying what the services need (roles, branch,
language), so a request needs no database lookup; refresh tokens are opaque, stored hashed,
rotated on use and revoked at logout. A revoked session's access token is refused within
``REVOCATION_REFRESH`` seconds by every gateway process, at once by the one that revoked it.
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

from .adapters.tables import auth_sessions, persons, role_grants

ACCESS_TTL = 600
REFRESH_TTL = 14 * 24 * 3600
REVOCATION_REFRESH = 5.0

_hasher = PasswordHasher()


class AuthenticationFailed(Exception):
    def __init__(self, message: str | None = None):
        super().__init__(message if message is not None else _("Wrong username or password."))


def hash_password(password: str) -> str:
    return _hasher.hash(password)


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
                 authenticator: Authenticator | None = None):
        self.engine = engine
        self.secret = secret
        self.identity_private_key = identity_private_key
        self.authenticator = authenticator or PasswordAuthenticator()
        self._cache: dict[str, tuple[str, Identity, str, int]] = {}
        self._revoked: set[str] = set()
        self._revoked_loaded = 0.0
        self._lock = threading.Lock()

    # -- sessions ----------------------------------------------------------------------
    def login(self, credentials: dict) -> dict:
        with self.engine.begin() as conn:
            person_id = self.authenticator.authenticate(conn, credentials)
            return self._open_session(conn, person_id)

    def _open_session(self, conn, person_id: uuid.UUID) -> dict:
        now = datetime.now(timezone.utc)
        session_id, refresh = uuid.uuid4(), secrets.token_urlsafe(32)
        conn.execute(sa.insert(auth_sessions).values(
            id=session_id, person_id=person_id, refresh_hash=_hash_refresh(refresh), created_at=now,
            expires_at=now + timedelta(seconds=REFRESH_TTL)))
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
        with self.engine.begin() as conn:
            row = conn.execute(sa.select(auth_sessions).where(
                auth_sessions.c.refresh_hash == _hash_refresh(refresh_token or ""))).first()
            if row is None or row.revoked_at is not None or row.expires_at.replace(tzinfo=timezone.utc) < now:
                raise AuthenticationFailed(_("The refresh token is not valid; log in again."))
            active = conn.execute(sa.select(persons.c.active).where(persons.c.id == row.person_id)).scalar()
            if not active:
                raise AuthenticationFailed(_("The account is disabled."))
            # Rotate: the old refresh token dies with the old session.
            conn.execute(sa.update(auth_sessions).where(auth_sessions.c.id == row.id).values(revoked_at=now))
            return self._open_session(conn, row.person_id)

    def logout(self, session_id: str) -> None:
        with self.engine.begin() as conn:
            conn.execute(sa.update(auth_sessions).where(auth_sessions.c.id == uuid.UUID(session_id),
                                                        auth_sessions.c.revoked_at.is_(None))
                         .values(revoked_at=datetime.now(timezone.utc)))
        with self._lock:
            self._revoked.add(session_id)
            for token in [t for t, v in self._cache.items() if v[2] == session_id]:
                self._cache.pop(token, None)

    # -- per request -------------------------------------------------------------------
    def _refresh_revocations(self) -> None:
        if time.monotonic() - self._revoked_loaded < REVOCATION_REFRESH:
            return
        since = datetime.now(timezone.utc) - timedelta(seconds=ACCESS_TTL + 60)
        with self.engine.connect() as conn:
            revoked = {str(r) for r in conn.execute(
                sa.select(auth_sessions.c.id).where(auth_sessions.c.revoked_at >= since)).scalars()}
        with self._lock:
            self._revoked = revoked | {s for s in self._revoked if s in revoked}
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
