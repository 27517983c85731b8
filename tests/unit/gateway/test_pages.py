"""The built pages: the portal answers every address that is not an API's; a missing build says so."""
from __future__ import annotations

import logging

from flask import Flask

from gateway.api import pages
from pacesetter_shared.web.errors import register_error_handlers


def _client(*roots):
    app = Flask(__name__)
    register_error_handlers(app)
    pages.install(app, roots=roots)
    return app.test_client()


def _build(root):
    (root / "assets").mkdir(parents=True)
    (root / "index.html").write_text("<!doctype html><title>portal</title>")
    (root / "kiosk.html").write_text("<!doctype html><title>kiosk</title>")
    (root / "assets" / "index-abc123.js").write_text("/* app */")
    return root


def test_every_portal_address_is_the_single_page_application(tmp_path):
    client = _client(_build(tmp_path / "dist"))
    for path in ("/", "/home", "/pledges/3f2a", "/feedback/9c1d", "/grading/cycles?year=2026"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert "<title>portal</title>" in response.get_data(as_text=True)
        assert response.headers["Cache-Control"] == "no-cache"


def test_hashed_assets_are_cached_for_a_year_and_pages_are_asked_again(tmp_path):
    client = _client(_build(tmp_path / "dist"))
    asset = client.get("/assets/index-abc123.js")
    assert asset.status_code == 200 and "max-age=31536000" in asset.headers["Cache-Control"]
    assert "<title>kiosk</title>" in client.get("/kiosk").get_data(as_text=True)


def test_an_asset_goes_gzipped_to_a_browser_that_takes_gzip_and_plain_to_one_that_does_not(tmp_path):
    import gzip

    root = _build(tmp_path / "dist")
    (root / "assets" / "index-abc123.js.gz").write_bytes(gzip.compress(b"/* app */"))
    client = _client(root)
    zipped = client.get("/assets/index-abc123.js", headers={"Accept-Encoding": "gzip, deflate, br"})
    assert zipped.headers["Content-Encoding"] == "gzip"
    assert zipped.mimetype == "text/javascript"
    assert gzip.decompress(zipped.get_data()) == b"/* app */"
    assert zipped.headers["Vary"] == "Accept-Encoding"
    plain = client.get("/assets/index-abc123.js")
    assert "Content-Encoding" not in plain.headers and plain.get_data() == b"/* app */"


def test_an_unknown_api_or_asset_address_is_a_404_in_the_one_error_shape(tmp_path):
    client = _client(_build(tmp_path / "dist"))
    for path in ("/api/nothing-here", "/assets/gone.js", "/device/gone.js"):
        response = client.get(path)
        assert response.status_code == 404, path
        assert response.get_json()["error"]["code"] == "not_found"


def test_the_packaged_build_wins_over_the_checkout(tmp_path):
    packaged = _build(tmp_path / "packaged")
    (packaged / "index.html").write_text("<!doctype html><title>packaged</title>")
    client = _client(packaged, _build(tmp_path / "checkout"))
    assert "packaged" in client.get("/").get_data(as_text=True)


def test_a_missing_build_is_a_clear_503_and_a_log_line(tmp_path, caplog):
    with caplog.at_level(logging.ERROR, logger="gateway.pages"):
        response = _client(tmp_path / "nowhere").get("/")
    assert response.status_code == 503
    assert "make setup" in response.get_json()["error"]["message"]
    assert "make setup" in caplog.text


def test_the_checkout_build_is_found():
    """make setup builds portal/dist, which a source checkout's gateway serves."""
    assert pages.locate() is not None
