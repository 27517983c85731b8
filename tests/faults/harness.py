"""Faults under a steady load of pledge submissions through the gateway, every service its own process.

Each scenario: load, fault, heal, drain, compare — every pledge the gateway accepted must reach the
reviewer's inbox exactly once (lost = 0, doubled = 0), printed and asserted.
"""
from __future__ import annotations

import threading
from collections import Counter
from datetime import date
from typing import Callable

from gateway.demo import DEMO_PASSWORD
from tests.support.http import Api
from tests.support.waiting import wait_for


class PledgeLoad:
    """Submits pledges in a loop; remembers which the gateway accepted, and reads made during a fault."""

    def __init__(self, suite):
        self.member = Api(suite.gateway).login("dangyuan", DEMO_PASSWORD)
        self.reviewer = Api(suite.gateway).login("zongzhi", DEMO_PASSWORD)
        self.accepted: list[str] = []
        self.reads_during_fault: list[int] = []
        self.in_fault = threading.Event()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        due = date(date.today().year + 1, 6, 30).isoformat()
        n = 0
        while not self._stop.is_set():
            n += 1
            response = self.member.post("/api/pledges", {"kind": "annual", "title": f"故障演练承诺{n}",
                                                         "areas": ["study"], "due_date": due, "submit": True})
            if response.status == 201:
                self.accepted.append(response.json["id"])
            if self.in_fault.is_set():
                self.reads_during_fault.append(self.member.get("/api/pledges?limit=1").status)
            self._stop.wait(0.2)

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

    def notices(self) -> Counter:
        items, offset = [], 0
        while True:
            page = self.reviewer.get(f"/api/notifications?limit=200&offset={offset}").json
            items += page["items"]
            offset += 200
            if offset >= page["total"]:
                break
        return Counter(n["link"].rsplit("/", 1)[-1] for n in items
                       if n["event_type"] == "pledge.submitted" and n.get("link"))

    def assert_nothing_lost_or_doubled(self, label: str) -> None:
        wait_for(lambda: set(self.accepted) <= set(self.notices()), timeout=120, interval=1,
                 message="every accepted pledge's notice in the reviewer's inbox")
        seen = self.notices()
        lost = [p for p in self.accepted if p not in seen]
        doubled = [p for p, count in seen.items() if count > 1]
        print(f"{label}: accepted={len(self.accepted)} notices={sum(seen.values())} lost={len(lost)} "
              f"doubled={len(doubled)} reads during the fault={dict(Counter(self.reads_during_fault))}")
        assert lost == [] and doubled == []
