"""The plans a user reads: the list with each plan's number of tasks, and one plan with its sections."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from duban.ledger.services import access
from duban.ledger.store.models import Plan, Section, Task, User


def plan_json(plan: Plan, tasks: int | None = None) -> dict[str, Any]:
    """The one JSON shape of a plan (``tasks``: its number of tasks, where the answer gives it)."""
    return {
        "id": plan.id,
        "title": plan.title,
        "year": plan.year,
        "doc_number": plan.doc_number,
        "issuer": plan.issuer,
        "issued_on": plan.issued_on.isoformat() if plan.issued_on else None,
        "supervisor": plan.supervisor,
        "state": plan.state,
        "source_name": plan.source_name,
        "report_deadlines": (plan.document or {}).get("report_deadlines", []),
        "jurisdiction_id": plan.jurisdiction_id,
        **({"tasks": tasks} if tasks is not None else {}),
    }


def plans_of(session: Session, user: User) -> list[dict[str, Any]]:
    """The plans of the jurisdictions the user reads, newest year first, each with its number of tasks."""
    counts = dict(session.execute(select(Task.plan_id, func.count(Task.id)).group_by(Task.plan_id)).all())
    query = select(Plan).order_by(Plan.year.desc(), Plan.id.desc())
    plans = list(session.scalars(access.visible_plans(session, user, query)))
    return [plan_json(p, counts.get(p.id, 0)) for p in plans]


def plan_detail(session: Session, user: User, plan_id: int) -> dict[str, Any]:
    """A plan the user reads (else 404), with its number of tasks and its sections in order."""
    plan = access.plan_for(session, user, plan_id)
    count = session.scalar(select(func.count(Task.id)).where(Task.plan_id == plan_id)) or 0
    sections = session.scalars(select(Section).where(Section.plan_id == plan_id).order_by(Section.position))
    return {
        **plan_json(plan, count),
        "sections": [
            {"key": s.key, "number": s.number, "title": s.title, "level": s.level, "parent": s.parent_key}
            for s in sections
        ],
    }
