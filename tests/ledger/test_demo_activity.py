"""The demo data shows every case the web app explains: each colour, each arrow, late and missing reports,
a report waiting for review and a returned one."""

from __future__ import annotations

import os
from datetime import date

import pytest
from sqlalchemy import select

from duban.ledger.demo import load_demo
from duban.ledger.demo.activity import current_plan
from duban.ledger.services import chasing, requests
from duban.ledger.store.db import Database
from duban.ledger.store.models import Notice, Report, Unit, User
from duban.ledger.views import figures as fig
from duban.settings import Clock
from tests.conftest import CORPUS


def test_demo_shows_every_colour_arrow_and_report_state(
    database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(os.environ, "DUBAN_DEMO_CORPUS", str(CORPUS))
    clock = Clock(date(2026, 11, 25))
    lines = list(load_demo(database, clock))
    assert any("演示报告" in line for line in lines)
    with database.reader() as session:
        plan = current_plan(session, clock.today())
        assert plan is not None and plan.year == 2026 and plan.state == "published"
        figures = fig.of_plan(session, plan.id, None, clock.today())
        rows = [(f.task, f.status) for f in figures.assessed]
        assert {st.colour for _, st in rows} == {"done", "blue", "yellow", "red"}
        assert {st.arrow for _, st in rows} == {"up", "down", "same"}
        assert figures.missing_tasks() and figures.late_tasks()
        # a task no unit reports on is 不考核 in the demo, never red for ever
        assert all(f.task.reporting_unit_id is not None for f in figures.assessed)
        reports = list(session.query(Report))
        assert {r.state for r in reports} == {"approved", "submitted", "returned"}
        late = [
            r for r in reports if r.first_submitted_at and r.first_submitted_at.date() > date(2026, 9, 30)
        ]
        assert late and all(r.first_submitted_at.date() <= clock.today() for r in reports)
        for account in session.scalars(select(User).where(User.role == "unit")):
            unit = session.get(Unit, account.unit_id)  # the demo unit account sits in its unit's county
            assert unit is not None and account.jurisdiction_id == unit.jurisdiction_id, account.username
        unit_user = session.scalar(select(User).where(User.username == "unit"))
        assert unit_user is not None
        own = [t for t, _ in rows if t.reporting_unit_id == unit_user.unit_id]
        assert len(own) >= 3
        unit_name = session.get(Unit, unit_user.unit_id).name  # type: ignore[union-attr]
        # units confirmed most tasks in the first week: a few 未签收 to chase, not the whole plan
        admin = session.scalar(select(User).where(User.role == "admin"))
        assert admin is not None
        owed = requests.receipts(session, admin, plan.id)
        assert 0 < owed["pending"] < owed["total"] / 10, owed["pending"]
    # the day's reminder run went with the demo: 督办 and the bell have something to show from the first page
    assert any(line.startswith("督办提醒：已发出") for line in lines), lines
    with database.reader() as session:
        kinds = set(session.scalars(select(Notice.kind).where(Notice.day == clock.today())))
        assert {"chase", "red"} <= kinds and chasing.ran_on(session, clock.today())
    # the demo unit account is named once, with the unit it has; the work report is no error, in Chinese
    naming = [line for line in lines if "unit" in line and ("责任单位" in line or "属于" in line)]
    assert len(naming) == 1 and f"unit（责任单位：{unit_name}）" in naming[0], naming
    skipped = [line for line in lines if line.startswith("002_")]
    assert skipped == ["002_814830fb12525818.txt：是一份政府工作报告，不是责任分工通知，不作为计划导入"]
    assert not any("错误" in line or "error" in line.lower() or "not a" in line for line in lines)
    assert list(load_demo(database, clock)) == ["数据库中已有计划，未载入演示数据"]
