"""What the browser tests of the counter devices share: a window with its kiosk, pairing, pressing, the stored rows."""
from __future__ import annotations

import sqlalchemy as sa

from gateway.service.demo import DEMO_PASSWORD, _id
from pacesetter_shared.db import make_engine
from tests.support.http import Api


def window_with_kiosk(suite, name: str):
    org = Api(suite.gateway).login("zuzhibu", DEMO_PASSWORD)
    window = org.post("/api/directory/windows", {
        "name": name, "location": "行政楼一楼", "unit_id": str(_id("br-teachers")),
        "responsible_id": str(_id("zhishu")), "on_duty_ids": [str(_id("dangyuan"))],
        "standards": {"items": ["学籍证明", "成绩证明"], "workflow": "受理—审核—办结", "time_limit": "1个工作日"}}).json
    device = org.post("/api/directory/kiosks", {"window_id": window["id"], "name": f"{name}评价器"}).json
    return window, device["credential"]


def ratings_stored(suite, window_id: str, columns: str = "client_id, level") -> list:
    engine = make_engine(suite.env["EVALUATION_DATABASE_URL"], poolclass=sa.pool.NullPool)
    with engine.connect() as conn:
        rows = conn.execute(sa.text(f"SELECT {columns} FROM window_ratings WHERE window_id = :w ORDER BY id"),
                            {"w": window_id}).all()
    engine.dispose()
    return rows


def pair(page, suite, credential, **options):
    query = "&".join(f"{k}={v}" for k, v in ({"send_ms": 300, "thanks_ms": 300} | options).items())
    page.goto(f"{suite.gateway}/kiosk?{query}")
    page.click("#pair .by-credential summary")  # the scripted way: the long credential, not the pairing code
    page.fill("#pair-form input", credential)
    page.click("#pair-form button")
    page.wait_for_selector("#idle:not([hidden])")


def rate(page, label: str, reasons: tuple[str, ...] = ()):
    """Presses a level; where the window's tag set offers reasons for it (praise for 4–5, problems for 1–2), chooses
    these (or none) and submits."""
    page.click(f"#levels button:has(.label:text-is('{label}'))")
    page.wait_for_selector("#reasons:not([hidden]), #thanks:not([hidden])")
    if page.locator("#reasons").is_visible():
        for reason in reasons:
            page.click(f"#reason-tags button:text-is('{reason}')")
        page.click("#reasons-done")
    page.wait_for_selector("#idle:not([hidden])")


def press_ignored(page, label: str):
    """A press the abuse filter ignores: the kiosk stays on its start screen."""
    page.click(f"#levels button:has(.label:text-is('{label}'))")
    page.wait_for_timeout(300)  # Vue would have shown the next screen by the next frame
    assert page.locator("#idle").is_visible()
