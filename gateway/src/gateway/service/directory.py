"""Use cases of the organisation directory: units, people and windows. Every change is published as a
``directory.*`` event.

Longer than 400 lines because the three are published together (``republish_all``) and share their checks
(the unit tree, who manages a unit); windows in a module of their own would import this one and be imported by it.
"""
from __future__ import annotations

import uuid
from datetime import datetime, timezone

import sqlalchemy as sa

from pacesetter_shared.directory import NO_UNIT
from pacesetter_shared.i18n import _
from pacesetter_shared.identity import Identity
from pacesetter_shared.uow import UnitOfWork

from ..adapters.logins import forget_failures
from ..adapters.tables import persons, role_grants, units, windows
from ..domain.model import (
    DirectoryError, InvalidDirectoryChange, check_account_change, check_role_grant, check_unit_placement,
)
from ..domain.passwords import DEFAULT_POLICY, PasswordPolicy
from .identity import hash_password, revoke_sessions


class NotFound(DirectoryError):
    pass


class Forbidden(DirectoryError):
    pass


class Conflict(DirectoryError):
    pass


def require_directory_admin(identity: Identity) -> None:
    if not (identity.has_role("org_department") or identity.has_role("ops_admin")):
        raise Forbidden(_("Only the organisation department or ops can change the directory."))


def _unit_kind(session, unit_id) -> str | None:
    return session.execute(sa.select(units.c.kind).where(units.c.id == unit_id)).scalar()


def _publish_unit(uow: UnitOfWork, unit_id) -> None:
    row = uow.session.execute(sa.select(units).where(units.c.id == unit_id)).one()
    uow.record("directory.unit_upserted", row.id, {
        "unit_id": row.id, "name": row.name, "kind": row.kind, "parent_id": row.parent_id,
        "department_kind": row.department_kind, "secretary_id": row.secretary_id, "active": row.active,
        "revision": row.revision})


def _publish_person(uow: UnitOfWork, person_id) -> None:
    row = uow.session.execute(sa.select(persons).where(persons.c.id == person_id)).one()
    grants = uow.session.execute(sa.select(role_grants).where(role_grants.c.person_id == person_id)).all()
    uow.record("directory.person_upserted", row.id, {
        "person_id": row.id, "name": row.name, "email": row.email, "language": row.language,
        "category": row.category, "unit_id": row.unit_id, "group_id": row.group_id,
        "member_status": row.member_status, "exemptions": row.exemptions, "active": row.active,
        "revision": row.revision,
        "roles": [{"role": g.role, "unit_id": None if g.unit_id == NO_UNIT else g.unit_id} for g in grants]})


def create_unit(uow: UnitOfWork, identity: Identity | None, data: dict) -> dict:
    """``identity`` None: a trusted caller inside the gateway (demo seed, import)."""
    if identity is not None:
        require_directory_admin(identity)
    parent_kind = None
    if data.get("parent_id"):
        parent_kind = _unit_kind(uow.session, data["parent_id"])
        if parent_kind is None:
            raise InvalidDirectoryChange(_("Unknown parent unit."), {"parent_id": [_("no such unit")]})
    check_unit_placement(data["kind"], parent_kind)
    unit_id = data.get("id") or uuid.uuid4()
    uow.session.execute(sa.insert(units).values(
        id=unit_id, name=data["name"], kind=data["kind"], parent_id=data.get("parent_id"),
        department_kind=data.get("department_kind", "other"), secretary_id=data.get("secretary_id"),
        active=True, revision=1, created_at=datetime.now(timezone.utc)))
    _publish_unit(uow, unit_id)
    return get_unit(uow, unit_id)


def set_unit_secretary(uow: UnitOfWork, unit_id, secretary_id) -> None:
    uow.session.execute(sa.update(units).where(units.c.id == unit_id)
                        .values(secretary_id=secretary_id, revision=units.c.revision + 1))
    _publish_unit(uow, unit_id)


def get_unit(uow: UnitOfWork, unit_id) -> dict:
    row = uow.session.execute(sa.select(units).where(units.c.id == unit_id)).first()
    if row is None:
        raise NotFound(_("No such unit."))
    return dict(row._mapping)


