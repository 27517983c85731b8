"""evaluation-service's worker process: directory projection, rounds for fulfilled pledges, outbox
relay, and the jobs that close rounds at their deadline, escalate overdue follow-up cases, send
each window's monthly satisfaction and grade last month's star windows and service models; and the figures
keeper, a process of its own that keeps the dashboards' figures (the anonymity guard's decision) fresh."""
from __future__ import annotations

import sys

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


def worker_jobs(settings: Settings) -> JobsFactory:
    """The worker's jobs: each short, so any replica may run the next slot of any of them."""
    config = load_config(settings)

    def jobs(uow_factory) -> list[PeriodicJob]:
        return [
            PeriodicJob("evaluation.close_due_rounds", ROUND_DEADLINES_EVERY,
                        lambda now: close_due_rounds(uow_factory, now)),
            PeriodicJob("evaluation.escalate_overdue_cases", OVERDUE_CASES_EVERY,
                        lambda now: escalate_overdue_cases(uow_factory, now)),
            PeriodicJob("evaluation.window_satisfaction", WINDOW_SATISFACTION_EVERY,
                        lambda now: publish_window_satisfaction(uow_factory, now, config.min_group)),
            PeriodicJob("evaluation.star_grades", STAR_GRADES_EVERY,
                        lambda now: grade_month(uow_factory, now, config.stars, config.min_group)),
        ]

    return jobs


def figures_jobs(settings: Settings) -> JobsFactory:
    """The figures keeper's job, if the figures are kept by a process (none with a refresh of 0: every read
    works its year out itself)."""
    config = load_config(settings)

    def jobs(uow_factory) -> list[PeriodicJob]:
        keeper = FigureKeeper()  # each year's guard, kept from one refresh to the next
        return ([PeriodicJob("evaluation.refresh_figures", config.disclosure_refresh_seconds,
                             lambda now: refresh_changed(uow_factory, now, config.min_group, keeper))]
                if config.disclosure_refresh_seconds else [])

    return jobs


def scheduled_jobs(settings: Settings) -> JobsFactory:
    """Every job of the service, the worker's and the figures keeper's, for ops' "run now" (the web process)."""
    worker, figures = worker_jobs(settings), figures_jobs(settings)
    return lambda uow_factory: worker(uow_factory) + figures(uow_factory)


def build_worker(settings: Settings | None = None) -> Worker:
    settings = settings or load_settings("evaluation")
    return Worker(settings, handlers=handlers_for(load_config(settings)), jobs=worker_jobs(settings))


def build_figures_keeper(settings: Settings | None = None) -> Worker:
    """evaluation-figures: the figures' job alone, in a process of its own, run as one.

    Not a thread of the worker: a year's whole pass (the keeper's start, an upheld appeal, a rated window moved) holds
    the interpreter for minutes at ten million ratings, and the worker's outbox relay beside it got it only between
    the pass's slices (its lag reached 46 s at 500 events/s, its broker connection dropped for missed heartbeats);
    its memory (gigabytes at that volume) is sized on its own too. One replica: each year's guard is kept in its
    memory from one turn to the next, so two replicas taking the slots in turn would each work every year out again
    (safe, the slots' claims let one run at a time, but minutes of CPU each)."""
    settings = settings or load_settings("evaluation")
    return Worker(settings, jobs=figures_jobs(settings), relay=False)


def main() -> None:
    run_worker("evaluation", build_worker)


def figures_main() -> None:
    run_worker("evaluation", build_figures_keeper)


if __name__ == "__main__":  # ``python -m evaluation_service.worker figures`` is evaluation-figures
    figures_main() if sys.argv[1:] == ["figures"] else main()
