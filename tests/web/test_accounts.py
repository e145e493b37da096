"""Accounts an office can manage (passwords, disabling, tokens), login throttling that holds under parallel
guesses, and rankings a unit may see."""

from __future__ import annotations

import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select

from duban.ledger.services import auth
from duban.ledger.store.db import connect
from duban.ledger.store.models import Change
from tests.ledger.conftest import NOW
from tests.web.conftest import PASSWORD, World, bearer
from tests.web.server import running_server

DUBAN = Path(sys.executable).with_name("duban")


def _login(client: httpx.Client | object, username: str, password: str) -> int:
    answer = client.post("/api/session", json={"username": username, "password": password})  # type: ignore[attr-defined]
    return int(answer.status_code)


def test_parallel_wrong_passwords_check_at_most_the_limit(world: World, database_url: str) -> None:
    with (
        running_server(database_url) as base,
        httpx.Client(base_url=base, timeout=60) as client,
        ThreadPoolExecutor(max_workers=20) as pool,
    ):
        statuses = list(pool.map(lambda _: _login(client, "leader", "wrong-guess"), range(200)))
    checked = statuses.count(401)
    assert 1 <= checked <= 5, statuses  # the server's default limit is 5 per user and address
    assert statuses.count(429) == 200 - checked


def test_a_stranger_elsewhere_cannot_lock_a_user_out(database_url: str) -> None:
    database = connect(database_url)
    throttle = auth.LoginThrottle(max_attempts=3, window_seconds=900)
    try:
        with database.writer() as session:
            for _ in range(10):
                throttle.admit(session, "leader", "10.0.0.66", NOW)
            assert not throttle.admit(session, "leader", "10.0.0.66", NOW)
            assert throttle.admit(session, "leader", "10.0.0.7", NOW)
            # after the window the guesser may try again: a delay, not a lock
            assert throttle.admit(session, "leader", "10.0.0.66", NOW + timedelta(seconds=901))
    finally:
        database.dispose()


def test_unknown_user_costs_one_hash_check_like_a_known_one(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[str] = []
    real = auth._hasher

    class Counting:
        def verify(self, hash_: str, password: str) -> bool:
            calls.append(hash_)
            return real.verify(hash_, password)

    monkeypatch.setattr(auth, "_hasher", Counting())
    assert _login(world.client, "nobody-here", "whatever-pass") == 401
    assert _login(world.client, "leader", "whatever-pass") == 401
    assert len(calls) == 2


def test_password_change_disable_and_tokens(world: World) -> None:
    client = world.client
    leader = bearer(world, "leader")
    wrong = client.put(
        "/api/session/password", json={"old_password": "nope", "new_password": "new-pass-123"}, headers=leader
    )
    assert wrong.status_code == 422 and "原密码" in wrong.json()["detail"]
    admin = bearer(world, "admin")
    users = client.get("/api/users", headers=admin).json()["items"]
    unit_id = next(u["id"] for u in users if u["username"] == "unit")
    assert client.get("/api/users", headers=bearer(world, "unit")).status_code == 403
    assert client.post(f"/api/users/{unit_id}/disable", headers=admin).json()["active"] is False
    assert client.get("/api/plans", headers=bearer(world, "unit")).status_code == 401
    assert _login(client, "unit", PASSWORD) == 401
    assert client.post(f"/api/users/{unit_id}/enable", headers=admin).status_code == 200
    assert client.get("/api/plans", headers=bearer(world, "unit")).status_code == 200

    tokens = client.get("/api/tokens", headers=leader).json()["items"]
    assert [t["username"] for t in tokens] == ["leader"] and "token_hash" not in tokens[0]
    unit_token = next(
        t for t in client.get("/api/tokens", headers=admin).json()["items"] if t["username"] == "unit"
    )
    assert client.delete(f"/api/tokens/{unit_token['id']}", headers=leader).status_code == 404
    assert client.delete(f"/api/tokens/{unit_token['id']}", headers=admin).status_code == 204
    assert client.get("/api/plans", headers=bearer(world, "unit")).status_code == 401
    actions = client.get("/api/changes?size=200", headers=admin).json()["items"]
    logged = {c["action"] for c in actions}
    assert {"disable", "enable", "revoke"} <= logged
    changed = client.put(
        "/api/session/password",
        json={"old_password": PASSWORD, "new_password": "new-pass-123"},
        headers=leader,
    )
    assert changed.status_code == 204
    assert _login(client, "leader", PASSWORD) == 401
    assert _login(client, "leader", "new-pass-123") == 200
    assert client.get("/api/plans", headers=leader).status_code == 401  # the change revoked its tokens

    logged = {c["action"] for c in client.get("/api/changes?size=200", headers=admin).json()["items"]}
    assert "password" in logged


def test_account_commands(database_url: str) -> None:
    database = connect(database_url)
    with database.writer() as session:
        auth.add_user(session, "clerk", "admin", "first-pass-1", None, NOW)
    database.dispose()

    def duban(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(DUBAN), *args, "--db", database_url],
            input=stdin,
            capture_output=True,
            text=True,
            check=False,
        )

    token = duban("token", "create", "clerk").stdout.strip()
    assert token.startswith("dbn_")
    listed = duban("token", "list", "clerk")
    assert listed.returncode == 0 and "clerk" in listed.stdout and token not in listed.stdout
    assert duban("user", "passwd", "clerk", "--password-stdin", stdin="short\n").returncode != 0
    assert duban("user", "passwd", "clerk", "--password-stdin", stdin="second-pass-2\n").returncode == 0
    database = connect(database_url)
    with database.reader() as session:
        assert auth.user_for_token(session, token) is None  # a new password revokes the account's tokens
    database.dispose()
    token = duban("token", "create", "clerk").stdout.strip()
    assert duban("user", "disable", "nobody").returncode != 0
    assert duban("user", "disable", "clerk").returncode == 0
    database = connect(database_url)
    with database.reader() as session:
        token_id = auth.list_tokens(session, "clerk")[0].id  # newest first
        assert auth.user_for_token(session, token) is None  # disabled
    database.dispose()
    assert duban("user", "enable", "clerk").returncode == 0
    assert duban("token", "revoke", str(token_id)).returncode == 0
    database = connect(database_url)
    with database.reader() as session:
        assert auth.user_for_token(session, token) is None  # revoked
        actions = set(session.scalars(select(Change.action)))
        assert {"password", "disable", "enable", "revoke"} <= actions
        assert auth.check_login(session, "clerk", "second-pass-2") is not None
    database.dispose()


def test_a_unit_sees_its_own_rank_unless_the_plan_shows_all(world: World) -> None:
    client = world.client
    query = f"/api/rankings?plan={world.plan_id}&period={world.period_id}"
    full = client.get(query, headers=bearer(world, "admin")).json()
    own = client.get(query, headers=bearer(world, "unit")).json()
    assert full["units_ranked"] == own["units_ranked"] == len(full["items"]) > 1
    assert len(own["items"]) == 1
    assert (
        client.put(
            f"/api/plans/{world.plan_id}/rules",
            json={"units_see_full_ranking": 1},
            headers=bearer(world, "admin"),
        ).status_code
        == 200
    )
    assert len(client.get(query, headers=bearer(world, "unit")).json()["items"]) == len(full["items"])
