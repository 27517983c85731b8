"""``pacesetter-dlq`` refuses to guess a broker: without BROKER_URL it says so and makes nothing where it runs."""
from __future__ import annotations

import pytest

from pacesetter_shared.messaging.dead_letters import main


def test_without_a_broker_the_command_refuses_with_the_reason_and_leaves_no_files(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SystemExit) as refused:
        main(["list", "notification"], environ={"EVENTS_EXCHANGE": "pacesetter"})
    assert refused.value.code == 2
    assert "set BROKER_URL (or NOTIFICATION_BROKER_URL)" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []  # no ./var, no SQLite broker, no keys


def test_a_broker_named_for_the_service_alone_is_enough_to_go_on(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    # the embedded transport: an unknown queue is simply empty, and nothing is left where the command ran
    broker = f"sqlalchemy+sqlite:///{tmp_path / 'broker' / 'broker.sqlite'}"
    (tmp_path / "broker").mkdir()
    main(["list", "pledge"], environ={"PLEDGE_BROKER_URL": broker})
    assert capsys.readouterr().err == "0 dead letters in pacesetter.pledge.dead\n"
    assert [p.name for p in tmp_path.iterdir()] == ["broker"]
