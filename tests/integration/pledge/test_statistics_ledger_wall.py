"""Statistics per unit and year, the ledger (承诺台账) with its exports, and the public pledge wall (亮承诺)."""
from __future__ import annotations

import csv
import io
import uuid
from datetime import date, datetime, timezone

import sqlalchemy as sa
from openpyxl import load_workbook

from pledge_service.adapters.tables import pledges
from pledge_service.service.jobs import refresh_statistics

from .lifecycle import NEXT_YEAR, create, events, publish


def add_member(service, org, name, exemptions=(), member_status="full"):
    person_id = uuid.uuid4()
    service.deliver("directory.person_upserted", {
        "person_id": person_id, "name": name, "unit_id": org.branch, "member_status": member_status,
        "revision": 1, "exemptions": list(exemptions), "roles": [{"role": "member", "unit_id": org.branch}]})
    return person_id


def stats(service, who, unit_id, year=NEXT_YEAR):
    return service.client.get(f"/api/pledges/statistics?unit_id={unit_id}&year={year}", headers=service.headers(who))


def test_statistics_leave_out_exempt_members_and_go_out_as_events(pledge_service, org):
    add_member(pledge_service, org, "老党员", exemptions=[{"year": NEXT_YEAR, "reason": "age"}])
    add_member(pledge_service, org, "群众", member_status="none")
    done = publish(pledge_service, org, areas=["serving_masses"])
    pledge_service.client.post(f"/api/pledges/{done['id']}/fulfil", json={}, headers=pledge_service.headers(org.member))
    create(pledge_service, org.peer)  # a draft does not count yet
    response = stats(pledge_service, org.secretary, org.branch)
    assert response.status_code == 200, response.json
    figures = response.json
    # member, peer, secretary, reviewer are full members of the branch; the exempt one and the non-member are not counted
    assert figures["members_expected"] == 4
    assert figures["members_with_annual_pledge"] == 1
    assert (figures["pledges_total"], figures["fulfilled"], figures["fulfilled_on_time"]) == (1, 1, 1)
    assert figures["by_area"]["serving_masses"] == 1 and figures["by_area"]["study"] == 0
    last = events(pledge_service, "pledge.statistics_updated")[-1]
    assert last["unit_id"] == str(org.branch) and last["fulfilled"] == 1 and last["members_expected"] == 4


def test_the_ledger_filters_and_pages(pledge_service, org):
    client, h = pledge_service.client, pledge_service.headers
    published = [publish(pledge_service, org, title=f"承诺{i}") for i in range(3)]
    create(pledge_service, org.peer, kind="instant", trigger="emergency", title="抗疫值守", submit=True)
    page = client.get(f"/api/pledges/ledger?unit_id={org.branch}&year={NEXT_YEAR}&limit=2", headers=h(org.reviewer))
    assert page.status_code == 200, page.json
    assert page.json["total"] == 3 and len(page.json["items"]) == 2  # the instant pledge belongs to this year
    row = page.json["items"][0]
    assert row["pledger_name"] == "陈党员" and row["state"] == "published" and row["progress_count"] == 0
    only = client.get(f"/api/pledges/ledger?unit_id={org.branch}&year={NEXT_YEAR}&state=published&kind=annual"
                      f"&offset=2", headers=h(org.reviewer)).json
    assert only["total"] == 3 and [i["title"] for i in only["items"]] == [published[2]["title"]]
    bad = client.get(f"/api/pledges/ledger?unit_id={org.branch}&year={NEXT_YEAR}&state=bogus", headers=h(org.reviewer))
    assert bad.status_code == 422 and "state" in bad.json["error"]["details"]
    unknown = client.get(f"/api/pledges/ledger?unit_id={uuid.uuid4()}&year={NEXT_YEAR}", headers=h(org.org))
    assert unknown.status_code == 422 and "unit_id" in unknown.json["error"]["details"]


def test_a_general_branch_ledger_holds_its_branches_pledges(pledge_service, org):
    client, h = pledge_service.client, pledge_service.headers
    shown = publish(pledge_service, org, title="带头开展主题党日")
    page = client.get(f"/api/pledges/ledger?unit_id={org.general_branch}&year={NEXT_YEAR}",
                      headers=h(org.reviewer)).json
    assert [(r["title"], r["unit_name"]) for r in page["items"]] == [(shown["title"], "教工第一党支部")]
    other = client.get(f"/api/pledges/ledger?unit_id={org.other_general_branch}&year={NEXT_YEAR}",
                       headers=h(org.org)).json
    assert other["total"] == 0


