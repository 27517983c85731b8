"""Configuration from the environment, with defaults for the embedded mode.

Every setting is looked up first with the service's prefix (``PLEDGE_DATABASE_URL``), then
without (``DATABASE_URL``), then falls back to the embedded default. The prefix lets the
embedded launcher run every service in one process with one environment; in docker compose
each container simply sets the unprefixed name.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit



class ConfigurationError(RuntimeError):
    """A setting has a value the service cannot start with."""


SERVICE_PREFIXES = {
    "gateway": "GATEWAY",
    "pledge": "PLEDGE",
    "evaluation": "EVALUATION",
    "grading": "GRADING",
    "notification": "NOTIFICATION",
}

# Ports of the embedded and local multi-process modes; deployed mode sets *_URL instead.
DEFAULT_PORTS = {"gateway": 8000, "pledge": 8001, "evaluation": 8002, "grading": 8003, "notification": 8004}

# Every variable a service reads (each also with a service prefix: PLEDGE_DATABASE_URL ...).
VARIABLES = {
    "PACESETTER_VAR_DIR": "where the embedded mode keeps SQLite files, broker file and generated keys (./var)",
    "DATABASE_URL": "the service's own database (sqlite:///var/<service>.sqlite)",
    "BROKER_URL": "amqp://... for RabbitMQ; default kombu's SQLAlchemy transport on var/broker.sqlite",
    "EVENTS_EXCHANGE": "name of the topic exchange, prefix of every queue (pacesetter)",
    "IDENTITY_PUBLIC_KEY": "PEM, Ed25519: services verify the gateway's identity tokens (generated when unset)",
    "IDENTITY_PRIVATE_KEY": "PEM, Ed25519: the gateway signs identity tokens (generated when unset)",
    "SECRET_KEY": "the gateway's access-token secret (generated when unset)",
    "PLEDGE_URL": "where the gateway finds pledge-service (http://127.0.0.1:8001)",
    "EVALUATION_URL": "where the gateway finds evaluation-service (http://127.0.0.1:8002)",
    "GRADING_URL": "where the gateway finds grading-service (http://127.0.0.1:8003)",
    "NOTIFICATION_URL": "where the gateway finds notification-service (http://127.0.0.1:8004)",
    "LOG_LEVEL": "DEBUG, INFO, WARNING or ERROR (INFO)",
    "LOG_JSON": "structured JSON logs (true)",
    "OTEL_EXPORTER_OTLP_ENDPOINT": "tracing: the OTLP/HTTP collector (Jaeger, Tempo, an OpenTelemetry Collector) the "
                                   "spans go to, e.g. http://jaeger:4318 (/v1/traces is added); unset: tracing off, "
                                   "nothing of OpenTelemetry loaded",
    "OTEL_SERVICE_NAME": "tracing: the service's name on its spans (gateway, pledge-service, evaluation-service…); "
                         "in the embedded mode, where one environment serves every service, only with its prefix "
                         "(EVALUATION_OTEL_SERVICE_NAME)",
    "CONSUMER_PREFETCH": "messages a consumer holds unacknowledged; at least CONSUMER_BATCH (200)",
    "CONSUMER_BATCH": "most events a consumer handles in one transaction, taken from the prefetched ones (100)",
    "CONSUMER_LINGER_SECONDS": "how long a partly filled batch waits for more events before it is handled (0.05)",
    "CONSUMER_MAX_RETRIES": "retries of a failing handler before dead-lettering (4)",
    "CONSUMER_RETRY_BASE_SECONDS": "first retry delay; each next one is 4x longer (1.0)",
    "RELAY_INTERVAL": "seconds between outbox polls when idle (0.1)",
    "RELAY_BATCH": "outbox rows published per transaction (200)",
    "BROKER_POLLING_INTERVAL": "polling of the embedded broker transport (0.05)",
    "ANONYMITY_MIN_GROUP": "fewest raters whose aggregate may be shown; never below 3 (3)",
    "QUORUM_PERCENT": "evaluation-service: at a round's deadline, the parties that can be shown must weigh this share "
                      "of the weights for a result (60)",
    "FOLLOWUP_WORKING_DAYS": "evaluation-service: working days to follow up a bad rating or complaint (5)",
    "DEADLINE_END_OF_DAY": "gateway and evaluation-service: when a working day ends, for deadlines of n working days "
                           "(HH:MM, 17:30 — office hours; 23:59 for the whole day)",
    "INSTANT_ROUND_DAYS": "evaluation-service: days the round of a fulfilled instant pledge stays open at most (14); "
                          "its parties' own working days (ROUND_PARTIES_INSTANT_PLEDGE) usually close it sooner",
    # -- #21 gap 6: each kind of round's parties and their own deadlines --
    "ROUND_PARTIES_INSTANT_PLEDGE": "evaluation-service: the parties an instant pledge's round (一事一评) waits for, "
                                    "each with its working days from the opening or none: until the round's "
                                    "deadline (self:5,peer:5,masses:5,leader:5)",
    "ROUND_PARTIES_ANNUAL_PLEDGE": "evaluation-service: the same for an annual pledge's round, e.g. "
                                   "self,peer,leader:10 (unset: every weighted party, until the deadline)",
    "ROUND_PARTIES_MEMBER_YEAR": "evaluation-service: the same for a member's year (unset: every weighted party)",
    "ROUND_PARTIES_BRANCH": "evaluation-service: the same for a branch's round (unset: every weighted party)",
    "ROUND_PARTIES_WINDOW": "evaluation-service: the same for a service window's round (unset: every weighted party)",
    "RANKING_MIN_RATINGS": "evaluation-service: fewest ratings in a month for a place in a ranking or a star grade; "
                           "never below ANONYMITY_MIN_GROUP (30)",
    "STAR_THRESHOLDS": "evaluation-service: stars:lowest satisfaction rate, most stars first (5:0.98,4:0.95,3:0.90)",
    "DISCLOSURE_REFRESH_SECONDS": "evaluation-service: how often the worker takes new ratings into the dashboards' "
                                  "figures (the anonymity guard's decision, worked out again only where they reach), "
                                  "the most they lag; 0: on every read (30)",
    "PUBLICITY_OPEN_NETWORKS": "grading-service: the campus network, comma-separated CIDR, from which a cycle's "
                               "publicity list (公示名单) is read without login once the organisation department "
                               "allows it for that cycle; the address is the gateway's (see TRUSTED_PROXIES) "
                               "(empty: nobody without login)",
    "CYCLE_YEAR_SPAN": "grading-service: a cycle is opened for this year or up to this many years before or after "
                       "it (1: last, this and next year)",
    "DUE_SOON_DAYS": "pledge-service: days before the due date when the due-soon reminder goes out (7)",
    "SMTP_HOST": "notification-service: the SMTP server (localhost)",
    "SMTP_PORT": "notification-service: its port (25)",
    "SMTP_SECURITY": "notification-service: none, starttls or ssl (none)",
    "SMTP_USERNAME": "notification-service: SMTP login, if the server needs one",
    "SMTP_PASSWORD": "notification-service: SMTP password",
    "SMTP_FROM": "notification-service: the sender (Pacesetter <noreply@pacesetter.local>)",
    "PORTAL_URL": "notification-service: the portal's address, for links in e-mails and chat messages",
    "DELIVERY_MAX_ATTEMPTS": "notification-service: tries of an e-mail or webhook before it is declared failed",
    "DELIVERY_RETRY_BASE_SECONDS": "notification-service: first retry delay of a delivery; each next one ×4",
    "ALERT_THRESHOLD": "notification-service: bad ratings of one window that raise an alert (3)",
    "ALERT_SPAN_MINUTES": "notification-service: ... within this many minutes, once per span (60)",
    "RATE_LIMIT_STORAGE": "gateway: where rate-limit counters live: memory:// or redis://host:6379 (memory://)",
    "RATE_LIMIT_PERSON": "gateway: requests per logged-in person (600/minute)",
    "RATE_LIMIT_KIOSK": "gateway: requests per kiosk device (120/minute)",
    "RATE_LIMIT_ANONYMOUS": "gateway: requests per client address without login, e.g. suggestion box (30/minute)",
    "RATE_LIMIT_DISPLAY": "gateway: requests per paired display screen (60/minute)",
    "RATE_LIMIT_PAIRING_CODES": "gateway: unknown device pairing codes a person may try (10/10minutes)",
    # -- Security 2.0: logins and passwords --
    "LOGIN_DELAY_AFTER": "gateway: failed logins of an account after which each next attempt waits (5)",
    "LOGIN_LOCK_AFTER": "gateway: failed logins of an account that lock it for LOGIN_LOCK_SECONDS (10)",
    "LOGIN_ADDRESS_DELAY_AFTER": "gateway: the same for one client address, which may be many people behind NAT (30)",
    "LOGIN_ADDRESS_LOCK_AFTER": "gateway: failed logins from one client address that lock it (100)",
    "LOGIN_DELAY_SECONDS": "gateway: the first wait; it doubles with each further failure (2)",
    "LOGIN_LONGEST_DELAY_SECONDS": "gateway: the longest wait before the lock (60)",
    "LOGIN_LOCK_SECONDS": "gateway: how long a lock lasts after the last failure (900)",
    "LOGIN_FORGET_SECONDS": "gateway: failures are forgotten when none followed for this long (3600)",
    "PASSWORD_MIN_LENGTH": "gateway: the shortest password a person may set (10)",
    "PASSWORD_MIN_SCORE": "gateway: zxcvbn's strength estimate (0-4) a new password must reach (3)",
    # -- Security 2.0: honest ratings --
    "RATING_MAX_AGE_KIOSK": "evaluation-service: the oldest rating a kiosk may still send (its offline queue), in "
                            "seconds or with a unit: 90m, 48h, 2d (48h)",
    "RATING_MAX_AGE_ONLINE": "evaluation-service: the oldest online rating (a phone, by the window's QR code) taken "
                             "(10m)",
    "RATING_WINDOW_ONLINE_MAX": "evaluation-service: online ratings one window takes within RATING_WINDOW_ONLINE_SPAN, "
                                "besides the gateway's limit per address (60)",
    "RATING_WINDOW_ONLINE_SPAN": "evaluation-service: the span of that cap (10m)",
    # -- Security 2.0: headers and /metrics --
    "HSTS_SECONDS": "Strict-Transport-Security max-age, sent only on answers to requests that came over HTTPS "
                    "(31536000; 0: never)",
    "TRUSTED_PROXIES": "gateway: reverse proxies in front of it (a TLS terminator) whose X-Forwarded-For and "
                       "X-Forwarded-Proto it believes (0: clients connect directly)",
    "METRICS_NETWORKS": "addresses, comma-separated CIDR, from which /metrics answers without a token "
                        "(127.0.0.0/8,::1/128: this host only)",
    "METRICS_TOKEN": "a bearer token with which /metrics answers from any address (unset: none)",
    # -- #21 gap 10: trial and training --
    "CLOCK_OFFSET": "embedded mode only (pacesetter-embedded --clock-offset): run the suite this far ahead of (or, "
                    "with -, behind) the real time, e.g. 7d, 12h, 1d12h, -3d; a deployed service refuses to start "
                    "with it",
}

_DB_SCHEMES = ("sqlite", "postgresql", "postgresql+psycopg")
_BROKER_SCHEMES = ("amqp", "pyamqp", "amqps", "memory", "sqlalchemy+sqlite", "sqla+sqlite",
                   "sqlalchemy+postgresql", "filesystem")


def _parse_bool(raw: str) -> bool:
    value = raw.strip().lower()
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("0", "false", "no", "off"):
        return False
    raise ValueError("expected true or false")


# A prefixed-then-plain lookup is the one thing environs does not do; four parsers are less
# than the adapter around it would be.
_PARSERS = {"str": str, "int": int, "float": float, "bool": _parse_bool}


class ServiceEnv:
    """Reads one service's settings: prefixed name first, then the plain name."""

    def __init__(self, service: str, environ: dict | None = None):
        if service not in SERVICE_PREFIXES:
            raise ConfigurationError(f"unknown service {service!r}")
        self.service = service
        self.prefix = SERVICE_PREFIXES[service]
        self._environ = os.environ if environ is None else environ

    def read(self, kind: str, name: str, default=None):
        """Read ``name`` as ``kind`` (str, int, float, bool); ``default`` when unset or empty."""
        if name not in VARIABLES:
            raise ConfigurationError(f"{name} is not a documented setting: add it to VARIABLES")
        for real in (f"{self.prefix}_{name}", name):
            raw = self._environ.get(real)
            if raw not in (None, ""):
                try:
                    return _PARSERS[kind](raw)
                except ValueError as exc:
                    raise ConfigurationError(f"{real}={raw!r} is not a valid {kind}: {exc}") from None
        return default


