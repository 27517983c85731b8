"""Events evaluation-service acts on."""
from __future__ import annotations

from functools import partial

from pacesetter_shared.directory import DIRECTORY_HANDLERS

from .domain.model import MIN_ANONYMOUS_GROUP
from .rounds import round_for_pledge


def handlers_for(min_group: int) -> dict:
    """The handlers, with the deployment's anonymity threshold for the rounds they open."""
    return {**DIRECTORY_HANDLERS, "pledge.fulfilled": partial(round_for_pledge, min_group=min_group)}


HANDLERS = handlers_for(MIN_ANONYMOUS_GROUP)
