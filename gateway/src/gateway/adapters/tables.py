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

# Counter devices: kiosks (评价器) rate one window; display screens (显示屏) show one window or one unit.
kiosk_devices = sa.Table(
    "kiosk_devices", metadata,
    sa.Column("id", sa.Uuid, primary_key=True),
    sa.Column("kind", sa.String(10), nullable=False, server_default="kiosk"),  # kiosk / display
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("window_id", sa.Uuid, sa.ForeignKey("windows.id"), index=True),
    sa.Column("unit_id", sa.Uuid, sa.ForeignKey("units.id", name="fk_kiosk_devices_unit")),  # a unit's display
    sa.Column("secret_hash", sa.String(64), nullable=False),
    sa.Column("registered_by", sa.Uuid, nullable=False),
    sa.Column("created_at", UtcDateTime(), nullable=False),
    sa.Column("revoked_at", UtcDateTime()),
    sa.CheckConstraint("(kind = 'kiosk' AND window_id IS NOT NULL) OR "
                       "(kind = 'display' AND (window_id IS NOT NULL) <> (unit_id IS NOT NULL))",
                       name="ck_kiosk_devices_serves"),
)

# A device waiting to be paired (RFC 8628): its code's hash, the short code a person confirms, and, once confirmed,
# the device made for it, whose credential the device collects once.
device_pairings = sa.Table(
    "device_pairings", metadata,
    sa.Column("id", sa.Uuid, primary_key=True),
    sa.Column("kind", sa.String(10), nullable=False),
    sa.Column("device_code_hash", sa.String(64), nullable=False, unique=True),
    sa.Column("user_code", sa.String(8), nullable=False, unique=True),
    sa.Column("created_at", UtcDateTime(), nullable=False),
    sa.Column("expires_at", UtcDateTime(), nullable=False, index=True),
    sa.Column("last_polled_at", UtcDateTime()),
    sa.Column("approved_by", sa.Uuid),
    sa.Column("approved_at", UtcDateTime()),
    sa.Column("device_id", sa.Uuid, sa.ForeignKey("kiosk_devices.id")),
    sa.Column("collected_at", UtcDateTime()),
)

# The university's own working-calendar days (工作日历调整): each wins over the official holiday calendar.
calendar_overrides = sa.Table(
    "calendar_overrides", metadata,
    sa.Column("day", sa.Date, primary_key=True),
    sa.Column("working", sa.Boolean, nullable=False),  # True: a working day; False: a day off
    sa.Column("note", sa.String(200), nullable=False),
    sa.Column("created_by", sa.Uuid, nullable=False),
    sa.Column("created_at", UtcDateTime(), nullable=False),
)

# The organisation's own versions of the printed forms' DOCX templates (表单模板); none active: the suite's default.
form_templates = sa.Table(
    "form_templates", metadata,
    sa.Column("id", sa.Uuid, primary_key=True),
    sa.Column("organisation_id", sa.Uuid, nullable=False),  # the committee (党委) whose forms they are
    sa.Column("kind", sa.String(40), nullable=False),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("filename", sa.String(200), nullable=False),
    sa.Column("content", sa.LargeBinary, nullable=False),
    sa.Column("fields", JsonType, nullable=False),
    sa.Column("active", sa.Boolean, nullable=False),
    sa.Column("uploaded_by", sa.Uuid, nullable=False),
    sa.Column("uploaded_at", UtcDateTime(), nullable=False),
    sa.UniqueConstraint("organisation_id", "kind", "version", name="uq_form_templates_version"),
)

# A unit's year filed in one ZIP (年度归档): every form, the ledger and the grading report, made by the worker.
form_archives = sa.Table(
    "form_archives", metadata,
    sa.Column("id", sa.Uuid, primary_key=True),
    sa.Column("unit_id", sa.Uuid, nullable=False, index=True),
    sa.Column("year", sa.Integer, nullable=False),
    sa.Column("state", sa.String(20), nullable=False, index=True),  # queued | running | ready | failed
    sa.Column("requested_by", sa.Uuid, nullable=False),
    sa.Column("requester", JsonType, nullable=False),  # the requester's identity claims: the worker reads as them
    sa.Column("requested_at", UtcDateTime(), nullable=False),
    sa.Column("total", sa.Integer, nullable=False),
    sa.Column("done", sa.Integer, nullable=False),
    sa.Column("finished_at", UtcDateTime()),
    sa.Column("error", sa.Text),
    sa.Column("filename", sa.String(200)),
    sa.Column("content", sa.LargeBinary),
)
