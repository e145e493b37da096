"""签收, 调整, 延期, 申诉, 领导批示 (issue 21) and 牵头领导 / 我分管的 (issue 23): thin adapters over
``ledger.services.requests`` (which holds every query, rule and permission check)."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Query
from pydantic import Field

from duban.ledger.services import requests as asks
from duban.web.deps import CurrentUser, Db, State
from duban.web.schemas import requests as out
from duban.web.validation import MAX_ID, Body, Day, Id, OptionalQueryId, PathId

router = APIRouter(prefix="/api", tags=["签收与申请 requests"])

Reason = Field(min_length=1, max_length=5000)


class AdjustmentBody(Body):
    what: Literal["text", "lead", "not_ours"] = Field(
        description="text：修改任务表述；lead：更换牵头单位；not_ours：非本单位职责"
    )
    reason: str = Reason
    text: str | None = Field(default=None, max_length=20000, description="建议的任务表述（text）")
    unit: str | None = Field(default=None, max_length=200, description="建议的牵头单位名称（lead）")


class ExtensionBody(Body):
    reason: str = Reason
    due: Day = Field(description="申请延至的完成时限")


class AppealBody(Body):
    period: Id
    what: Literal["missing", "late", "colour"] = Field(
        description="missing：未报送；late：逾期；colour：颜色"
    )
    reason: str = Reason


class DecisionBody(Body):
    grant: bool
    comment: str = Field(default="", max_length=5000)
    version: int | None = Field(default=None, ge=0, le=MAX_ID)


class InstructionBody(Body):
    text: str = Field(min_length=1, max_length=5000)
    report: Id | None = None
    leader: str | None = Field(default=None, max_length=50, description="督查室代录时：批示的领导")


class AnswerBody(Body):
    text: str = Field(min_length=1, max_length=5000)


class LeadersBody(Body):
    leaders: list[str] = Field(min_length=1, max_length=20)


class LeaderNameBody(Body):
    leader_name: str | None = Field(default=None, max_length=50)


@router.post("/tasks/{task_id}/receipt", status_code=201, response_model=out.Receipt)
def confirm_task(task_id: PathId, state: State, db: Db, user: CurrentUser) -> dict[str, Any]:
    with db.writer() as session:
        return asks.confirm(session, user, task_id, state.clock.now())


@router.get("/plans/{plan_id}/receipts", response_model=out.Receipts)
def plan_receipts(plan_id: PathId, db: Db, user: CurrentUser) -> dict[str, Any]:
    with db.reader() as session:
        return asks.receipts(session, user, plan_id)


@router.post("/tasks/{task_id}/adjustments", status_code=201, response_model=out.UnitRequest)
def ask_adjustment(
    task_id: PathId, body: AdjustmentBody, state: State, db: Db, user: CurrentUser
) -> dict[str, Any]:
    data = asks.AdjustmentInput(body.what, body.reason, body.text, body.unit)
    with db.writer() as session:
        return asks.request_adjustment(session, user, task_id, data, state.clock.now())


@router.post("/tasks/{task_id}/extensions", status_code=201, response_model=out.UnitRequest)
def ask_extension(
    task_id: PathId, body: ExtensionBody, state: State, db: Db, user: CurrentUser
) -> dict[str, Any]:
    with db.writer() as session:
        return asks.request_extension(session, user, task_id, body.reason, body.due, state.clock.now())


@router.post("/tasks/{task_id}/appeals", status_code=201, response_model=out.UnitRequest)
def ask_appeal(task_id: PathId, body: AppealBody, state: State, db: Db, user: CurrentUser) -> dict[str, Any]:
    with db.writer() as session:
        return asks.request_appeal(
            session, user, task_id, body.period, body.what, body.reason, state.clock.now()
        )


def _decide(
    kind: str, request_id: int, body: DecisionBody, state: State, db: Db, user: Any
) -> dict[str, Any]:
    with db.writer() as session:
        return asks.decide(
            session, user, kind, request_id, body.grant, body.comment, body.version, state.clock.now()
        )


@router.post("/adjustments/{request_id}/decision", response_model=out.UnitRequest)
def decide_adjustment(
    request_id: PathId, body: DecisionBody, state: State, db: Db, user: CurrentUser
) -> dict[str, Any]:
    return _decide("adjustment", request_id, body, state, db, user)


@router.post("/extensions/{request_id}/decision", response_model=out.UnitRequest)
def decide_extension(
    request_id: PathId, body: DecisionBody, state: State, db: Db, user: CurrentUser
) -> dict[str, Any]:
    return _decide("extension", request_id, body, state, db, user)


@router.post("/appeals/{request_id}/decision", response_model=out.UnitRequest)
def decide_appeal(
    request_id: PathId, body: DecisionBody, state: State, db: Db, user: CurrentUser
) -> dict[str, Any]:
    return _decide("appeal", request_id, body, state, db, user)


@router.post("/tasks/{task_id}/instructions", status_code=201, response_model=out.InstructionOut)
def write_instruction(
    task_id: PathId, body: InstructionBody, state: State, db: Db, user: CurrentUser
) -> dict[str, Any]:
    with db.writer() as session:
        return asks.write_instruction(
            session, user, task_id, body.text, body.report, state.clock.now(), body.leader
        )


@router.post("/instructions/{instruction_id}/answers", status_code=201, response_model=out.InstructionOut)
def answer_instruction(
    instruction_id: PathId, body: AnswerBody, state: State, db: Db, user: CurrentUser
) -> dict[str, Any]:
    with db.writer() as session:
        return asks.answer_instruction(session, user, instruction_id, body.text, state.clock.now())


@router.get("/tasks/{task_id}/requests", response_model=out.TaskRequests)
def task_requests(task_id: PathId, db: Db, user: CurrentUser) -> dict[str, Any]:
    with db.reader() as session:
        return asks.of_task(session, user, task_id)


@router.get("/requests", response_model=out.Queue)
def request_queue(
    db: Db,
    user: CurrentUser,
    plan: OptionalQueryId = None,
    all: bool = Query(default=False, description="true：连同已处理的申请和已答复的批示"),
) -> dict[str, Any]:
    with db.reader() as session:
        return asks.queue(session, user, plan, include_closed=all)


@router.get("/leading", response_model=out.Leading)
def leading_tasks(db: Db, user: CurrentUser, plan: OptionalQueryId = None) -> dict[str, Any]:
    with db.reader() as session:
        return asks.leading(session, user, plan)


@router.put("/tasks/{task_id}/leaders", response_model=out.TaskLeaders)
def set_task_leaders(
    task_id: PathId, body: LeadersBody, state: State, db: Db, user: CurrentUser
) -> dict[str, Any]:
    with db.writer() as session:
        return asks.set_task_leaders(session, user, task_id, body.leaders, state.clock.now())


@router.put("/plans/{plan_id}/sections/{section_key}/leaders", response_model=out.SectionLeaders)
def set_section_leaders(
    plan_id: PathId, section_key: str, body: LeadersBody, state: State, db: Db, user: CurrentUser
) -> dict[str, Any]:
    with db.writer() as session:
        return asks.set_section_leaders(
            session, user, plan_id, section_key[:50], body.leaders, state.clock.now()
        )


@router.put("/users/{user_id}/leader-name", response_model=out.LeaderName)
def set_leader_name(
    user_id: PathId, body: LeaderNameBody, state: State, db: Db, user: CurrentUser
) -> dict[str, Any]:
    with db.writer() as session:
        return asks.set_leader_name(session, user, user_id, body.leader_name, state.clock.now())
