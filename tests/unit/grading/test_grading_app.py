"""grading-service's app starts on SQLite, answers health, and guards its API."""
import pytest

from grading_service.app import create_app, migrate
from pacesetter_shared.config import load_settings
from pacesetter_shared.identity import IDENTITY_HEADER, Identity, sign_identity

INDICATORS = "/api/grading/indicators"


@pytest.fixture
def client(tmp_path):
    settings = load_settings("grading", environ={"PACESETTER_VAR_DIR": str(tmp_path)})
    migrate(settings)
    return create_app(settings).test_client()


def test_healthz(client):
    assert client.get("/healthz").status_code == 200


def test_the_indicators_need_the_gateways_identity(client):
    response = client.get(INDICATORS)
    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == "unauthorized"


def test_the_indicators_come_from_the_domain(client, tmp_path):
    gateway = load_settings("gateway", environ={"PACESETTER_VAR_DIR": str(tmp_path)})
    token = sign_identity(Identity(subject="7f3c1a52-6d1e-4c1b-9a0e-2b8d4f6a1c3e", kind="person"),
                          gateway.identity_private_key)
    body = client.get(INDICATORS, headers={IDENTITY_HEADER: token}).get_json()
    assert [(i["code"], i["zh"]) for i in body["indicators"]] == [
        ("leader", "党组织带头人"), ("work_plan", "工作思路"), ("rules", "工作制度"), ("venue", "活动阵地"),
        ("support", "保障机制"), ("performance", "工作业绩"), ("masses", "群众评价")]
    assert sum(i["default_weight"] for i in body["indicators"]) == 100
    assert all(i["en"] for i in body["indicators"])
    assert [p["code"] for p in body["parts"]] == ["self", "members_and_masses", "superior"]


def test_openapi_lists_the_indicators(client):
    assert INDICATORS in client.get("/openapi.json").get_json()["paths"]