def test_the_ledger_exports_as_xlsx_and_csv_that_read_back(pledge_service, org):
    client, h = pledge_service.client, pledge_service.headers
    for i in range(3):
        publish(pledge_service, org, title=f"带头服务师生{i}")
    url = f"/api/pledges/ledger/export?unit_id={org.branch}&year={NEXT_YEAR}"
    xlsx = client.get(url + "&format=xlsx", headers=h(org.secretary))
    assert xlsx.status_code == 200 and xlsx.mimetype.endswith("spreadsheetml.sheet")
    assert "attachment" in xlsx.headers["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(xlsx.data)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:6] == ("承诺人", "所在支部", "承诺主体", "承诺类型", "承诺方式", "承诺事项")
    assert sorted(r[5] for r in rows[1:]) == ["带头服务师生0", "带头服务师生1", "带头服务师生2"]
    assert rows[1][:2] == ("陈党员", "教工第一党支部") and rows[1][8] == "已公开"
    assert sheet.column_dimensions["F"].width == 32  # narrower since it wraps (issue 21: one landscape page wide)

    text = client.get(url + "&format=csv", headers=h(org.secretary))
    assert text.status_code == 200 and text.mimetype == "text/csv"
    lines = list(csv.reader(io.StringIO(text.data.decode("utf-8-sig"))))
    assert lines[0][0] == "承诺人" and len(lines) == 4
    assert client.get(url + "&format=pdf", headers=h(org.secretary)).status_code == 422


def test_the_ledger_and_its_export_narrow_to_one_pledger_by_id_or_name(pledge_service, org):
    client, h = pledge_service.client, pledge_service.headers
    mine = [publish(pledge_service, org, title=f"陈的承诺{i}") for i in range(2)]
    publish(pledge_service, org, pledger=org.peer, title="刘的承诺")
    percent = org.add_person("百分_100%", org.branch, [("member", org.branch)])
    publish(pledge_service, org, pledger=percent, title="带百分号的名字")
    base = f"unit_id={org.general_branch}&year={NEXT_YEAR}"

    by_id = client.get(f"/api/pledges/ledger?{base}&pledger_id={org.member.subject}", headers=h(org.reviewer)).json
    assert by_id["total"] == 2
    assert {(r["pledger_id"], r["pledger_name"]) for r in by_id["items"]} == {(org.member.subject, "陈党员")}
    by_name = client.get(f"/api/pledges/ledger?{base}&pledger_name=刘", headers=h(org.reviewer)).json
    assert [(r["title"], r["pledger_id"]) for r in by_name["items"]] == [("刘的承诺", org.peer.subject)]
    # A % typed in the box is a letter: it matches the one name holding it, not every name.
    literal = client.get(f"/api/pledges/ledger?{base}&pledger_name=0%25", headers=h(org.reviewer)).json
    assert [r["pledger_name"] for r in literal["items"]] == ["百分_100%"]
    assert client.get(f"/api/pledges/ledger?{base}&pledger_name=_", headers=h(org.reviewer)).json["total"] == 1
    both = client.get(f"/api/pledges/ledger?{base}&pledger_id={org.member.subject}&pledger_name=刘",
                      headers=h(org.reviewer)).json
    assert both["total"] == 0

    export = f"/api/pledges/ledger/export?{base}&pledger_id={org.member.subject}&state=published&kind=annual"
    sheet = load_workbook(io.BytesIO(client.get(export, headers=h(org.reviewer)).data)).active
    rows = list(sheet.iter_rows(values_only=True))[1:]
    assert sorted(r[5] for r in rows) == sorted(p["title"] for p in mine) and {r[0] for r in rows} == {"陈党员"}
    text = client.get(f"/api/pledges/ledger/export?{base}&pledger_name=刘&format=csv", headers=h(org.reviewer))
    lines = list(csv.reader(io.StringIO(text.data.decode("utf-8-sig"))))
    assert [line[5] for line in lines[1:]] == ["刘的承诺"]
    for bad in ("pledger_id=nope", "pledger_name="):
        response = client.get(f"/api/pledges/ledger/export?{base}&{bad}", headers=h(org.reviewer))
        assert response.status_code == 422 and bad.split("=")[0] in response.json["error"]["details"]


def test_the_pledge_wall_is_public_and_shows_only_public_fields(pledge_service, org):
    client = pledge_service.client
    shown = publish(pledge_service, org, title="亮承诺：窗口服务零投诉")
    create(pledge_service, org.peer, title="草稿不上墙")
    window_id = uuid.uuid4()
    pledge_service.deliver("directory.window_upserted", {
        "window_id": window_id, "name": "教务处服务窗口", "kind": "window", "location": "行政楼101",
        "unit_id": org.branch, "revision": 1, "standards": {"items": ["成绩证明"]}})
    for query in (f"unit_id={org.branch}", f"unit_id={org.general_branch}", f"window_id={window_id}"):
        wall = client.get(f"/api/pledges/wall?{query}")  # no identity at all
        assert wall.status_code == 200, wall.json
        assert wall.json["total"] == 1
        [item] = wall.json["items"]
        assert item == {"pledger_name": "陈党员", "unit_name": "教工第一党支部", "title": shown["title"],
                        "content": shown["content"], "areas": shown["areas"], "state": "published"}
    assert client.get(f"/api/pledges/wall?unit_id={org.other_branch}").json["total"] == 0
    assert client.get(f"/api/pledges/wall?unit_id={uuid.uuid4()}").status_code == 404
    assert client.get(f"/api/pledges/wall?window_id={uuid.uuid4()}").status_code == 404
    for query in ("", f"unit_id={org.branch}&window_id={window_id}", "unit_id=nope", f"unit_id={org.branch}&limit=0"):
        assert client.get(f"/api/pledges/wall?{query}").status_code == 422, query


def test_a_large_ledger_is_streamed_in_pieces(pledge_service, org):
    now = datetime.now(timezone.utc)
    rows = [{"id": uuid.uuid4(), "pledger_kind": "member", "pledger_id": uuid.UUID(org.member.subject),
             "unit_id": org.branch, "kind": "annual", "mode": "individual", "title": f"承诺{i:05d}", "content": "",
             "targets": [], "areas": ["study"], "due_date": date(NEXT_YEAR, 12, 31), "year": NEXT_YEAR,
             "participant_ids": [], "masses_participants": [], "state": "published", "created_at": now,
             "updated_at": now} for i in range(20000)]
    with pledge_service.engine.begin() as conn:
        conn.execute(sa.insert(pledges), rows)
    url = f"/api/pledges/ledger/export?unit_id={org.branch}&year={NEXT_YEAR}"
    response = pledge_service.client.get(url + "&format=csv", headers=pledge_service.headers(org.org), buffered=False)
    assert response.is_streamed
    chunks = list(response.response)
    assert len(chunks) > 10  # sent as it is read, not as one body
    assert b"".join(chunks).decode("utf-8-sig").count("\n") == 20001
    xlsx = pledge_service.client.get(url + "&format=xlsx", headers=pledge_service.headers(org.org))
    sheet = load_workbook(io.BytesIO(xlsx.data), read_only=True).active
    assert sum(1 for _ in sheet.iter_rows(values_only=True)) == 20001


def test_a_new_exemption_reaches_grading_through_the_daily_refresh(pledge_service, org):
    publish(pledge_service, org)
    before = len(events(pledge_service, "pledge.statistics_updated"))
    pledge_service.deliver("directory.person_upserted", {
        "person_id": uuid.UUID(org.peer.subject), "name": "刘伟", "unit_id": org.branch, "member_status": "full",
        "revision": 2, "exemptions": [{"year": NEXT_YEAR, "reason": "health"}],
        "roles": [{"role": "member", "unit_id": org.branch}]})
    assert refresh_statistics(pledge_service.uow_factory, datetime.now(timezone.utc)) == 1
    refreshed = events(pledge_service, "pledge.statistics_updated")
    assert len(refreshed) == before + 1
    assert refreshed[-1]["members_expected"] == refreshed[-2]["members_expected"] - 1 == 3


def test_the_ledger_and_its_export_sort_by_a_column_both_ways(pledge_service, org):
    client, h = pledge_service.client, pledge_service.headers
    publish(pledge_service, org, title="陈的承诺")
    publish(pledge_service, org, pledger=org.peer, title="刘的承诺")
    base = f"unit_id={org.branch}&year={NEXT_YEAR}"

    def names(sort: str) -> list[str]:
        page = client.get(f"/api/pledges/ledger?{base}&sort={sort}", headers=h(org.reviewer)).json
        assert "items" in page, page
        return [r["pledger_name"] for r in page["items"]]

    ascending = names("pledger_name")
    assert len(ascending) >= 2 and ascending == sorted(ascending)
    assert names("-pledger_name") == sorted(ascending, reverse=True)
    exported = client.get(f"/api/pledges/ledger/export?{base}&sort=-pledger_name&format=csv", headers=h(org.reviewer))
    rows = list(csv.reader(io.StringIO(exported.get_data(as_text=True).lstrip("\ufeff"))))[1:]
    assert len(rows) == len(ascending)
    bad = client.get(f"/api/pledges/ledger?{base}&sort=title", headers=h(org.reviewer))
    assert bad.status_code == 422 and "sort" in bad.get_json()["error"]["details"]
