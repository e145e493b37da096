"""JSON logs with a request id carried through the request (worker threads included), the X-Request-ID
header, and Prometheus metrics served only to the addresses the settings name."""

from __future__ import annotations

import json
import logging
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from duban.ledger.store.db import connect
from duban.settings import Settings
from duban.web.app import create_app
from tests.web.server import running_server

LOGGERS = ("duban", "uvicorn", "uvicorn.error")


@pytest.fixture
def clean_logging() -> Iterator[None]:
    """JSON logging reconfigures process-wide loggers: put them back for the tests after this one."""
    saved = {n: (logging.getLogger(n).handlers[:], logging.getLogger(n).propagate) for n in LOGGERS}
    level = logging.getLogger("duban").level
    yield
    for name, (handlers, propagate) in saved.items():
        logging.getLogger(name).handlers = handlers
        logging.getLogger(name).propagate = propagate
    logging.getLogger("duban").setLevel(level)


def test_json_logs_carry_the_request_id(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], clean_logging: None
) -> None:
    url = f"sqlite:///{tmp_path / 'duban.db'}"
    database = connect(url)
    app = create_app(Settings(database_url=url, log_format="json"), database)

    def boom() -> None:  # a sync handler: runs in a worker thread
        logging.getLogger("duban.test").warning("处理中")
        raise RuntimeError("意外")

    app.add_api_route("/api/boom", boom, methods=["POST"])
    try:
        with TestClient(app, raise_server_exceptions=False) as client:
            given = client.get("/api/health", headers={"X-Request-ID": "nginx-abc123"})
            assert given.headers["X-Request-ID"] == "nginx-abc123"
            fresh = client.get("/api/health", headers={"X-Request-ID": "bad id\nwith newline"})
            assert len(fresh.headers["X-Request-ID"]) == 32
            failed = client.post("/api/boom", headers={"X-Request-ID": "req-boom"})
            assert failed.status_code == 500
    finally:
        database.dispose()
    records = [json.loads(line) for line in capsys.readouterr().err.splitlines() if line.startswith("{")]
    access = [r for r in records if r["logger"] == "duban.access"]
    assert {"request_id": "nginx-abc123", "status": 200, "route": "/api/health"}.items() <= access[0].items()
    assert access[1]["request_id"] == fresh.headers["X-Request-ID"]
    boom_records = [r for r in records if r.get("request_id") == "req-boom"]
    assert {r["logger"] for r in boom_records} >= {"duban.test", "duban.web", "duban.access"}
    assert any("RuntimeError: 意外" in r.get("exception", "") for r in boom_records)
    assert [r for r in records if r["logger"] == "duban.access"][-1]["status"] == 500


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as answer:
            return answer.status, answer.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()


def test_metrics_off_by_default(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'duban.db'}"
    with running_server(url) as base:
        status, body = _get(base + "/metrics")
        assert status == 404 and "DUBAN_METRICS_ALLOW" in body


def test_metrics_only_for_named_addresses(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    url = f"sqlite:///{tmp_path / 'duban.db'}"
    monkeypatch.setenv("DUBAN_METRICS_ALLOW", "127.0.0.0/8")
    monkeypatch.setenv("DUBAN_LOG_FORMAT", "json")
    log = tmp_path / "server.log"
    monkeypatch.setenv("DUBAN_TEST_SERVER_LOG", str(log))
    with running_server(url) as base:
        assert _get(base + "/api/health")[0] == 200
        assert _get(base + "/api/tasks")[0] == 401
        status, body = _get(base + "/metrics")
        assert status == 200
        assert 'duban_http_requests_total{method="GET",route="/api/health",status="200"} 1.0' in body
        assert 'duban_http_requests_total{method="GET",route="/api/tasks",status="401"} 1.0' in body
        assert "duban_http_request_duration_seconds_bucket" in body
        assert "duban_imports_total" in body and "duban_documents_built_total" in body
    lines = [line for line in log.read_text().splitlines() if line.strip()]
    records = [json.loads(line) for line in lines]  # every line the server wrote is one JSON object
    assert any(
        r["logger"] == "duban.access" and r["path"] == "/api/tasks" and r["status"] == 401 for r in records
    )
    monkeypatch.setenv("DUBAN_METRICS_ALLOW", "10.9.9.9")
    with running_server(url) as base:
        status, body = _get(base + "/metrics")
        assert status == 403 and "无权" in body
