"""Cookie sessions: HttpOnly and SameSite, CSRF on writes, throttled logins, no tracebacks."""

from __future__ import annotations

from tests.web.conftest import PASSWORD, World


def test_cookie_login_requires_csrf_for_writes(world: World) -> None:
    client = world.client
    response = client.post("/api/session", json={"username": "admin", "password": PASSWORD})
    assert response.status_code == 200
    cookie = response.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=strict" in cookie
    csrf = response.json()["csrf_token"]
    me = client.get("/api/session").json()
    assert me["role"] == "admin"
    assert me["today"] == response.json()["today"] == "2021-07-15"  # the server's day, what 今天 means
    body = {"plan": world.plan_id, "name": "七月专项", "due": "2021-07-31"}
    assert client.post("/api/periods", json=body).status_code == 403
    assert client.post("/api/periods", json=body, headers={"X-CSRF-Token": "wrong"}).status_code == 403
    assert client.post("/api/periods", json=body, headers={"X-CSRF-Token": csrf}).status_code == 201
    assert client.delete("/api/session", headers={"X-CSRF-Token": csrf}).status_code == 204
    assert client.get("/api/session").status_code == 401


def test_repeated_failures_are_throttled(world: World) -> None:
    client = world.client
    for _ in range(3):
        assert client.post("/api/session", json={"username": "leader", "password": "nope"}).status_code == 401
    blocked = client.post("/api/session", json={"username": "leader", "password": PASSWORD})
    assert blocked.status_code == 429 and "过多" in blocked.json()["detail"]


def test_bad_token_and_bad_input(world: World) -> None:
    assert world.client.get("/api/plans", headers={"Authorization": "Bearer nope"}).status_code == 401
    headers = {"Authorization": f"Bearer {world.tokens['unit']}"}
    bad = world.client.post(
        f"/api/tasks/{world.own_task}/reports",
        json={"period": world.period_id, "progress": 150},
        headers=headers,
    )
    assert bad.status_code == 422
    assert "Traceback" not in bad.text


def test_openapi_is_served(world: World) -> None:
    spec = world.client.get("/api/openapi.json").json()
    assert "/api/tasks/{task_id}/reports" in spec["paths"] and "/api/status" in spec["paths"]
