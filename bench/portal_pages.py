"""How long people wait for the portal (portal/, a Vite build since Portal 2.0) and how much it downloads: the
embedded suite with make run's demo activity, Debian's Chromium at 1366×768. Prints figures; never a pass/fail test.

- The home page's first load: a browser with an empty cache and a session opens /home; from navigation to every
  section of 工作台 loaded (no loading mask left), with the bytes of JavaScript and CSS it fetched; then warm.

- The built chunks: the sizes (raw and gzip) of portal/dist/assets as the gateway serves them, and the JavaScript
  and CSS the browser fetched to open the dashboards from another page (ECharts and vue-echarts come in the
  dashboards' own chunk, only the charts and components used; the XLSX writer is loaded only on export, so it is
  counted apart and not fetched here).
- The render: from navigation to every chart of the three tabs drawn (each ChartCard's data-rendered="true",
  set on ECharts' "finished") — first with an empty cache, then warm.

    .venv/bin/python bench/portal_pages.py [runs]    (build the portal first: make setup, or vite build)
"""
from __future__ import annotations

import gzip
import os
import re
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

ASSETS = ROOT / "portal" / "dist" / "assets"
# tab → the charts it draws
TABS = {"pledges": ["pledges"], "windows": ["satisfaction", "rhythm"], "grading": ["levels", "radar", "movement"]}


