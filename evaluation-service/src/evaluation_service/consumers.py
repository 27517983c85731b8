"""Events evaluation-service acts on."""
from __future__ import annotations

from functools import partial

from pacesetter_shared.directory import DIRECTORY_HANDLERS
from pacesetter_shared.working_calendar import CALENDAR_HANDLERS

from .config import EvaluationConfig
from .service.rating_links import on_window_upserted
from .service.rounds import round_for_pledge


def handlers_for(config: EvaluationConfig) -> dict:
    """The handlers, with the deployment's settings (anonymity threshold, quorum, round length)."""
    return {**DIRECTORY_HANDLERS, **CALENDAR_HANDLERS, "directory.window_upserted": on_window_upserted,
            "pledge.fulfilled": partial(round_for_pledge, config=config)}


HANDLERS = handlers_for(EvaluationConfig())
