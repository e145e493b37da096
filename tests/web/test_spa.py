"""The single-page app is served from the package: hashed assets cached for good, every other non-API
address answered with ``index.html`` (history mode), and a Chinese hint when the app is not built."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.testclient import TestClient

from duban.web import spa
from tests.web.conftest import World


def _client(app_dir: Path) -> TestClient:
    app = FastAPI()

    @app.get("/api/ping")
    def ping() -> dict[str, bool]:
        return {"ok": True}

    spa.mount(app, app_dir)
    return TestClient(app)


def test_history_fallback_and_cache_headers(tmp_path: Path) -> None:
    (tmp_path / "assets").mkdir()
    (tmp_path / "index.html").write_text("<div id=app></div>", encoding="utf-8")
    (tmp_path / "assets" / "index-abc123.js").write_text("console.log(1)", encoding="utf-8")
    (tmp_path / "favicon.svg").write_text("<svg/>", encoding="utf-8")
    client = _client(tmp_path)
    for address in ("/", "/ledger", "/tasks/12?plan=1", "/review/"):
        page = client.get(address)
        assert page.status_code == 200 and "id=app" in page.text, address
        assert page.headers["cache-control"] == "no-cache"
    asset = client.get("/assets/index-abc123.js")
    assert asset.status_code == 200 and "immutable" in asset.headers["cache-control"]
    assert client.get("/assets/missing.js").status_code == 404
    assert client.get("/favicon.svg").text == "<svg/>"
    assert client.get("/api/ping").json() == {"ok": True}
    assert client.get("/api/nothing-here").status_code == 404
    assert client.get("/assets/../index.html").status_code in (200, 404)
    assert "id=app" not in client.get("/assets/%2e%2e/%2e%2e/etc/passwd").text


def test_unbuilt_app_says_how_to_build(tmp_path: Path) -> None:
    page = _client(tmp_path / "none").get("/overview")
    assert page.status_code == 503 and "make setup" in page.text and "尚未构建" in page.text


def test_api_routes_win_over_the_fallback(world: World) -> None:
    assert world.client.get("/api/plans").status_code == 401
    missing = world.client.get("/api/no-such-thing")
    assert missing.status_code == 404 and missing.headers["content-type"].startswith("application/json")
