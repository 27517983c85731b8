"""A year of demo activity for ``make run``, so the dashboards have something to chart: two years of
grading (last year final, this year graded), pledges of the year, and half a year of window ratings.

Done through the gateway's API as the demo accounts would do it, after the suite is up and the services
have learnt the demo directory; done once (skipped when a grading cycle exists). Deterministic.
"""
from __future__ import annotations

import json
import logging
import random
import threading
import time
import urllib.error
import urllib.request
from datetime import date, datetime, timedelta, timezone

from .demo import DEMO_PASSWORD, _id

log = logging.getLogger(__name__)

INDICATORS = ["leader", "work_plan", "rules", "venue", "support", "performance", "masses"]
# Per year: branch → (secretary who self-assesses or None, general-branch secretary, score, level override)
GRADING = {
    -1: {"br-teachers": ("zhishu", "zongzhi", 84, None), "br-affairs": ("sunli", "jiguan", 91, None),
         "br-students": (None, "zongzhi", 72, "ordinary")},
    0: {"br-teachers": ("zhishu", "zongzhi", 93, None), "br-affairs": ("sunli", "jiguan", 86, None),
        "br-students": (None, "zongzhi", 66, "lagging")},
}
PLEDGERS = [("liuwei", "zongzhi", True), ("zhaomin", "zongzhi", False), ("zhishu", "zongzhi", True),
            ("sunli", "jiguan", False)]
WINDOWS = [("教务处综合服务窗口", "br-affairs", "sunli", "行政楼一楼"),
           ("教育学院学生事务窗口", "br-students", "zongzhi", "教育学院一楼")]


