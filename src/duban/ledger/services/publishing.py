"""Publishing a plan: from then on units report on it and its figures count.

A task no unit reports on would stay red for ever and be charged to nobody (``ledger.md``: only the
reporting unit is missing or late), so a plan is published only when every assessed task has a reporting
unit; the office picks one or marks the task 不考核 (kept in the ledger, out of colours and rankings)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from duban.ledger.errors import Conflict
from duban.ledger.services import access
from duban.ledger.store import changelog, transitions
from duban.ledger.store.models import Plan, Task, User


def unassigned_tasks(session: Session, plan_id: int) -> list[Task]:
    """Assessed tasks without a reporting unit (汇总单位)."""
    return list(
        session.scalars(
            select(Task)
            .where(Task.plan_id == plan_id, Task.reporting_unit_id.is_(None), Task.assessed.is_(True))
            .order_by(Task.position)
        )
    )


def publish(session: Session, plan: Plan, actor: User | None, now: datetime) -> Plan:
    if plan.state == "published":
        raise Conflict("计划已发布 / the plan is already published")
    transitions.check("plan", "publish", plan.state, actor)
    missing = unassigned_tasks(session, plan.id)
    if missing:
        numbers = "、".join(f"第{t.no}项" for t in missing[:20]) + ("等" if len(missing) > 20 else "")
        raise Conflict(
            f"{numbers}共{len(missing)}项任务尚未确定汇总单位，请先指定汇总单位或标为不考核，再发布",
            {"unassigned": [t.no for t in missing]},
        )
    transitions.move(
        session,
        Plan,
        plan,
        "publish",
        actor,
        now,
        before={"state": plan.state},
        conflict="计划已发布 / the plan is already published",
        plan_id=plan.id,
    )
    return plan


def publish_plan(session: Session, actor: User, plan_id: int, now: datetime) -> Plan:
    """Publish a plan of the office's own jurisdiction (admin only)."""
    access.require_admin(actor)
    plan = access.plan_for(session, actor, plan_id, write=True)
    return publish(session, plan, actor, now)


def exclude_unassigned(session: Session, plan: Plan, actor: User | None, now: datetime) -> int:
    """Mark the plan's tasks without a reporting unit 不考核 (the demo's choice; an office decides per task)."""
    tasks = unassigned_tasks(session, plan.id)
    for task in tasks:
        task.assessed = False
        # Not a transition: a task has no workflow state; this is a correction of it, logged like every other.
        changelog.record(
            session, actor, "task", task.id, "correct", {"assessed": True}, {"assessed": False}, now
        )
    return len(tasks)
