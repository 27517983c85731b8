"""Ops commands of the gateway (run inside its container or venv)."""
from __future__ import annotations

import argparse
import getpass
import os
import sys

from pacesetter_shared.config import load_settings
from pacesetter_shared.db import make_engine, make_session_factory
from pacesetter_shared.uow import UnitOfWorkFactory

from .config import password_policy
from .service import calendar, directory


def _uow_factory() -> UnitOfWorkFactory:
    settings = load_settings("gateway")
    return UnitOfWorkFactory(make_session_factory(make_engine(settings.database_url)), "gateway")


def republish() -> None:
    """``gateway-republish``: send the whole directory again, for a new or rebuilt service."""
    with _uow_factory()() as uow:
        count = directory.republish_all(uow, None)
        calendar.republish(uow)
    print(f"{count} directory records queued for publishing")


def create_admin() -> None:
    """``gateway-create-admin``: the first account of a deployment (组织部 + ops), before anyone can log in."""
    parser = argparse.ArgumentParser(prog="gateway-create-admin")
    parser.add_argument("--username", required=True)
    parser.add_argument("--name", required=True)
    parser.add_argument("--email")
    args = parser.parse_args()
    passwords = password_policy(load_settings("gateway").env)
    password = os.environ.get("ADMIN_PASSWORD") or getpass.getpass(
        f"Password ({passwords.min_length}+ characters, not easy to guess): ")
    problems = passwords.problems(password, (args.username, args.name, args.email))
    if problems:
        sys.exit(f"the password is not accepted: {'; '.join(problems)}")
    with _uow_factory()() as uow:
        committee = next((u for u in directory.list_units(uow, 1000, 0)[0] if u["kind"] == "committee"), None)
        if committee is None:
            committee = directory.create_unit(uow, None, {"name": "党委", "kind": "committee"})
        person = directory.create_person(uow, None, {
            "username": args.username, "password": password, "name": args.name, "email": args.email,
            "category": "leader", "roles": [{"role": "org_department", "unit_id": committee["id"]},
                                            {"role": "ops_admin", "unit_id": None}]}, passwords)
    print(f"created {person['username']} ({person['id']})")
