"""pledge-service's application factory."""
from __future__ import annotations

from pathlib import Path

from pacesetter_shared import migrations
from pacesetter_shared.config import Settings, load_settings
from pacesetter_shared.web import create_service_app
from pacesetter_shared.web.ops import install_jobs_api

from .api import BLUEPRINTS
from .domain.model import IllegalTransition, InvalidPledge
from .service import pledges
from .worker import scheduled_jobs

MIGRATIONS = Path(__file__).parent / "migrations"

DOMAIN_ERRORS = {
    InvalidPledge: (422, "validation_error"),
    IllegalTransition: (409, "illegal_transition"),
    pledges.NotFound: (404, "not_found"),
    pledges.Forbidden: (403, "forbidden"),
}


def create_app(settings: Settings | None = None):
    settings = settings or load_settings("pledge")
    svc = create_service_app(settings, __name__, "Pacesetter pledge-service", domain_errors=DOMAIN_ERRORS)
    for blp in BLUEPRINTS:
        svc.api.register_blueprint(blp)
    install_jobs_api(svc, scheduled_jobs(settings))
    return svc.app


def migrate(settings: Settings | None = None) -> None:
    settings = settings or load_settings("pledge")
    migrations.upgrade(MIGRATIONS, settings.database_url)
