"""The ops commands a fresh deployment starts with."""
from __future__ import annotations

import os
import subprocess
import sys

from tests.support.services import start_service


def test_the_first_admin_can_log_in_and_republish(fresh_database, make_settings, var_dir):
    url = fresh_database("gwcli")
    gateway = start_service("gateway", url, make_settings)
    env = os.environ | {"DATABASE_URL": url, "PACESETTER_VAR_DIR": str(var_dir), "LOG_JSON": "false"}
    create = [sys.executable, "-c", "from gateway.cli import create_admin; create_admin()",
              "--username", "admin", "--name", "管理员"]
    # the first account keeps to the password policy like every other
    weak = subprocess.run(create, env=env | {"ADMIN_PASSWORD": "admin2026"}, capture_output=True, text=True)
    assert weak.returncode != 0 and "at least 10 characters" in weak.stderr and "user name" in weak.stderr
    created = subprocess.run(create, env=env | {"ADMIN_PASSWORD": "first-kestrel-19"}, capture_output=True, text=True)
    assert created.returncode == 0, created.stderr
    login = gateway.client.post("/api/auth/login", json={"username": "admin", "password": "first-kestrel-19"})
    assert login.status_code == 200
    assert {r["role"] for r in login.json["person"]["roles"]} == {"org_department", "ops_admin"}
    republished = subprocess.run([sys.executable, "-c", "from gateway.cli import republish; republish()"], env=env,
                                 capture_output=True, text=True)
    assert republished.returncode == 0 and republished.stdout.startswith("2 directory records")
    gateway.engine.dispose()
