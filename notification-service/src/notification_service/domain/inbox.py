"""From one event to the notices it puts in people's inboxes (收件箱)."""
from __future__ import annotations

import uuid
from datetime import datetime

from .grouping import Subject, group_key, subject_of
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
    if "cases" in data:  # feedback.negative: a window's cases, or a complaint's unit
        names["place_name"] = (_name(directory.window(data["window_id"])) if data["window_id"]
                               else names["unit_name"])
    return names


def subject_name(subject: Subject | None, data: dict, names: dict[str, str | None], directory: Directory) -> str | None:
    """The name a group of notices about ``subject`` is titled with, as the projection knows it now."""
    kind, key = subject if subject is not None else (None, None)
    if kind == "window":
        return _name(directory.window(key))
    if kind == "unit":
        return _name(directory.unit(key))
    if kind == "person":
        return _name(directory.person(key))
    if kind == "pledge":
        return data.get("title")
    if kind == "round":
        return names.get("subject_name")
    return None


def language_of(directory: Directory, person_id: uuid.UUID) -> str:
    row = directory.person(person_id)
    return row.language if row is not None and row.language in LANGUAGES else DEFAULT_LANGUAGE


def notices_for(event_id: uuid.UUID, event_type: str, data: dict, directory: Directory,
                now: datetime) -> list[Notice]:
    names = names_for(data, directory)
    notices = []
    for recipient in recipients_of(event_type, data, directory):
        text = render(event_type, recipient.audience, language_of(directory, recipient.person_id), data, names)
        notice_id = uuid.uuid4()
        subject = subject_of(event_type, recipient.audience, data)
        notices.append(Notice(
            id=notice_id, person_id=recipient.person_id, event_id=event_id, event_type=event_type,
            kind=text.kind, title=text.title, body=text.body, link=text.link, created_at=now,
            audience=recipient.audience, group_key=group_key(subject, notice_id),
            subject_name=subject_name(subject, data, names, directory)))
    return notices
