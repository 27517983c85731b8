"""evaluation-service's worker process: directory projection, rounds for fulfilled pledges, outbox
relay, and the jobs that close rounds at their deadline, escalate overdue follow-up cases and send
each window's monthly satisfaction."""
from __future__ import annotations

from pacesetter_shared.config import Settings, load_settings
from pacesetter_shared.scheduler import PeriodicJob
from pacesetter_shared.worker import Worker, run_worker

from .consumers import handlers_for
from .rounds import close_due_rounds
from .window_ratings import escalate_overdue_cases, publish_window_satisfaction

ROUND_DEADLINES_EVERY = 60  # seconds
OVERDUE_CASES_EVERY = 300
WINDOW_SATISFACTION_EVERY = 24 * 3600


def build_worker(settings: Settings | None = None) -> Worker:
    settings = settings or load_settings("evaluation")
    return Worker(settings, handlers=handlers_for(settings.min_anonymous_group), jobs=lambda uow_factory: [
        PeriodicJob("evaluation.close_due_rounds", ROUND_DEADLINES_EVERY,
                    lambda now: close_due_rounds(uow_factory, now)),
        PeriodicJob("evaluation.escalate_overdue_cases", OVERDUE_CASES_EVERY,
                    lambda now: escalate_overdue_cases(uow_factory, now)),
        PeriodicJob("evaluation.window_satisfaction", WINDOW_SATISFACTION_EVERY,
                    lambda now: publish_window_satisfaction(uow_factory, now, settings.min_anonymous_group)),
    ])


def main() -> None:
    run_worker("evaluation", build_worker)


if __name__ == "__main__":
    main()