class _Client:
    def __init__(self, base: str, authorization: str | None = None):
        self.base, self.authorization = base, authorization

    def call(self, method: str, path: str, body=None) -> tuple[int, dict | None]:
        headers = {"Accept": "application/json", "Content-Type": "application/json"}
        if self.authorization:
            headers["Authorization"] = self.authorization
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(self.base + path, data=data, method=method, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                raw = response.read()
                return response.status, json.loads(raw) if raw else None
        except urllib.error.HTTPError as exc:
            raw = exc.read()
            return exc.code, json.loads(raw) if raw else None

    def ok(self, method: str, path: str, body=None, *, retry_for: float = 0) -> dict | None:
        """The answer of a call that must succeed; retried while the services still learn the directory."""
        deadline = time.monotonic() + retry_for
        while True:
            status, answer = self.call(method, path, body)
            if status < 300:
                return answer
            if time.monotonic() >= deadline:
                raise RuntimeError(f"{method} {path}: {status} {answer}")
            time.sleep(0.5)


def _login(base: str, username: str) -> _Client:
    answer = _Client(base).ok("POST", "/api/auth/login", {"username": username, "password": DEMO_PASSWORD})
    return _Client(base, f"Bearer {answer['access_token']}")


def seed_activity(base: str, today: date | None = None) -> bool:
    """Create the demo activity unless a grading cycle is there; return whether anything was created."""
    today = today or datetime.now(timezone(timedelta(hours=8))).date()
    org = _login(base, "zuzhibu")
    if org.ok("GET", "/api/grading/cycles?limit=1", retry_for=30)["total"]:
        return False
    people = {name: _login(base, name) for name in ("zongzhi", "jiguan", "zhishu", "sunli", "liuwei", "zhaomin")}
    _grading(org, people, today)
    _pledges(people, today)
    _ratings(base, org, today)
    return True


def _grading(org: _Client, people: dict, today: date) -> None:
    for offset, branches in sorted(GRADING.items()):
        cycle = org.ok("POST", "/api/grading/cycles", {
            "year": today.year + offset, "advanced_cap_percent": 40, "publicity_days": 0,
            "self_assessment_deadline": (today + timedelta(days=30)).isoformat(),
            "branch_ids": [str(_id(key)) for key in branches],
            # The demo has no completed branch evaluation rounds, so 党员群众评议 weighs nothing here.
            "part_weights": {"self": 30, "members_and_masses": 0, "superior": 70}}, retry_for=60)
        url = f"/api/grading/cycles/{cycle['id']}/branches"
        for n, (key, (secretary, superior, score, override)) in enumerate(sorted(branches.items())):
            scores = [{"indicator": code, "score": min(100, score + (i * 3 + n) % 7 - 3), "evidence": "年度工作台账"}
                      for i, code in enumerate(INDICATORS)]
            if secretary:
                people[secretary].ok("PUT", f"{url}/{_id(key)}/self-assessment", {"scores": scores}, retry_for=30)
            people[superior].ok("PUT", f"{url}/{_id(key)}/superior-scores", {"scores": scores}, retry_for=30)
            level = ({"action": "override", "level": override, "reason": "支部书记空缺，未作自评，按上级评定"}
                     if override else {"action": "confirm"})
            people[superior].ok("POST", f"{url}/{_id(key)}/level", level)
        if offset < 0:
            org.ok("POST", f"/api/grading/cycles/{cycle['id']}/publish")
            org.ok("POST", f"/api/grading/cycles/{cycle['id']}/finalise")


def _pledges(people: dict, today: date) -> None:
    for member, reviewer, fulfil in PLEDGERS:
        pledge = people[member].ok("POST", "/api/pledges", {
            "kind": "annual", "title": "带头服务师生，办好民生实事", "content": "每月走访服务对象，解决实际困难",
            "targets": ["走访十二次"], "areas": ["serving_masses", "achievement"],
            "due_date": date(today.year, 12, 31).isoformat(), "submit": True}, retry_for=30)
        for action in ("approve", "publish"):
            people[reviewer].ok("POST", f"/api/pledges/{pledge['id']}/{action}", {}, retry_for=30)
        if fulfil:
            people[member].ok("POST", f"/api/pledges/{pledge['id']}/fulfil", {})


def _ratings(base: str, org: _Client, today: date) -> None:
    chance = random.Random(2026)
    now = datetime.now(timezone.utc)
    for n, (name, unit, responsible, location) in enumerate(WINDOWS):
        window = org.ok("POST", "/api/directory/windows", {
            "name": name, "location": location, "unit_id": str(_id(unit)), "responsible_id": str(_id(responsible)),
            "on_duty_ids": [str(_id(responsible))],
            "standards": {"items": ["证明开具", "业务咨询"], "workflow": "受理—审核—办结", "time_limit": "1个工作日"}})
        device = org.ok("POST", "/api/directory/kiosks", {"window_id": window["id"], "name": f"{name}评价器"})
        kiosk = _Client(base, f"Kiosk {device['credential']}")
        ratings = []
        for day in range(180, 0, -1):  # half a year, working days, office hours
            when = now - timedelta(days=day)
            if when.astimezone(timezone(timedelta(hours=8))).weekday() >= 5:
                continue
            for k in range(chance.randint(0, 3)):
                moment = when.replace(hour=chance.randint(0, 9), minute=chance.randint(0, 59))  # 08–17 Beijing
                better = 0.55 + 0.25 * (1 - day / 180) - 0.1 * n  # getting better over the half year
                level = 5 if chance.random() < better else chance.choice([4, 4, 3, 3, 2])
                ratings.append({"client_id": f"demo-{n}-{day}-{k}", "level": level, "rated_at": moment.isoformat()})
        for start in range(0, len(ratings), 200):
            # Rejected while evaluation-service has not heard of the new window yet; resent ones count once.
            deadline = time.monotonic() + 30
            while kiosk.ok("POST", "/api/ratings/batch", {"ratings": ratings[start:start + 200]},
                           retry_for=30)["rejected"] and time.monotonic() < deadline:
                time.sleep(0.5)


def run_in_background(base: str) -> None:
    """For the embedded launcher: seed once the suite answers; a failure is logged, never fatal."""
    def work():
        try:
            if seed_activity(base):
                log.warning("demo activity created: two years of grading, pledges and window ratings")
            else:
                log.warning("demo activity already there")
        except Exception:  # the demo must never take the suite down
            log.exception("demo activity could not be created")
    threading.Thread(target=work, name="demo-activity", daemon=True).start()
