"""How long the organisation department waits for the dashboards: the embedded suite with make run's
demo activity, Debian's Chromium at 1366×768, from navigation to all six charts drawn — first with an
empty cache (ECharts downloaded), then warm. Prints figures; never a pass/fail test.

    .venv/bin/python bench/dashboards_render.py [runs]
"""
from __future__ import annotations

import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pacesetter_shared.config import DEFAULT_PORTS, SERVICE_PREFIXES  # noqa: E402
from tests.support.suite import free_port  # noqa: E402
from tests.support.waiting import wait_for  # noqa: E402

PANELS = ["#dash-pledges", "#dash-satisfaction", "#dash-rhythm", "#dash-levels", "#dash-radar", "#dash-movement"]


def _ready(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/readyz", timeout=3) as response:
            return response.status == 200
    except OSError:
        return False


def main(runs: int = 5) -> None:
    from playwright.sync_api import sync_playwright

    workdir = Path(tempfile.mkdtemp(prefix="dash-bench-"))
    env = os.environ | {"PACESETTER_VAR_DIR": str(workdir), "LOG_LEVEL": "WARNING"}
    for name in DEFAULT_PORTS:
        env[f"{SERVICE_PREFIXES[name]}_PORT"] = str(free_port())
    gateway = f"http://127.0.0.1:{env['GATEWAY_PORT']}"
    log = workdir / "embedded.log"
    process = subprocess.Popen([sys.executable, "-m", "pacesetter_suite.embedded", "--demo-activity"], env=env,
                               stdout=open(log, "ab"), stderr=subprocess.STDOUT)
    try:
        wait_for(lambda: _ready(gateway), timeout=90, interval=0.3, message="the embedded suite")
        wait_for(lambda: "demo activity created" in log.read_text(), timeout=180, interval=0.5, message="demo data")
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path="/usr/bin/chromium",
                                                 args=["--headless", "--no-sandbox", "--disable-gpu"])
            context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="zh-CN")
            page = context.new_page()
            page.goto(f"{gateway}/")
            page.fill("input[name=username]", "zuzhibu")
            page.fill("input[name=password]", "pacesetter2026")
            page.click("#login button")
            page.wait_for_selector("#nav-list a")
            timings = []
            for run in range(runs):
                page.goto(f"{gateway}/#/profile")
                page.wait_for_selector("#page[data-page=profile]")
                started = time.perf_counter()
                page.goto(f"{gateway}/#/dashboards")
                for panel in PANELS:
                    page.wait_for_selector(f"{panel} figure[data-rendered=true]", timeout=30000)
                timings.append((time.perf_counter() - started) * 1000)
            size = len(urllib.request.urlopen(f"{gateway}/portal/vendor/echarts.min.js").read())
            browser.close()
        print(f"dashboards, 6 charts drawn (embedded, demo data, 2 cores): first {timings[0]:.0f} ms "
              f"(ECharts {size / 1e6:.2f} MB from the gateway), then median {statistics.median(timings[1:]):.0f} ms "
              f"over {runs - 1} loads (min {min(timings[1:]):.0f}, max {max(timings[1:]):.0f})")
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(30)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5)
