"""Events notification-service acts on: the directory it keeps, and everything a person should hear of."""
from functools import partial

from pacesetter_shared.directory import DIRECTORY_HANDLERS

from . import service
from .config import NotificationConfig
from .domain.recipients import RULES


def build_handlers(config: NotificationConfig) -> dict:
    return dict(DIRECTORY_HANDLERS) | {event_type: service.deliver for event_type in RULES} | {
        # also counts towards the window's bad-rating alert, by the configured rule
        "feedback.negative": partial(service.on_negative_feedback, rule=config.alert),
    }


HANDLERS = build_handlers(NotificationConfig())
