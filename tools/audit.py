"""Known vulnerabilities in the locked dependencies: pip-audit over constraints.txt, npm audit over the portal's lock.

``make test`` runs this. It fails on any known vulnerability that ``tools/audit-exceptions.txt`` does not accept
(an exception names the advisory, the date it lapses and why it is accepted), and on a dependency pip-audit could
not look up (``--strict``: a package the service does not know is not a clean one).

pip-audit and npm audit do the work; this script only adds what neither has: the dated exceptions, and telling
"no vulnerability" apart from "no answer". Where the vulnerability database cannot be reached (an offline
intranet build), it says so on a line starting ``NOT AUDITED`` and passes, unless ``AUDIT_REQUIRED=1``, which a
release build sets. Settings: ``AUDIT_OSV_URL`` (OSV's query API, or a mirror of it), ``AUDIT_NPM=0`` to leave the
portal out.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import urllib.error
import urllib.request
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXCEPTIONS = Path(os.environ.get("AUDIT_EXCEPTIONS", ROOT / "tools" / "audit-exceptions.txt"))
OSV_URL = os.environ.get("AUDIT_OSV_URL", "https://api.osv.dev/v1/query")


def accepted_exceptions(path: Path, today: date) -> dict[str, str]:
    """Advisory id → reason, for each line ``<id> <until YYYY-MM-DD> <reason>`` not yet lapsed."""
    accepted = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines() if path.exists() else [], 1):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        parts = line.split(None, 2)
        if len(parts) < 3:
            raise SystemExit(f"{path}:{number}: expected '<advisory id> <until YYYY-MM-DD> <reason>'")
        advisory, until, reason = parts
        if date.fromisoformat(until) >= today:
            accepted[advisory] = reason
        else:
            print(f"audit: the exception for {advisory} lapsed on {until}; it no longer applies")
    return accepted


def _osv_answers() -> str | None:
    """None when OSV answers a query; else why not."""
    query = json.dumps({"package": {"name": "pip", "ecosystem": "PyPI"}, "version": "0"}).encode()
    try:
        with urllib.request.urlopen(urllib.request.Request(OSV_URL, data=query, method="POST"), timeout=10) as r:
            json.load(r)
        return None
    except (urllib.error.URLError, OSError, ValueError) as exc:
        return f"{OSV_URL}: {getattr(exc, 'reason', exc)}"


def audit_python(accepted: dict[str, str]) -> int:
    unreachable = _osv_answers()
    if unreachable:
        return _not_audited("Python dependencies (constraints.txt)", unreachable)
    command = [sys.executable, "-m", "pip_audit", "--strict", "--no-deps", "--disable-pip", "--progress-spinner", "off",
               "-s", "osv", "--osv-url", OSV_URL, "-r", str(ROOT / "constraints.txt")]
    for advisory in accepted:
        command += ["--ignore-vuln", advisory]
    print("audit: pip-audit over constraints.txt against", OSV_URL, flush=True)
    return subprocess.run(command, cwd=ROOT).returncode


def audit_portal(accepted: dict[str, str]) -> int:
    if os.environ.get("AUDIT_NPM", "1") == "0":
        return 0
    done = subprocess.run(["npm", "audit", "--omit=dev", "--json"], cwd=ROOT / "portal", capture_output=True, text=True)
    try:
        report = json.loads(done.stdout)
    except ValueError:
        report = {}
    if "vulnerabilities" not in report:
        why = report.get("message") or (report.get("error") or {}).get("summary") or "npm audit gave no report"
        return _not_audited("the portal's packages (portal/package-lock.json)", why)
    found = []
    for name, entry in report["vulnerabilities"].items():
        for via in entry.get("via", []):
            if isinstance(via, dict):
                advisory = via.get("url", "").rsplit("/", 1)[-1]
                if advisory not in accepted:
                    found.append(f"{name}: {advisory} {via.get('title', '')} ({via.get('severity', '')})")
    print(f"audit: npm audit over portal/package-lock.json: {len(found)} known vulnerabilities not accepted")
    for line in found:
        print("  ", line)
    return 1 if found else 0


def _not_audited(what: str, why: str) -> int:
    print(f"NOT AUDITED: {what}: the vulnerability database cannot be reached ({why})", flush=True)
    return 1 if os.environ.get("AUDIT_REQUIRED") == "1" else 0


def main() -> int:
    accepted = accepted_exceptions(EXCEPTIONS, date.today())
    return max(audit_python(accepted), audit_portal(accepted))


if __name__ == "__main__":
    sys.exit(main())