def list_units(uow: UnitOfWork, limit: int, offset: int, parent_id=None) -> tuple[list[dict], int]:
    query = sa.select(units)
    if parent_id is not None:
        query = query.where(units.c.parent_id == parent_id)
    total = uow.session.execute(sa.select(sa.func.count()).select_from(query.subquery())).scalar_one()
    rows = uow.session.execute(query.order_by(units.c.kind, units.c.name).limit(limit).offset(offset)).all()
    return [dict(r._mapping) for r in rows], total


def update_unit(uow: UnitOfWork, identity: Identity | None, unit_id, changes: dict) -> dict:
    if identity is not None:
        require_directory_admin(identity)
    unit = get_unit(uow, unit_id)
    if changes.get("secretary_id") and uow.session.execute(
            sa.select(persons.c.id).where(persons.c.id == changes["secretary_id"])).first() is None:
        raise InvalidDirectoryChange(_("Unknown person."), {"secretary_id": [_("no such person")]})
    if "parent_id" in changes:
        # A branch moved to another general branch (a group to another branch): the kinds still fit.
        parent_kind = _unit_kind(uow.session, changes["parent_id"]) if changes["parent_id"] else None
        if changes["parent_id"] and parent_kind is None:
            raise InvalidDirectoryChange(_("Unknown parent unit."), {"parent_id": [_("no such unit")]})
        check_unit_placement(unit["kind"], parent_kind)
    allowed = {k: v for k, v in changes.items()
               if k in ("name", "department_kind", "secretary_id", "active", "parent_id")}
    if allowed:
        uow.session.execute(sa.update(units).where(units.c.id == unit_id)
                            .values(**allowed, revision=units.c.revision + 1))
        _publish_unit(uow, unit_id)
    return get_unit(uow, unit_id)


def check_password(passwords: PasswordPolicy, password: str, person: dict, field: str = "password") -> None:
    """The policy, with the person's own user name, name and e-mail address as words a password may not be."""
    problems = passwords.problems(password, (person.get("username"), person.get("name"), person.get("email")))
    if problems:
        raise InvalidDirectoryChange(_("The password is not accepted: {reason}", reason=problems[0]),
                                     {field: problems})


def create_person(uow: UnitOfWork, identity: Identity | None, data: dict,
                  passwords: PasswordPolicy = DEFAULT_POLICY) -> dict:
    if identity is not None:
        require_directory_admin(identity)
    if data.get("password"):
        check_password(passwords, data["password"], data)
    session = uow.session
    for key in ("unit_id", "group_id"):
        if data.get(key) and _unit_kind(session, data[key]) is None:
            raise InvalidDirectoryChange(_("Unknown unit."), {key: [_("no such unit")]})
    if data.get("username") and session.execute(
            sa.select(persons.c.id).where(persons.c.username == data["username"])).first():
        raise Conflict(_("That username is taken."), {"username": [_("already taken")]})
    grants = {(g["role"], g.get("unit_id")) for g in data.get("roles", [])}
    for role, unit_id in grants:
        check_role_grant(role, _unit_kind(session, unit_id) if unit_id else None)
    person_id = data.get("id") or uuid.uuid4()
    session.execute(sa.insert(persons).values(
        id=person_id, username=data.get("username"), name=data["name"], email=data.get("email"),
        language=data.get("language", "zh"), category=data.get("category", "member"),
        unit_id=data.get("unit_id"), group_id=data.get("group_id"),
        member_status=data.get("member_status", "none"), joined_on=data.get("joined_on"),
        exemptions=[{"year": e["year"], "reason": e["reason"]} for e in data.get("exemptions", [])],
        password_hash=hash_password(data["password"]) if data.get("password") else None,
        active=True, revision=1, created_at=datetime.now(timezone.utc)))
    if grants:
        session.execute(sa.insert(role_grants), [
            {"person_id": person_id, "role": role, "unit_id": unit_id or NO_UNIT} for role, unit_id in grants])
    _publish_person(uow, person_id)
    return get_person(uow, person_id)


