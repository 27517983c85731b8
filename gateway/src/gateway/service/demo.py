"""Demo data for the embedded mode: a small university committee and one account per role.

Seeded through the directory use cases, so the services learn it from ``directory.*``
events like any real change. Running it twice changes nothing.
"""
from __future__ import annotations

import uuid

import sqlalchemy as sa

from pacesetter_shared.config import load_settings
from pacesetter_shared.db import make_engine, make_session_factory
from pacesetter_shared.uow import UnitOfWorkFactory

from ..adapters.tables import units
from . import directory

DEMO_PASSWORD = "pacesetter2026"
_NS = uuid.UUID("8d2b6a52-1f0e-4c53-9a43-6f1d2c0e7a10")


def _id(name: str) -> uuid.UUID:
    return uuid.uuid5(_NS, name)


UNITS = [
    # (key, name, kind, parent key, department kind)
    ("committee", "中共示范大学委员会", "committee", None, "other"),
    ("gb-teaching", "教育学院党总支", "general_branch", "committee", "teaching"),
    ("gb-admin", "机关党总支", "general_branch", "committee", "administrative"),
    ("br-teachers", "教育学院教工第一党支部", "branch", "gb-teaching", "teaching"),
    ("br-students", "教育学院学生党支部", "branch", "gb-teaching", "teaching"),
    ("br-affairs", "教务处党支部", "branch", "gb-admin", "administrative"),
    ("gr-teachers-1", "教工第一党支部第一党小组", "group", "br-teachers", "teaching"),
]

PEOPLE = [
    # (username, name, branch key, roles [(role, unit key)], member status)
    ("zuzhibu", "王组织（党委组织部）", None, [("org_department", "committee"), ("ops_admin", None)], "full"),
    ("zongzhi", "李总支（教育学院党总支书记）", "br-teachers",
     [("member", "br-teachers"), ("general_branch_secretary", "gb-teaching")], "full"),
    ("jiguan", "周总支（机关党总支书记）", "br-affairs",
     [("member", "br-affairs"), ("general_branch_secretary", "gb-admin")], "full"),
    ("zhishu", "张支书（教工第一党支部书记）", "br-teachers",
     [("member", "br-teachers"), ("branch_secretary", "br-teachers")], "full"),
    ("dangyuan", "陈党员", "br-teachers", [("member", "br-teachers")], "full"),
    ("liuwei", "刘伟", "br-teachers", [("member", "br-teachers")], "full"),
    ("zhaomin", "赵敏", "br-teachers", [("member", "br-teachers")], "probationary"),
    ("sunli", "孙丽（教务处）", "br-affairs", [("member", "br-affairs"), ("branch_secretary", "br-affairs")], "full"),
]


def seed(uow_factory: UnitOfWorkFactory) -> bool:
    """Create the demo directory unless it is there; return whether anything was created."""
    with uow_factory() as uow:
        if uow.session.execute(sa.select(units.c.id).where(units.c.id == _id("committee"))).first():
            return False
        for key, name, kind, parent, department in UNITS:
            directory.create_unit(uow, None, {"id": _id(key), "name": name, "kind": kind,
                                              "parent_id": _id(parent) if parent else None,
                                              "department_kind": department})
        for username, name, branch, roles, status in PEOPLE:
            directory.create_person(uow, None, {
                "id": _id(username), "username": username, "password": DEMO_PASSWORD, "name": name,
                # No e-mail addresses: the embedded demo has no SMTP server to send to.
                "unit_id": _id(branch) if branch else None,
                "member_status": status, "category": "member" if branch else "leader",
                "roles": [{"role": r, "unit_id": _id(u) if u else None} for r, u in roles]})
        directory.create_person(uow, None, {
            "id": _id("laoliu"), "name": "刘老（年老体弱，免于承诺）", "unit_id": _id("br-teachers"),
            "member_status": "full", "roles": [{"role": "member", "unit_id": _id("br-teachers")}],
            "exemptions": [{"year": 2026, "reason": "年老体弱"}]})
        for username, unit in (("zongzhi", "gb-teaching"), ("jiguan", "gb-admin"), ("zhishu", "br-teachers"),
                               ("sunli", "br-affairs")):
            directory.set_unit_secretary(uow, _id(unit), _id(username))
    return True


def main() -> None:
    settings = load_settings("gateway")
    engine = make_engine(settings.database_url)
    created = seed(UnitOfWorkFactory(make_session_factory(engine), settings.service))
    print("demo data created" if created else "demo data already present")


if __name__ == "__main__":
    main()
