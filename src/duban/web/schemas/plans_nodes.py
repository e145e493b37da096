"""Response models of issue 21's plans half: 实施方案 (work plans of dated nodes), 整改台账 (rectifications),
and reporting once (the form's starting values, contributions, a report's changes word by word)."""

from __future__ import annotations

from pydantic import BaseModel


class NodeOut(BaseModel):
    id: int
    position: int
    due: str
    title: str
    level: float | None
    value: float | None
    done_on: str | None


class WorkPlanOut(BaseModel):
    id: int
    task: int
    unit: int
    unit_name: str
    state: str
    state_label: str
    note: str
    submitted_at: str | None
    approved_at: str | None
    review_comment: str | None
    version: int
    in_force: bool
    nodes: list[NodeOut]


class WorkPlanList(BaseModel):
    items: list[WorkPlanOut]


class AnswerOut(BaseModel):
    at: str
    by: str
    text: str


class RectificationOut(BaseModel):
    id: int
    plan: int
    task: int
    task_no: str
    task_name: str
    unit: int
    unit_name: str
    problem: str
    measures: str
    deadline: str
    state: str
    state_label: str
    overdue: bool
    answers: list[AnswerOut]
    opened_on: str
    closed_on: str | None
    close_comment: str | None
    version: int


class UnitRectifications(BaseModel):
    unit: int
    unit_name: str
    open: int
    overdue: int
    closed: int


class RectificationList(BaseModel):
    items: list[RectificationOut]
    by_unit: list[UnitRectifications]


class ContributionOut(BaseModel):
    id: int
    task: int
    unit: int
    unit_name: str
    period: int
    text: str
    updated_at: str
    version: int


class ContributionList(BaseModel):
    items: list[ContributionOut]


class TargetValue(BaseModel):
    target: int
    value: float


class FormStart(BaseModel):
    """Where a report form starts: ``origin`` ``this_period`` (the unit's report for the period),
    ``copied`` (its last report, copied forward) or ``empty``."""

    task: int
    period: int
    origin: str
    from_report: int | None
    from_period: str | None
    progress: float | None
    text: str
    problems: str
    next_steps: str
    completed: bool
    values: list[TargetValue]
    contributions: list[ContributionOut]


class Segment(BaseModel):
    op: str  # same / added / removed
    text: str


class FieldChange(BaseModel):
    field: str
    label: str
    segments: list[Segment]
    changed: bool


class BeforeAfterFloat(BaseModel):
    before: float | None
    after: float


class BeforeAfterBool(BaseModel):
    before: bool | None
    after: bool


class ReportChanges(BaseModel):
    report: int
    previous: int | None
    previous_period: str | None
    progress: BeforeAfterFloat
    completed: BeforeAfterBool
    fields: list[FieldChange]
    contributions: list[ContributionOut]
