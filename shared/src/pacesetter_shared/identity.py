"""Who is calling: the identity the gateway signs and every service verifies.

The gateway holds the Ed25519 private key and signs a short-lived token for each caller;
services hold only the public key, so no service (and no client) can mint an identity.
Services reject a request that has no valid identity, so calling one directly is useless.
"""
from __future__ import annotations

import os
import secrets
import time
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

IDENTITY_HEADER = "X-Pacesetter-Identity"
AUDIENCE = "pacesetter-services"
ISSUER = "pacesetter-gateway"
ALGORITHM = "EdDSA"

ROLES = ("member", "branch_secretary", "general_branch_secretary", "org_department", "ops_admin")


class InvalidIdentity(Exception):
    """The identity token is missing, expired, forged or for someone else."""


@dataclass(frozen=True)
class RoleGrant:
    role: str
    unit_id: str | None


@dataclass(frozen=True)
class Identity:
    """A verified caller: a person, or a kiosk device bound to one window."""

    subject: str
    kind: str  # "person", "kiosk", "display", or "anonymous" (someone not logged in, through the gateway)
    name: str = ""
    unit_id: str | None = None  # a person's branch (党支部) or a kiosk's unit
    window_id: str | None = None  # kiosks, and displays of one window
    roles: tuple[RoleGrant, ...] = field(default_factory=tuple)
    language: str = "zh"

    def has_role(self, role: str, unit_id: str | None = None) -> bool:
        return any(g.role == role and (unit_id is None or g.unit_id == unit_id) for g in self.roles)

    def units_with(self, role: str) -> set[str]:
        return {g.unit_id for g in self.roles if g.role == role and g.unit_id}

    def to_claims(self) -> dict:
        return {
            "sub": self.subject,
            "knd": self.kind,
            "name": self.name,
            "unit": self.unit_id,
            "win": self.window_id,
            "roles": [[g.role, g.unit_id] for g in self.roles],
            "lang": self.language,
        }

    @classmethod
    def from_claims(cls, claims: dict) -> "Identity":
        return cls(
            subject=claims["sub"],
            kind=claims.get("knd", "person"),
            name=claims.get("name", ""),
            unit_id=claims.get("unit"),
            window_id=claims.get("win"),
            roles=tuple(RoleGrant(r, u) for r, u in claims.get("roles", [])),
            language=claims.get("lang", "zh"),
        )


ANONYMOUS = Identity(subject="anonymous", kind="anonymous")


def sign_identity(identity: Identity, private_key_pem: str, ttl_seconds: int = 300) -> str:
    now = int(time.time())
    claims = identity.to_claims() | {"aud": AUDIENCE, "iss": ISSUER, "iat": now, "exp": now + ttl_seconds}
    return jwt.encode(claims, _private_key(private_key_pem), algorithm=ALGORITHM)


class IdentityVerifier:
    """Verifies identity tokens, caching each verified token until it expires.

    The signature check is the expensive part; a token is re-used for many requests,
    so checking it once and then only its expiry keeps the hop cheap.
    """

    def __init__(self, public_key_pem: str, cache_size: int = 4096):
        self._key = serialization.load_pem_public_key(public_key_pem.encode())
        self._cache: dict[str, tuple[Identity, int]] = {}
        self._cache_size = cache_size

    def verify(self, token: str | None) -> Identity:
        if not token:
            raise InvalidIdentity("no identity")
        cached = self._cache.get(token)
        if cached is not None:
            identity, exp = cached
            if exp > time.time():
                return identity
            self._cache.pop(token, None)
            raise InvalidIdentity("identity expired")
        try:
            claims = jwt.decode(
                token, self._key, algorithms=[ALGORITHM], audience=AUDIENCE, issuer=ISSUER,
                options={"require": ["exp", "sub", "aud", "iss"]},
            )
        except jwt.PyJWTError as exc:
            raise InvalidIdentity(str(exc)) from None
        identity = Identity.from_claims(claims)
        if len(self._cache) >= self._cache_size:
            self._cache.clear()
        self._cache[token] = (identity, claims["exp"])
        return identity


@lru_cache(maxsize=4)
def _private_key(pem: str):
    return serialization.load_pem_private_key(pem.encode(), password=None)


def generate_keypair() -> tuple[str, str]:
    key = Ed25519PrivateKey.generate()
    private_pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    public_pem = key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode()
    return public_pem, private_pem


def load_or_create_keys(var_dir: Path, public_pem: str | None, private_pem: str | None,
                        want_private: bool) -> tuple[str, str | None]:
    """Keys from configuration; in the embedded mode, generated once into ``var/keys``."""
    if public_pem:
        public_pem = public_pem.replace("\\n", "\n")
        if private_pem:
            private_pem = private_pem.replace("\\n", "\n")
        elif want_private:
            from .config import ConfigurationError
            raise ConfigurationError("IDENTITY_PRIVATE_KEY is required for the gateway when IDENTITY_PUBLIC_KEY is set")
        return public_pem, private_pem
    keys = Path(var_dir) / "keys"
    private_path, public_path = keys / "identity-ed25519.pem", keys / "identity-ed25519.pub"
    if not public_path.exists():
        keys.mkdir(parents=True, exist_ok=True)
        new_public, new_private = generate_keypair()
        try:  # O_EXCL: two processes starting together must agree on one key
            fd = os.open(private_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w") as fh:
                fh.write(new_private)
            tmp = public_path.with_suffix(".tmp")
            tmp.write_text(new_public)
            tmp.replace(public_path)
        except FileExistsError:
            pass
        deadline = time.time() + 5
        while not public_path.exists() and time.time() < deadline:
            time.sleep(0.05)
    public = public_path.read_text()
    private = private_path.read_text() if want_private else None
    return public, private


def load_or_create_secret(var_dir: Path, name: str, configured: str | None) -> str:
    """A secret from configuration; in the embedded mode, generated once into ``var/keys``."""
    if configured:
        return configured
    path = Path(var_dir) / "keys" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_urlsafe(48))
    except FileExistsError:
        pass
    deadline = time.time() + 5
    while not path.read_text().strip() and time.time() < deadline:
        time.sleep(0.05)
    return path.read_text().strip()
