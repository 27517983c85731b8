"""Faults under a steady load through the gateway, every service its own process.

The load is what the suite lives on: a member submits pledges and a general-branch secretary approves
every other one (pledge transitions), and a counter kiosk posts the masses' ratings — singly and in
batches, each with its client id, some re-sent on purpose, bad ones among them (差评 → follow-up case
→ notice to the window's responsible person). A request that fails is kept and sent again later, as
the kiosk page does. Each scenario: load, fault, heal, drain, compare — what the gateway said it
accepted must equal, exactly, what each service and each projection holds (lost = 0, doubled = 0),
printed and asserted.
"""
from __future__ import annotations

import threading
import uuid
from collections import Counter
from datetime import date, datetime, timedelta, timezone
from typing import Callable

import sqlalchemy as sa

from gateway.service.demo import DEMO_PASSWORD, _id
from pacesetter_shared.db import make_engine
from tests.support.http import Api
from tests.support.waiting import wait_for

NEGATIVE = (1, 2)
LEVELS = (5, 4, 1, 5, 3, 2, 5, 4, 5, 1)  # a tenth of each bad level, the rest mostly content


class _Ratings:
    """A kiosk's side: client ids the service acknowledged, and what still waits to be sent."""

    def __init__(self, api: Api, credential: str):
        self.api, self.headers = api, {"Authorization": f"Kiosk {credential}"}
        self.stored: dict[str, int] = {}  # client id → level, acknowledged as accepted or duplicate
        self.waiting: list[dict] = []
        self.resent_answers: Counter = Counter()
        self.failed_requests = 0
        self._made = 0

    def new(self, count: int) -> None:
        for _ in range(count):
            level = LEVELS[self._made % len(LEVELS)]
            self._made += 1
            self.waiting.append({"client_id": uuid.uuid4().hex, "level": level,
                                 "rated_at": datetime.now(timezone.utc).isoformat()})

    def _sent(self, item: dict, answer: dict) -> None:
        if answer.get("status") in ("accepted", "duplicate"):
            self.stored[item["client_id"]] = item["level"]
            self.waiting.remove(item)

    def send(self, batch: bool) -> None:
        items = list(self.waiting[:20] if batch else self.waiting[:1])
        if not items:
            return
        try:
            if batch:
                response = self.api.post("/api/ratings/batch", {"ratings": items}, headers=self.headers)
                answers = response.json["items"] if response.status == 200 else []
                for item, answer in zip(items, answers):
                    self._sent(item, answer)
            else:
                response = self.api.post("/api/ratings", items[0], headers=self.headers)
                if response.status in (200, 201):
                    self._sent(items[0], response.json)
        except OSError:  # the gateway itself unreachable for a moment: the items wait
            response = None
        if response is None or response.status not in (200, 201):
            self.failed_requests += 1

    def resend_one(self) -> None:
        """Send again a rating already acknowledged, as a kiosk does when it never saw the answer."""
        if not self.stored:
            return
        client_id = next(iter(self.stored)) if len(self.stored) % 2 else list(self.stored)[-1]
        try:
            response = self.api.post("/api/ratings", {"client_id": client_id, "level": self.stored[client_id]},
                                     headers=self.headers)
        except OSError:
            return
        if response.status in (200, 201):
            self.resent_answers[response.json["status"]] += 1


