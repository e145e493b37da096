"""The 账号 page's sessions: an office lists an account's browser sessions (created, last seen, browser,
address) and ends one; the ended cookie is refused at once; each end is logged. SQLite and PostgreSQL."""

from __future__ import annotations

from fastapi.testclient import TestClient

from duban.ledger.rules.agents import browser_name
from tests.web.conftest import PASSWORD, World, bearer

EDGE = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Edg/120.0"
)


def _login(client: TestClient, username: str) -> dict[str, str]:
    answer = client.post(
        "/api/session", json={"username": username, "password": PASSWORD}, headers={"User-Agent": EDGE}
    )
    assert answer.status_code == 200, answer.text
    return {"X-CSRF-Token": answer.json()["csrf_token"]}


def test_office_lists_and_ends_a_unit_session(world: World) -> None:
    client, admin = world.client, bearer(world, "admin")
    _login(client, "unit")
    assert client.get("/api/my").status_code == 200  # the unit's browser works
    users = client.get("/api/users", headers=admin).json()["items"]
    unit_id = next(u["id"] for u in users if u["username"] == "unit")
    listed = client.get(f"/api/users/{unit_id}/sessions", headers=admin)
    assert listed.status_code == 200, listed.text
    [shown] = listed.json()["items"]
    assert shown["browser"] == "Edge 120 · Windows" and shown["address"] == "testclient"
    assert shown["created_at"].startswith("20") and shown["last_seen_at"] is not None
    assert "token" not in str(shown).lower() and "csrf" not in str(shown).lower()

    other_units = client.get(f"/api/users/{unit_id}/sessions", headers=bearer(world, "leader"))
    assert other_units.status_code == 404  # a leader sees only its own sessions
    assert client.delete(f"/api/sessions/{shown['id']}", headers=bearer(world, "unit")).status_code == 204
    # …its own: the unit's token may end its own session; here the office ends it again: already gone
    assert client.delete(f"/api/sessions/{shown['id']}", headers=admin).status_code == 404
    assert client.get("/api/my").status_code == 401  # refused at once

    _login(client, "unit")
    [again] = client.get(f"/api/users/{unit_id}/sessions", headers=admin).json()["items"]
    assert client.delete(f"/api/sessions/{again['id']}", headers=bearer(world, "leader")).status_code == 404
    assert client.get("/api/my").status_code == 200
    assert client.delete(f"/api/sessions/{again['id']}", headers=admin).status_code == 204
    assert client.get("/api/my").status_code == 401
    assert client.get(f"/api/users/{unit_id}/sessions", headers=admin).json()["items"] == []
    logged = client.get("/api/changes?size=500", headers=admin).json()["items"]
    ends = [c for c in logged if c["object"].startswith("session") and c["action"] == "revoke"]
    assert len(ends) == 2 and {c["actor"] for c in ends} == {"unit", "admin"}


def test_tokens_are_listed_and_revoked_with_a_log_row(world: World) -> None:
    client, admin = world.client, bearer(world, "admin")
    tokens = client.get("/api/tokens?size=100", headers=admin).json()["items"]
    unit_token = next(t for t in tokens if t["username"] == "unit")
    assert client.delete(f"/api/tokens/{unit_token['id']}", headers=admin).status_code == 204
    assert client.get("/api/my", headers=bearer(world, "unit")).status_code == 401
    logged = client.get("/api/changes?size=500", headers=admin).json()["items"]
    assert any(c["object"].startswith("token") and c["action"] == "revoke" for c in logged)


def test_browser_names() -> None:
    assert browser_name(EDGE) == "Edge 120 · Windows"
    assert browser_name("Mozilla/5.0 (Linux; Android 13) Chrome/119.0 Mobile Safari/537.36") == (
        "Chrome 119 · Android"
    )
    assert browser_name(None) is None and browser_name("curl/8.0") == "curl/8.0"
