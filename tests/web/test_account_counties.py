"""A unit account sits in its unit's county. The finding: the demo ``unit`` account was 金乡县's while its unit
(区财政局) is 兖州区's, so 金乡县's office read the change log of 兖州区's reports (with full text), could reset
that account's password and act as it. Reproduced here against the real server (SQLite and PostgreSQL): with
the account misplaced, 金乡县's office finds none of it (log, accounts, tokens, 总览) and cannot write it;
migration 0006 then moves it home, logged, and its own pages work again."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import httpx
import pytest
from sqlalchemy import select, update

from duban.ledger.errors import Forbidden
from duban.ledger.services import auth, importing, jurisdictions, reports, units
from duban.ledger.store.db import connect, migrate
from duban.ledger.store.models import Change, Jurisdiction, Period, Plan, Task, Unit, User
from duban.plan import parse
from tests.conftest import CORPUS
from tests.web.server import DUBAN, running_server

NOW = datetime(2021, 7, 20, 9, 0)
PASSWORD = "county-test-pw"
SECRET_TEXT = "兖州区财政局的内部进展说明"


@dataclass
class Misplaced:
    database_url: str
    tokens: dict[str, str]
    plans: dict[str, int]
    unit_account: int
    unit_task: int
    period: int
    report: int


def _plan_of(session: Any, county: str) -> int:
    return int(
        session.scalar(
            select(Plan.id)
            .join(Jurisdiction, Jurisdiction.id == Plan.jurisdiction_id)
            .where(Jurisdiction.name == county)
        )
    )


@pytest.fixture
def misplaced(database_url: str) -> Iterator[Misplaced]:
    """金乡县 (notice 000) and 兖州区 (notice 004) under 济宁市; 兖州区's 区财政局 has reported, then its account is
    moved into 金乡县 behind the services' back, as the demo data once did."""
    database = connect(database_url)
    with database.writer() as session:
        for prefix in ("000", "004"):
            path = next(CORPUS.glob(f"{prefix}_*.txt"))
            data = path.read_bytes()
            importing.import_plan(
                session, parse(data, filename=path.name), importing.content_hash(data), None, NOW, path.name
            )
        jurisdictions.ensure_path(session, "济宁市/金乡县", None, NOW)
        for name, role, unit, where in (
            ("jinxiang-admin", "admin", None, "济宁市/金乡县"),
            ("yanzhou-admin", "admin", None, "济宁市/兖州区"),
            ("yanzhou-unit", "unit", "区财政局", "兖州区"),
        ):
            auth.add_user(session, name, role, PASSWORD, unit, NOW, jurisdiction=where)
        tokens = {
            name: auth.create_token(session, name, NOW)
            for name in ("jinxiang-admin", "yanzhou-admin", "yanzhou-unit")
        }
        plans = {county: _plan_of(session, county) for county in ("金乡县", "兖州区")}
        account = session.scalar(select(User).where(User.username == "yanzhou-unit"))
        assert account is not None and account.unit_id is not None
        task = session.scalar(
            select(Task)
            .where(Task.plan_id == plans["兖州区"], Task.reporting_unit_id == account.unit_id)
            .order_by(Task.position)
            .limit(1)
        )
        period = session.scalar(
            select(Period).where(Period.plan_id == plans["兖州区"]).order_by(Period.due).limit(1)
        )
        assert task is not None and period is not None
        data_in = reports.ReportInput(period=period.id, progress=40, text=SECRET_TEXT, submit=True)
        report = reports.write_for(session, account, account.unit_id, task.id, data_in, NOW)
        session.flush()
        ids = (account.id, task.id, period.id, report.id)
        home = jurisdictions.find(session, "金乡县").id
        session.execute(update(User).where(User.id == account.id).values(jurisdiction_id=home))
    database.dispose()
    yield Misplaced(database_url, tokens, plans, *ids)


def _as(who: str, world: Misplaced) -> dict[str, str]:
    return {"Authorization": f"Bearer {world.tokens[who]}"}


def test_a_misplaced_account_leaks_nothing_and_cannot_be_managed(misplaced: Misplaced) -> None:
    jinxiang, yanzhou = _as("jinxiang-admin", misplaced), _as("yanzhou-admin", misplaced)
    account = misplaced.unit_account
    with running_server(misplaced.database_url) as base, httpx.Client(base_url=base, timeout=60) as client:
        log = client.get("/api/changes", params={"size": 1000}, headers=jinxiang).json()["items"]
        overview = client.get(
            "/api/overview", params={"plan": misplaced.plans["金乡县"]}, headers=jinxiang
        ).json()
        listed = client.get("/api/users", params={"size": 1000}, headers=jinxiang).json()["items"]
        tokens = client.get("/api/tokens", params={"size": 1000}, headers=jinxiang).json()["items"]
        report_log = client.get(
            "/api/changes", params={"object": f"report:{misplaced.report}"}, headers=jinxiang
        )
        writes = [
            client.put(
                f"/api/users/{account}/password", json={"new_password": "taken-over-1"}, headers=jinxiang
            ),
            client.post(f"/api/users/{account}/disable", headers=jinxiang),
            client.post(f"/api/users/{account}/unlock", headers=jinxiang),
            *(
                client.delete(f"/api/tokens/{t['id']}", headers=jinxiang)
                for t in client.get("/api/tokens", params={"size": 1000}, headers=yanzhou).json()["items"]
                if t["username"] == "yanzhou-unit"
            ),
        ]
        taken_over = client.post(
            "/api/session", json={"username": "yanzhou-unit", "password": "taken-over-1"}
        )
        own_office = client.get("/api/users", params={"size": 1000}, headers=yanzhou).json()["items"]
        own_log = client.get("/api/changes", params={"object": f"report:{misplaced.report}"}, headers=yanzhou)
    assert all(c["actor"] != "yanzhou-unit" for c in log) and SECRET_TEXT not in str(log)
    assert all(c["actor"] != "yanzhou-unit" for c in overview["changes"])
    assert "yanzhou-unit" not in {u["username"] for u in listed}
    assert "yanzhou-unit" not in {t["username"] for t in tokens}
    assert report_log.json()["items"] == []
    assert [w.status_code for w in writes] == [404, 404, 404, 404]
    assert taken_over.status_code == 401
    assert "yanzhou-unit" in {u["username"] for u in own_office}  # its unit's county's office manages it
    assert own_log.json()["items"] and SECRET_TEXT in str(own_log.json()["items"])


