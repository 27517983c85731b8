"""grading-service's application factory."""
from __future__ import annotations

from pathlib import Path

from pacesetter_shared import migrations
from pacesetter_shared.config import ConfigurationError, Settings, load_settings
from pacesetter_shared.web import create_service_app
from pacesetter_shared.web.ops import install_jobs_api
from pacesetter_shared.web.security import cidr_networks

from .api import BLUEPRINTS
from .domain.classification import CapExceeded, CycleStateError
from .domain.model import CYCLE_YEAR_SPAN, InvalidGrading
from .service._common import Forbidden, LoginRequired, NotFound
from .worker import scheduled_jobs

MIGRATIONS = Path(__file__).parent / "migrations"

DOMAIN_ERRORS = {
    InvalidGrading: (422, "validation_error"),
    CapExceeded: (409, "advanced_cap_exceeded"),
    CycleStateError: (409, "conflict"),
    NotFound: (404, "not_found"),
    Forbidden: (403, "forbidden"),
    LoginRequired: (401, "unauthorized"),
}


def create_app(settings: Settings | None = None):
    settings = settings or load_settings("grading")
    svc = create_service_app(settings, __name__, "Pacesetter grading-service", domain_errors=DOMAIN_ERRORS)
    for blp in BLUEPRINTS:
        svc.api.register_blueprint(blp)
    install_jobs_api(svc, scheduled_jobs(settings))
    span = settings.env.read("int", "CYCLE_YEAR_SPAN", CYCLE_YEAR_SPAN) if settings.env else CYCLE_YEAR_SPAN
    if span < 0:
        raise ConfigurationError(f"CYCLE_YEAR_SPAN={span} must be 0 or more")
    svc.app.extensions["grading_cycle_year_span"] = span
    # the campus network, from which a publicity list 组织部 opened is read without login; none by default
    svc.app.extensions["grading_publicity_networks"] = cidr_networks(
        "PUBLICITY_OPEN_NETWORKS", settings.env.read("str", "PUBLICITY_OPEN_NETWORKS", "") if settings.env else "")
    return svc.app


def migrate(settings: Settings | None = None) -> None:
    settings = settings or load_settings("grading")
    migrations.upgrade(MIGRATIONS, settings.database_url)
