"""The portal at a whole campus's scale: 60 branches under 8 general branches, 500 open bad-rating cases and over
1,000 notices. Every list pages, filters and counts what the service counts; no page of any role is taller than three
screens, on a desktop (1440×900) or a phone (390×844), where nothing scrolls sideways either. The walk over every
page of every role also leaves the screenshot set in artifacts/screenshots/ (`make screenshots` runs this file alone).
"""
from __future__ import annotations

import re
import uuid

import pytest

from gateway.service.demo import DEMO_PASSWORD, _id
from tests.support.http import Api
from tests.support.waiting import wait_for

from .conftest import screenshot
from .portal import DESKTOP, PHONE, go, login, page_height

# the campus is seeded once for the module, within the first test's time
pytestmark = [pytest.mark.e2e, pytest.mark.timeout(900)]

GENERAL_BRANCHES = 8
BRANCHES = 60
WINDOWS = 25
OPEN_CASES = 500
NOTICES = 1000
ROLES = ("dangyuan", "zhishu", "zongzhi", "zuzhibu")


@pytest.fixture(scope="module")
def campus(pg_server, amqp_url, tmp_path_factory):
    """A suite of its own (the shared one stays small for the other tests), seeded to a campus's size through the
    gateway, as the organisation department and the kiosks would fill it."""
    from tests.support.suite import running_suite

    with running_suite(pg_server, amqp_url, "campus", tmp_path_factory) as running:
        org = Api(running.gateway).login("zuzhibu", DEMO_PASSWORD)
        zhishu = Api(running.gateway).login("zhishu", DEMO_PASSWORD)
        secretary_id = zhishu.get("/api/auth/me").json["id"]
        units = org.get("/api/directory/units?limit=500").json
        have_gb = [u for u in units["items"] if u["kind"] == "general_branch"]
        have_br = [u for u in units["items"] if u["kind"] == "branch"]
        general = [u["id"] for u in have_gb]
        for n in range(GENERAL_BRANCHES - len(have_gb)):
            made = org.post("/api/directory/units", {"name": f"第{n + 1}学院党总支", "kind": "general_branch",
                                                     "parent_id": str(_id("committee")), "department_kind": "teaching"})
            assert made.status == 201, made.json
            general.append(made.json["id"])
        branches = [u["id"] for u in have_br]
        for n in range(BRANCHES - len(have_br)):
            made = org.post("/api/directory/units", {"name": f"第{n + 1}教工党支部", "kind": "branch",
                                                     "parent_id": general[n % len(general)],
                                                     "department_kind": "teaching"})
            assert made.status == 201, made.json
            branches.append(made.json["id"])
        # The windows sit in the demo secretary's branch and the ones around it; the secretary answers for each,
        # so every bad rating reaches their inbox.
        kiosks = []
        for n in range(WINDOWS):
            unit = str(_id("br-teachers")) if n % 2 == 0 else branches[n % len(branches)]
            window = org.post("/api/directory/windows", {"name": f"综合服务窗口{n + 1:02d}", "unit_id": unit,
                                                         "responsible_id": secretary_id})
            assert window.status == 201, window.json
            device = org.post("/api/directory/kiosks", {"window_id": window.json["id"], "name": f"评价器{n + 1:02d}"})
            assert device.status == 201, device.json
            kiosks.append((window.json["id"], device.json["credential"]))
        tags = Api(running.gateway).get("/api/ratings/tags", headers={"Authorization": f"Kiosk {kiosks[0][1]}"}).json
        reason = _a_complaint(tags)
        # A thousand bad ratings, each sent as it was given (a batch of its own, so a notice each for the secretary: a
        # kiosk's batch of several is one notice); half of their cases followed up and closed, as a real year leaves
        # them: 500 open.
        per_window = -(-NOTICES // WINDOWS)
        sent = 0
        for window_id, credential in kiosks:
            for _ in range(min(per_window, NOTICES - sent)):
                rating = {"client_id": f"campus-{uuid.uuid4().hex}", "level": 1, "reasons": [reason]}
                answer = Api(running.gateway).post("/api/ratings/batch", {"ratings": [rating]},
                                                   headers={"Authorization": f"Kiosk {credential}"})
                assert answer.status == 200 and answer.json["accepted"] == 1, answer.json
                sent += 1
        # the secretary's own windows' cases (the organisation department sees the demo's windows' too)
        mine = "/api/feedback/cases?state=open,escalated"
        wait_for(lambda: zhishu.get(f"{mine}&limit=1").json["total"] >= NOTICES, timeout=180,
                 message="every bad rating to have opened its case")
        while (still_open := zhishu.get(f"{mine}&limit=1").json["total"]) > OPEN_CASES:
            oldest = zhishu.get(f"{mine}&sort=opened_at&limit=100").json["items"]
            closing = [c["id"] for c in oldest][:still_open - OPEN_CASES]
            done = zhishu.post("/api/feedback/cases/close-batch",
                               {"ids": closing, "action_taken": "已当面致歉并改进服务流程", "called_back": True})
            assert done.status == 200 and done.json["failed"] == 0, done.json
        wait_for(lambda: zhishu.get("/api/notifications?limit=1").json["total"] >= NOTICES, timeout=240,
                 message="the secretary's notices of the cases")
        yield running, {"kiosks": kiosks, "branches": branches, "general": general}


def _a_complaint(tags) -> str:
    """One reason the current tag set offers for a bad rating."""
    for group in ("complaint", "negative", "bad"):
        found = (tags.get("tags") or {}).get(group)
        if found:
            first = found[0]
            return first["zh"] if isinstance(first, dict) else first
    for values in (tags.get("tags") or {}).values():
        if values:
            first = values[0]
            return first["zh"] if isinstance(first, dict) else first
    return "服务态度"


def _pager_total(page) -> int:
    text = page.locator(".el-pagination__total").first.inner_text()
    return int(re.search(r"\d+", text.replace(",", "")).group())


def test_the_cases_list_pages_filters_and_counts_like_the_service(campus, browser):
    running, seeded = campus
    org = Api(running.gateway).login("zuzhibu", DEMO_PASSWORD)
    page = login(browser, running, "zuzhibu", path="/windows/cases")
    expected = org.get("/api/feedback/cases?state=open,escalated&limit=1").json["total"]
    assert expected >= OPEN_CASES
    assert _pager_total(page) == expected  # the page opens on the cases still open, all of them counted
    assert page.locator(".el-table__body-wrapper tbody tr").count() <= 20
    assert page_height(page) <= 3 * DESKTOP[1]
    # one window's open cases (the last window's: the oldest cases were the ones closed): counted as the service does
    window_id = seeded["kiosks"][-1][0]
    go(page, running, f"/windows/cases?window_id={window_id}", "cases")
    of_window = org.get(f"/api/feedback/cases?window_id={window_id}&state=open,escalated&limit=1").json["total"]
    assert of_window > 0 and _pager_total(page) == of_window
    # and every case of it, closed ones too, once the state filter is cleared
    go(page, running, f"/windows/cases?window_id={window_id}&state=all", "cases")
    assert _pager_total(page) == org.get(f"/api/feedback/cases?window_id={window_id}&limit=1").json["total"]
    page.context.close()


def test_the_inbox_of_a_thousand_notices_stays_short_and_counts_them_all(campus, browser):
    running, _ = campus
    zhishu = Api(running.gateway).login("zhishu", DEMO_PASSWORD)
    notices = zhishu.get("/api/notifications?limit=1").json["total"]
    assert notices >= NOTICES
    groups = zhishu.get("/api/notifications/groups?limit=1").json["total"]
    page = login(browser, running, "zhishu", path="/inbox")
    assert groups < notices  # near-identical notices are grouped
    assert page_height(page) <= 3 * DESKTOP[1]
    page.context.close()


def test_the_people_of_a_general_branch_and_below_are_counted(campus, browser):
    running, seeded = campus
    org = Api(running.gateway).login("zuzhibu", DEMO_PASSWORD)
    unit = str(_id("gb-teaching"))
    expected = org.get(f"/api/directory/persons?unit_id={unit}&include_below=true&limit=1").json["total"]
    assert expected >= 5
    page = login(browser, running, "zuzhibu", path=f"/directory/persons?unit_id={unit}&include_below=true")
    assert _pager_total(page) == expected
    page.context.close()


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_every_page_of_every_role_fits_in_three_screens(campus, browser, viewport):
    """Walks the side menu of each role, as a person would see it, and screenshots each page (zh-CN; English too on
    the desktop). Fails with the list of pages that are too tall, scroll sideways, or could not load."""
    running, _ = campus
    size = "desktop" if viewport == DESKTOP else "phone"
    problems = []
    for username in ROLES:
        # the pages of the role as its side menu lists them (on a desktop, where the menu is always there)
        menu = login(browser, running, username)
        pages = menu.eval_on_selector_all(".side-menu [data-page][data-path]",
                                          "els => els.map((e) => [e.dataset.page, e.dataset.path])")
        menu.context.close()
        assert len(pages) >= 4, f"{username} sees {pages}"
        for locale in (("zh-CN", "en") if viewport == DESKTOP else ("zh-CN",)):
            page = login(browser, running, username, viewport=viewport, locale=locale)
            for name, path in pages:
                go(page, running, path, name)
                screenshot(page, f"{username}-{name}-{size}-{locale}", full_page=True)
                height = page_height(page)
                if height > 3 * viewport[1]:
                    problems.append(f"{username} {name} {size} {locale}: {height}px tall")
                if viewport == PHONE and page.evaluate("document.documentElement.scrollWidth") > viewport[0] + 1:
                    problems.append(f"{username} {name} {size}: scrolls sideways")
                if page.locator(".load-error").count():
                    problems.append(f"{username} {name} {size} {locale}: {page.locator('.load-error').first.inner_text()}")
            page.context.close()
    assert problems == []
