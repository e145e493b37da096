"""The pages and actions ``GET /api/session`` reports per account (``ledger.services.permissions``): the web
app's menu and buttons follow them, so each role, and the read-only city office, is checked here."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from fastapi.testclient import TestClient

from duban.ledger.services import auth, jurisdictions
from duban.ledger.store.db import connect
from duban.settings import Settings
from duban.web.app import create_app
from tests.ledger.conftest import NOW
from tests.ledger.helpers import NOTICE, import_text

OFFICE_ACTIONS = {
    "plan.publish",
    "report.approve",
    "report.return",
    "unit.merge",
    "account.manage",
    "bulletin.issue",
}


@pytest.fixture
def sessions(database_url: str) -> Iterator[dict[str, dict]]:
    """``GET /api/session`` of an office of the installation, a county office, a leader, a unit and the city
    office above the county."""
    database = connect(database_url)
    with database.writer() as session:
        import_text(session, NOTICE, NOW)
        jurisdictions.ensure_path(session, "济宁市/金乡县", None, NOW)
        accounts = (
            ("admin", "admin", None, None),
            ("county", "admin", None, "济宁市/金乡县"),
            ("city", "admin", None, "济宁市"),
            ("leader", "leader", None, None),
            ("unit", "unit", "县发展和改革局", None),
        )
        for name, role, unit, place in accounts:
            auth.add_user(session, name, role, "correct-horse-1", unit, NOW, jurisdiction=place)
        tokens = {name: auth.create_token(session, name, NOW) for name, *_ in accounts}
    app = create_app(Settings(database_url=database_url, today=date(2021, 7, 15)), database)
    with TestClient(app) as client:
        yield {
            name: client.get("/api/session", headers={"Authorization": f"Bearer {token}"}).json()
            for name, token in tokens.items()
        }
    database.dispose()


def test_office_opens_every_page_and_takes_every_office_action(sessions: dict[str, dict]) -> None:
    for name in ("admin", "county"):
        me = sessions[name]
        assert me["pages"] == [
            "overview", "ledger", "review", "import", "units", "periods", "accounts", "rankings", "bulletins",
            "chasing", "requests", "rectifications", "help",
        ], name  # fmt: skip
        assert set(me["actions"]) >= OFFICE_ACTIONS, name
        assert me["start_page"] == "overview"
        assert me["role_label"] == "督查室（管理员）"


def test_leader_reads_and_takes_no_action(sessions: dict[str, dict]) -> None:
    me = sessions["leader"]
    assert me["pages"] == [
        "leading",
        "overview",
        "ledger",
        "rankings",
        "bulletins",
        "requests",
        "rectifications",
        "help",
    ]
    assert me["actions"] == ["instruction.write"]  # a leader writes 批示 and changes nothing else
    assert me["start_page"] == "leading"


def test_unit_reports_its_own_tasks_only(sessions: dict[str, dict]) -> None:
    me = sessions["unit"]
    assert me["pages"] == ["ledger", "my", "requests", "rectifications", "help"]
    assert me["actions"] == ["report.write", "request.make"]
    assert me["start_page"] == "my"
    assert {p["action"] for p in me["permissions"]} >= {"submit", "save"}  # the workflow moves, as before


def test_city_office_reads_its_counties_and_writes_nothing(sessions: dict[str, dict]) -> None:
    me = sessions["city"]
    assert me["role"] == "admin"
    assert me["role_label"] == "上级督查室（只读）"  # not 督查室（管理员）: it changes nothing below it
    assert me["pages"] == [
        "overview",
        "ledger",
        "review",
        "units",
        "rankings",
        "bulletins",
        "requests",
        "rectifications",
        "help",
    ]
    assert not set(me["actions"]) & OFFICE_ACTIONS
    assert me["actions"] == ["changes.read"]
