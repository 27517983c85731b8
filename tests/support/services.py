"""A service under test: its own fresh PostgreSQL database, migrated, with a Flask test client."""
from __future__ import annotations

import importlib
import uuid
from dataclasses import dataclass

from werkzeug.test import Client

from pacesetter_shared.db import make_engine, make_session_factory
from pacesetter_shared.events import load_data, new_envelope, prepare_data
from pacesetter_shared.identity import IDENTITY_HEADER, Identity, RoleGrant, sign_identity
from pacesetter_shared.uow import UnitOfWorkFactory

PACKAGES = {"gateway": "gateway", "pledge": "pledge_service", "evaluation": "evaluation_service",
            "grading": "grading_service", "notification": "notification_service"}


@dataclass
class ServiceUnderTest:
    name: str
    settings: object
    app: object
    client: object
    engine: object
    uow_factory: UnitOfWorkFactory
    private_key: str

    def deliver(self, event_type: str, data: dict, handlers: dict | None = None, version: int = 1) -> None:
        """Run the service's handler for an event, as its consumer would (minus the broker)."""
        handlers = handlers or importlib.import_module(f"{PACKAGES[self.name]}.consumers").HANDLERS
        payload = prepare_data(event_type, version, data)
        envelope = new_envelope(event_type, version, "test", "subject", payload)
        with self.uow_factory() as uow:
            handlers[event_type](uow, envelope, load_data(event_type, version, payload))

    def headers(self, identity: Identity, **extra) -> dict:
        return {IDENTITY_HEADER: sign_identity(identity, self.private_key), **extra}


def person(person_id=None, unit_id=None, roles=(), name="测试党员") -> Identity:
    return Identity(subject=str(person_id or uuid.uuid4()), kind="person", name=name,
                    unit_id=str(unit_id) if unit_id else None,
                    roles=tuple(RoleGrant(r, str(u) if u else None) for r, u in roles))


def start_service(name: str, database_url: str, make_settings, **extra) -> ServiceUnderTest:
    package = PACKAGES[name]
    settings = make_settings(name, database_url=database_url, **extra)
    app_module = importlib.import_module(f"{package}.app")
    app_module.migrate(settings)
    app = app_module.create_app(settings)
    # The gateway's front is a plain WSGI callable around its Flask part: test through the front.
    client = Client(app) if hasattr(app, "flask_app") else app.test_client()
    engine = make_engine(settings.database_url)
    private_key = make_settings("gateway").identity_private_key
    return ServiceUnderTest(name, settings, app, client, engine,
                            UnitOfWorkFactory(make_session_factory(engine), name), private_key)


class OrgFixture:
    """A committee → general branch → two branches, fed to a service's directory projection."""

    def __init__(self, service: ServiceUnderTest):
        self.committee, self.general_branch = uuid.uuid4(), uuid.uuid4()
        self.branch, self.other_branch = uuid.uuid4(), uuid.uuid4()
        self.other_general_branch = uuid.uuid4()
        units = [(self.committee, "党委", "committee", None),
                 (self.general_branch, "教育学院党总支", "general_branch", self.committee),
                 (self.other_general_branch, "机关党总支", "general_branch", self.committee),
                 (self.branch, "教工第一党支部", "branch", self.general_branch),
                 (self.other_branch, "教务处党支部", "branch", self.other_general_branch)]
        for unit_id, unit_name, kind, parent in units:
            service.deliver("directory.unit_upserted", {"unit_id": unit_id, "name": unit_name, "kind": kind,
                                                        "parent_id": parent, "revision": 1})
        self.service = service
        self.member = self.add_person("陈党员", self.branch, [("member", self.branch)])
        self.peer = self.add_person("刘伟", self.branch, [("member", self.branch)])
        self.secretary = self.add_person("张支书", self.branch, [("member", self.branch),
                                                                ("branch_secretary", self.branch)])
        self.reviewer = self.add_person("李总支", self.branch, [("member", self.branch),
                                                               ("general_branch_secretary", self.general_branch)])
        self.outsider_reviewer = self.add_person("周总支", self.other_branch, [
            ("member", self.other_branch), ("general_branch_secretary", self.other_general_branch)])
        self.org = self.add_person("王组织", None, [("org_department", self.committee)])

    def add_person(self, name, unit_id, roles) -> Identity:
        person_id = uuid.uuid4()
        self.service.deliver("directory.person_upserted", {
            "person_id": person_id, "name": name, "unit_id": unit_id, "member_status": "full", "revision": 1,
            "roles": [{"role": r, "unit_id": u} for r, u in roles]})
        return person(person_id, unit_id, roles, name)