class SuiteLoad:
    """Pledge transitions and kiosk ratings in a loop; remembers what the gateway accepted, and the
    reads made during a fault."""

    def __init__(self, suite, ratings: bool = True):
        self.suite = suite
        self.member = Api(suite.gateway).login("dangyuan", DEMO_PASSWORD)
        self.reviewer = Api(suite.gateway).login("zongzhi", DEMO_PASSWORD)
        self.secretary = Api(suite.gateway).login("zhishu", DEMO_PASSWORD)
        self.accepted: list[str] = []
        self.approved: list[str] = []
        self.reads_during_fault: list[int] = []
        self.in_fault = threading.Event()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self.window_id = None
        self.ratings: _Ratings | None = None
        if ratings:
            self._open_window()

    def _open_window(self) -> None:
        org = Api(self.suite.gateway).login("zuzhibu", DEMO_PASSWORD)
        window = org.post("/api/directory/windows", {
            "name": f"故障演练窗口{uuid.uuid4().hex[:6]}", "unit_id": str(_id("br-teachers")),
            "responsible_id": str(_id("zhishu"))})
        assert window.status == 201, window.json
        self.window_id = window.json["id"]
        device = org.post("/api/directory/kiosks", {"window_id": self.window_id, "name": "故障演练评价器"})
        assert device.status == 201, device.json
        self.ratings = _Ratings(Api(self.suite.gateway), device.json["credential"])
        # evaluation-service learns of the window from directory.window_upserted
        wait_for(lambda: self._evaluation_rows("SELECT count(*) FROM dir_windows WHERE id = :w")[0][0] == 1,
                 timeout=30, message="evaluation-service to know the window")

    def _rows(self, service: str, sql: str, **params) -> list:
        engine = make_engine(self.suite.env[f"{service.upper()}_DATABASE_URL"], poolclass=sa.pool.NullPool)
        try:
            with engine.connect() as conn:
                return conn.execute(sa.text(sql), {"w": self.window_id, **params}).all()
        finally:
            engine.dispose()

    def _evaluation_rows(self, sql: str, **params) -> list:
        return self._rows("evaluation", sql, **params)

    def _run(self) -> None:
        due = date(date.today().year + 1, 6, 30).isoformat()
        n = 0
        while not self._stop.is_set():
            n += 1
            try:
                self._pledge_step(n, due)
                if self.ratings is not None:
                    self.ratings.new(4 if n % 3 == 0 else 1)
                    self.ratings.send(batch=n % 3 == 0 or len(self.ratings.waiting) > 4)
                    if n % 5 == 0:
                        self.ratings.resend_one()
                if self.in_fault.is_set():
                    self.reads_during_fault.append(self.member.get("/api/pledges?limit=1").status)
            except OSError:  # the gateway unreachable for a moment: the next round tries again
                pass
            self._stop.wait(0.2)

    def _pledge_step(self, n: int, due: str) -> None:
        response = self.member.post("/api/pledges", {"kind": "annual", "title": f"故障演练承诺{n}",
                                                     "areas": ["study"], "due_date": due, "submit": True})
        if response.status == 201:
            self.accepted.append(response.json["id"])
        if n % 2 == 0:
            waiting = [p for p in self.accepted if p not in self.approved]
            if waiting:
                approval = self.reviewer.post(f"/api/pledges/{waiting[0]}/approve", {})
                if approval.status == 200:
                    self.approved.append(waiting[0])

    def run_with(self, fault: Callable[[], None], heal: Callable[[], None]) -> None:
        self._thread.start()
        try:
            wait_for(lambda: len(self.accepted) >= 10, timeout=30, message="load before the fault")
            self.in_fault.set()
            fault()
            self.in_fault.clear()
            heal()
            before = len(self.accepted)
            wait_for(lambda: len(self.accepted) >= before + 10, timeout=60, message="load after the fault")
        finally:
            self._stop.set()
            self._thread.join(30)
        if self.ratings is not None:  # what is still waiting goes out now, as the kiosk's next batch would
            wait_for(lambda: self.ratings.send(batch=True) or not self.ratings.waiting, timeout=60, interval=0.5,
                     message="the kiosk's waiting ratings to be taken")

    # What each service and projection holds ------------------------------------------------------------

    def _inbox(self, api: Api, event_type: str, prefix: str, keys: set | None = None) -> Counter:
        items, offset = [], 0
        while True:
            page = api.get(f"/api/notifications?limit=200&offset={offset}").json
            items += page["items"]
            offset += 200
            if offset >= page["total"]:
                break
        found = Counter(n["link"].rsplit("/", 1)[-1] for n in items
                        if n["event_type"] == event_type and (n.get("link") or "").startswith(prefix))
        return found if keys is None else Counter({k: n for k, n in found.items() if k in keys})

    def _cases_told(self) -> Counter:
        """How many notices told the window's responsible person of each case: a notice names its event, and each
        feedback.negative in evaluation's outbox names its cases (a kiosk batch's several, since v3)."""
        cases_of = {}
        for (envelope,) in self._evaluation_rows("SELECT envelope FROM outbox WHERE event_type = 'feedback.negative'"):
            data = envelope["data"]
            if data["window_id"] == self.window_id:
                cases_of[envelope["id"]] = [case["case_id"] for case in data["cases"]]
        notices = self._rows("notification", "SELECT event_id FROM notices WHERE event_type = 'feedback.negative' "
                                             "AND person_id = :p", p=_id("zhishu"))
        return Counter(case for (event_id,) in notices for case in cases_of.get(str(event_id), ()))

    def holdings(self) -> dict[str, Counter]:
        """What every service holds of this load, keyed as the load knows it (other tests share the inboxes)."""
        ids = [uuid.UUID(p) for p in self.accepted]
        mine = set(self.accepted)
        transitions = self._rows("pledge", "SELECT pledge_id, action FROM pledge_transitions "
                                           "WHERE pledge_id = ANY(:ids)", ids=ids)
        held = {
            "submitted notices (notification)": self._inbox(self.reviewer, "pledge.submitted", "/pledges/", mine),
            "approved notices (notification)": self._inbox(self.member, "pledge.approved", "/pledges/", mine),
            "pledges (pledge)": Counter(str(r[0]) for r in self._rows(
                "pledge", "SELECT id FROM pledges WHERE id = ANY(:ids)", ids=ids)),
            "submit transitions (pledge)": Counter(str(p) for p, action in transitions if action == "submit"),
            "approve transitions (pledge)": Counter(str(p) for p, action in transitions if action == "approve"),
        }
        if self.ratings is not None:
            ratings = self._evaluation_rows("SELECT id, client_id, level FROM window_ratings WHERE window_id = :w")
            cases = self._evaluation_rows("SELECT c.id, r.client_id FROM followup_cases c "
                                          "JOIN window_ratings r ON r.id = c.rating_id WHERE c.window_id = :w")
            case_of = {str(case_id): client_id for case_id, client_id in cases}
            held |= {
                "ratings (evaluation)": Counter(r.client_id for r in ratings),
                "follow-up cases (evaluation)": Counter(client_id for _, client_id in cases),
                "follow-up notices (notification)": Counter(
                    {case_of[case]: n for case, n in self._cases_told().items() if case in case_of}),
            }
        return held

    def expected(self) -> dict[str, list[str]]:
        want = {"submitted notices (notification)": self.accepted,
                "approved notices (notification)": self.approved,
                "pledges (pledge)": self.accepted,
                "submit transitions (pledge)": self.accepted,
                "approve transitions (pledge)": self.approved}
        if self.ratings is not None:
            bad = [c for c, level in self.ratings.stored.items() if level in NEGATIVE]
            want |= {"ratings (evaluation)": list(self.ratings.stored),
                     "follow-up cases (evaluation)": bad,
                     "follow-up notices (notification)": bad}
        return want

    def _statistics(self) -> int | None:
        """The window's total in evaluation's own summary (统计), as a secretary reads it."""
        today = datetime.now(timezone(timedelta(hours=8))).date()
        response = self.secretary.get(f"/api/ratings/summary?window_id={self.window_id}&granularity=year"
                                      f"&from={today.replace(month=1, day=1)}&to={today}")
        assert response.status == 200, response.json
        return sum(p["total"] or 0 for p in response.json["items"])

    def _complete(self) -> bool:
        held = self.holdings()
        return all(set(items) <= set(held[name]) for name, items in self.expected().items())

    def assert_nothing_lost_or_doubled(self, label: str) -> None:
        wait_for(self._complete, timeout=120, interval=1, message="every accepted change in every service")
        held, lines, failures = self.holdings(), [], []
        for name, items in self.expected().items():
            lost = [i for i in items if i not in held[name]]
            doubled = [i for i, count in held[name].items() if count > 1]
            extra = [i for i in held[name] if i not in set(items)]
            lines.append(f"  {name}: accepted={len(items)} held={sum(held[name].values())} lost={len(lost)} "
                         f"doubled={len(doubled)} unexpected={len(extra)}")
            if lost or doubled or extra:
                failures.append((name, lost[:5], doubled[:5], extra[:5]))
        print(f"{label}: reads during the fault={dict(Counter(self.reads_during_fault))}")
        print("\n".join(lines))
        if self.ratings is not None:
            shown = self._statistics()
            print(f"  statistics (evaluation summary): total={shown} stored={len(self.ratings.stored)} "
                  f"re-sent answered={dict(self.ratings.resent_answers)} failed requests={self.ratings.failed_requests}")
            assert shown == len(self.ratings.stored)
            assert set(self.ratings.resent_answers) <= {"duplicate"}, self.ratings.resent_answers
        assert failures == []


# The scenarios written before ratings joined the load use the same class.
PledgeLoad = SuiteLoad
