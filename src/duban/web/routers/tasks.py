"""``/api/tasks``: the ledger's rows, filtered and limited to what the user may see; corrections; reports."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter
from pydantic import Field

from duban.ledger.errors import Invalid
from duban.ledger.services import reports, tasks, workplans
from duban.ledger.views import tasks as task_views
from duban.web.deps import CurrentUser, Db, Paging, State
from duban.web.schemas import reports as reports_shapes
from duban.web.schemas import tasks as tasks_shapes
from duban.web.validation import (
    MAX_ID,
    Body,
    Day,
    FiniteFloat,
    Id,
    OptionalQueryId,
    PathId,
    QueryText,
    ascii_id,
)

router = APIRouter(prefix="/api/tasks", tags=["任务 tasks"])


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
    on: Day | None = None,
) -> dict[str, Any]:
    """``unit``: a unit's id, or its name in each directory the user reads (with its 各… groups)."""
    unit_id = None
    if unit and unit.isdigit():  # any script's digits: only an ASCII id in range is one
        unit_id = ascii_id(unit)
        if unit_id is None:
            raise Invalid("单位编号无效：须为 1 至 2147483647 之间的阿拉伯数字")
    wanted = task_views.TaskFilter(
        plan=plan,
        unit_id=unit_id,
        unit_name=unit if unit_id is None else None,
        leader=leader,
        colour=colour,
        text=q,
        on=on,
    )
    with db.reader() as session:
        return task_views.page_of_tasks(session, user, wanted, paging.page, paging.size, state.clock.today())


@router.get("/{task_id}", response_model=tasks_shapes.TaskDetail)
def get_task(task_id: PathId, db: Db, user: CurrentUser) -> dict[str, Any]:
    with db.reader() as session:
        return task_views.task_detail(session, user, task_id)


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
    due: Day | None = None
    reporting_unit_id: Id | None = None
    assessed: bool | None = Field(default=None, description="false：不考核（保留在台账中，不计入颜色和排名）")


@router.patch("/{task_id}", response_model=tasks_shapes.Task)
def correct_task(
    task_id: PathId, body: TaskCorrection, state: State, db: Db, user: CurrentUser
) -> dict[str, Any]:
    change = tasks.Correction.of(body.model_dump(exclude_unset=True))
    with db.writer() as session:
        return tasks.correct(session, user, task_id, change, state.clock.now())


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
    nodes_done: list[Id] = Field(
        default_factory=list,
        max_length=100,
        description="提交时一并报告完成的实施方案节点（本任务已通过的方案中的节点）；保存草稿时不标记",
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
        fields = body.model_dump(exclude={"nodes_done"})
        data = reports.ReportInput(**{**fields, "values": [v.model_dump() for v in body.values]})
        report = reports.write(session, user, task_id, data, state.clock.now())
        if body.submit and body.nodes_done:  # in the same transaction: a refused node saves no report
            workplans.nodes_done_with_report(session, user, task_id, body.nodes_done, state.clock.now())
        return report_json(report, reports.lateness(session, report))


@router.get("/{task_id}/reports", response_model=reports_shapes.ReportList, response_model_exclude_unset=True)
def task_reports(task_id: PathId, db: Db, user: CurrentUser, paging: Paging) -> dict[str, Any]:
    with db.reader() as session:
        return paging.slice(task_views.reports_of_task(session, user, task_id))
