import pytest

from pacesetter_shared.config import ConfigurationError, load_settings


def settings(tmp_path, **values):
    return load_settings("pledge", {"PACESETTER_VAR_DIR": str(tmp_path), **values})


def test_embedded_defaults_live_in_the_var_dir(tmp_path):
    s = settings(tmp_path)
    assert s.database_url == f"sqlite:///{tmp_path}/pledge.sqlite"
    assert s.broker_url.startswith("sqlalchemy+sqlite:///") and s.is_embedded_broker
    assert (tmp_path / "keys" / "identity-ed25519.pub").exists()
    assert s.identity_private_key is None  # only the gateway holds the signing key


def test_a_prefixed_variable_wins_over_the_plain_one(tmp_path):
    s = settings(tmp_path, DATABASE_URL="postgresql://x/plain", PLEDGE_DATABASE_URL="postgresql://x/pledge")
    assert s.database_url == "postgresql://x/pledge"


@pytest.mark.parametrize("values, named", [
    ({"DATABASE_URL": "mysql://x/y"}, "DATABASE_URL"),
    ({"BROKER_URL": "redis://x"}, "BROKER_URL"),
    ({"CONSUMER_PREFETCH": "many"}, "CONSUMER_PREFETCH"),
    ({"CONSUMER_PREFETCH": "0"}, "CONSUMER_PREFETCH"),
    ({"CONSUMER_BATCH": "0"}, "CONSUMER_BATCH"),
    ({"CONSUMER_BATCH": "201"}, "CONSUMER_BATCH"),  # more than the 200 prefetched: never full
    ({"CONSUMER_LINGER_SECONDS": "-1"}, "CONSUMER_LINGER_SECONDS"),
    ({"LOG_JSON": "perhaps"}, "LOG_JSON"),
    ({"LOG_LEVEL": "LOUD"}, "LOG_LEVEL"),
    ({"ANONYMITY_MIN_GROUP": "2"}, "ANONYMITY_MIN_GROUP"),
    ({"PLEDGE_URL": "ftp://x"}, "PLEDGE_URL"),
])
def test_a_bad_value_stops_the_start_with_a_message_naming_it(tmp_path, values, named):
    with pytest.raises(ConfigurationError) as caught:
        settings(tmp_path, **values)
    assert named in str(caught.value)


def test_the_gateway_needs_its_private_key_when_keys_are_configured(tmp_path):
    from pacesetter_shared.identity import generate_keypair
    public, _private = generate_keypair()
    with pytest.raises(ConfigurationError, match="IDENTITY_PRIVATE_KEY"):
        load_settings("gateway", {"PACESETTER_VAR_DIR": str(tmp_path), "IDENTITY_PUBLIC_KEY": public})
