"""What a service process holds for its whole life is set aside from the garbage collector once the app
serves (issue 10: full collections stalled every thread of evaluation-web for 30–90 ms)."""
from __future__ import annotations

import json
import subprocess
import sys

SERVE_TWICE = """
import gc, json, sys
from pacesetter_shared.config import load_settings
from pacesetter_shared.web import create_service_app
svc = create_service_app(load_settings("pledge", {"PACESETTER_VAR_DIR": sys.argv[1], "LOG_JSON": "false"}),
                         "probe", "probe")
client = svc.app.test_client()
before = gc.get_freeze_count()
first = client.get("/healthz").status_code
frozen = gc.get_freeze_count()
client.get("/healthz")
print(json.dumps({"before": before, "first": first, "frozen": frozen, "again": gc.get_freeze_count(),
                  "tracked": len(gc.get_objects())}))
"""


def test_the_first_request_freezes_what_the_process_built_and_later_ones_do_not_again(tmp_path):
    # its own process: the freeze is once per process, and this one runs many apps
    out = subprocess.run([sys.executable, "-c", SERVE_TWICE, str(tmp_path)], capture_output=True, text=True,
                         check=True, timeout=120).stdout
    seen = json.loads(out.strip().splitlines()[-1])
    assert seen["before"] == 0 and seen["first"] == 200
    assert seen["frozen"] > 10 * seen["tracked"]  # a full collection now walks a small part of what lives
    assert seen["again"] == seen["frozen"]
