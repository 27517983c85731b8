"""Docker cannot run here, so the compose file is checked by reading it: every build context,
Dockerfile, command and variable it names must exist, and every scalable part must be scalable."""
from __future__ import annotations

import re
import shlex
import tomllib
from pathlib import Path

import pytest
import yaml

from pacesetter_shared.config import VARIABLES
from pacesetter_suite.services import SERVICES

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
BUILT = {name: spec for name, spec in COMPOSE["services"].items() if "build" in spec}
# Set by the image or read by gunicorn/prometheus rather than by our settings.
RUNTIME_VARIABLES = {"PROMETHEUS_MULTIPROC_DIR", "WEB_CONCURRENCY"}


def _scripts(folder: Path) -> set[str]:
    return set(tomllib.loads((folder / "pyproject.toml").read_text())["project"].get("scripts", {}))


def test_every_service_has_a_web_and_a_worker_container_and_each_keeper_one():
    for entry in SERVICES:
        folder = "gateway" if entry.name == "gateway" else f"{entry.name}-service"
        assert folder in BUILT and f"{folder}-worker" in BUILT
        for keeper in entry.keepers:  # evaluation's figures: one process, never scaled
            assert BUILT[f"{folder}-{keeper}"]["command"] == [f"{entry.name}-{keeper}"]
            assert "deploy" not in BUILT[f"{folder}-{keeper}"], "a keeper runs as one"


@pytest.mark.parametrize("name", sorted(BUILT))
def test_build_context_dockerfile_and_copied_paths_exist(name):
    build = BUILT[name]["build"]
    context = ROOT / build["context"]
    dockerfile = context / build["dockerfile"]
    assert dockerfile.is_file(), dockerfile
    for line in dockerfile.read_text().splitlines():
        if line.startswith("COPY ") and not line.startswith("COPY --from="):  # --from: an earlier stage's file
            source = line.split()[1]
            assert (context / source).exists(), f"{dockerfile}: COPY {source} does not exist"


@pytest.mark.parametrize("name", sorted(BUILT))
def test_commands_are_installed_entry_points(name):
    spec = BUILT[name]
    dockerfile = (ROOT / spec["build"]["context"] / spec["build"]["dockerfile"])
    folder = dockerfile.parent
    scripts = _scripts(folder)
    command = spec.get("command")
    if command:
        assert command[0] in scripts, f"{name}: {command[0]} is not a console script of {folder.name}"
    cmd_line = next(line for line in dockerfile.read_text().splitlines() if line.startswith("CMD "))
    shell = " ".join(re.findall(r'"([^"]*)"', cmd_line))
    for word in shlex.split(shell.split("-c", 1)[1]):
        if word.endswith("-migrate"):
            assert word in scripts
        if ":create_app" in word:  # gunicorn "pkg.app:create_app()" or granian --factory "pkg.app:create_app"
            module = word.split(":")[0]
            __import__(module)


@pytest.mark.parametrize("name", sorted(BUILT))
def test_every_environment_variable_is_one_the_code_reads(name):
    for variable in BUILT[name].get("environment", {}):
        assert variable in VARIABLES or variable in RUNTIME_VARIABLES, f"{name}: {variable} is read by nothing"


def test_every_scaled_part_can_be_scaled():
    for name, spec in BUILT.items():
        assert "container_name" not in spec, f"{name} has a fixed container name"
        if name != "gateway":
            assert "ports" not in spec, f"{name} publishes a host port and could not be scaled"


def test_every_service_database_is_created_and_volumes_are_declared():
    init = (ROOT / "deploy" / "postgres-init.sql").read_text()
    for name, spec in BUILT.items():
        database = spec["environment"]["DATABASE_URL"].rsplit("/", 1)[1]
        assert f"CREATE DATABASE {database};" in init, name
        for volume in spec.get("volumes", []):
            source = volume.split(":")[0]
            assert source.startswith(".") or source in COMPOSE["volumes"], f"{name}: volume {source} undeclared"
        for dependency in spec.get("depends_on", {}):
            assert dependency in COMPOSE["services"]


def test_the_gateway_knows_where_every_service_is():
    environment = BUILT["gateway"]["environment"]
    for entry in SERVICES:
        if entry.name != "gateway":
            host = re.match(r"http://([^:]+):8000", environment[f"{entry.name.upper()}_URL"]).group(1)
            assert host in BUILT


def test_every_gateway_replica_counts_against_the_same_limits_in_redis():
    gateway = BUILT["gateway"]
    storage = re.match(r"redis://([^:/]+):6379/\d+$", gateway["environment"]["RATE_LIMIT_STORAGE"])
    assert storage and storage.group(1) in COMPOSE["services"]
    assert gateway["depends_on"][storage.group(1)] == {"condition": "service_healthy"}
    assert "healthcheck" in COMPOSE["services"][storage.group(1)]
