"""``/api/tasks``: the ledger's rows, filtered and limited to what the user may see; corrections; reports."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any, Literal

from fastapi import APIRouter
from pydantic import Field
from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from duban.ledger.errors import Conflict, Invalid, NotFound
from duban.ledger.services import access, jurisdictions, reports, units
from duban.ledger.store import changelog
from duban.ledger.store.models import Jurisdiction, Plan, Report, Target, Task, TaskUnit, Unit, User
from duban.ledger.views import figures
from duban.web.deps import CurrentUser, Db, Paging, State
from duban.web.schemas import reports as reports_shapes
from duban.web.schemas import tasks as tasks_shapes
from duban.web.validation import (
    MAX_ID,
    Body,
    FiniteFloat,
    Id,
    OptionalQueryId,
    PathId,
    QueryText,
    ascii_id,
)

router = APIRouter(prefix="/api/tasks", tags=["任务 tasks"])


def units_of(session: Session, task_ids: list[int]) -> dict[int, list[dict[str, Any]]]:
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


def _unit_filter(session: Session, user: User, unit: str) -> list[int]:
    """The unit (by id, or by name in each directory the user reads) and its 各… groups."""
    if unit.isdigit():  # any script's digits: only an ASCII id in range is one
        unit_id = ascii_id(unit)
        if unit_id is None:
            raise Invalid("单位编号无效：须为 1 至 2147483647 之间的阿拉伯数字")
        return access.assigned_unit_ids(session, unit_id)
    seen = jurisdictions.visible_ids(session, user)
    homes = (
        [None, *jurisdictions.all_of(session)]
        if seen is None
        else [session.get(Jurisdiction, j) for j in seen]
    )
    found = {u.id for home in homes if (u := units.find(session, unit, home)) is not None}
    return [i for unit_id in sorted(found) for i in access.assigned_unit_ids(session, unit_id)] or [-1]


@router.get("", response_model=tasks_shapes.TaskList)
def list_tasks(
    db: Db,
    state: State,
    user: CurrentUser,
    paging: Paging,
    plan: OptionalQueryId = None,
    unit: QueryText = None,
    leader: QueryText = None,
    colour: Literal["done", "blue", "yellow", "red"] | None = None,
    q: QueryText = None,
    on: date | None = None,
) -> dict[str, Any]:
    with db.reader() as session:
        query = access.visible_tasks(session, user, select(Task))
        if plan is not None:
            query = query.where(Task.plan_id == plan)
        if unit:
            query = query.where(
                Task.id.in_(
                    select(TaskUnit.task_id).where(TaskUnit.unit_id.in_(_unit_filter(session, user, unit)))
                )
            )
        if leader:
            query = query.where(Task.leaders_text.contains(leader.strip()))
        if q:
            query = query.where(or_(Task.text.contains(q), Task.name.contains(q)))
        if colour:
            wanted = _tasks_of_colour(session, query, colour, on or state.clock.today())
            query = query.where(Task.id.in_(wanted or [-1]))
        total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
        page = list(
            session.scalars(
                query.order_by(Task.plan_id, Task.position)
                .offset((paging.page - 1) * paging.size)
                .limit(paging.size)
            )
        )
        linked = units_of(session, [t.id for t in page])
        return {
            "items": [task_json(t, linked[t.id]) for t in page],
            "total": total,
            "page": paging.page,
            "size": paging.size,
        }


def _tasks_of_colour(session: Session, query: Any, colour: str, on: date) -> list[int]:
    plan_ids = set(session.scalars(select(Task.plan_id).where(Task.id.in_(query.with_only_columns(Task.id)))))
    return [
        item.task.id
        for plan_id in plan_ids
        for item in figures.of_plan(session, plan_id, None, on, explain=False).tasks
        if item.assessed and item.status.colour == colour
    ]


@router.get("/{task_id}", response_model=tasks_shapes.TaskDetail)
def get_task(task_id: PathId, db: Db, user: CurrentUser) -> dict[str, Any]:
    with db.reader() as session:
        task = access.get_task(session, user, task_id)
        targets = session.scalars(select(Target).where(Target.task_id == task.id).order_by(Target.index))
        return {
            **task_json(task, units_of(session, [task.id])[task.id]),
            "targets": [{"index": t.index, "value": t.value, "unit": t.unit, "op": t.op} for t in targets],
        }


class UnitIn(Body):
    name: str = Field(min_length=1, max_length=200)
    role: Literal["lead", "support", "responsible"]


class TaskCorrection(Body):
    """Corrections before publishing; only the fields given change."""

    text: str | None = Field(default=None, min_length=1)
    name: str | None = None
    no: str | None = None
    leaders: list[str] | None = None
    units: list[UnitIn] | None = None
    due: date | None = None
    reporting_unit_id: Id | None = None
    assessed: bool | None = Field(default=None, description="false：不考核（保留在台账中，不计入颜色和排名）")


@router.patch("/{task_id}", response_model=tasks_shapes.Task)
def correct_task(
    task_id: PathId, body: TaskCorrection, state: State, db: Db, user: CurrentUser
) -> dict[str, Any]:
    with db.writer() as session:
        access.require_admin(user)
        task = access.get_task(session, user, task_id)
        access.require_task_write(session, user, task)
        plan = session.get(Plan, task.plan_id)
        given = body.model_dump(exclude_unset=True)
        if plan is not None and plan.state == "published" and set(given) - {"reporting_unit_id", "assessed"}:
            raise Conflict(
                "计划已发布，任务不能再修改 / the plan is published; tasks can no longer be corrected"
            )
        now = state.clock.now()
        current = units_of(session, [task.id])[task.id]
        before = {**task_json(task, current)}
        for name in ("text", "name", "no", "due"):
            if name in given:
                setattr(task, name, given[name])
        if "leaders" in given:
            task.leaders = [x.strip() for x in body.leaders or [] if x.strip()]
            task.leaders_text = "、".join(task.leaders)
        if body.units is not None:
            _replace_units(session, task, body.units, now, user)
        if "reporting_unit_id" in given:
            _set_reporting_unit(session, task, body.reporting_unit_id)
        if body.assessed is not None:
            task.assessed = body.assessed
        session.flush()
        after = task_json(task, units_of(session, [task.id])[task.id])
        old, new = changelog.changed_fields(before, after)
        if new:
            changelog.record(session, user, "task", task.id, "correct", old, new, now)
        return after


def _replace_units(session: Session, task: Task, given: list[UnitIn], now: Any, user: Any) -> None:
    for link in list(session.scalars(select(TaskUnit).where(TaskUnit.task_id == task.id))):
        session.delete(link)
    session.flush()
    seen: set[int] = set()
    plan = session.get(Plan, task.plan_id)
    home = session.get(Jurisdiction, plan.jurisdiction_id) if plan and plan.jurisdiction_id else None
    for item in given:
        unit = units.resolve(session, item.name, now, user, home)
        if unit.id in seen:
            continue
        seen.add(unit.id)
        session.add(TaskUnit(task_id=task.id, unit_id=unit.id, role=item.role, position=len(seen) - 1))
    session.flush()
    session.refresh(task)
    if task.reporting_unit_id not in seen:
        from duban.ledger.services.importing import default_reporting_unit

        task.reporting_unit_id = default_reporting_unit(session, task)


def _set_reporting_unit(session: Session, task: Task, unit_id: int | None) -> None:
    assigned = set(session.scalars(select(TaskUnit.unit_id).where(TaskUnit.task_id == task.id)))
    if unit_id is not None and unit_id not in assigned:
        raise Invalid("汇总单位必须是该任务的责任单位之一 / the reporting unit must be assigned to the task")
    task.reporting_unit_id = unit_id
    task.reporting_unit_chosen = True


class ValueIn(Body):
    target: int = Field(ge=0, le=1000)
    value: FiniteFloat


class ReportBody(Body):
    period: Id
    progress: float = Field(default=0, ge=0, le=100)
    text: str = Field(default="", max_length=20000)
    problems: str = Field(default="", max_length=20000)
    next_steps: str = Field(default="", max_length=20000)
    completed: bool = False
    values: list[ValueIn] = Field(default_factory=list, max_length=1000)
    submit: bool = False
    version: int | None = Field(
        default=None,
        ge=0,
        le=MAX_ID,
        description="所修改报告的版本号；与当前版本不符时答 409（防止覆盖他人的修改）",
    )


report_json = reports.as_dict  # the one JSON shape of a report, shared with the work lists


@router.post(
    "/{task_id}/reports",
    status_code=201,
    response_model=reports_shapes.Report,
    response_model_exclude_unset=True,
)
def write_report(
    task_id: PathId, body: ReportBody, state: State, db: Db, user: CurrentUser
) -> dict[str, Any]:
    with db.writer() as session:
        from duban.ledger.store.models import Period

        data = reports.ReportInput(**{**body.model_dump(), "values": [v.model_dump() for v in body.values]})
        # Held here so the write's own look-up of the period comes from the session, not a second query.
        period = session.get(Period, body.period)
        report = reports.write(session, user, task_id, data, state.clock.now())
        if period is None:
            raise NotFound("报送期不存在 / no such period")
        return report_json(report, reports.is_late(report, period))


@router.get("/{task_id}/reports", response_model=reports_shapes.ReportList, response_model_exclude_unset=True)
def task_reports(task_id: PathId, db: Db, user: CurrentUser, paging: Paging) -> dict[str, Any]:
    with db.reader() as session:
        from duban.ledger.store.models import Period

        task = access.get_task(session, user, task_id)
        query = select(Report).where(Report.task_id == task.id)
        if user.role == "unit":
            query = query.where(Report.unit_id == user.unit_id)
        rows = list(session.scalars(query.order_by(Report.period_id, Report.unit_id, Report.revision)))
        dues = {p.id: p for p in session.scalars(select(Period).where(Period.plan_id == task.plan_id))}
        return paging.slice([report_json(r, reports.is_late(r, dues[r.period_id])) for r in rows])
