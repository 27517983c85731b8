"""notification-service's own settings: the SMTP server, the portal address, the retry policy.

Each is read from the environment through ``settings.env`` (documented in the shared ``VARIABLES``);
unset, the default below applies.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from pacesetter_shared.config import ConfigurationError, Settings

from .domain.alerts import AlertRule
from .domain.delivery import RetryPolicy

SMTP_SECURITY = ("none", "starttls", "ssl")


@dataclass(frozen=True)
class SmtpConfig:
    host: str = "localhost"
    port: int = 25
    security: str = "none"  # one of SMTP_SECURITY
    username: str | None = None
    password: str | None = None
    sender: str = "Pacesetter <noreply@pacesetter.local>"
    timeout: float = 10.0  # seconds: a slow server costs one try, never the whole job


@dataclass(frozen=True)
class NotificationConfig:
    smtp: SmtpConfig = field(default_factory=SmtpConfig)
    portal_url: str = "http://localhost:8000"
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    dispatch_every_seconds: int = 5
    dispatch_batch: int = 50  # deliveries one job run sends per channel
    alert: AlertRule = field(default_factory=AlertRule)


def _read(settings: Settings, kind: str, name: str, default):
    return default if settings.env is None else settings.env.read(kind, name, default)


def load_config(settings: Settings) -> NotificationConfig:
    smtp = SmtpConfig(
        host=_read(settings, "str", "SMTP_HOST", SmtpConfig.host),
        port=_read(settings, "int", "SMTP_PORT", SmtpConfig.port),
        security=_read(settings, "str", "SMTP_SECURITY", SmtpConfig.security),
        username=_read(settings, "str", "SMTP_USERNAME", None),
        password=_read(settings, "str", "SMTP_PASSWORD", None),
        sender=_read(settings, "str", "SMTP_FROM", SmtpConfig.sender),
    )
    if smtp.security not in SMTP_SECURITY:
        raise ConfigurationError(f"SMTP_SECURITY={smtp.security!r}: expected one of {', '.join(SMTP_SECURITY)}")
    retry = RetryPolicy(
        max_attempts=_read(settings, "int", "DELIVERY_MAX_ATTEMPTS", RetryPolicy.max_attempts),
        base=timedelta(seconds=_read(settings, "float", "DELIVERY_RETRY_BASE_SECONDS",
                                     RetryPolicy.base.total_seconds())),
    )
    threshold = _read(settings, "int", "ALERT_THRESHOLD", AlertRule.threshold)
    span = _read(settings, "int", "ALERT_SPAN_MINUTES", int(AlertRule.span.total_seconds() // 60))
    if threshold < 1 or span < 1:
        raise ConfigurationError("ALERT_THRESHOLD and ALERT_SPAN_MINUTES must be at least 1")
    return NotificationConfig(smtp=smtp, portal_url=_read(settings, "str", "PORTAL_URL", NotificationConfig.portal_url),
                              retry=retry, alert=AlertRule(threshold=threshold, span=timedelta(minutes=span)))
