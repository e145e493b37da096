"""``/api/health``: liveness always, readiness only with the database reachable and its schema current."""

from __future__ import annotations

from fastapi.testclient import TestClient

from duban.ledger.store.db import connect, migrate
from duban.ops.schema import head_revision
from duban.settings import Settings
from duban.web.app import create_app

HEAD = head_revision()  # the schema this release brings a database to


def test_live_and_ready_without_login(database_url: str) -> None:
    database = connect(database_url)
    try:
        with TestClient(create_app(Settings(database_url=database_url), database)) as client:
            live = client.get("/api/health")
            assert live.status_code == 200 and live.json()["status"] == "ok"
            for path in ("/api/health/ready", "/api/health?ready=1"):
                ready = client.get(path)
                assert ready.status_code == 200, ready.text
                assert ready.json()["schema"] == ready.json()["expected_schema"] == HEAD
            migrate(database, "0004", downgrade=True)  # an installation not yet upgraded
            stale = client.get("/api/health/ready")
            assert stale.status_code == 503
            assert "duban upgrade" in stale.json()["detail"] and "0004" in stale.json()["detail"]
            assert client.get("/api/health").status_code == 200  # alive all the same: no restart loop
    finally:
        database.dispose()


def test_not_ready_when_the_database_is_down() -> None:
    url = "postgresql://nobody@127.0.0.1:1/duban"  # nothing listens on port 1
    database = connect(url, upgrade=False)
    try:
        with TestClient(create_app(Settings(database_url=url), database)) as client:
            assert client.get("/api/health").status_code == 200
            down = client.get("/api/health?ready=1")
            assert down.status_code == 503
            assert down.json()["detail"].startswith("无法连接数据库")
    finally:
        database.dispose()
