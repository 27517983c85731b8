"""Events evaluation-service acts on."""
from __future__ import annotations

from functools import partial

from pacesetter_shared.directory import DIRECTORY_HANDLERS

from .config import EvaluationConfig
from .rounds import round_for_pledge


def handlers_for(config: EvaluationConfig) -> dict:
    """The handlers, with the deployment's settings (anonymity threshold, quorum, round length)."""
    return {**DIRECTORY_HANDLERS, "pledge.fulfilled": partial(round_for_pledge, config=config)}


HANDLERS = handlers_for(EvaluationConfig())
