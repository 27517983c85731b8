"""#21 gap 7 through the real RabbitMQ: when 组织部 publishes a cycle (公示), grading-service's event reaches
notification-service, and every branch secretary and general branch secretary finds one notice, in their language,
with the objection deadline in Beijing time; the same event delivered again adds nothing."""
from __future__ import annotations

import uuid
from datetime import date, datetime
from zoneinfo import ZoneInfo

from grading_service.worker import build_worker as grading_worker
from notification_service.config import load_config
from notification_service.worker import build_worker as notification_worker
from pacesetter_shared.directory import DirectoryView
from pacesetter_shared.events import new_envelope, prepare_data
from tests.support.broker import consuming, publish_event, queue_depth
from tests.support.services import person, start_service
from tests.support.waiting import wait_for
from tests.integration.grading.test_two_years_through_the_broker import observer

CYCLES = "/api/grading/cycles"


def test_every_secretary_is_told_once_when_publicity_starts(fresh_database, make_settings, amqp_url, namespace):
    broker = {"broker_url": amqp_url, "events_exchange": namespace, "relay_interval": 0.05}
    grading = start_service("grading", fresh_database("grading"), make_settings, cycle_year_span=100, **broker)
    notification = start_service("notification", fresh_database("notification"), make_settings, **broker)
    workers = [grading_worker(grading.settings).start(),
               notification_worker(notification.settings, load_config(notification.settings)).start()]
    committee, teaching, offices = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    teachers, affairs = uuid.uuid4(), uuid.uuid4()
    org = person(roles=[("org_department", committee)], name="王组织")
    people = {  # name → (language, roles)
        "李总支": ("zh", [("general_branch_secretary", teaching)]),
        "Zhou Min": ("en", [("general_branch_secretary", offices)]),
        "张支书": ("zh", [("branch_secretary", teachers)]),
        "赵支书": ("zh", [("branch_secretary", affairs)]),
        "陈党员": ("zh", [("member", teachers)]),
    }
    ids = {name: uuid.uuid4() for name in people}

    def send(event_type: str, data: dict) -> None:
        envelope = new_envelope(event_type, 1, "test", "subject", prepare_data(event_type, 1, data))
        publish_event(amqp_url, namespace, envelope.to_dict())

    def inbox(name: str) -> list[dict]:
        response = notification.client.get("/api/notifications?limit=50",
                                           headers=notification.headers(person(ids[name])))
        return [n for n in response.json["items"] if n["event_type"] == "grading.publicity_started"]

    try:
        wait_for(lambda: consuming(amqp_url, f"{namespace}.notification")
                 and consuming(amqp_url, f"{namespace}.grading"), message="both workers consuming")
        for unit_id, name, kind, parent in ((committee, "党委", "committee", None),
                                            (teaching, "教育学院党总支", "general_branch", committee),
                                            (offices, "机关党总支", "general_branch", committee),
                                            (teachers, "教工第一党支部", "branch", teaching),
                                            (affairs, "教务处党支部", "branch", offices)):
            send("directory.unit_upserted", {"unit_id": unit_id, "name": name, "kind": kind, "parent_id": parent,
                                             "revision": 1})
        for name, (language, roles) in people.items():
            send("directory.person_upserted", {
                "person_id": ids[name], "name": name, "language": language, "unit_id": roles[0][1],
                "member_status": "full", "revision": 1, "roles": [{"role": r, "unit_id": u} for r, u in roles]})

        def known() -> bool:
            with grading.uow_factory() as g, notification.uow_factory() as n:
                return (DirectoryView(g.session).general_branch_of(affairs) is not None
                        and all(DirectoryView(n.session).person(i) is not None for i in ids.values()))
        wait_for(known, message="the directory in both services")

        opened = grading.client.post(CYCLES, json={"year": 2031, "advanced_cap_percent": 50, "publicity_days": 5,
                                                   "self_assessment_deadline": "2100-01-01"},
                                     headers=grading.headers(org))
        assert opened.status_code == 201, opened.json
        cycle_id = opened.json["id"]
        for branch, reviewer in ((teachers, "李总支"), (affairs, "Zhou Min")):
            level = grading.client.post(f"{CYCLES}/{cycle_id}/branches/{branch}/level", headers=grading.headers(
                person(ids[reviewer], roles=people[reviewer][1])),
                json={"action": "override", "level": "ordinary", "reason": "按支部实际确定"})
            assert level.status_code == 200, level.json
        with observer(amqp_url, namespace, "grading.publicity_started") as announced:
            published = grading.client.post(f"{CYCLES}/{cycle_id}/publish", headers=grading.headers(org))
            assert published.status_code == 200, published.json
            ends_on = date.fromisoformat(published.json["publicity_ends_on"])

            told = wait_for(lambda: all(inbox(n) for n in people if n != "陈党员") and
                            {n: inbox(n) for n in people}, message="every secretary told")
            [event] = wait_for(announced, message="the event on the broker")
        deadline = f"{ends_on.isoformat()} 23:59"
        for name in ("李总支", "张支书", "赵支书"):
            [notice] = told[name]
            assert notice["title"] == "2031年度分类定级结果公示" + ("：请答复异议" if name == "李总支" else "")
            assert f"公示期至 {ends_on.isoformat()}，异议受理截止时间 {deadline}（北京时间）" in notice["body"]
            assert notice["link"] == f"/grading/publicity?cycle={cycle_id}"
        [english] = told["Zhou Min"]
        assert english["title"] == "2031 grading results on public notice: objections to answer"
        assert f"objections are taken until {deadline} (Beijing time)" in english["body"]
        assert told["陈党员"] == []
        assert datetime.fromisoformat(event["data"]["objection_deadline"]).astimezone(
            ZoneInfo("Asia/Shanghai")).strftime("%Y-%m-%d %H:%M") == deadline

        # the same event again (at least once): nobody is told twice
        publish_event(amqp_url, namespace, event)
        marker = uuid.uuid4()
        send("pledge.approved", {"pledge_id": marker, "pledger_kind": "member", "pledger_id": ids["陈党员"],
                                 "unit_id": teachers, "kind": "annual", "title": "带头搞好教书育人", "year": 2031,
                                 "due_date": date(2031, 12, 31)})

        def after_the_marker():
            response = notification.client.get("/api/notifications?limit=50",
                                               headers=notification.headers(person(ids["陈党员"])))
            return any(str(marker) in (n["link"] or "") for n in response.json["items"])
        wait_for(after_the_marker, message="the event after the duplicate handled")
        wait_for(lambda: queue_depth(amqp_url, f"{namespace}.notification") == 0, message="the queue drained")
        assert {name: len(inbox(name)) for name in people} == {
            "李总支": 1, "Zhou Min": 1, "张支书": 1, "赵支书": 1, "陈党员": 0}
    finally:
        for worker in workers:
            worker.stop()
        grading.engine.dispose()
        notification.engine.dispose()