def update_person(uow: UnitOfWork, identity: Identity | None, person_id, changes: dict,
                  passwords: PasswordPolicy = DEFAULT_POLICY) -> dict:
    """A new password, disabling, other roles or another unit end the person's sessions (their access tokens
    carry the old roles and unit): they log in again, as who they now are."""
    if identity is not None:
        require_directory_admin(identity)
    session = uow.session
    before = get_person(uow, person_id)
    for key in ("unit_id", "group_id"):
        if changes.get(key) and _unit_kind(session, changes[key]) is None:
            raise InvalidDirectoryChange(_("Unknown unit."), {key: [_("no such unit")]})
    roles_before = {(g["role"], g["unit_id"]) for g in before["roles"]}
    roles_after = {(g["role"], g.get("unit_id")) for g in changes["roles"]} if "roles" in changes else roles_before
    disables = before["active"] and changes.get("active") is False
    roles_lost = {role for role, _unit in roles_before} - {role for role, _unit in roles_after}
    check_account_change(
        own=identity is not None and identity.subject == str(person_id), disables=disables, roles_lost=roles_lost,
        sets_password=bool(changes.get("password")),
        last_org_account=before["active"] and any(role == "org_department" for role, _unit in roles_before)
        and (disables or "org_department" in roles_lost) and not _other_org_accounts(uow, person_id))
    if changes.get("password"):
        check_password(passwords, changes["password"], before)
    values = {k: v for k, v in changes.items()
              if k in ("name", "email", "language", "category", "unit_id", "group_id", "member_status", "joined_on",
                       "active")}
    if "exemptions" in changes:
        values["exemptions"] = [{"year": e["year"], "reason": e["reason"]} for e in changes["exemptions"]]
    if changes.get("password"):
        values["password_hash"] = hash_password(changes["password"])
    if "roles" in changes:
        grants = {(g["role"], g.get("unit_id")) for g in changes["roles"]}
        for role, unit_id in grants:
            check_role_grant(role, _unit_kind(session, unit_id) if unit_id else None)
        session.execute(sa.delete(role_grants).where(role_grants.c.person_id == person_id))
        if grants:
            session.execute(sa.insert(role_grants), [
                {"person_id": person_id, "role": role, "unit_id": unit_id or NO_UNIT} for role, unit_id in grants])
    session.execute(sa.update(persons).where(persons.c.id == person_id)
                    .values(**values, revision=persons.c.revision + 1))
    if changes.get("password"):
        forget_failures(session, before["username"])  # a locked-out person is let in with the new password
    if (changes.get("password") or disables or roles_after != roles_before
            or ("unit_id" in changes and changes["unit_id"] != before["unit_id"])):
        revoke_sessions(session, person_id)
    _publish_person(uow, person_id)
    return get_person(uow, person_id)


def _other_org_accounts(uow: UnitOfWork, person_id) -> int:
    """How many other active people hold the organisation department's role. Its holders are locked until the
    commit: two of them disabling each other at once would otherwise both see the other still there."""
    holders = sa.select(role_grants.c.person_id).where(role_grants.c.role == "org_department")
    uow.session.execute(sa.select(persons.c.id).where(persons.c.id.in_(holders)).with_for_update()).all()
    return uow.session.execute(sa.select(sa.func.count()).select_from(persons).where(
        persons.c.id.in_(holders), persons.c.active.is_(True), persons.c.id != person_id)).scalar_one()


def get_person(uow: UnitOfWork, person_id) -> dict:
    row = uow.session.execute(sa.select(persons).where(persons.c.id == person_id)).first()
    if row is None:
        raise NotFound(_("No such person."))
    grants = uow.session.execute(sa.select(role_grants).where(role_grants.c.person_id == person_id)).all()
    person = {k: v for k, v in row._mapping.items() if k != "password_hash"}
    person["roles"] = [{"role": g.role, "unit_id": None if g.unit_id == NO_UNIT else g.unit_id} for g in grants]
    return person


def units_below(uow: UnitOfWork, unit_id) -> list:
    """The unit and every unit under it (a general branch's branches and their groups)."""
    found, frontier = [unit_id], [unit_id]
    while frontier:
        frontier = [u for u in uow.session.execute(sa.select(units.c.id).where(units.c.parent_id.in_(frontier)))
                    .scalars() if u not in found]
        found += frontier
    return found


