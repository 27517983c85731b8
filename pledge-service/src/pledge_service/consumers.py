"""Events pledge-service acts on."""
from pacesetter_shared.directory import DIRECTORY_HANDLERS

from .service import pledges


def on_evaluation_completed(uow, _envelope, data: dict) -> None:
    """A pledge's evaluation round finished (一诺一评): keep its result on the pledge."""
    if data["target_kind"] == "pledge":
        pledges.record_evaluation(uow, data)


HANDLERS = dict(DIRECTORY_HANDLERS) | {"evaluation.completed": on_evaluation_completed}
