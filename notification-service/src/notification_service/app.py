"""notification-service's application factory."""
from __future__ import annotations

from pathlib import Path

from prometheus_client.core import GaugeMetricFamily

from pacesetter_shared import migrations
from pacesetter_shared.config import Settings, load_settings
from pacesetter_shared.web import create_service_app
from pacesetter_shared.web.ops import install_jobs_api

from . import service
from .api import blp
from .domain.delivery import NotRetryable
from .domain.preferences import InvalidPreferences
from .worker import scheduled_jobs

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
    install_jobs_api(svc, scheduled_jobs(settings))
    svc.metrics_registry.register(DeliveryCollector(svc.uow_factory))
    return svc.app


class DeliveryCollector:
    """Prometheus: deliveries per channel and status, counted in the database at scrape time, so that
    every replica reports the same figures (status=failed needs ops)."""

    def __init__(self, uow_factory):
        self.uow_factory = uow_factory

    def collect(self):
        gauge = GaugeMetricFamily("pacesetter_notification_deliveries",
                                  "Deliveries by channel and status; status=failed needs ops",
                                  labels=["channel", "status"])
        try:
            with self.uow_factory() as uow:
                counts = service.delivery_counts(uow)
        except Exception:  # the database away: /metrics still answers, without this family
            return
        for (channel, status), count in sorted(counts.items()):
            gauge.add_metric([channel, status], count)
        yield gauge


def migrate(settings: Settings | None = None) -> None:
    settings = settings or load_settings("notification")
    migrations.upgrade(MIGRATIONS, settings.database_url)
