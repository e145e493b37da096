"""The table of allowed moves and the one way a state changes: a move is checked (role, state), made by
compare-and-set, and leaves a change-log row and, where the move raises one, an event row (SQLite and
PostgreSQL)."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from duban.ledger.errors import Conflict, Forbidden
from duban.ledger.services import auth, publishing, reports
from duban.ledger.store import transitions
from duban.ledger.store.db import Database
from duban.ledger.store.models import Change, Event, Period, Plan, Task, User
from tests.ledger.conftest import NOW
from tests.ledger.helpers import NOTICE, imported


def _user(role: str) -> User:
    return User(id=1, username=role, role=role, password_hash="x", active=True)


@pytest.mark.parametrize(
    ("kind", "action", "state", "role", "refused"),
    [
        ("report", "approve", "submitted", "admin", None),
        ("report", "approve", "submitted", "unit", Forbidden),
        ("report", "approve", "submitted", "leader", Forbidden),
        ("report", "approve", "draft", "admin", Conflict),
        ("report", "return", "approved", "admin", Conflict),
        ("report", "submit", transitions.NEW, "unit", None),
        ("report", "submit", "returned", "unit", None),
        ("report", "supersede", "approved", "unit", None),
        ("plan", "publish", "published", "admin", Conflict),
        ("plan", "publish", "draft", "unit", Forbidden),
        ("bulletin", "issue", transitions.NEW, "leader", Forbidden),
    ],
)
def test_the_table_decides(kind: str, action: str, state: str, role: str, refused: type | None) -> None:
    if refused is None:
        assert transitions.check(kind, action, state, _user(role)).action == action
    else:
        with pytest.raises(refused):
            transitions.check(kind, action, state, _user(role))


def test_permissions_are_reported_per_role() -> None:
    unit = {(p["kind"], p["action"]) for p in transitions.permissions("unit")}
    admin = {(p["kind"], p["action"]) for p in transitions.permissions("admin")}
    assert ("report", "submit") in unit and ("report", "approve") not in unit
    assert {("report", "approve"), ("plan", "publish"), ("bulletin", "issue")} <= admin
    # A leader reads, and writes one thing: 领导批示 (issue 21).
    assert [(p["kind"], p["action"]) for p in transitions.permissions("leader")] == [("instruction", "write")]


def test_moves_leave_a_change_and_an_event(database: Database) -> None:
    plan_id = imported(database, NOTICE, NOW)
    with database.writer() as session:
        unit = auth.add_user(session, "fgj", "unit", "password-1", "县发展和改革局", NOW)
        admin = auth.add_user(session, "office", "admin", "password-1", None, NOW)
        task = session.scalar(select(Task).where(Task.plan_id == plan_id, Task.no == "1"))
        q2 = session.scalar(select(Period).where(Period.plan_id == plan_id, Period.due == date(2021, 6, 30)))
        plan = session.get(Plan, plan_id)
        assert task is not None and q2 is not None and plan is not None
        for other in session.scalars(select(Task).where(Task.plan_id == plan_id)):
            if other.reporting_unit_id is None:
                other.assessed = False
        publishing.publish(session, plan, admin, NOW)
        sent = reports.write(
            session, unit, task.id, reports.ReportInput(period=q2.id, progress=40, submit=True), NOW
        )
        reports.review(session, admin, sent.id, True, None, NOW)
        with pytest.raises(Conflict):
            reports.review(session, admin, sent.id, True, None, NOW)  # already approved: the table says no
    with database.reader() as session:
        kinds = [e.kind for e in session.scalars(select(Event).order_by(Event.id))]
        assert kinds == ["plan.published", "report.submitted", "report.approved"]
        event = session.scalars(select(Event).where(Event.kind == "report.approved")).one()
        assert (event.object_id, event.unit_id, event.period_id) == (sent.id, sent.unit_id, q2.id)
        actions = [(c.object_type, c.action) for c in session.scalars(select(Change).order_by(Change.id))]
        assert (
            ("plan", "publish") in actions
            and ("report", "create") in actions
            and ("report", "approve") in actions
        )