def test_migration_0006_moves_the_account_home_and_logs_it(misplaced: Misplaced) -> None:
    database = connect(misplaced.database_url)
    migrate(database, "0005", downgrade=True)
    database.dispose()
    unit = _as("yanzhou-unit", misplaced)
    with (
        running_server(misplaced.database_url) as base,
        httpx.Client(base_url=base, timeout=60) as client,
    ):  # migrates
        mine = client.get("/api/my", params={"plan": misplaced.plans["兖州区"]}, headers=unit)
        task = client.get(f"/api/tasks/{misplaced.unit_task}", headers=unit)
        body = {"period": misplaced.period, "progress": 60, "text": "继续推进", "submit": True}
        filed = client.post(f"/api/tasks/{misplaced.unit_task}/reports", json=body, headers=unit)
        log = client.get(
            "/api/changes",
            params={"object": f"user:{misplaced.unit_account}"},
            headers=_as("yanzhou-admin", misplaced),
        ).json()["items"]
        elsewhere = client.get(
            "/api/changes",
            params={"object": f"user:{misplaced.unit_account}"},
            headers=_as("jinxiang-admin", misplaced),
        ).json()["items"]
    assert mine.status_code == 200 and mine.json()["items"], mine.text
    assert task.status_code == 200
    assert filed.status_code in (200, 201), filed.text
    repairs = [c for c in log if c["action"] == "repair"]
    assert len(repairs) == 1 and repairs[0]["actor"] == "system"
    database = connect(misplaced.database_url)
    with database.reader() as session:
        yanzhou = jurisdictions.find(session, "兖州区").id
        jinxiang = jurisdictions.find(session, "金乡县").id
        assert session.get(User, misplaced.unit_account).jurisdiction_id == yanzhou
        assert (
            repairs[0]["before"]["jurisdiction"] == jinxiang
            and repairs[0]["after"]["jurisdiction"] == yanzhou
        )
        assert session.scalar(select(Change.id).where(Change.action == "repair").offset(1)) is None
    database.dispose()
    assert elsewhere == []


def test_accounts_are_made_and_moved_only_into_their_units_county(misplaced: Misplaced) -> None:
    database = connect(misplaced.database_url)
    with database.writer() as session:
        jinxiang = jurisdictions.find(session, "金乡县")
        yanzhou = jurisdictions.find(session, "兖州区")
        only_yanzhou = next(
            u
            for u in session.scalars(
                select(Unit).where(Unit.jurisdiction_id == yanzhou.id, Unit.group_kind.is_(None))
            )
            if units.find(session, u.name, jinxiang) is None
        )
        name = only_yanzhou.name
        office = session.scalar(select(User).where(User.username == "jinxiang-admin"))
        with pytest.raises(Forbidden, match="行政区"):
            auth.add_user(
                session, "by-office", "unit", PASSWORD, name, NOW, actor=office, jurisdiction="兖州区"
            )
        account = session.scalar(select(User).where(User.username == "yanzhou-unit"))
        with pytest.raises(Forbidden, match="行政区"):
            auth.assign_unit(session, office, account, only_yanzhou, NOW)
    database.dispose()

    def user_add(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(DUBAN), "user", "add", *args, "--password-stdin", "--db", misplaced.database_url],
            input=PASSWORD + "\n",
            capture_output=True,
            text=True,
            check=False,
        )

    refused = user_add("wrong-county", "--role", "unit", "--unit", name, "--jurisdiction", "金乡县")
    assert (
        refused.returncode != 0
        and "不在金乡县的单位目录中" in refused.stderr
        and "Traceback" not in refused.stderr
    )
    added = user_add("right-county", "--role", "unit", "--unit", name)
    assert added.returncode == 0 and "兖州区" in added.stderr, added.stderr
    database = connect(misplaced.database_url)
    with database.reader() as session:
        made = session.scalar(select(User).where(User.username == "right-county"))
        assert made is not None and made.jurisdiction_id == jurisdictions.find(session, "兖州区").id
    database.dispose()
