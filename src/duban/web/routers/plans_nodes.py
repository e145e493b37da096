"""Issue 21, plans half: ``/api/tasks/{id}/workplans`` and ``/api/workplans`` (实施方案), ``/api/rectifications``
(整改台账), ``/api/tasks/{id}/report-start``, ``/api/tasks/{id}/contributions`` and
``/api/reports/{id}/changes`` (reporting once). Adapters only: the ledger services do the work."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Query
from pydantic import Field

from duban.ledger.services import contributions, rectifications, workplans
from duban.web.deps import CurrentUser, Db, State
from duban.web.schemas.plans_nodes import (
    ContributionList,
    ContributionOut,
    FormStart,
    RectificationList,
    RectificationOut,
    ReportChanges,
    WorkPlanList,
    WorkPlanOut,
)
from duban.web.validation import MAX_ID, Body, Day, FiniteFloat, OptionalQueryId, PathId, QueryId

router = APIRouter(tags=["实施方案与整改 plans and rectifications"])


class NodeIn(Body):
    due: Day
    title: str = Field(min_length=1, max_length=500)
    level: FiniteFloat | None = Field(default=None, ge=0, le=100)
    value: FiniteFloat | None = None


class WorkPlanIn(Body):
    nodes: list[NodeIn] = Field(min_length=1, max_length=workplans.MAX_NODES)
    note: str = Field(default="", max_length=5000)
    submit: bool = False
    version: int | None = Field(default=None, ge=0, le=MAX_ID)


class ReviewIn(Body):
    comment: str | None = Field(default=None, max_length=5000)
    version: int | None = Field(default=None, ge=0, le=MAX_ID)


class NodeDoneIn(Body):
    done_on: Day | None = None


class RectificationIn(Body):
    task: int = Field(ge=1, le=MAX_ID)
    unit: int | None = Field(default=None, ge=1, le=MAX_ID)
    problem: str = Field(min_length=1, max_length=5000)
    measures: str = Field(default="", max_length=5000)
    deadline: Day


class AnswerIn(Body):
    text: str = Field(min_length=1, max_length=5000)
    measures: str | None = Field(default=None, max_length=5000)
    version: int | None = Field(default=None, ge=0, le=MAX_ID)


class ContributionIn(Body):
    period: int = Field(ge=1, le=MAX_ID)
    text: str = Field(min_length=1, max_length=contributions.MAX_TEXT)


def _plan_out(session: Any, user: Any, plan: Any, today: date) -> dict[str, Any]:
    listed = workplans.of_task(session, user, plan.task_id, today)
    return next(p for p in listed if p["id"] == plan.id)


@router.get("/api/tasks/{task_id}/workplans", response_model=WorkPlanList)
def task_workplans(task_id: PathId, db: Db, user: CurrentUser, state: State) -> dict[str, Any]:
    with db.reader() as session:
        return {"items": workplans.of_task(session, user, task_id, state.clock.today())}


@router.post("/api/tasks/{task_id}/workplans", status_code=201, response_model=WorkPlanOut)
def save_workplan(
    task_id: PathId, body: WorkPlanIn, db: Db, user: CurrentUser, state: State
) -> dict[str, Any]:
    nodes = [workplans.NodeInput(n.due, n.title, n.level, n.value) for n in body.nodes]
    with db.writer() as session:
        plan = workplans.save(
            session, user, task_id, nodes, body.note, body.submit, state.clock.now(), body.version
        )
        return _plan_out(session, user, plan, state.clock.today())


@router.get("/api/workplans/waiting", response_model=WorkPlanList)
def waiting_workplans(db: Db, user: CurrentUser) -> dict[str, Any]:
    with db.reader() as session:
        return {"items": workplans.waiting(session, user)}


def _review(plan_id: int, approve: bool, body: ReviewIn, db: Any, user: Any, state: Any) -> dict[str, Any]:
    with db.writer() as session:
        plan = workplans.review(
            session, user, plan_id, approve, body.comment, state.clock.now(), body.version
        )
        return _plan_out(session, user, plan, state.clock.today())


@router.post("/api/workplans/{plan_id}/approve", response_model=WorkPlanOut)
def approve_workplan(
    plan_id: PathId, db: Db, user: CurrentUser, state: State, body: ReviewIn | None = None
) -> dict[str, Any]:
    return _review(plan_id, True, body or ReviewIn(), db, user, state)


@router.post("/api/workplans/{plan_id}/return", response_model=WorkPlanOut)
def return_workplan(
    plan_id: PathId, body: ReviewIn, db: Db, user: CurrentUser, state: State
) -> dict[str, Any]:
    return _review(plan_id, False, body, db, user, state)


@router.post("/api/workplan-nodes/{node_id}/done", response_model=WorkPlanOut)
def node_done(
    node_id: PathId, db: Db, user: CurrentUser, state: State, body: NodeDoneIn | None = None
) -> dict[str, Any]:
    today = state.clock.today()
    with db.writer() as session:
        done_on = (body.done_on if body else None) or today
        plan = workplans.mark_node_done(session, user, node_id, done_on, state.clock.now())
        return _plan_out(session, user, plan, today)


@router.get("/api/rectifications", response_model=RectificationList)
def list_rectifications(
    db: Db,
    user: CurrentUser,
    state: State,
    plan: OptionalQueryId = None,
    unit: OptionalQueryId = None,
    status: Annotated[str | None, Query(pattern="^(open|answered|closed|overdue)$")] = None,
) -> dict[str, Any]:
    today = state.clock.today()
    with db.reader() as session:
        items = rectifications.listing(session, user, today, plan_id=plan, unit_id=unit, state=status)
        return {"items": items, "by_unit": rectifications.by_unit(session, user, today, plan)}


@router.post("/api/rectifications", status_code=201, response_model=RectificationOut)
def open_rectification(body: RectificationIn, db: Db, user: CurrentUser, state: State) -> dict[str, Any]:
    data = rectifications.OpenInput(body.task, body.problem, body.deadline, body.unit, body.measures)
    with db.writer() as session:
        item = rectifications.open_item(session, user, data, state.clock.now())
        return _rectification_out(session, user, item.id, state.clock.today())


def _rectification_out(session: Any, user: Any, item_id: int, today: date) -> dict[str, Any]:
    return rectifications.one(session, user, item_id, today)


@router.get("/api/rectifications/{item_id}", response_model=RectificationOut)
def get_rectification(item_id: PathId, db: Db, user: CurrentUser, state: State) -> dict[str, Any]:
    with db.reader() as session:
        return _rectification_out(session, user, item_id, state.clock.today())


@router.post("/api/rectifications/{item_id}/answer", response_model=RectificationOut)
def answer_rectification(
    item_id: PathId, body: AnswerIn, db: Db, user: CurrentUser, state: State
) -> dict[str, Any]:
    with db.writer() as session:
        rectifications.answer(
            session, user, item_id, body.text, body.measures, state.clock.now(), body.version
        )
        return _rectification_out(session, user, item_id, state.clock.today())


@router.post("/api/rectifications/{item_id}/close", response_model=RectificationOut)
def close_rectification(
    item_id: PathId, db: Db, user: CurrentUser, state: State, body: ReviewIn | None = None
) -> dict[str, Any]:
    body = body or ReviewIn()
    with db.writer() as session:
        rectifications.review(session, user, item_id, True, body.comment, state.clock.now(), body.version)
        return _rectification_out(session, user, item_id, state.clock.today())


@router.post("/api/rectifications/{item_id}/reopen", response_model=RectificationOut)
def reopen_rectification(
    item_id: PathId, body: ReviewIn, db: Db, user: CurrentUser, state: State
) -> dict[str, Any]:
    with db.writer() as session:
        rectifications.review(session, user, item_id, False, body.comment, state.clock.now(), body.version)
        return _rectification_out(session, user, item_id, state.clock.today())


@router.get("/api/tasks/{task_id}/report-start", response_model=FormStart)
def report_start(task_id: PathId, period: QueryId, db: Db, user: CurrentUser) -> dict[str, Any]:
    with db.reader() as session:
        return contributions.form_start(session, user, task_id, period)


@router.get("/api/tasks/{task_id}/contributions", response_model=ContributionList)
def task_contributions(task_id: PathId, period: QueryId, db: Db, user: CurrentUser) -> dict[str, Any]:
    with db.reader() as session:
        return {"items": contributions.of_report(session, user, task_id, period)}


@router.post("/api/tasks/{task_id}/contributions", status_code=201, response_model=ContributionOut)
def write_contribution(
    task_id: PathId, body: ContributionIn, db: Db, user: CurrentUser, state: State
) -> dict[str, Any]:
    with db.writer() as session:
        item = contributions.write(session, user, task_id, body.period, body.text, state.clock.now())
        return next(
            c for c in contributions.of_report(session, user, task_id, body.period) if c["id"] == item.id
        )


@router.get("/api/reports/{report_id}/changes", response_model=ReportChanges)
def report_changes(report_id: PathId, db: Db, user: CurrentUser) -> dict[str, Any]:
    with db.reader() as session:
        return contributions.changes_of(session, user, report_id)
