"""``pacesetter-dlq`` takes what the environment lacks from the suite's env file, and still refuses to guess a broker."""
from __future__ import annotations

import pytest

from pacesetter_shared.messaging.dead_letters import main


def test_the_environment_wins_over_the_file_and_a_file_without_a_broker_is_refused(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "suite.env").write_text("# a suite without a broker\nEVENTS_EXCHANGE=mine\n")
    with pytest.raises(SystemExit) as refused:
        main(["list", "pledge", "--env-file", "suite.env"], environ={})
    assert refused.value.code == 2 and "no broker given" in capsys.readouterr().err
    (tmp_path / "broker").mkdir()
    broker = f"sqlalchemy+sqlite:///{tmp_path / 'broker' / 'broker.sqlite'}"
    (tmp_path / "suite.env").write_text(f"BROKER_URL='{broker}'\nEVENTS_EXCHANGE=from-file\n")
    main(["list", "pledge", "--env-file", "suite.env"], environ={"EVENTS_EXCHANGE": "from-environment"})
    assert capsys.readouterr().err == "0 dead letters in from-environment.pledge.dead\n"


def test_in_the_checkout_the_local_suite_s_file_is_read_without_being_named(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "var" / "local").mkdir(parents=True)
    broker = f"sqlalchemy+sqlite:///{tmp_path / 'var' / 'local' / 'broker.sqlite'}"
    (tmp_path / "var" / "local" / "local.env").write_text(f"BROKER_URL={broker}\nEVENTS_EXCHANGE=local\n")
    main(["list", "grading"], environ={})
    assert capsys.readouterr().err == "0 dead letters in local.grading.dead\n"


def test_the_local_suite_s_file_is_found_in_the_var_dir_it_was_given(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    var = tmp_path / "elsewhere"
    var.mkdir()
    (var / "local.env").write_text(f"BROKER_URL=sqlalchemy+sqlite:///{var / 'broker.sqlite'}\nEVENTS_EXCHANGE=there\n")
    main(["list", "grading"], environ={"PACESETTER_VAR_DIR": str(var)})
    assert capsys.readouterr().err == "0 dead letters in there.grading.dead\n"


def test_a_named_file_that_cannot_be_read_is_said_so(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SystemExit) as refused:
        main(["list", "pledge", "--env-file", "missing.env"], environ={})
    assert refused.value.code == 2
    assert capsys.readouterr().err == "pacesetter-dlq: cannot read missing.env: No such file or directory\n"
