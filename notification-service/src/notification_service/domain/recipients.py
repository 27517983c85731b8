"""Who hears of an event (通知对象), decided from the service's own directory projection only."""
from __future__ import annotations

import uuid
from typing import Callable, Iterable, Protocol

from pacesetter_shared.i18n import _

from .model import Audience, DirectoryGap, Recipient


class Directory(Protocol):
    """What the rules ask of the directory projection (``pacesetter_shared.directory.DirectoryView``).

    Rows carry ``id`` and ``name``; units also ``kind``, people ``language``, ``email`` and ``active``;
    windows (服务窗口) ``unit_id``.
    """

    def unit(self, unit_id): ...

    def person(self, person_id): ...

    def general_branch_of(self, unit_id): ...

    def holders(self, role: str, unit_ids) -> list: ...

    def window(self, window_id): ...


Rule = Callable[[dict, Directory], list[Recipient]]


def _known_units(directory: Directory, unit_ids: Iterable[uuid.UUID]) -> list[uuid.UUID]:
    # Events arrive in any order: a unit we have not heard of yet means "retry later", not "nobody".
    ids = list(unit_ids)
    missing = [str(u) for u in ids if directory.unit(u) is None]
    if missing:
        raise DirectoryGap(_("The directory projection does not know these units yet."), {"unit_ids": missing})
    return ids


def _person(directory: Directory, person_id: uuid.UUID, audience: Audience) -> list[Recipient]:
    row = directory.person(person_id)
    # Someone not in the projection yet still hears of their own pledge; someone who left does not.
    if row is not None and not row.active:
        return []
    return [Recipient(person_id, audience)]


def _holders(directory: Directory, role: str, unit_ids: Iterable[uuid.UUID], audience: Audience) -> list[Recipient]:
    return [Recipient(p.id, audience) for p in directory.holders(role, _known_units(directory, unit_ids))]


def _pledger(data: dict, directory: Directory) -> list[Recipient]:
    """The member who pledged, or for an organisation's pledge (基层党组织承诺) its branch secretaries."""
    if data["pledger_kind"] == "member":
        return _person(directory, data["pledger_id"], Audience.OWN)
    return _holders(directory, "branch_secretary", [data["pledger_id"]], Audience.OWN)


def _reviewers(data: dict, directory: Directory) -> list[Recipient]:
    """The secretaries of the general branch above the pledge's unit (党总支审核)."""
    _known_units(directory, [data["unit_id"]])
    general_branch = directory.general_branch_of(data["unit_id"])
    if general_branch is None:  # a unit straight under the committee: the organisation department reviews
        return []
    return _holders(directory, "general_branch_secretary", [general_branch.id], Audience.REVIEWER)


def _pledger_and_branch(data: dict, directory: Directory) -> list[Recipient]:
    return _pledger(data, directory) + _holders(directory, "branch_secretary", [data["unit_id"]],
                                                 Audience.SECRETARY)


def _evaluated(data: dict, directory: Directory) -> list[Recipient]:
    """The evaluated member (评议结果反馈给党员) and the secretaries of the branch."""
    own = _person(directory, data["subject_person_id"], Audience.OWN) if data["subject_person_id"] else []
    return own + _holders(directory, "branch_secretary", [data["unit_id"]], Audience.SECRETARY)


def _cycle_branches(data: dict, directory: Directory) -> list[Recipient]:
    return _holders(directory, "branch_secretary", data["branch_ids"], Audience.SECRETARY)


def _graded_branch(data: dict, directory: Directory) -> list[Recipient]:
    return _holders(directory, "branch_secretary", [data["branch_id"]], Audience.SECRETARY)


def _publicity_secretaries(data: dict, directory: Directory) -> list[Recipient]:
    """公示: every general branch's secretary, who answers the objections, and every branch's secretary (one
    holding both hears it once, as the general branch)."""
    return (_holders(directory, "general_branch_secretary", data["general_branch_ids"], Audience.SUPERIOR)
            + _holders(directory, "branch_secretary", data["branch_ids"], Audience.SECRETARY))


def _branch_secretaries(data: dict, directory: Directory) -> list[Recipient]:
    """The secretaries of the branch the event is about (its overdue list, 督促检查)."""
    return _holders(directory, "branch_secretary", [data["unit_id"]], Audience.SECRETARY)


def _listed_members(data: dict, directory: Directory) -> list[Recipient]:
    """Each member a secretary reminds to pledge (督促承诺), once however often the list names them."""
    return [r for member in dict.fromkeys(data["member_ids"]) for r in _person(directory, member, Audience.OWN)]