def list_persons(uow: UnitOfWork, limit: int, offset: int, unit_id=None, text: str | None = None, *,
                 include_below: bool = False, roles: list[str] | None = None, active: bool | None = None,
                 categories: list[str] | None = None) -> tuple[list[dict], int]:
    """A page of people, by name, and how many match in all: of a unit (their unit or group; with
    ``include_below`` of every unit under it too), holding one of ``roles`` (in any unit), active or not,
    whose name or user name holds ``text``."""
    query = sa.select(persons.c.id)
    if unit_id is not None:
        place = units_below(uow, unit_id) if include_below else [unit_id]
        query = query.where(sa.or_(persons.c.unit_id.in_(place), persons.c.group_id.in_(place)))
    if roles:
        query = query.where(persons.c.id.in_(sa.select(role_grants.c.person_id).where(role_grants.c.role.in_(roles))))
    if active is not None:
        query = query.where(persons.c.active.is_(active))
    if categories:
        query = query.where(persons.c.category.in_(categories))
    if text and text.strip():
        query = query.where(sa.or_(persons.c.name.icontains(text.strip(), autoescape=True),
                                   persons.c.username.icontains(text.strip(), autoescape=True)))
    total = uow.session.execute(sa.select(sa.func.count()).select_from(query.subquery())).scalar_one()
    ids = uow.session.execute(query.order_by(persons.c.name, persons.c.id).limit(limit).offset(offset)).scalars()
    return [get_person(uow, pid) for pid in ids], total


def require_unit_lead(uow: UnitOfWork, identity: Identity, unit_id) -> None:
    """The unit's branch secretary, the general branch's secretary above it, the organisation department or ops."""
    if identity.has_role("org_department") or identity.has_role("ops_admin"):
        return
    parent = uow.session.execute(sa.select(units.c.parent_id).where(units.c.id == unit_id)).scalar()
    if unit_id is not None and (identity.has_role("branch_secretary", str(unit_id)) or identity.has_role(
            "general_branch_secretary", str(unit_id)) or (
            parent is not None and identity.has_role("general_branch_secretary", str(parent)))):
        return
    raise Forbidden(_("Only the unit's secretaries or the organisation department see and exempt its members."))


def list_unit_members(uow: UnitOfWork, identity: Identity, unit_id, limit: int, offset: int,
                      text: str | None = None, categories: list[str] | None = None):
    """A branch's people for its secretary: names, status and exemptions (免于承诺), nothing more."""
    if _unit_kind(uow.session, unit_id) is None:
        raise NotFound(_("No such unit."))
    require_unit_lead(uow, identity, unit_id)
    return list_persons(uow, limit, offset, unit_id, text, categories=categories)


def set_exemptions(uow: UnitOfWork, identity: Identity, person_id, exemptions: list[dict]) -> dict:
    """年老体弱: the branch secretary exempts a member from pledging for a year, with the reason."""
    person = get_person(uow, person_id)
    require_unit_lead(uow, identity, person["unit_id"])
    return update_person(uow, None, person_id, {"exemptions": exemptions})


def _publish_window(uow: UnitOfWork, window_id) -> None:
    row = uow.session.execute(sa.select(windows).where(windows.c.id == window_id)).one()
    uow.record("directory.window_upserted", row.id, {
        "window_id": row.id, "name": row.name, "kind": row.kind, "location": row.location, "unit_id": row.unit_id,
        "responsible_id": row.responsible_id, "on_duty_ids": row.on_duty_ids, "standards": row.standards,
        "active": row.active, "revision": row.revision})


def require_window_manager(uow: UnitOfWork, identity: Identity | None, unit_id) -> None:
    """The organisation department, ops, or a secretary of the window's unit or the general branch above."""
    if identity is None or identity.has_role("org_department") or identity.has_role("ops_admin"):
        return
    parent = uow.session.execute(sa.select(units.c.parent_id).where(units.c.id == unit_id)).scalar()
    if identity.has_role("branch_secretary", str(unit_id)) or (
            parent is not None and identity.has_role("general_branch_secretary", str(parent))):
        return
    raise Forbidden(_("Only the unit's secretaries or the organisation department manage its windows."))


def _check_window_people(uow: UnitOfWork, data: dict) -> None:
    people = list(data.get("on_duty_ids") or []) + ([data["responsible_id"]] if data.get("responsible_id") else [])
    if people:
        found = set(uow.session.execute(sa.select(persons.c.id).where(persons.c.id.in_(people))).scalars())
        missing = [str(p) for p in people if p not in found]
        if missing:
            raise InvalidDirectoryChange(_("Unknown people on the window."), {"on_duty_ids": missing})


