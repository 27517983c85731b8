"""tools/audit.py, the dependency audit of ``make test``, against a stand-in for OSV's query API.

The real database (api.osv.dev) is out of this machine's reach; the stand-in answers OSV's documented query
shape and names one advisory against the Flask version the suite is locked to. What is under test is our
wiring: that a known vulnerability fails the run, an accepted exception lets it pass until it lapses, and a
database that cannot be reached is said out loud, not taken for a clean bill.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from datetime import date, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FLASK = next(line.split("==")[1] for line in (ROOT / "constraints.txt").read_text().splitlines()
             if line.lower().startswith("flask=="))
ADVISORY = "PYSEC-0000-TEST"


class _Osv(BaseHTTPRequestHandler):
    def do_POST(self):  # noqa: N802 (http.server's naming)
        query = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        hit = query["package"]["name"] == "flask" and query["version"] == FLASK
        body = json.dumps({"vulns": [{
            "id": ADVISORY, "summary": "a stand-in advisory", "affected": [{
                "package": {"name": "flask", "ecosystem": "PyPI"},
                "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "99.0"}]}]}]}]}
                          if hit else {}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *_args):
        pass


@pytest.fixture(scope="module")
def osv_url():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Osv)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}/v1/query"
    server.shutdown()


def _audit(tmp_path, osv_url: str, exceptions: str = "", **env) -> subprocess.CompletedProcess:
    (tmp_path / "exceptions.txt").write_text(exceptions, encoding="utf-8")
    return subprocess.run([sys.executable, str(ROOT / "tools" / "audit.py")], capture_output=True, text=True,
                          timeout=300, env={**os.environ, "AUDIT_OSV_URL": osv_url, "AUDIT_NPM": "0",
                                            "AUDIT_EXCEPTIONS": str(tmp_path / "exceptions.txt"),
                                            "PIP_AUDIT_CACHE_DIR": str(tmp_path / "cache"), **env})


def test_a_known_vulnerability_fails_the_audit_and_is_named(tmp_path, osv_url):
    done = _audit(tmp_path, osv_url)
    assert done.returncode == 1, done.stdout + done.stderr
    assert ADVISORY in done.stdout + done.stderr and "flask" in (done.stdout + done.stderr).lower()


def test_an_accepted_exception_passes_until_it_lapses(tmp_path, osv_url):
    until = date.today() + timedelta(days=30)
    accepted = _audit(tmp_path, osv_url, f"{ADVISORY} {until.isoformat()} only the CLI is affected\n")
    assert accepted.returncode == 0, accepted.stdout + accepted.stderr

    lapsed = _audit(tmp_path, osv_url, f"{ADVISORY} {(date.today() - timedelta(days=1)).isoformat()} old reason\n")
    assert lapsed.returncode == 1
    assert f"the exception for {ADVISORY} lapsed" in lapsed.stdout


def test_an_unreachable_database_is_said_out_loud_and_fails_where_an_audit_is_required(tmp_path):
    nowhere = "http://127.0.0.1:9/v1/query"  # the discard port: nothing listens
    quiet = _audit(tmp_path, nowhere)
    assert quiet.returncode == 0 and quiet.stdout.startswith("NOT AUDITED: Python dependencies")
    required = _audit(tmp_path, nowhere, AUDIT_REQUIRED="1")
    assert required.returncode == 1 and "NOT AUDITED" in required.stdout