def _ready(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/readyz", timeout=3) as response:
            return response.status == 200
    except OSError:
        return False


def _sizes(paths) -> tuple[int, int]:
    raw = zipped = 0
    for path in paths:
        data = path.read_bytes()
        raw += len(data)
        zipped += len(gzip.compress(data, 6))
    return raw, zipped


IMPORT = re.compile(r"""(?:from|import)\s*["']\./([\w.-]+\.(?:js|css))["']""")


def _newest(pattern: str) -> Path | None:
    found = sorted(ASSETS.glob(pattern), key=lambda p: p.stat().st_mtime)
    return found[-1] if found else None


def _static_imports(entry: Path, shell: set[str]) -> set[Path]:
    """A chunk and every chunk it imports statically (what the browser fetches to run it), less the app shell's."""
    seen, todo = set(), [entry]
    while todo:
        path = todo.pop()
        if path.name in shell or path in seen or not path.exists():
            continue
        seen.add(path)
        todo += [ASSETS / name for name in IMPORT.findall(path.read_text(errors="replace"))]
    return seen


def chunk_report() -> list[str]:
    """The built chunks: the dashboards' own (with the ECharts modules they import), the XLSX writer's (loaded on
    export only), the app shell's, and the whole build."""
    if not ASSETS.is_dir() or not _newest("DashboardsView-*.js"):
        return ["  portal/dist/assets has no dashboards chunk: build the portal first (make setup)"]
    shell_entry = _newest("index-*.js")
    shell = {p.name for p in _static_imports(shell_entry, set())} if shell_entry else set()
    view = _static_imports(_newest("DashboardsView-*.js"), shell)
    newest_build = max(p.stat().st_mtime for p in view)
    entries = [p for p in ASSETS.glob("*.js") if p.stat().st_mtime >= newest_build - 1
               and "sharedStrings.xml" in p.read_text(errors="replace")]
    writer = _static_imports(entries[0], shell | {p.name for p in view}) if entries else set()
    lines = []
    for label, paths in (("dashboards view and every chunk it imports (ECharts, vue-echarts, Element Plus parts)", view), ("XLSX writer (fetched on export only)", writer),
                         ("app shell (every page)", [ASSETS / n for n in shell])):
        raw, zipped = _sizes(paths)
        names = ", ".join(sorted(p.name for p in paths)) if len(paths) <= 4 else f"{len(paths)} files"
        lines.append(f"  {label}: {raw / 1024:.0f} KiB ({zipped / 1024:.0f} KiB gzip) — {names}")
    return lines


def _drawn(page, tab: str) -> None:
    page.click(f".dash-tabs .el-tabs__item#tab-{tab}")
    for chart in TABS[tab]:
        page.wait_for_selector(f"[data-chart={chart}][data-rendered=true], [data-chart={chart}] .el-empty, "
                               f"[data-chart={chart}] .load-error", timeout=30000)


SETTLED = ("() => document.querySelector('.page-frame[data-page=home]') && "
           "![...document.querySelectorAll('.el-loading-mask')].some((m) => m.offsetParent !== null) && "
           "document.querySelectorAll('.home-section').length > 0")


def home_first_load(browser, gateway: str, runs: int) -> tuple[list[float], int, int]:
    """The home page opened in a new browser (empty cache) holding zuzhibu's session: ms to settled, each run,
    and the JS/CSS files the first one fetched, their bytes unpacked and as sent."""
    login = browser.new_context()
    tokens = login.request.post(f"{gateway}/api/auth/login",
                                data={"username": "zuzhibu", "password": "pacesetter2026"}).json()
    login.close()
    session = ('{"access": "%s", "refresh": "%s", "expiresAt": %d}'
               % (tokens["access_token"], tokens["refresh_token"], int(time.time() * 1000) + 600_000))
    timings, files, size, wire = [], 0, 0, 0
    for run in range(runs):
        context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="zh-CN")
        context.add_init_script(f"window.sessionStorage.setItem('pacesetter.session', {session!r})")
        page = context.new_page()
        fetched: dict[str, tuple[int, int]] = {}

        def count(response, fetched=fetched) -> None:
            if "/assets/" in response.url and response.url.endswith((".js", ".css")):
                # as the page uses it, and as it crossed the network (gzip where the browser takes it)
                fetched[response.url] = (len(response.body()), response.request.sizes()["responseBodySize"])

        page.on("response", count)
        started = time.perf_counter()
        page.goto(f"{gateway}/home")
        page.wait_for_function(SETTLED, timeout=30000)
        timings.append((time.perf_counter() - started) * 1000)
        if not run:
            files, size, wire = len(fetched), sum(v[0] for v in fetched.values()), sum(v[1] for v in fetched.values())
        context.close()
    return timings, files, size, wire


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
            home, home_files, home_bytes, home_wire = home_first_load(browser, gateway, runs)
            context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="zh-CN")
            page = context.new_page()
            fetched: dict[str, int] = {}

            def count(response) -> None:
                url = response.url
                if "/assets/" in url and url.endswith((".js", ".css")):
                    try:
                        fetched[url] = len(response.body())
                    except Exception:  # a response without a body (cached): counted by the first load
                        pass

            page.goto(f"{gateway}/login?redirect=/profile")
            page.fill("#login-form input[name=username]", "zuzhibu")
            page.fill("#login-form input[name=password]", "pacesetter2026")
            page.click("#login-form button[type=submit]")
            page.wait_for_selector(".page-frame[data-page=profile]")
            timings = []
            for run in range(runs):
                if run:
                    page.goto(f"{gateway}/profile")
                    page.wait_for_selector(".page-frame[data-page=profile]")
                else:
                    page.on("response", count)
                started = time.perf_counter()
                page.click(".side-menu .el-menu-item[data-page=dashboards]")
                page.wait_for_selector(".page-frame[data-page=dashboards]")
                for tab in TABS:
                    _drawn(page, tab)
                timings.append((time.perf_counter() - started) * 1000)
                if not run:
                    page.remove_listener("response", count)
            browser.close()
        first_bytes = sum(fetched.values())
        print(f"home page (工作台) in a new browser, empty cache: first {home[0]:.0f} ms to every section loaded, "
              f"{home_files} JS/CSS files, {home_bytes / 1024:.0f} KiB ({home_wire / 1024:.0f} KiB sent, gzip); "
              f"each new browser: median {statistics.median(home):.0f} ms over {runs} (min {min(home):.0f}, "
              f"max {max(home):.0f})")
        print("built chunks (portal/dist/assets):")
        print("\n".join(chunk_report()))
        print(f"opening the dashboards from another page fetched {len(fetched)} JS/CSS files, "
              f"{first_bytes / 1024:.0f} KiB (unpacked)")
        print(f"dashboards, 6 charts over 3 tabs drawn (embedded, demo data, 2 cores): first {timings[0]:.0f} ms, "
              f"then median {statistics.median(timings[1:]):.0f} ms over {runs - 1} loads "
              f"(min {min(timings[1:]):.0f}, max {max(timings[1:]):.0f})")
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(30)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5)
