"""Response models of the 签收 / 调整 / 延期 / 申诉 / 领导批示 / 牵头领导 endpoints (``routers/requests.py``)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel


class ReceiptTask(BaseModel):
    id: int
    no: str
    text: str


class Receipt(BaseModel):
    task: int
    unit: int
    state: str
    confirmed_at: str


class UnitPending(BaseModel):
    unit: int
    name: str
    tasks: list[ReceiptTask]


class Receipts(BaseModel):
    """签收 of a published plan: how many (task, unit) pairs are confirmed, and the rest per unit."""

    plan: int
    published: bool
    total: int
    confirmed: int
    pending: int
    units: list[UnitPending]
    confirmed_tasks: list[int] = []


class UnitRequest(BaseModel):
    """A 调整, 延期 or 申诉 request; the fields of the other kinds are absent."""

    kind: Literal["adjustment", "extension", "appeal"]
    kind_label: str
    id: int
    task: int
    task_no: str | None = None
    task_text: str | None = None
    unit: int
    unit_name: str | None = None
    reason: str
    state: str
    state_label: str
    comment: str | None = None
    created_at: str | None = None
    decided_at: str | None = None
    version: int
    what: str | None = None
    what_label: str | None = None
    proposed_text: str | None = None
    proposed_unit: int | None = None
    proposed_unit_name: str | None = None
    old_due: str | None = None
    new_due: str | None = None
    period: int | None = None


class Answer(BaseModel):
    unit: int
    unit_name: str
    text: str
    created_at: str


class InstructionOut(BaseModel):
    id: int
    task: int
    task_no: str | None = None
    task_text: str | None = None
    report: int | None = None
    leader: str
    text: str
    state: str
    state_label: str
    created_at: str
    answered_at: str | None = None
    answers: list[Answer]


class ConfirmedUnit(BaseModel):
    unit: int
    unit_name: str
    confirmed_at: str


class TaskRequests(BaseModel):
    """Everything asked about one task, for its timeline on 任务详情."""

    task: int
    published: bool
    receipts: list[ConfirmedUnit]
    unconfirmed: list[int]
    requests: list[UnitRequest]
    instructions: list[InstructionOut]


class Queue(BaseModel):
    requests: list[UnitRequest]
    instructions: list[InstructionOut]
    pending_requests: int
    open_instructions: int


class LeadingTask(BaseModel):
    id: int
    plan: int
    no: str
    text: str
    leaders: list[str]
    due: str | None = None
    open_instructions: int


class Leading(BaseModel):
    leader_name: str | None
    items: list[LeadingTask]
    total: int


class TaskLeaders(BaseModel):
    task: int
    leaders: list[str]
    changed: int


class SectionLeaders(BaseModel):
    plan: int
    section: str
    leaders: list[str]
    changed: int


class LeaderName(BaseModel):
    id: int
    username: str
    leader_name: str | None
