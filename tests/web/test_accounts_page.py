"""The 账号 page's API: accounts an office opens in the browser get a random initial password answered once
and must change it at the first login; one account per unit in one step; a reset forces a change again;
accounts made on the command line (and the demo's) never do. SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from tests.web.conftest import PASSWORD, World, bearer


def _unit_id(world: World, name: str) -> int:
    units = world.client.get("/api/units?size=1000", headers=bearer(world, "admin")).json()["items"]
    return int(next(u["id"] for u in units if u["name"] == name))


def _cookie_login(client: TestClient, username: str, password: str) -> dict[str, Any]:
    answer = client.post("/api/session", json={"username": username, "password": password})
    assert answer.status_code == 200, answer.text
    return dict(answer.json())


def _logged(world: World) -> list[dict[str, Any]]:
    return list(world.client.get("/api/changes?size=500", headers=bearer(world, "admin")).json()["items"])


def test_command_line_accounts_are_not_asked_to_change(world: World) -> None:
    for role in ("admin", "leader", "unit"):
        assert (
            world.client.get("/api/session", headers=bearer(world, role)).json()["must_change_password"]
            is False
        )
    users = world.client.get("/api/users", headers=bearer(world, "admin")).json()["items"]
    assert not any(u["must_change_password"] for u in users)


def test_office_opens_a_unit_account_which_must_change_its_password(world: World) -> None:
    client, admin = world.client, bearer(world, "admin")
    body = {"username": "caizheng", "role": "unit", "unit_id": _unit_id(world, "县财政局")}
    assert client.post("/api/users", json=body, headers=bearer(world, "unit")).status_code == 403
    made = client.post("/api/users", json=body, headers=admin)
    assert made.status_code == 201, made.text
    account = made.json()
    initial = account["initial_password"]
    assert account["must_change_password"] is True and account["unit"] == body["unit_id"]
    assert len(initial) >= 12 and not set(initial) & set("0o1li")
    assert client.post("/api/users", json=body, headers=admin).status_code == 409
    assert "create" in {c["action"] for c in _logged(world)}

    me = _cookie_login(client, "caizheng", initial)
    assert me["must_change_password"] is True and me["role"] == "unit"
    csrf = {"X-CSRF-Token": me["csrf_token"]}
    wrong = client.put(
        "/api/session/password", json={"old_password": "nope", "new_password": "mine-now-123"}, headers=csrf
    )
    assert wrong.status_code == 422
    changed = client.put(
        "/api/session/password", json={"old_password": initial, "new_password": "mine-now-123"}, headers=csrf
    )
    assert changed.status_code == 204
    again = client.get("/api/session")  # the browser keeps working, on a fresh session
    assert again.status_code == 200 and again.json()["must_change_password"] is False
    assert again.json()["csrf_token"] != me["csrf_token"]
    assert client.get("/api/my", headers={}).status_code == 200
    client.cookies.clear()
    assert client.post("/api/session", json={"username": "caizheng", "password": initial}).status_code == 401
    assert _cookie_login(client, "caizheng", "mine-now-123")["must_change_password"] is False


def test_leader_and_office_accounts_and_bad_input(world: World) -> None:
    client, admin = world.client, bearer(world, "admin")
    for username, role in (("lingdao2", "leader"), ("office2", "admin")):
        made = client.post("/api/users", json={"username": username, "role": role}, headers=admin)
        assert made.status_code == 201 and made.json()["role"] == role and made.json()["unit"] is None
    refused = [
        client.post("/api/users", json={"username": "x1", "role": "unit"}, headers=admin),
        client.post("/api/users", json={"username": "x2", "role": "boss"}, headers=admin),
        client.post(
            "/api/users",
            json={"username": "x3", "role": "leader", "unit_id": _unit_id(world, "县财政局")},
            headers=admin,
        ),
        client.post("/api/users", json={"username": "x4", "role": "unit", "unit_id": 999999}, headers=admin),
        client.post("/api/users", json={"username": " ", "role": "leader"}, headers=admin),
    ]
    assert [r.status_code for r in refused][:3] == [422, 422, 422]
    assert refused[3].status_code == 404 and refused[4].status_code == 422
    for answer in refused:
        assert "Traceback" not in answer.text and "initial_password" not in answer.text
    listed = {u["username"] for u in client.get("/api/users", headers=admin).json()["items"]}
    assert {"lingdao2", "office2"} <= listed and not listed & {"x1", "x2", "x3", "x4"}


def test_one_account_per_unit_in_one_step(world: World) -> None:
    client, admin = world.client, bearer(world, "admin")
    assert (
        client.post("/api/users/unit-accounts", json={}, headers=bearer(world, "leader")).status_code == 403
    )
    taken = client.post("/api/users", json={"username": "县财政局", "role": "leader"}, headers=admin)
    assert taken.status_code == 201  # a user name the unit's account would have had
    opened = client.post("/api/users/unit-accounts", json={}, headers=admin)
    assert opened.status_code == 201, opened.text
    items = opened.json()["items"]
    names = {i["unit_name"] for i in items}
    assert "县财政局" in names and "县发展和改革局" not in names  # that unit had an account already
    assert not any(n.startswith("各") or n.startswith("相关") for n in names)  # groups get none
    finance = next(i for i in items if i["unit_name"] == "县财政局")
    assert finance["username"] != "县财政局" and finance["username"].endswith("县财政局")
    others = [i for i in items if i is not finance]
    assert all(i["username"] == i["unit_name"] for i in others) and all(
        i["must_change_password"] for i in items
    )
    assert _cookie_login(client, finance["username"], finance["initial_password"])["unit"] == finance["unit"]
    client.cookies.clear()
    assert len({i["initial_password"] for i in items}) == len(items)
    assert client.post("/api/users/unit-accounts", json={}, headers=admin).json()["items"] == []
    first = items[0]
    assert _cookie_login(client, first["username"], first["initial_password"])["unit"] == first["unit"]
    created = [c for c in _logged(world) if c["action"] == "create" and c["object"].startswith("user")]
    assert len(created) >= len(items)


def test_reset_gives_a_new_initial_password_once(world: World) -> None:
    client, admin = world.client, bearer(world, "admin")
    users = client.get("/api/users", headers=admin).json()["items"]
    unit = next(u for u in users if u["username"] == "unit")
    reset = client.put(f"/api/users/{unit['id']}/password", json={}, headers=admin)
    assert reset.status_code == 200, reset.text
    initial = reset.json()["initial_password"]
    assert reset.json()["must_change_password"] is True
    assert client.get("/api/plans", headers=bearer(world, "unit")).status_code == 401  # its tokens end
    assert client.post("/api/session", json={"username": "unit", "password": PASSWORD}).status_code == 401
    assert _cookie_login(client, "unit", initial)["must_change_password"] is True
    listed = client.get("/api/users", headers=admin).json()["items"]
    assert next(u for u in listed if u["username"] == "unit")["must_change_password"] is True
    assert (
        client.put(f"/api/users/{unit['id']}/password", json={}, headers=bearer(world, "leader")).status_code
        == 403
    )


def test_wrong_old_passwords_are_throttled_like_logins(world: World) -> None:
    """The fixture allows 3 failures: the fourth guess of the old password is refused unchecked."""
    client, leader = world.client, bearer(world, "leader")
    guess = {"old_password": "wrong-guess", "new_password": "mine-now-123"}
    answers = [client.put("/api/session/password", json=guess, headers=leader) for _ in range(4)]
    assert [a.status_code for a in answers] == [422, 422, 422, 429]
    assert answers[-1].json()["detail"] == "原密码错误次数过多，请稍后再试"
    right = {"old_password": PASSWORD, "new_password": "mine-now-123"}
    assert client.put("/api/session/password", json=right, headers=leader).status_code == 429
