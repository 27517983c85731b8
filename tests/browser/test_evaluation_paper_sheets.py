"""#21 gaps 6 and 9 in the browser (portal/src/views/evaluations). The branch secretary enters paper 评议表 on the
round's page for raters without a login (代录): a sheet of the masses, named by no one, and the member's own
self-assessment, which then shows as entered from paper; a sheet number entered again with other answers is refused
beside its field. An instant pledge's round whose masses never rated closes at their deadline without them: the round
page (in English) and the member's results (in Chinese) say the masses were left out and why."""
from __future__ import annotations

import json
import urllib.request
import uuid
from datetime import datetime, timedelta, timezone

import pytest
import sqlalchemy as sa

from evaluation_service.adapters.tables import rounds
from evaluation_service.service.round_results import close_due_rounds
from gateway.service.demo import DEMO_PASSWORD, _id
from pacesetter_shared.config import load_settings
from pacesetter_shared.db import make_engine, make_session_factory
from pacesetter_shared.identity import IDENTITY_HEADER, Identity, sign_identity
from pacesetter_shared.uow import UnitOfWorkFactory
from tests.support.http import Api
from tests.support.waiting import wait_for

from .conftest import screenshot
from .portal import go, login, open_from_menu, toast
from .test_evaluations import confirm, directory_projected, fulfilled_instant_pledge  # noqa: F401 (fixture)

pytestmark = pytest.mark.e2e


def pledge_round(suite, title: str) -> str:
    pledge_id = fulfilled_instant_pledge(suite, title)
    member = Api(suite.gateway).login("dangyuan", DEMO_PASSWORD)
    found = wait_for(lambda: next((r for r in member.get("/api/evaluations/rounds?limit=100").json["items"]
                                   if r["target_id"] == pledge_id), None), timeout=30, message="the pledge's round")
    return found["id"]


def evaluation_engine(suite):
    return make_engine(suite.env["EVALUATION_DATABASE_URL"], poolclass=sa.pool.NullPool)


def rate_directly(suite, round_id: str, person_id, body: dict) -> None:
    """A rating straight at evaluation-service, as the person (the parts this test does not look at)."""
    key = load_settings("gateway", suite.env).identity_private_key
    identity = Identity(subject=str(person_id), kind="person", name="参评人")
    request = urllib.request.Request(
        f"http://127.0.0.1:{suite.ports['evaluation']}/api/evaluations/rounds/{round_id}/ratings",
        data=json.dumps(body).encode(), method="POST",
        headers={"Content-Type": "application/json", IDENTITY_HEADER: sign_identity(identity, key)})
    with urllib.request.urlopen(request, timeout=30) as response:
        assert response.status == 201


def enter_sheet(page, number: str, party: str, rating: str, *, rater: str | None = None, report: str = ""):
    form = page.locator("#paper-form")
    form.locator("input[name=sheet_no]").fill(number)
    form.locator(f"[data-test=paper-party-{party}]").click()
    if rater:
        form.locator("[data-field=rater_id] .el-select__wrapper").click()
        page.locator(".paper-raters .el-select-dropdown__item", has_text=rater).click()
    if report:
        form.locator("textarea[name='paper_reports.0']").fill(report)
    form.locator(f"[data-test=paper-rating-{rating}]").click()
    form.locator("[data-test=submit-paper]").click()
    confirm(page)


def test_the_branch_secretary_enters_paper_sheets_on_the_rounds_page(suite, browser):
    round_id = pledge_round(suite, f"为离退休党员送学上门 {uuid.uuid4().hex[:6]}")
    secretary = login(browser, suite, "zhishu")
    go(secretary, suite, f"/evaluations/{round_id}", "round")
    card = secretary.locator("[data-test=paper-card]")
    card.wait_for()
    assert "代录纸质评议表" in card.inner_text() and "不记名" in card.inner_text()

    enter_sheet(secretary, "M-001", "masses", "good")
    assert "评议表 M-001 已录入" in toast(secretary, "M-001")
    masses = secretary.locator("[data-test=round-summary] li[data-party=masses]")
    wait_for(lambda: "其中纸质代录 1 份" in masses.inner_text(), timeout=10, message="the paper count")

    # the same sheet number with other answers: refused, said beside the number
    enter_sheet(secretary, "M-001", "masses", "poor")
    error = secretary.locator("#paper-form [data-field=sheet_no] .el-form-item__error")
    error.wait_for()
    assert "已录入" in error.inner_text()

    # the member's own self-assessment, handed in on paper: it names whose it is
    enter_sheet(secretary, "S-001", "self", "excellent", rater="陈", report="已送学上门三次")
    assert "评议表 S-001 已录入" in toast(secretary, "S-001")
    screenshot(secretary, "evaluations-paper-sheets")
    secretary.context.close()

    member = login(browser, suite, "dangyuan")
    go(member, suite, f"/evaluations/{round_id}", "round")
    mine = member.locator("[data-test=my-rating]")
    mine.wait_for()
    assert "由书记根据纸质评议表代录" in mine.inner_text()
    assert member.locator("[data-test=paper-card]").count() == 0  # the member enters no one's sheets
    member.context.close()


def test_an_instant_pledges_round_closes_without_the_masses_and_says_why(suite, browser):
    round_id = pledge_round(suite, f"为新生办理入学手续 {uuid.uuid4().hex[:6]}")
    engine = evaluation_engine(suite)
    with engine.connect() as conn:
        row = conn.execute(sa.select(rounds).where(rounds.c.id == round_id)).one()
    rate_directly(suite, round_id, _id("dangyuan"), {
        "party": "self", "rating": "excellent",
        "target_reports": [{"target": target, "done": "已完成"} for target in row.targets]})
    for peer in row.peer_ids:
        rate_directly(suite, round_id, peer, {"party": "peer", "rating": "good"})
    for leader in row.leader_ids:
        rate_directly(suite, round_id, leader, {"party": "leader", "rating": "excellent", "mode": "on_site"})

    # five working days on: the masses' deadline (and every other party's) has passed
    past = datetime.now(timezone.utc) - timedelta(seconds=1)
    with engine.begin() as conn:
        conn.execute(sa.update(rounds).where(rounds.c.id == round_id).values(
            deadline=past, next_party_deadline=past,
            party_deadlines={party: past.isoformat() for party in row.party_deadlines}))
    close_due_rounds(UnitOfWorkFactory(make_session_factory(engine), "evaluation"), datetime.now(timezone.utc))
    engine.dispose()

    member = login(browser, suite, "dangyuan", locale="en")
    go(member, suite, f"/evaluations/{round_id}", "round")
    left = member.locator("[data-test=left-out] [data-party=masses]")
    left.wait_for()
    assert left.get_attribute("data-reason") == "none_rated"
    assert left.inner_text().startswith("The masses: no one rated") and "shared among the others" in left.inner_text()
    assert member.locator("[data-test=breakdown] [data-test=share]").count() >= 1
    screenshot(member, "evaluations-round-left-out-en")
    member.context.close()

    member = login(browser, suite, "dangyuan")
    open_from_menu(member, "my-results")
    why = member.locator(f"[data-test=results] ul.breakdown[data-id='{round_id}'] li[data-left-out=masses]")
    why.wait_for()
    assert "群众评议" in why.inner_text() and "按比例" in why.inner_text()
    screenshot(member, "evaluations-my-results-left-out")
    member.context.close()