def _raters(data: dict, directory: Directory) -> list[Recipient]:
    """Each person asked to rate (自评、互评、领导点评): one request each."""
    return [r for rater in data["rater_ids"] for r in _person(directory, rater, Audience.RATER)]


def _responsible(data: dict, directory: Directory) -> list[Recipient]:
    """The window's responsible person; without one, the branch answers for it (差评整改)."""
    if data["responsible_id"] is not None:
        found = _person(directory, data["responsible_id"], Audience.RESPONSIBLE)
        if found:
            return found
    return _holders(directory, "branch_secretary", [data["unit_id"]], Audience.RESPONSIBLE)


def _responsible_and_superior(data: dict, directory: Directory) -> list[Recipient]:
    """An overdue follow-up: the responsible person, escalated to the general branch above (督办)."""
    general_branch = directory.general_branch_of(data["unit_id"])
    superiors = (_holders(directory, "general_branch_secretary", [general_branch.id], Audience.SUPERIOR)
                 if general_branch is not None else [])
    return _responsible(data, directory) + superiors


def _star_holder(data: dict, directory: Directory) -> list[Recipient]:
    """星级窗口: the window's responsible person (else its branch); 服务标兵: the member on duty."""
    if data["scope"] == "on_duty":
        return _person(directory, data["responsible_id"], Audience.OWN)
    return _responsible(data, directory)


def alert_recipients(data: dict, directory: Directory) -> list[Recipient]:
    """A bad-rating alert: the window's responsible person and the branch secretaries, each once."""
    own = _person(directory, data["responsible_id"], Audience.RESPONSIBLE) if data["responsible_id"] else []
    seen: dict[uuid.UUID, Recipient] = {}
    for recipient in own + _holders(directory, "branch_secretary", [data["unit_id"]], Audience.SECRETARY):
        seen.setdefault(recipient.person_id, recipient)
    return list(seen.values())


def _task_owner_and_branch(data: dict, directory: Directory) -> list[Recipient]:
    own = _person(directory, data["owner_id"], Audience.OWN) if data["owner_id"] else []
    return own + _graded_branch(data, directory)


RULES: dict[str, Rule] = {
    "pledge.submitted": _reviewers,
    "pledge.returned": _pledger,
    "pledge.approved": _pledger,
    "pledge.published": _pledger,
    "pledge.due_soon": _pledger,
    "pledge.overdue": _pledger_and_branch,
    "pledge.fulfilled": _pledger,
    "pledge.overdue_list": _branch_secretaries,
    "pledge.reminder_requested": _listed_members,
    "evaluation.requested": _raters,
    "evaluation.completed": _evaluated,
    "evaluation.incomplete": _evaluated,
    "evaluation.star_graded": _star_holder,
    "feedback.negative": _responsible,
    "feedback.followup_overdue": _responsible_and_superior,
    "grading.cycle_opened": _cycle_branches,
    "grading.publicity_started": _publicity_secretaries,
    "grading.level_finalised": _graded_branch,
    "grading.published": _graded_branch,  # grading.level_finalised's old name, still read (see the schema)
    "rectification.task_overdue": _task_owner_and_branch,
    "rectification.accepted": _graded_branch,
}

# Events nobody is told of, and why; a new event type fails a unit test until it is in RULES or here.
SILENT = {
    "pledge.progressed": "a progress report is the member's own news",
    "pledge.withdrawn": "a withdrawn pledge simply leaves the review list",
    "pledge.statistics_updated": "figures for grading, not news for a person",
    # the subject and every rater hear of a round through evaluation.requested, party by party
    "evaluation.round_opened": "its raters are asked by evaluation.requested",
    "evaluation.window_satisfaction": "monthly figures for grading",
    "feedback.followup_closed": "the responsible person closed it; the case record is the evidence",
}


def people_named(data: dict) -> list[uuid.UUID]:
    """The people an event's data names whose directory row the rules may read (a batch reads them at once)."""
    named = [data.get(field) for field in ("subject_person_id", "responsible_id", "owner_id")]
    named += data.get("rater_ids") or []
    named += data.get("member_ids") or []
    if data.get("pledger_kind") == "member":
        named.append(data["pledger_id"])
    return [p for p in named if p is not None]


def recipients_of(event_type: str, data: dict, directory: Directory) -> list[Recipient]:
    """Each person once, in the first capacity found: the pledger before the secretary, so a
    secretary's own pledge reads "your pledge"; never the event's actor."""
    seen: dict[uuid.UUID, Recipient] = {}
    for recipient in RULES[event_type](data, directory):
        seen.setdefault(recipient.person_id, recipient)
    # nobody is told of what they just did themselves (a member who fulfils their own pledge)
    seen.pop(data.get("actor_id"), None)
    return list(seen.values())
