"""The training clock: CLOCK_OFFSET's spans, and a deployed service that refuses to start with one."""
from __future__ import annotations

import os
import subprocess
import sys
from datetime import timedelta

import pytest

from pacesetter_shared.clock import describe, parse_offset
from pacesetter_shared.config import ConfigurationError, load_settings

DEPLOYED = {"DATABASE_URL": "postgresql://postgres@127.0.0.1:5432/pledge", "BROKER_URL": "amqp://guest:guest@127.0.0.1//"}


@pytest.mark.parametrize(("text", "offset"), [
    ("7d", timedelta(days=7)), ("+7d", timedelta(days=7)), ("-3d", timedelta(days=-3)), ("12h", timedelta(hours=12)),
    ("90m", timedelta(minutes=90)), ("1d12h", timedelta(days=1, hours=12)), (" 2D ", timedelta(days=2)),
])
def test_a_clock_offset_is_a_span_with_units(text, offset):
    assert parse_offset(text) == offset


@pytest.mark.parametrize("text", ["", "7", "7w", "d", "+-7d", "7d 2h", "1.5d", "7dd"])
def test_anything_else_is_no_clock_offset(text):
    with pytest.raises(ValueError, match="a span such as 7d"):
        parse_offset(text)


def test_an_offset_reads_as_people_write_it():
    assert [describe(parse_offset(t)) for t in ("7d", "-1d12h", "90m")] == ["+7d", "-1d12h", "+1h30m"]


def test_the_embedded_mode_takes_a_clock_offset(tmp_path):
    settings = load_settings("pledge", {"PACESETTER_VAR_DIR": str(tmp_path), "CLOCK_OFFSET": "7d"})
    assert settings.clock_offset == timedelta(days=7)
    assert load_settings("pledge", {"PACESETTER_VAR_DIR": str(tmp_path)}).clock_offset is None


@pytest.mark.parametrize("where", [DEPLOYED, {"DATABASE_URL": DEPLOYED["DATABASE_URL"]},
                                   {"BROKER_URL": DEPLOYED["BROKER_URL"]}])
def test_a_deployed_service_refuses_a_clock_offset(tmp_path, where):
    with pytest.raises(ConfigurationError, match="CLOCK_OFFSET='7d' refused: a shifted clock is for training"):
        load_settings("pledge", {"PACESETTER_VAR_DIR": str(tmp_path), "CLOCK_OFFSET": "7d", **where})


def test_a_bad_clock_offset_stops_the_embedded_mode_with_its_name(tmp_path):
    with pytest.raises(ConfigurationError, match="CLOCK_OFFSET='soon': expected a span such as 7d"):
        load_settings("pledge", {"PACESETTER_VAR_DIR": str(tmp_path), "CLOCK_OFFSET": "soon"})


@pytest.mark.parametrize("command", [
    # the worker as docker compose starts it, and the web app as gunicorn builds it
    ["-m", "pledge_service.worker"],
    ["-c", "from pledge_service.app import create_app; create_app()"],
])
def test_a_deployed_process_does_not_start_on_a_shifted_clock(tmp_path, command):
    env = {k: v for k, v in os.environ.items() if not k.endswith(("DATABASE_URL", "BROKER_URL"))}
    env |= {"PACESETTER_VAR_DIR": str(tmp_path), "LOG_JSON": "false", "PLEDGE_CLOCK_OFFSET": "7d", **DEPLOYED}
    started = subprocess.run([sys.executable, *command], env=env, capture_output=True, text=True, timeout=60)
    assert started.returncode != 0
    assert "CLOCK_OFFSET='7d' refused" in started.stderr and "Unset CLOCK_OFFSET to start" in started.stderr