@dataclass(frozen=True)
class Settings:
    """What every service needs to start. Services read their own extras with ``env``."""

    service: str
    var_dir: Path
    database_url: str
    broker_url: str
    exchange: str
    identity_public_key: str
    identity_private_key: str | None
    log_level: str
    log_json: bool
    prefetch: int
    batch: int
    linger_seconds: float
    max_retries: int
    retry_base_seconds: float
    relay_interval: float
    relay_batch: int
    broker_polling_interval: float
    min_anonymous_group: int
    service_urls: dict[str, str] = field(default_factory=dict)
    env: ServiceEnv | None = field(default=None, compare=False, repr=False)
    clock_offset: timedelta | None = None  # the training clock; the embedded mode only

    @property
    def is_embedded_broker(self) -> bool:
        return not self.broker_url.startswith(("amqp", "pyamqp"))

    @property
    def database_is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")


def _check_url(name: str, value: str, schemes: tuple[str, ...]) -> str:
    scheme = urlsplit(value).scheme
    if scheme not in schemes:
        raise ConfigurationError(
            f"{name}={value!r}: expected a URL starting with one of {', '.join(s + '://' for s in schemes)}"
        )
    return value


def load_settings(service: str, environ: dict | None = None) -> Settings:
    """Read and check the settings of ``service``; raise ConfigurationError with a clear message."""
    env = ServiceEnv(service, environ)
    var_dir = Path(env.read("str", "PACESETTER_VAR_DIR", "var")).resolve()
    database_url = env.read("str", "DATABASE_URL", f"sqlite:///{var_dir}/{service}.sqlite")
    broker_url = env.read("str", "BROKER_URL", f"sqlalchemy+sqlite:///{var_dir}/broker.sqlite")
    _check_url("DATABASE_URL", database_url, _DB_SCHEMES)
    _check_url("BROKER_URL", broker_url, _BROKER_SCHEMES)

    from .identity import load_or_create_keys  # late: keeps config importable without crypto

    public_key, private_key = load_or_create_keys(
        var_dir,
        public_pem=env.read("str", "IDENTITY_PUBLIC_KEY"),
        private_pem=env.read("str", "IDENTITY_PRIVATE_KEY"),
        want_private=service == "gateway",
    )
    urls = {}
    for name, port in DEFAULT_PORTS.items():
        if name == "gateway":
            continue
        url = env.read("str", f"{SERVICE_PREFIXES[name]}_URL", f"http://127.0.0.1:{port}")
        urls[name] = _check_url(f"{SERVICE_PREFIXES[name]}_URL", url, ("http", "https")).rstrip("/")

    log_level = env.read("str", "LOG_LEVEL", "INFO").upper()
    if log_level not in ("DEBUG", "INFO", "WARNING", "ERROR"):
        raise ConfigurationError(f"LOG_LEVEL={log_level!r}: expected DEBUG, INFO, WARNING or ERROR")
    prefetch = env.read("int", "CONSUMER_PREFETCH", 200)
    # a kiosk batch's bad ratings come in clumps: a longer wait fills batches, and a batch's fixed cost (its
    # claim, read-ahead, commit) was most of an event's when they held five (issue 10, 2026-11-29); at 500
    # events/s notification's CPU per event fell by a fifth from batches of 20 to 100 (issue 24, 2026-12-06)
    batch = env.read("int", "CONSUMER_BATCH", 100)
    linger = env.read("float", "CONSUMER_LINGER_SECONDS", 0.05)
    max_retries = env.read("int", "CONSUMER_MAX_RETRIES", 4)
    min_group = env.read("int", "ANONYMITY_MIN_GROUP", 3)
    if prefetch < 1:
        raise ConfigurationError("CONSUMER_PREFETCH must be at least 1")
    if not 1 <= batch <= prefetch:
        # a batch is made of prefetched messages: a larger one could never fill
        raise ConfigurationError(f"CONSUMER_BATCH must be between 1 and CONSUMER_PREFETCH ({prefetch})")
    if linger < 0:
        raise ConfigurationError("CONSUMER_LINGER_SECONDS must not be negative")
    if max_retries < 0:
        raise ConfigurationError("CONSUMER_MAX_RETRIES must not be negative")
    if min_group < 3:
        raise ConfigurationError("ANONYMITY_MIN_GROUP may never be below 3 (policy: keep raters anonymous)")
    clock_offset = _clock_offset(env, database_url, broker_url)
    return Settings(
        service=service,
        var_dir=var_dir,
        database_url=database_url,
        broker_url=broker_url,
        exchange=env.read("str", "EVENTS_EXCHANGE", "pacesetter"),
        identity_public_key=public_key,
        identity_private_key=private_key,
        log_level=log_level,
        log_json=env.read("bool", "LOG_JSON", True),
        prefetch=prefetch,
        batch=batch,
        linger_seconds=linger,
        max_retries=max_retries,
        retry_base_seconds=env.read("float", "CONSUMER_RETRY_BASE_SECONDS", 1.0),
        relay_interval=env.read("float", "RELAY_INTERVAL", 0.1),
        relay_batch=env.read("int", "RELAY_BATCH", 200),
        broker_polling_interval=env.read("float", "BROKER_POLLING_INTERVAL", 0.05),
        min_anonymous_group=min_group,
        service_urls=urls,
        env=env,
        clock_offset=clock_offset,
    )


def _clock_offset(env: ServiceEnv, database_url: str, broker_url: str) -> timedelta | None:
    """CLOCK_OFFSET, allowed only on the embedded mode's data (SQLite and kombu's embedded transport): a
    deployed service on a shifted clock would send real people real reminders on the wrong day."""
    raw = env.read("str", "CLOCK_OFFSET")
    if raw is None:
        return None
    embedded = database_url.startswith("sqlite") and not broker_url.startswith(("amqp", "pyamqp"))
    if not embedded:
        raise ConfigurationError(
            f"CLOCK_OFFSET={raw!r} refused: a shifted clock is for training on the embedded mode "
            f"(pacesetter-embedded --clock-offset), never for a deployed service on {urlsplit(database_url).scheme} "
            f"and {urlsplit(broker_url).scheme}. Unset CLOCK_OFFSET to start.")
    from .clock import parse_offset
    try:
        return parse_offset(raw)
    except ValueError as exc:
        raise ConfigurationError(f"CLOCK_OFFSET={exc}") from None
