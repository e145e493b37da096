"""An app per test on a fresh database (SQLite and PostgreSQL), with one account of each role."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

import pytest
from fastapi.testclient import TestClient

from duban.ledger.services import auth
from duban.ledger.store.db import connect
from duban.settings import Settings
from duban.web.app import create_app
from tests.ledger.conftest import NOW
from tests.ledger.helpers import NOTICE, import_text

PASSWORD = "correct-horse-1"


@dataclass
class World:
    client: TestClient
    tokens: dict[str, str]
    plan_id: int
    own_task: int
    other_task: int
    period_id: int


@pytest.fixture
def world(database_url: str) -> Iterator[World]:
    settings = Settings(database_url=database_url, today=date(2021, 7, 15), login_max_failures=3)
    database = connect(database_url)
    with database.writer() as session:
        result = import_text(session, NOTICE, NOW)
        plan_id = result.plan.id
        for name, role, unit in (
            ("admin", "admin", None),
            ("leader", "leader", None),
            ("unit", "unit", "县发展和改革局"),
        ):
            auth.add_user(session, name, role, PASSWORD, unit, NOW)
        tokens = {name: auth.create_token(session, name, NOW) for name in ("admin", "leader", "unit")}
    app = create_app(settings, database)
    with TestClient(app) as client:
        admin = {"Authorization": f"Bearer {tokens['admin']}"}
        tasks = client.get(f"/api/tasks?plan={plan_id}", headers=admin).json()["items"]
        periods = client.get(f"/api/periods?plan={plan_id}", headers=admin).json()["items"]
        own = next(t["id"] for t in tasks if t["no"] == "1")
        other = next(t["id"] for t in tasks if t["no"] == "2")
        q2 = next(p["id"] for p in periods if p["due"] == "2021-06-30")
        yield World(client, tokens, plan_id, own, other, q2)
    database.dispose()


def bearer(world: World, role: str | None) -> dict[str, str]:
    return {"Authorization": f"Bearer {world.tokens[role]}"} if role else {}
