"""evaluation-service's application factory."""
from __future__ import annotations

from pathlib import Path

from pacesetter_shared import migrations
from pacesetter_shared.config import Settings, load_settings
from pacesetter_shared.web import create_service_app
from pacesetter_shared.web.ops import install_jobs_api
from pacesetter_shared.web.errors import error_response

from .api import BLUEPRINTS
from .config import load_config
from .domain.feedback import IllegalStep
from .domain.model import InvalidEvaluation, RaterNotAllowed, RoundNotOpen
from .domain.ratings import KioskForAnotherWindow, RatingRejected
from .service import followup_cases, paper_sheets, rating_links, rounds, window_ratings
from .worker import scheduled_jobs

MIGRATIONS = Path(__file__).parent / "migrations"

DOMAIN_ERRORS = {
    InvalidEvaluation: (422, "validation_error"),
    RatingRejected: (422, "rating_rejected"),
    RaterNotAllowed: (403, "rater_not_allowed"),
    KioskForAnotherWindow: (403, "forbidden"),
    RoundNotOpen: (409, "round_closed"),
    rounds.AlreadyRated: (409, "already_rated"),
    rounds.RoundExists: (409, "round_exists"),
    rounds.PeersFixed: (409, "peers_fixed"),
    paper_sheets.SheetEnteredOtherwise: (409, "sheet_entered"),
    rounds.NotFound: (404, "not_found"),
    rounds.Forbidden: (403, "forbidden"),
    window_ratings.UnknownWindow: (422, "unknown_window"),
    followup_cases.CaseClosed: (409, "case_closed"),
    rating_links.LinkRefused: (403, "rating_link_invalid"),
    IllegalStep: (409, "illegal_step"),
}


def create_app(settings: Settings | None = None):
    settings = settings or load_settings("evaluation")
    config = load_config(settings)  # a bad setting stops the service here, with its name
    svc = create_service_app(settings, __name__, "Pacesetter evaluation-service", domain_errors=DOMAIN_ERRORS)
    for blp in BLUEPRINTS:
        svc.api.register_blueprint(blp)
    install_jobs_api(svc, scheduled_jobs(settings))
    svc.app.extensions["evaluation_config"] = config
    svc.app.register_error_handler(rating_links.TooManyRatings, _too_many_ratings)
    return svc.app


def _too_many_ratings(exc: rating_links.TooManyRatings):
    # the one error shape, and when the window takes an online rating again
    response = error_response(429, "too_many_requests", exc.args[0], exc.details)
    response.headers["Retry-After"] = str(exc.retry_after)
    return response


def migrate(settings: Settings | None = None) -> None:
    settings = settings or load_settings("evaluation")
    migrations.upgrade(MIGRATIONS, settings.database_url)
