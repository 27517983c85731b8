"""grading-service's application factory."""
from __future__ import annotations

from pathlib import Path

from pacesetter_shared import migrations
from pacesetter_shared.config import Settings, load_settings
from pacesetter_shared.web import create_service_app

from . import service
from .api import blp
from .domain.classification import CapExceeded, CycleStateError
from .domain.model import InvalidGrading

MIGRATIONS = Path(__file__).parent / "migrations"

DOMAIN_ERRORS = {
    InvalidGrading: (422, "validation_error"),
    CapExceeded: (409, "advanced_cap_exceeded"),
    CycleStateError: (409, "conflict"),
    service.NotFound: (404, "not_found"),
    service.Forbidden: (403, "forbidden"),
}


def create_app(settings: Settings | None = None):
    settings = settings or load_settings("grading")
    svc = create_service_app(settings, __name__, "Pacesetter grading-service", domain_errors=DOMAIN_ERRORS)
    svc.api.register_blueprint(blp)
    return svc.app


def migrate(settings: Settings | None = None) -> None:
    settings = settings or load_settings("grading")
    migrations.upgrade(MIGRATIONS, settings.database_url)
