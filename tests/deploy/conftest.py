"""The Kubernetes overlays as `kubectl kustomize` renders them, and checkov's verdict on them and the Dockerfiles.

Both are made once per session: rendering takes about a second an overlay, checkov about ten seconds. checkov
lives in a venv of its own (`.venv/checkov`), made here from `deploy/k8s/checkov-constraints.txt` the first time
(about 20 s from PyPI) and again whenever that file changes: checkov pins `packaging<24`, which the suite's
constraints.txt cannot take.
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
K8S = ROOT / "deploy" / "k8s"
OVERLAYS = ("small", "campus")
CHECKOV_CONFIG = K8S / ".checkov.yaml"
CHECKOV_CONSTRAINTS = K8S / "checkov-constraints.txt"
CHECKOV_VENV = ROOT / ".venv" / "checkov"
DOCKERFILES = sorted(ROOT.glob("*/Dockerfile"))
IN_CI = os.environ.get("CI", "").lower() == "true"


def _missing(message: str):
    if IN_CI:
        pytest.fail(f"CI=true and {message}: the deployment tests may not be skipped in CI.", pytrace=False)
    pytest.skip(message)


def render(overlay: str) -> str:
    kubectl = shutil.which("kubectl")
    if kubectl is None:
        _missing("kubectl is not installed (it renders the overlays with its built-in kustomize)")
    done = subprocess.run([kubectl, "kustomize", str(K8S / "overlays" / overlay)],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, f"kubectl kustomize {overlay} failed:\n{done.stderr}"
    return done.stdout


@pytest.fixture(scope="session")
def rendered_text(tmp_path_factory) -> dict[str, Path]:
    """Each overlay rendered into a file of its own (checkov reads files)."""
    folder = tmp_path_factory.mktemp("k8s")
    files = {}
    for overlay in OVERLAYS:
        files[overlay] = folder / f"{overlay}.yaml"
        files[overlay].write_text(render(overlay))
    return files


@pytest.fixture(scope="session")
def rendered(rendered_text) -> dict[str, list[dict]]:
    return {overlay: [doc for doc in yaml.safe_load_all(path.read_text()) if doc]
            for overlay, path in rendered_text.items()}


def _checkov() -> Path:
    """checkov in its own venv, installed from its pinned constraints unless they are what is there already."""
    binary = CHECKOV_VENV / "bin" / "checkov"
    stamp = CHECKOV_VENV / ".installed"
    wanted = hashlib.sha256(CHECKOV_CONSTRAINTS.read_bytes()).hexdigest()
    if binary.exists() and stamp.exists() and stamp.read_text() == wanted:
        return binary
    pinned = next(line for line in CHECKOV_CONSTRAINTS.read_text().splitlines() if line.startswith("checkov=="))
    subprocess.run([sys.executable, "-m", "venv", "--clear", str(CHECKOV_VENV)], check=True, timeout=120)
    done = subprocess.run([str(CHECKOV_VENV / "bin" / "pip"), "install", "--quiet", "--disable-pip-version-check",
                           "-c", str(CHECKOV_CONSTRAINTS), pinned], capture_output=True, text=True, timeout=600)
    if done.returncode != 0:
        _missing(f"checkov could not be installed into {CHECKOV_VENV}:\n{done.stderr[-2000:]}")
    stamp.write_text(wanted)
    return binary


@pytest.fixture(scope="session")
def checkov_reports(rendered_text) -> dict[str, dict]:
    """checkov's report per framework (kubernetes, dockerfile, secrets) over both overlays and every Dockerfile."""
    files = [*rendered_text.values(), *DOCKERFILES]
    done = subprocess.run([str(_checkov()), "--config-file", str(CHECKOV_CONFIG), "--output", "json",
                           *[arg for path in files for arg in ("--file", str(path))]],
                          capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert done.stdout.strip(), f"checkov printed no report (exit {done.returncode}):\n{done.stderr[-2000:]}"
    reports = json.loads(done.stdout)
    reports = reports if isinstance(reports, list) else [reports]
    return {report["check_type"]: report for report in reports}
