"""Events notification-service acts on: the directory it keeps, and everything a person should hear of."""
from functools import partial

from pacesetter_shared.directory import DIRECTORY_HANDLERS

from .config import NotificationConfig
from .domain.recipients import RULES
from .service import alerts, delivery


def _then_forget_reads(handler):
    def directory_handler(uow, envelope, data):
        handler(uow, envelope, data)
        delivery.forget_directory_reads(uow)
    return directory_handler


def build_handlers(config: NotificationConfig) -> dict:
    # the projection's own handlers, followed by dropping what the batch has read of it so far
    directory = {event_type: _then_forget_reads(handler) for event_type, handler in DIRECTORY_HANDLERS.items()}
    return directory | {event_type: delivery.deliver for event_type in RULES} | {
        # also counts towards the window's bad-rating alert, by the configured rule
        "feedback.negative": partial(alerts.on_negative_feedback, rule=config.alert),
    }


HANDLERS = build_handlers(NotificationConfig())
# a batch's people and their choices read at once (the worker gives it to the consumer)
READ_AHEAD = delivery.read_ahead
