"""evaluation-service's worker process: directory projection, rounds for fulfilled pledges, outbox
relay, and the jobs that close rounds at their deadline, escalate overdue follow-up cases, send
each window's monthly satisfaction, grade last month's star windows and service models, and keep the
dashboards' figures (the anonymity guard's decision) fresh."""
from __future__ import annotations

from pacesetter_shared.config import Settings, load_settings
from pacesetter_shared.scheduler import JobsFactory, PeriodicJob
from pacesetter_shared.worker import Worker, run_worker

from .config import load_config
from .consumers import handlers_for
from .service.figures import FigureKeeper, refresh_changed
from .service.followup_cases import escalate_overdue_cases
from .service.round_results import close_due_rounds
from .service.star_grades import grade_month
from .service.statistics import publish_window_satisfaction

ROUND_DEADLINES_EVERY = 60  # seconds
OVERDUE_CASES_EVERY = 300
WINDOW_SATISFACTION_EVERY = 24 * 3600
STAR_GRADES_EVERY = 6 * 3600  # a month is graded once over; late batches and appeals may still change it


def scheduled_jobs(settings: Settings) -> JobsFactory:
    """The jobs, for the worker and for ops' "run now" (the web process)."""
    config = load_config(settings)

    def jobs(uow_factory) -> list[PeriodicJob]:
        keeper = FigureKeeper()  # each year's guard, kept from one refresh to the next
        return [
            PeriodicJob("evaluation.close_due_rounds", ROUND_DEADLINES_EVERY,
                        lambda now: close_due_rounds(uow_factory, now)),
            PeriodicJob("evaluation.escalate_overdue_cases", OVERDUE_CASES_EVERY,
                        lambda now: escalate_overdue_cases(uow_factory, now)),
            PeriodicJob("evaluation.window_satisfaction", WINDOW_SATISFACTION_EVERY,
                        lambda now: publish_window_satisfaction(uow_factory, now, config.min_group)),
            PeriodicJob("evaluation.star_grades", STAR_GRADES_EVERY,
                        lambda now: grade_month(uow_factory, now, config.stars, config.min_group)),
        ] + ([PeriodicJob("evaluation.refresh_figures", config.disclosure_refresh_seconds,
                          lambda now: refresh_changed(uow_factory, now, config.min_group, keeper))]
             if config.disclosure_refresh_seconds else [])

    return jobs


def build_worker(settings: Settings | None = None) -> Worker:
    settings = settings or load_settings("evaluation")
    return Worker(settings, handlers=handlers_for(load_config(settings)), jobs=scheduled_jobs(settings))


def main() -> None:
    run_worker("evaluation", build_worker)


if __name__ == "__main__":
    main()
