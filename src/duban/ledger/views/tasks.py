"""The 台账's task list and one task's page: the rows a user may see, filtered, and each task's units, targets
and reports. Queries only; the web adapter parses the request and hands over plain values."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from duban.ledger.services import access, jurisdictions, reports, units
from duban.ledger.store.models import Jurisdiction, Period, Report, Target, Task, TaskUnit, Unit, User
from duban.ledger.views import figures


def units_of(session: Session, task_ids: list[int]) -> dict[int, list[dict[str, Any]]]:
    """Each task's units in their order, as ``{"unit_id", "name", "role"}``."""
    rows = session.execute(
        select(TaskUnit.task_id, TaskUnit.unit_id, Unit.name, TaskUnit.role)
        .join(Unit, Unit.id == TaskUnit.unit_id)
        .where(TaskUnit.task_id.in_(task_ids))
        .order_by(TaskUnit.task_id, TaskUnit.position)
    )
    out: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for task_id, unit_id, name, role in rows:
        out[task_id].append({"unit_id": unit_id, "name": name, "role": role})
    return out


def task_json(task: Task, task_units: list[dict[str, Any]]) -> dict[str, Any]:
    """The one JSON shape of a task (the list, the task page, a correction's answer and its log entry)."""
    return {
        "id": task.id,
        "plan": task.plan_id,
        "no": task.no,
        "section": task.section_key,
        "kind": task.kind,
        "name": task.name,
        "text": task.text,
        "leaders": task.leaders,
        "units": task_units,
        "reporting_unit_id": task.reporting_unit_id,
        "due": task.due.isoformat() if task.due else None,
        "assessed": task.assessed,
    }


def task_of(session: Session, task: Task) -> dict[str, Any]:
    """One stored task in its JSON shape, its units read now."""
    return task_json(task, units_of(session, [task.id])[task.id])


@dataclass(frozen=True)
class TaskFilter:
    """What the 台账 filters on; ``unit_id`` or ``unit_name`` (looked up in every directory the user
    reads) keeps the tasks of that unit and of its 各… groups."""

    plan: int | None = None
    unit_id: int | None = None
    unit_name: str | None = None
    leader: str | None = None
    colour: str | None = None
    text: str | None = None
    on: date | None = None


def _unit_ids(session: Session, user: User, wanted: TaskFilter) -> list[int]:
    if wanted.unit_id is not None:
        return access.assigned_unit_ids(session, wanted.unit_id)
    seen = jurisdictions.visible_ids(session, user)
    homes = (
        [None, *jurisdictions.all_of(session)]
        if seen is None
        else [session.get(Jurisdiction, j) for j in seen]
    )
    name = wanted.unit_name or ""
    found = {u.id for home in homes if (u := units.find(session, name, home)) is not None}
    return [i for unit_id in sorted(found) for i in access.assigned_unit_ids(session, unit_id)] or [-1]


def page_of_tasks(
    session: Session, user: User, wanted: TaskFilter, page: int, size: int, today: date
) -> dict[str, Any]:
    """One page of the tasks the user sees that match ``wanted`` (colours taken on ``wanted.on`` or
    ``today``), as ``{"items", "total", "page", "size"}``."""
    query = access.visible_tasks(session, user, select(Task))
    if wanted.plan is not None:
        query = query.where(Task.plan_id == wanted.plan)
    if wanted.unit_id is not None or wanted.unit_name:
        linked = select(TaskUnit.task_id).where(TaskUnit.unit_id.in_(_unit_ids(session, user, wanted)))
        query = query.where(Task.id.in_(linked))
    if wanted.leader:
        query = query.where(Task.leaders_text.contains(wanted.leader.strip()))
    if wanted.text:
        query = query.where(or_(Task.text.contains(wanted.text), Task.name.contains(wanted.text)))
    if wanted.colour:
        chosen = _tasks_of_colour(session, query, wanted.colour, wanted.on or today)
        query = query.where(Task.id.in_(chosen or [-1]))
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = list(
        session.scalars(query.order_by(Task.plan_id, Task.position).offset((page - 1) * size).limit(size))
    )
    linked_units = units_of(session, [t.id for t in rows])
    return {
        "items": [task_json(t, linked_units[t.id]) for t in rows],
        "total": total,
        "page": page,
        "size": size,
    }


def _tasks_of_colour(session: Session, query: Any, colour: str, on: date) -> list[int]:
    plan_ids = set(session.scalars(select(Task.plan_id).where(Task.id.in_(query.with_only_columns(Task.id)))))
    return [
        item.task.id
        for plan_id in plan_ids
        for item in figures.of_plan(session, plan_id, None, on, explain=False).tasks
        if item.assessed and item.status.colour == colour
    ]


def task_detail(session: Session, user: User, task_id: int) -> dict[str, Any]:
    """A task the user sees, with its targets (404 otherwise)."""
    task = access.get_task(session, user, task_id)
    targets = session.scalars(select(Target).where(Target.task_id == task.id).order_by(Target.index))
    return {
        **task_of(session, task),
        "targets": [{"index": t.index, "value": t.value, "unit": t.unit, "op": t.op} for t in targets],
    }


def reports_of_task(session: Session, user: User, task_id: int) -> list[dict[str, Any]]:
    """Every report on a task the user sees, each revision; a unit account sees its own unit's only."""
    task = access.get_task(session, user, task_id)
    query = select(Report).where(Report.task_id == task.id)
    if user.role == "unit":
        query = query.where(Report.unit_id == user.unit_id)
    rows = list(session.scalars(query.order_by(Report.period_id, Report.unit_id, Report.revision)))
    dues = {p.id: p for p in session.scalars(select(Period).where(Period.plan_id == task.plan_id))}
    return [reports.as_dict(r, reports.is_late(r, dues[r.period_id])) for r in rows]
