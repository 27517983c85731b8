"""A service's own copy of the organisation directory (组织目录), kept from ``directory.*`` events.

The gateway owns the directory; every service that needs to know who belongs where keeps
this projection in its own database and never calls the gateway. Each upsert carries a
revision, so a late, older copy of a record never overwrites a newer one.
"""
from __future__ import annotations

import uuid

import sqlalchemy as sa
from sqlalchemy.orm import Session

from .db import JsonType
from .events import Envelope

directory_metadata = sa.MetaData()

units = sa.Table(
    "dir_units", directory_metadata,
    sa.Column("id", sa.Uuid, primary_key=True),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("kind", sa.String(20), nullable=False),
    sa.Column("parent_id", sa.Uuid, index=True),
    sa.Column("department_kind", sa.String(20), nullable=False),
    sa.Column("secretary_id", sa.Uuid),
    sa.Column("active", sa.Boolean, nullable=False),
    sa.Column("revision", sa.Integer, nullable=False),
)

persons = sa.Table(
    "dir_persons", directory_metadata,
    sa.Column("id", sa.Uuid, primary_key=True),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("email", sa.String(320)),
    sa.Column("language", sa.String(5), nullable=False),
    sa.Column("category", sa.String(20), nullable=False),
    sa.Column("unit_id", sa.Uuid, index=True),
    sa.Column("group_id", sa.Uuid),
    sa.Column("member_status", sa.String(20), nullable=False),
    sa.Column("exemptions", JsonType, nullable=False),
    sa.Column("active", sa.Boolean, nullable=False),
    sa.Column("revision", sa.Integer, nullable=False),
)

roles = sa.Table(
    "dir_roles", directory_metadata,
    sa.Column("person_id", sa.Uuid, primary_key=True),
    sa.Column("role", sa.String(40), primary_key=True),
    # the nil UUID stands for "no unit" so that the key stays a plain primary key
    sa.Column("unit_id", sa.Uuid, primary_key=True),
    sa.Index("ix_dir_roles_role_unit", "role", "unit_id"),
)

windows = sa.Table(
    "dir_windows", directory_metadata,
    sa.Column("id", sa.Uuid, primary_key=True),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("kind", sa.String(30), nullable=False),
    sa.Column("location", sa.String(200), nullable=False),
    sa.Column("unit_id", sa.Uuid, nullable=False, index=True),
    sa.Column("responsible_id", sa.Uuid),
    sa.Column("on_duty_ids", JsonType, nullable=False),
    sa.Column("standards", JsonType, nullable=False),
    sa.Column("active", sa.Boolean, nullable=False),
    sa.Column("revision", sa.Integer, nullable=False),
)

NO_UNIT = uuid.UUID(int=0)


def create_directory_tables(op) -> None:
    """For a service's migration: the projection tables, as of directory schema version 1."""
    directory_metadata.create_all(bind=op.get_bind())


def _newer(session: Session, table: sa.Table, row_id, revision: int) -> bool:
    current = session.execute(sa.select(table.c.revision).where(table.c.id == row_id)).scalar()
    if current is not None and current >= revision:
        return False
    session.execute(sa.delete(table).where(table.c.id == row_id))
    return True


def on_unit_upserted(uow, _envelope: Envelope, data: dict) -> None:
    if _newer(uow.session, units, data["unit_id"], data["revision"]):
        uow.session.execute(sa.insert(units).values(
            id=data["unit_id"], name=data["name"], kind=data["kind"], parent_id=data["parent_id"],
            department_kind=data["department_kind"], secretary_id=data["secretary_id"],
            active=data["active"], revision=data["revision"]))


def on_person_upserted(uow, _envelope: Envelope, data: dict) -> None:
    session = uow.session
    if not _newer(session, persons, data["person_id"], data["revision"]):
        return
    session.execute(sa.insert(persons).values(
        id=data["person_id"], name=data["name"], email=data["email"], language=data["language"],
        category=data["category"], unit_id=data["unit_id"], group_id=data["group_id"],
        member_status=data["member_status"],
        exemptions=[{"year": e["year"], "reason": e["reason"]} for e in data["exemptions"]],
        active=data["active"], revision=data["revision"]))
    session.execute(sa.delete(roles).where(roles.c.person_id == data["person_id"]))
    grants = {(g["role"], g["unit_id"] or NO_UNIT) for g in data["roles"]}
    if grants:
        session.execute(sa.insert(roles), [
            {"person_id": data["person_id"], "role": role, "unit_id": unit} for role, unit in grants])


def on_window_upserted(uow, _envelope: Envelope, data: dict) -> None:
    if _newer(uow.session, windows, data["window_id"], data["revision"]):
        uow.session.execute(sa.insert(windows).values(
            id=data["window_id"], name=data["name"], kind=data["kind"], location=data["location"],
            unit_id=data["unit_id"], responsible_id=data["responsible_id"],
            on_duty_ids=[str(p) for p in data["on_duty_ids"]], standards=data["standards"],
            active=data["active"], revision=data["revision"]))


DIRECTORY_HANDLERS = {
    "directory.unit_upserted": on_unit_upserted,
    "directory.person_upserted": on_person_upserted,
    "directory.window_upserted": on_window_upserted,
}


class DirectoryView:
    """Read-only questions a service asks of its projection."""

    def __init__(self, session: Session):
        self.session = session

    def unit(self, unit_id):
        return self.session.execute(sa.select(units).where(units.c.id == unit_id)).first()

    def person(self, person_id):
        return self.session.execute(sa.select(persons).where(persons.c.id == person_id)).first()

    def ancestors(self, unit_id) -> list:
        """The unit itself, then its parent, up to the committee (党委)."""
        chain, seen = [], set()
        while unit_id is not None and unit_id not in seen:
            seen.add(unit_id)
            row = self.unit(unit_id)
            if row is None:
                break
            chain.append(row)
            unit_id = row.parent_id
        return chain

    def general_branch_of(self, unit_id):
        return next((u for u in self.ancestors(unit_id) if u.kind == "general_branch"), None)

    def descendants(self, unit_id) -> list:
        """The unit and every unit below it (a general branch's branches and groups)."""
        found = self.session.execute(sa.select(units).where(units.c.id == unit_id)).all()
        seen, frontier = {row.id for row in found}, [unit_id]
        while frontier:
            children = self.session.execute(sa.select(units).where(units.c.parent_id.in_(frontier))).all()
            children = [c for c in children if c.id not in seen]  # one set kept: a thousand units, not a million checks
            seen.update(c.id for c in children)
            found += children
            frontier = [c.id for c in children]
        return found

    @staticmethod
    def units_under(unit_id) -> sa.Select:
        """``descendants``' ids as a query for the database to join (thousands of ids read into Python and sent
        back as an IN list cost a ranking of 5,000 windows ~20 ms); UNION, so a loop in the tree ends."""
        under = sa.select(units.c.id).where(units.c.id == unit_id).cte("under", recursive=True)
        return sa.select(under.union(sa.select(units.c.id).join(under, units.c.parent_id == under.c.id)).c.id)

    def holders(self, role: str, unit_ids) -> list:
        """Active people holding ``role`` in any of ``unit_ids``."""
        ids = [u for u in unit_ids if u is not None]
        if not ids:
            return []
        return self.session.execute(
            sa.select(persons).join(roles, roles.c.person_id == persons.c.id)
            .where(roles.c.role == role, roles.c.unit_id.in_(ids), persons.c.active.is_(True))
            .order_by(persons.c.name)
        ).all()
