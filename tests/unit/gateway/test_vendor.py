"""The portal's libraries: served from the image's copy or the checkout's node_modules, else a clear 404."""
from __future__ import annotations

import logging

from flask import Flask

from gateway import vendor
from pacesetter_shared.web.errors import register_error_handlers


def _client(tmp_path):
    app = Flask(__name__)
    register_error_handlers(app)
    vendor.install(app, roots=(tmp_path / "packaged", tmp_path / "node_modules"))
    return app.test_client()


def test_serves_echarts_from_node_modules(tmp_path):
    target = tmp_path / "node_modules" / "echarts" / "dist" / "echarts.min.js"
    target.parent.mkdir(parents=True)
    target.write_text("/* echarts */")
    response = _client(tmp_path).get("/portal/vendor/echarts.min.js")
    assert response.status_code == 200
    assert response.mimetype == "text/javascript"
    assert response.get_data(as_text=True) == "/* echarts */"


def test_the_packaged_copy_wins(tmp_path):
    (tmp_path / "packaged").mkdir()
    (tmp_path / "packaged" / "echarts.min.js").write_text("/* packaged */")
    assert _client(tmp_path).get("/portal/vendor/echarts.min.js").get_data(as_text=True) == "/* packaged */"


def test_not_installed_is_a_404_in_the_error_shape_and_says_run_make_setup(tmp_path, caplog):
    with caplog.at_level(logging.ERROR, logger="gateway.vendor"):
        response = _client(tmp_path).get("/portal/vendor/echarts.min.js")
    assert response.status_code == 404
    assert response.json["error"]["code"] == "not_found"
    assert "make setup" in response.json["error"]["message"]
    assert "make setup" in caplog.text


def test_only_listed_files_are_served(tmp_path):
    secret = tmp_path / "node_modules" / "other.js"
    secret.parent.mkdir(parents=True)
    secret.write_text("x")
    response = _client(tmp_path).get("/portal/vendor/other.js")
    assert response.status_code == 404 and response.json["error"]["code"] == "not_found"


def test_the_checkout_has_echarts_after_make_setup():
    # make setup ran npm ci (this suite is run through make test): the real path resolves.
    assert vendor.locate("echarts.min.js") is not None
