"""evaluation-service's app starts on SQLite, answers health, and guards its API."""
import pytest

from evaluation_service.app import create_app, migrate
from pacesetter_shared.config import load_settings
from pacesetter_shared.identity import IDENTITY_HEADER, Identity, sign_identity

SCALE = "/api/evaluations/scale"


@pytest.fixture
def client(tmp_path):
    settings = load_settings("evaluation", environ={"PACESETTER_VAR_DIR": str(tmp_path)})
    migrate(settings)
    return create_app(settings).test_client()


def test_healthz(client):
    assert client.get("/healthz").status_code == 200


def test_the_scale_needs_the_gateways_identity(client):
    response = client.get(SCALE)
    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == "unauthorized"


def test_the_scale_comes_from_the_domain(client, tmp_path):
    gateway = load_settings("gateway", environ={"PACESETTER_VAR_DIR": str(tmp_path)})
    token = sign_identity(Identity(subject="7f3c1a52-6d1e-4c1b-9a0e-2b8d4f6a1c3e", kind="person"),
                          gateway.identity_private_key)
    body = client.get(SCALE, headers={IDENTITY_HEADER: token}).get_json()
    assert [(s["rating"], s["zh"], s["points"]) for s in body["scale"]] == [
        ("excellent", "优秀", 95), ("good", "良好", 85), ("fair", "一般", 70), ("poor", "较差", 50)]
    assert body["min_group"] == 3
    window = next(k for k in body["target_kinds"] if k["target_kind"] == "window")
    assert window["zh"] == "服务窗口"
    assert {w["party"]: w["weight"] for w in window["weights"]} == {"peer": 20, "masses": 60, "leader": 20}


def test_openapi_lists_the_scale(client):
    assert SCALE in client.get("/openapi.json").get_json()["paths"]


@pytest.mark.parametrize("refresh, every", [(None, 30), ("15", 15), ("0", None)])
def test_the_worker_runs_the_short_jobs_and_the_figures_keeper_the_figures_alone(tmp_path, refresh, every):
    from evaluation_service.worker import build_figures_keeper, build_worker, scheduled_jobs

    environ = {"PACESETTER_VAR_DIR": str(tmp_path)} | ({"DISCLOSURE_REFRESH_SECONDS": refresh} if refresh else {})
    settings = load_settings("evaluation", environ=environ)
    worker, keeper = build_worker(settings), build_figures_keeper(settings)
    try:
        assert [job.name for job in worker.scheduler.jobs] == [
            "evaluation.close_due_rounds", "evaluation.escalate_overdue_cases", "evaluation.window_satisfaction",
            "evaluation.star_grades"]
        assert "pledge.fulfilled" in worker.consumer.handlers and worker.relay is not None
        # the keeper: the figures' job only (none with 0: every read refreshes its year itself), no relay, no queue
        assert {job.name: job.every_seconds for job in (keeper.scheduler.jobs if keeper.scheduler else [])} == (
            {"evaluation.refresh_figures": every} if every else {})
        assert keeper.relay is None and keeper.consumer is None and keeper.publisher is None
        # ops' "run now" (the web process) still finds every job
        names = [job.name for job in scheduled_jobs(settings)(None)]
        assert names == [job.name for job in worker.scheduler.jobs] + (["evaluation.refresh_figures"] if every else [])
    finally:
        worker.publisher.close()
        worker.engine.dispose()
        keeper.engine.dispose()


def test_openapi_lists_rounds_ratings_and_feedback(client):
    paths = client.get("/openapi.json").get_json()["paths"]
    for path in ("/api/evaluations/rounds", "/api/evaluations/rounds/{round_id}/ratings", "/api/ratings",
                 "/api/ratings/batch", "/api/ratings/summary", "/api/ratings/ranking", "/api/ratings/rhythm",
                 "/api/ratings/stars", "/api/ratings/stars/history", "/api/ratings/appeals",
                 "/api/feedback/cases", "/api/feedback/suggestions", "/api/feedback/appeals/{appeal_id}/decide"):
        assert path in paths, path


def test_openapi_says_whether_the_figures_of_each_answer_are_ready(client):
    schemas = client.get("/openapi.json").get_json()["components"]["schemas"]
    for name in ("SummaryPage", "WindowSatisfactionPage", "RankingPage", "RhythmOut", "StarPage"):
        fields = schemas[name]["properties"]
        assert fields["figures"]["enum"] == ["ready", "preparing"], name
        assert "as_of" in fields, name
