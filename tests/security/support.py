"""What the security suites share: logins, the suite's own keys, a window with its kiosk, direct reads."""
from __future__ import annotations

import uuid

import sqlalchemy as sa

from gateway.service.demo import DEMO_PASSWORD, _id
from pacesetter_shared.db import make_engine
from tests.support.http import Api
from tests.support.waiting import wait_for

# One account per role of the demo directory (陈党员 … 王组织); the matrix adds an ops-only account of its own.
ACCOUNTS = {"member": "dangyuan", "branch_secretary": "zhishu", "general_branch_secretary": "zongzhi",
            "org_department": "zuzhibu"}


def login(suite, username: str) -> Api:
    return Api(suite.gateway).login(username, DEMO_PASSWORD)


def gateway_secret(suite) -> str:
    return (suite.workdir / "var" / "keys" / "gateway-secret").read_text().strip()


def identity_private_key(suite) -> str:
    return (suite.workdir / "var" / "keys" / "identity-ed25519.pem").read_text()


def rows(suite, service: str, sql: str, **params) -> list:
    engine = make_engine(suite.env[f"{service.upper()}_DATABASE_URL"], poolclass=sa.pool.NullPool)
    try:
        with engine.connect() as conn:
            return conn.execute(sa.text(sql), params).all()
    finally:
        engine.dispose()


def window_with_kiosk(suite, unit: str = "br-teachers", responsible: str = "zhishu") -> tuple[dict, dict]:
    """A new window (known to evaluation-service) and a kiosk device paired to it."""
    org = login(suite, "zuzhibu")
    window = org.post("/api/directory/windows", {"name": f"安全测试窗口{uuid.uuid4().hex[:6]}",
                                                 "unit_id": str(_id(unit)), "responsible_id": str(_id(responsible))})
    assert window.status == 201, window.json
    device = org.post("/api/directory/kiosks", {"window_id": window.json["id"], "name": "安全测试评价器"})
    assert device.status == 201, device.json
    wait_for(lambda: rows(suite, "evaluation", "SELECT 1 FROM dir_windows WHERE id = :w", w=window.json["id"]),
             timeout=30, message="evaluation-service to know the window")
    return window.json, device.json


def rating_link(suite, window: dict) -> str:
    """The token of the window's rating link (评价二维码), as the organisation department prints it: what an
    online rating carries."""
    link = login(suite, "zuzhibu").get(f"/api/ratings/windows/{window['id']}/link")
    assert link.status == 200, link.json
    return link.json["token"]


def kiosk_api(suite, device: dict) -> tuple[Api, dict]:
    return Api(suite.gateway), {"Authorization": f"Kiosk {device['credential']}"}
