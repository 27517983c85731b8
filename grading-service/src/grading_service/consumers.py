"""Events grading-service acts on."""
from pacesetter_shared.directory import DIRECTORY_HANDLERS

from . import service

HANDLERS = dict(DIRECTORY_HANDLERS) | {
    "evaluation.completed": service.on_evaluation_completed,
    "evaluation.window_satisfaction": service.on_window_satisfaction,
    "pledge.statistics_updated": service.on_pledge_statistics,
    "rectification.accepted": service.on_rectification_accepted,
}
