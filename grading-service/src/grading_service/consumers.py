"""Events grading-service acts on."""
from pacesetter_shared.directory import DIRECTORY_HANDLERS

from .service import inputs

HANDLERS = dict(DIRECTORY_HANDLERS) | {
    "evaluation.completed": inputs.on_evaluation_completed,
    "evaluation.window_satisfaction": inputs.on_window_satisfaction,
    "pledge.statistics_updated": inputs.on_pledge_statistics,
    "rectification.accepted": inputs.on_rectification_accepted,
}
