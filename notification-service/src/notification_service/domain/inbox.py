"""From one event to the notices it puts in people's inboxes (收件箱)."""
from __future__ import annotations

import uuid
from datetime import datetime

from .model import DEFAULT_LANGUAGE, LANGUAGES, Notice
from .recipients import Directory, recipients_of
from .templates import render


def _name(row) -> str | None:
    return row.name if row is not None else None


def names_for(data: dict, directory: Directory) -> dict[str, str | None]:
    """Names the texts may use, looked up in the projection; None where it does not know them yet."""
    names: dict[str, str | None] = {}
    if "unit_id" in data:
        names["unit_name"] = _name(directory.unit(data["unit_id"]))
    if "pledger_id" in data:
        pledger = (directory.person(data["pledger_id"]) if data["pledger_kind"] == "member"
                   else directory.unit(data["pledger_id"]))
        names["pledger_name"] = _name(pledger)
    if "subject_person_id" in data:
        # a branch's own evaluation has no person: the branch is its subject
        names["subject_name"] = (_name(directory.person(data["subject_person_id"])) if data["subject_person_id"]
                                 else names["unit_name"])
    if "branch_id" in data:
        names["branch_name"] = _name(directory.unit(data["branch_id"]))
    return names


def language_of(directory: Directory, person_id: uuid.UUID) -> str:
    row = directory.person(person_id)
    return row.language if row is not None and row.language in LANGUAGES else DEFAULT_LANGUAGE


def notices_for(event_id: uuid.UUID, event_type: str, data: dict, directory: Directory,
                now: datetime) -> list[Notice]:
    names = names_for(data, directory)
    notices = []
    for recipient in recipients_of(event_type, data, directory):
        text = render(event_type, recipient.audience, language_of(directory, recipient.person_id), data, names)
        notices.append(Notice(
            id=uuid.uuid4(), person_id=recipient.person_id, event_id=event_id, event_type=event_type,
            kind=text.kind, title=text.title, body=text.body, link=text.link, created_at=now,
            audience=recipient.audience))
    return notices
