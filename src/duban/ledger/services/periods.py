"""Reporting periods: by default the deadlines the notice states, else quarterly; administrators add more."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from duban.ledger.errors import Conflict, Invalid, NotFound
from duban.ledger.store import changelog
from duban.ledger.store.models import Period, Plan, User

QUARTERS = ((3, 31, "第一季度"), (6, 30, "第二季度"), (9, 30, "第三季度"), (12, 31, "第四季度"))


def ref(period: Period) -> dict[str, Any]:
    """A period where an answer names one (口径, 总览, work lists): the one way it is written (web: PeriodRef)."""
    return {"id": period.id, "name": period.name, "due": period.due.isoformat()}


def default_dues(plan: Plan) -> list[tuple[str, date]]:
    stated = [date.fromisoformat(d) for d in (plan.document or {}).get("report_deadlines") or []]
    stated = sorted({d for d in stated if d.year == plan.year} or set(stated))
    if stated:
        return [(f"{d.month}月{d.day}日报送", d) for d in stated]
    return [(f"{plan.year}年{name}", date(plan.year, month, day)) for month, day, name in QUARTERS]


def create_defaults(session: Session, plan: Plan, actor: User | None, now: datetime) -> list[Period]:
    created = []
    for name, due in default_dues(plan):
        period = Period(plan_id=plan.id, name=name, due=due)
        session.add(period)
        created.append(period)
    session.flush()
    return created


def add(session: Session, plan_id: int, name: str, due: date, actor: User | None, now: datetime) -> Period:
    if session.get(Plan, plan_id) is None:
        raise NotFound("计划不存在 / no such plan")
    name = name.strip()
    if not name:
        raise Invalid("报送期名称不能为空 / a period needs a name")
    if session.scalar(select(Period.id).where(Period.plan_id == plan_id, Period.name == name)) is not None:
        raise Conflict(f"已有同名报送期 / a period with this name exists: {name}")
    period = Period(plan_id=plan_id, name=name, due=due)
    session.add(period)
    session.flush()
    # Not a transition: a reporting period has no workflow state.
    changelog.record(
        session, actor, "period", period.id, "create", None, {"plan": plan_id, "name": name, "due": due}, now
    )
    return period


def of_plan(session: Session, plan_id: int) -> list[Period]:
    return list(
        session.scalars(select(Period).where(Period.plan_id == plan_id).order_by(Period.due, Period.id))
    )
