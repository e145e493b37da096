"""Correcting a task before its plan is published (the 导入 page's edits, the 任务详情's 汇总单位 and 不考核).

Only the fields a correction names change; once the plan is published only the reporting unit and 不考核 can.
Every correction that changes something writes one change-log row with the fields before and after."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, fields
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from duban.ledger.errors import Conflict, Invalid
from duban.ledger.services import access, importing, units
from duban.ledger.store import changelog
from duban.ledger.store.models import Jurisdiction, Plan, Task, TaskUnit, User
from duban.ledger.views.tasks import task_of

AFTER_PUBLISHING = frozenset({"reporting_unit_id", "assessed"})


@dataclass(frozen=True)
class UnitRef:
    """A unit of a task by name (resolved through the plan's directory) and its role."""

    name: str
    role: str


@dataclass(frozen=True)
class Correction:
    """The new values of a task; only the fields named in ``given`` change (a ``None`` there is a value:
    no due date, no reporting unit)."""

    text: str | None = None
    name: str | None = None
    no: str | None = None
    leaders: list[str] | None = None
    units: list[UnitRef] | None = None
    due: date | None = None
    reporting_unit_id: int | None = None
    assessed: bool | None = None
    given: frozenset[str] = field(default_factory=frozenset)

    @classmethod
    def of(cls, values: dict[str, Any]) -> Correction:
        """From the fields a request gave (units as ``{"name", "role"}`` mappings or ``UnitRef``)."""
        known = {f.name for f in fields(cls)} - {"given"}
        unknown = set(values) - known
        if unknown:
            raise Invalid(f"不能修改的字段：{'、'.join(sorted(unknown))}")
        plain = dict(values)
        if plain.get("units") is not None:
            plain["units"] = [
                u if isinstance(u, UnitRef) else UnitRef(u["name"], u["role"]) for u in plain["units"]
            ]
        return cls(**plain, given=frozenset(plain))


def correct(session: Session, actor: User, task_id: int, change: Correction, now: datetime) -> dict[str, Any]:
    """Apply ``change`` to a task the actor writes (admin only) and log what changed; the task as JSON."""
    access.require_admin(actor)
    task = access.get_task(session, actor, task_id)
    access.require_task_write(session, actor, task)
    return apply(session, actor, task, change, now)


def apply(
    session: Session, actor: User | None, task: Task, change: Correction, now: datetime
) -> dict[str, Any]:
    """Apply ``change`` to ``task`` (access already checked) and log what changed; the task as JSON."""
    plan = session.get(Plan, task.plan_id)
    if plan is not None and plan.state == "published" and change.given - AFTER_PUBLISHING:
        raise Conflict("计划已发布，任务不能再修改 / the plan is published; tasks can no longer be corrected")
    before = task_of(session, task)
    for name in ("text", "name", "no", "due"):
        if name in change.given:
            setattr(task, name, getattr(change, name))
    if "leaders" in change.given:
        task.leaders = [x.strip() for x in change.leaders or [] if x.strip()]
        task.leaders_text = "、".join(task.leaders)
    if change.units is not None:
        _replace_units(session, task, change.units, now, actor, plan)
    if "reporting_unit_id" in change.given:
        _set_reporting_unit(session, task, change.reporting_unit_id)
    if change.assessed is not None:
        task.assessed = change.assessed
    session.flush()
    after = task_of(session, task)
    old, new = changelog.changed_fields(before, after)
    if new:
        # Not a transition: a task has no workflow state; a correction is an edit, logged at this boundary.
        changelog.record(session, actor, "task", task.id, "correct", old, new, now)
    return after


def _replace_units(
    session: Session,
    task: Task,
    given: Iterable[UnitRef],
    now: datetime,
    actor: User | None,
    plan: Plan | None,
) -> None:
    for link in list(session.scalars(select(TaskUnit).where(TaskUnit.task_id == task.id))):
        session.delete(link)
    session.flush()
    seen: set[int] = set()
    home = session.get(Jurisdiction, plan.jurisdiction_id) if plan and plan.jurisdiction_id else None
    for item in given:
        if item.role not in ("lead", "support", "responsible"):
            raise Invalid(f"单位角色无效：{item.role}（应为 lead、support 或 responsible）")
        if not units.clean_name(item.name):
            raise Invalid("单位名称不能为空 / a unit needs a name")
        unit = units.resolve(session, item.name, now, actor, home)
        if unit.id in seen:
            continue
        seen.add(unit.id)
        session.add(TaskUnit(task_id=task.id, unit_id=unit.id, role=item.role, position=len(seen) - 1))
    session.flush()
    session.refresh(task)
    if task.reporting_unit_id not in seen:
        task.reporting_unit_id = importing.default_reporting_unit(session, task)


def _set_reporting_unit(session: Session, task: Task, unit_id: int | None) -> None:
    assigned = set(session.scalars(select(TaskUnit.unit_id).where(TaskUnit.task_id == task.id)))
    if unit_id is not None and unit_id not in assigned:
        raise Invalid("汇总单位必须是该任务的责任单位之一 / the reporting unit must be assigned to the task")
    task.reporting_unit_id = unit_id
    task.reporting_unit_chosen = True
