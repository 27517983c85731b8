from datetime import timedelta

import pytest

from notification_service.config import load_config
from pacesetter_shared.config import ConfigurationError, load_settings


def _settings(tmp_path, **values):
    return load_settings("notification", {"PACESETTER_VAR_DIR": str(tmp_path), **values})


def test_the_bad_rating_alert_rule_comes_from_configuration(tmp_path):
    config = load_config(_settings(tmp_path, ALERT_THRESHOLD="5", NOTIFICATION_ALERT_SPAN_MINUTES="30"))
    assert (config.alert.threshold, config.alert.span) == (5, timedelta(minutes=30))
    assert load_config(_settings(tmp_path)).alert.threshold == 3


@pytest.mark.parametrize("values", [{"ALERT_THRESHOLD": "0"}, {"SMTP_SECURITY": "tls9"}, {"SMTP_PORT": "x"}])
def test_bad_notification_settings_stop_the_start(tmp_path, values):
    with pytest.raises(ConfigurationError):
        load_config(_settings(tmp_path, **values))
