"""notification-service's application factory."""
from __future__ import annotations

from pathlib import Path

from pacesetter_shared import migrations
from pacesetter_shared.config import Settings, load_settings
from pacesetter_shared.web import create_service_app

from . import service
from .api import blp, delivery_metrics
from .domain.delivery import NotRetryable
from .domain.preferences import InvalidPreferences

MIGRATIONS = Path(__file__).parent / "migrations"

DOMAIN_ERRORS = {
    service.NotFound: (404, "not_found"),
    service.Forbidden: (403, "forbidden"),
    NotRetryable: (409, "not_retryable"),
    InvalidPreferences: (422, "invalid_preferences"),
}


def create_app(settings: Settings | None = None):
    settings = settings or load_settings("notification")
    svc = create_service_app(settings, __name__, "Pacesetter notification-service", domain_errors=DOMAIN_ERRORS)
    svc.api.register_blueprint(blp)
    # beside the shared /metrics, whose registry a service cannot reach
    svc.app.add_url_rule("/metrics/deliveries", "delivery_metrics", delivery_metrics)
    return svc.app


def migrate(settings: Settings | None = None) -> None:
    settings = settings or load_settings("notification")
    migrations.upgrade(MIGRATIONS, settings.database_url)
