"""notification-service's application factory."""
from __future__ import annotations

from pathlib import Path

from pacesetter_shared import migrations
from pacesetter_shared.config import Settings, load_settings
from pacesetter_shared.web import create_service_app
from pacesetter_shared.web.ops import install_jobs_api

from .adapters.metrics import DeliveryCollector
from .api import BLUEPRINTS
from .domain.delivery import NotRetryable
from .domain.preferences import InvalidPreferences
from .service._common import Forbidden, NotFound
from .worker import scheduled_jobs

MIGRATIONS = Path(__file__).parent / "migrations"

DOMAIN_ERRORS = {
    NotFound: (404, "not_found"),
    Forbidden: (403, "forbidden"),
    NotRetryable: (409, "not_retryable"),
    InvalidPreferences: (422, "invalid_preferences"),
}


def create_app(settings: Settings | None = None):
    settings = settings or load_settings("notification")
    svc = create_service_app(settings, __name__, "Pacesetter notification-service", domain_errors=DOMAIN_ERRORS)
    for blp in BLUEPRINTS:
        svc.api.register_blueprint(blp)
    install_jobs_api(svc, scheduled_jobs(settings))
    svc.metrics_registry.register(DeliveryCollector(svc.uow_factory))
    return svc.app


def migrate(settings: Settings | None = None) -> None:
    settings = settings or load_settings("notification")
    migrations.upgrade(MIGRATIONS, settings.database_url)
