"""notification-service's application factory."""
from __future__ import annotations

from pathlib import Path

from pacesetter_shared import migrations
from pacesetter_shared.config import Settings, load_settings
from pacesetter_shared.web import create_service_app

from . import service
from .api import blp

MIGRATIONS = Path(__file__).parent / "migrations"

DOMAIN_ERRORS = {
    service.NotFound: (404, "not_found"),
    service.Forbidden: (403, "forbidden"),
}


def create_app(settings: Settings | None = None):
    settings = settings or load_settings("notification")
    svc = create_service_app(settings, __name__, "Pacesetter notification-service", domain_errors=DOMAIN_ERRORS)
    svc.api.register_blueprint(blp)
    return svc.app


def migrate(settings: Settings | None = None) -> None:
    settings = settings or load_settings("notification")
    migrations.upgrade(MIGRATIONS, settings.database_url)