def create_window(uow: UnitOfWork, identity: Identity | None, data: dict) -> dict:
    if _unit_kind(uow.session, data["unit_id"]) is None:
        raise InvalidDirectoryChange(_("Unknown unit."), {"unit_id": [_("no such unit")]})
    require_window_manager(uow, identity, data["unit_id"])
    _check_window_people(uow, data)
    window_id = data.get("id") or uuid.uuid4()
    uow.session.execute(sa.insert(windows).values(
        id=window_id, name=data["name"], kind=data.get("kind", "window"), location=data.get("location", ""),
        unit_id=data["unit_id"], responsible_id=data.get("responsible_id"),
        on_duty_ids=[str(p) for p in data.get("on_duty_ids", [])],
        standards=data.get("standards") or {"items": [], "workflow": "", "time_limit": ""},
        active=True, revision=1, created_at=datetime.now(timezone.utc)))
    _publish_window(uow, window_id)
    return get_window(uow, window_id)


def update_window(uow: UnitOfWork, identity: Identity | None, window_id, changes: dict) -> dict:
    current = get_window(uow, window_id)
    require_window_manager(uow, identity, current["unit_id"])
    _check_window_people(uow, changes)
    values = {k: v for k, v in changes.items() if k in ("name", "kind", "location", "responsible_id", "standards",
                                                        "active")}
    if "on_duty_ids" in changes:
        values["on_duty_ids"] = [str(p) for p in changes["on_duty_ids"]]
    uow.session.execute(sa.update(windows).where(windows.c.id == window_id)
                        .values(**values, revision=windows.c.revision + 1))
    _publish_window(uow, window_id)
    return get_window(uow, window_id)


def get_window(uow: UnitOfWork, window_id) -> dict:
    row = uow.session.execute(sa.select(windows).where(windows.c.id == window_id)).first()
    if row is None:
        raise NotFound(_("No such window."))
    return dict(row._mapping)


def list_windows(uow: UnitOfWork, limit: int, offset: int, unit_id=None, *, include_below: bool = False
                 ) -> tuple[list[dict], int]:
    query = sa.select(windows)
    if unit_id is not None:
        query = query.where(windows.c.unit_id.in_(units_below(uow, unit_id) if include_below else [unit_id]))
    total = uow.session.execute(sa.select(sa.func.count()).select_from(query.subquery())).scalar_one()
    rows = uow.session.execute(query.order_by(windows.c.name, windows.c.id).limit(limit).offset(offset)).all()
    return [dict(r._mapping) for r in rows], total


def public_unit(uow: UnitOfWork, unit_id) -> dict:
    """A unit's name, for anyone (the masses' suggestion box names where a note goes): nothing else of it."""
    unit = get_unit(uow, unit_id)
    if not unit["active"]:
        raise NotFound(_("No such unit."))
    return {"id": unit["id"], "name": unit["name"], "kind": unit["kind"]}


def public_window(uow: UnitOfWork, window_id) -> dict:
    """亮标准、亮身份: what a display screen or kiosk may show to anyone."""
    window = get_window(uow, window_id)
    if not window["active"]:
        raise NotFound(_("No such window."))
    on_duty = [uuid.UUID(p) for p in window["on_duty_ids"]]
    people = uow.session.execute(sa.select(persons.c.id, persons.c.name, persons.c.member_status)
                                 .where(persons.c.id.in_(on_duty), persons.c.active.is_(True))).all()
    by_id = {p.id: p for p in people}
    unit = get_unit(uow, window["unit_id"])
    return {"id": window["id"], "name": window["name"], "kind": window["kind"], "location": window["location"],
            "unit_name": unit["name"], "standards": window["standards"],
            "on_duty": [{"name": by_id[p].name, "party_member": by_id[p].member_status in ("full", "probationary"),
                         "member_status": by_id[p].member_status} for p in on_duty if p in by_id]}


def republish_all(uow: UnitOfWork, identity: Identity | None) -> int:
    """Snapshot for a new or rebuilt service: every unit (parents first) and person, as they are."""
    if identity is not None:
        require_directory_admin(identity)
    count = 0
    for kind in ("committee", "general_branch", "branch", "group"):
        for unit_id in uow.session.execute(sa.select(units.c.id).where(units.c.kind == kind)).scalars():
            _publish_unit(uow, unit_id)
            count += 1
    for person_id in uow.session.execute(sa.select(persons.c.id)).scalars():
        _publish_person(uow, person_id)
        count += 1
    for window_id in uow.session.execute(sa.select(windows.c.id)).scalars():
        _publish_window(uow, window_id)
        count += 1
    return count
