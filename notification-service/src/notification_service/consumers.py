"""Events notification-service acts on: the directory it keeps, and everything a person should hear of."""
from pacesetter_shared.directory import DIRECTORY_HANDLERS

from . import service
from .domain.recipients import RULES

HANDLERS = dict(DIRECTORY_HANDLERS) | {event_type: service.deliver for event_type in RULES} | {
    "feedback.negative": service.on_negative_feedback,  # also counts towards the window's bad-rating alert
}
