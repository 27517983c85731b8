"""The gateway's own tables: the directory it owns and the login sessions."""
import sqlalchemy as sa

from pacesetter_shared.db import BigIdType, JsonType, UtcDateTime

metadata = sa.MetaData()

units = sa.Table(
    "units", metadata,
    sa.Column("id", sa.Uuid, primary_key=True),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("kind", sa.String(20), nullable=False),
    sa.Column("parent_id", sa.Uuid, sa.ForeignKey("units.id"), index=True),
    sa.Column("department_kind", sa.String(20), nullable=False),
    sa.Column("secretary_id", sa.Uuid),
    sa.Column("active", sa.Boolean, nullable=False, server_default=sa.true()),
    sa.Column("revision", sa.Integer, nullable=False),
    sa.Column("created_at", UtcDateTime(), nullable=False),
)

persons = sa.Table(
    "persons", metadata,
    sa.Column("id", sa.Uuid, primary_key=True),
    sa.Column("username", sa.String(64), unique=True),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("email", sa.String(320)),
    sa.Column("language", sa.String(5), nullable=False),
    sa.Column("category", sa.String(20), nullable=False),
    sa.Column("unit_id", sa.Uuid, sa.ForeignKey("units.id"), index=True),
    sa.Column("group_id", sa.Uuid, sa.ForeignKey("units.id")),
    sa.Column("member_status", sa.String(20), nullable=False),
    sa.Column("joined_on", sa.Date),
    sa.Column("exemptions", JsonType, nullable=False),
    sa.Column("password_hash", sa.String(200)),
    sa.Column("active", sa.Boolean, nullable=False, server_default=sa.true()),
    sa.Column("revision", sa.Integer, nullable=False),
    sa.Column("created_at", UtcDateTime(), nullable=False),
)

role_grants = sa.Table(
    "role_grants", metadata,
    sa.Column("person_id", sa.Uuid, sa.ForeignKey("persons.id"), primary_key=True),
    sa.Column("role", sa.String(40), primary_key=True),
    sa.Column("unit_id", sa.Uuid, primary_key=True),  # nil UUID: not scoped to a unit
)

auth_sessions = sa.Table(
    "auth_sessions", metadata,
    sa.Column("id", sa.Uuid, primary_key=True),
    sa.Column("person_id", sa.Uuid, sa.ForeignKey("persons.id"), nullable=False, index=True),
    sa.Column("refresh_hash", sa.String(64), nullable=False, unique=True),
    sa.Column("created_at", UtcDateTime(), nullable=False),
    sa.Column("expires_at", UtcDateTime(), nullable=False),
    sa.Column("revoked_at", UtcDateTime(), index=True),
    # Sessions made from one another by refresh: a rotated refresh token shown again ends them all.
    sa.Column("chain_id", sa.Uuid, nullable=False, index=True),
)

# Failed logins counted per account (the user name tried) and per client address.
login_failures = sa.Table(
    "login_failures", metadata,
    sa.Column("scope", sa.String(10), primary_key=True),  # account | address
    sa.Column("key", sa.String(64), primary_key=True),
    sa.Column("failures", sa.Integer, nullable=False),
    sa.Column("last_failed_at", UtcDateTime(), nullable=False),
)

# Every login and password-change attempt: who was tried, from where, and what came of it (never a password).
login_audit = sa.Table(
    "login_audit", metadata,
    sa.Column("id", BigIdType, primary_key=True, autoincrement=True),
    sa.Column("at", UtcDateTime(), nullable=False, index=True),
    sa.Column("username", sa.String(64), nullable=False, index=True),
    sa.Column("address", sa.String(64), nullable=False),
    sa.Column("purpose", sa.String(20), nullable=False),  # login | password_change
    sa.Column("outcome", sa.String(20), nullable=False),  # succeeded | failed | delayed | locked
)

windows = sa.Table(
    "windows", metadata,
    sa.Column("id", sa.Uuid, primary_key=True),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("kind", sa.String(30), nullable=False),
    sa.Column("location", sa.String(200), nullable=False),
    sa.Column("unit_id", sa.Uuid, sa.ForeignKey("units.id"), nullable=False, index=True),
    sa.Column("responsible_id", sa.Uuid, sa.ForeignKey("persons.id")),
    sa.Column("on_duty_ids", JsonType, nullable=False),
    sa.Column("standards", JsonType, nullable=False),
    sa.Column("active", sa.Boolean, nullable=False, server_default=sa.true()),
    sa.Column("revision", sa.Integer, nullable=False),
    sa.Column("created_at", UtcDateTime(), nullable=False),
)

kiosk_devices = sa.Table(
    "kiosk_devices", metadata,
    sa.Column("id", sa.Uuid, primary_key=True),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("window_id", sa.Uuid, sa.ForeignKey("windows.id"), nullable=False, index=True),
    sa.Column("secret_hash", sa.String(64), nullable=False),
    sa.Column("registered_by", sa.Uuid, nullable=False),
    sa.Column("created_at", UtcDateTime(), nullable=False),
    sa.Column("revoked_at", UtcDateTime()),
)
