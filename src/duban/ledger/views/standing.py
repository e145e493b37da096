"""The stored facts a plan's figures are computed from (tasks, periods, targets, the reporting units'
reports), loaded in a fixed number of queries whatever the plan's size (the rows of the ledger documents are
:mod:`duban.ledger.views.ledger_rows`). The figures themselves are :mod:`duban.ledger.views.figures`."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import Text, cast, select
from sqlalchemy.orm import Session

from duban.ledger.errors import NotFound
from duban.ledger.rules import status
from duban.ledger.store.models import (
    Appeal,
    Period,
    Plan,
    Rectification,
    Report,
    Target,
    Task,
    WorkPlan,
    WorkPlanNode,
)


@dataclass(frozen=True, slots=True)
class TaskInfo:
    """What the figures and the documents need of a task, read as columns: a plan of 3,000 tasks loads
    several times faster than as ORM entities, and nothing here is written back."""

    id: int
    plan_id: int
    position: int
    no: str
    section_key: str | None
    kind: str
    name: str | None
    text: str
    leaders: list[str]
    due: date | None
    reporting_unit_id: int | None
    assessed: bool


TASK_COLUMNS = (
    Task.id,
    Task.plan_id,
    Task.position,
    Task.no,
    Task.section_key,
    Task.kind,
    Task.name,
    Task.text,
    cast(Task.leaders, Text).label("leaders"),
    Task.due,
    Task.reporting_unit_id,
    Task.assessed,
)


@dataclass(frozen=True, slots=True)
class RectificationInfo:
    """A rectification as the figures and the documents need it (整改台账 sheet, bulletin, ranking)."""

    id: int
    task_id: int
    unit_id: int
    problem: str
    measures: str
    deadline: date
    state: str
    opened_on: date
    closed_on: date | None
    answers: list[dict[str, Any]]

    @property
    def fact(self) -> status.RectificationFact:
        return status.RectificationFact(self.unit_id, self.deadline, self.opened_on, self.closed_on)

    def overdue(self, on: date) -> bool:
        return status.is_overdue(self.fact, on)


@dataclass
class PlanFacts:
    plan: Plan
    tasks: list[TaskInfo]
    periods: list[Period]
    facts: dict[int, status.TaskFacts]
    facts_periods: list[status.PeriodFact]
    # 申诉 granted: (task, period) cases of the reporting unit set aside (figures.py leaves them out).
    excused: set[tuple[int, int]] = field(default_factory=set)
    # 整改台账: the plan's rectifications, for the ranking's penalty on those open past their deadline.
    rectifications: list[RectificationInfo] = field(default_factory=list)

    @property
    def rectification_facts(self) -> list[status.RectificationFact]:
        return [r.fact for r in self.rectifications]


def _leaders(raw: str | None) -> list[str]:
    return [] if not raw or raw == "[]" else list(json.loads(raw) or [])


def _values(raw: str | None) -> Mapping[int, float]:
    """A report's target values, read as text and decoded only when there are some (most reports have none)."""
    if not raw or raw in ("[]", "null"):
        return status.NO_VALUES
    return {int(v["target"]): float(v["value"]) for v in json.loads(raw) or []}


def _report_fact(row: Any) -> status.ReportFact:
    return status.ReportFact(
        row.period_id,
        row.revision,
        row.progress,
        row.completed,
        _values(row.values),
        row.first_submitted_at.date() if row.first_submitted_at else None,
        row.approved_at.date() if row.state == "approved" and row.approved_at else None,
        row.id,
    )


def load(session: Session, plan_id: int) -> PlanFacts:
    loaded = load_many(session, [plan_id])
    if plan_id not in loaded:
        raise NotFound("计划不存在 / no such plan")
    return loaded[plan_id]


def _work_plans(
    session: Session, plans: Collection[int], reporting: dict[int, int | None]
) -> dict[int, list[status.WorkPlanFact]]:
    """The approved 实施方案 of each task's reporting unit, with their nodes, in one query."""
    nodes: dict[int, list[status.NodeFact]] = defaultdict(list)
    heads: dict[int, tuple[int, date]] = {}
    for row in session.execute(
        select(
            WorkPlan.id,
            WorkPlan.task_id,
            WorkPlan.unit_id,
            WorkPlan.approved_at,
            WorkPlanNode.due,
            WorkPlanNode.title,
            WorkPlanNode.level,
            WorkPlanNode.value,
            WorkPlanNode.done_on,
        )
        .join(WorkPlanNode, WorkPlanNode.work_plan_id == WorkPlan.id)
        .join(Task, Task.id == WorkPlan.task_id)
        .where(Task.plan_id.in_(plans), WorkPlan.state == "approved", WorkPlan.approved_at.is_not(None))
        .order_by(WorkPlan.id, WorkPlanNode.position)
    ):
        if reporting.get(row.task_id) != row.unit_id:
            continue  # only the reporting unit's plan judges the task
        heads[row.id] = (row.task_id, row.approved_at.date())
        nodes[row.id].append(status.NodeFact(row.due, row.title, row.level, row.value, row.done_on))
    by_task: dict[int, list[status.WorkPlanFact]] = defaultdict(list)
    for plan_id, (task_id, approved_on) in heads.items():
        by_task[task_id].append(status.WorkPlanFact(approved_on, tuple(nodes[plan_id]), plan_id))
    return by_task


def _rectifications(session: Session, plans: Collection[int]) -> dict[int, list[RectificationInfo]]:
    found: dict[int, list[RectificationInfo]] = defaultdict(list)
    for row in session.scalars(
        select(Rectification).where(Rectification.plan_id.in_(plans)).order_by(Rectification.id)
    ):
        found[row.plan_id].append(
            RectificationInfo(
                row.id,
                row.task_id,
                row.unit_id,
                row.problem,
                row.measures,
                row.deadline,
                row.state,
                row.opened_on,
                row.closed_on,
                list(row.answers or []),
            )
        )
    return found


def load_many(session: Session, plan_ids: Collection[int]) -> dict[int, PlanFacts]:
    """The facts of several plans in seven queries whatever their number and size (a city's comparison
    reads every county's plan at once). Reports are read as columns, not entities: only the reporting
    unit's count, and a plan of 3,000 tasks has tens of thousands of them."""
    if not plan_ids:
        return {}
    plans = {p.id: p for p in session.scalars(select(Plan).where(Plan.id.in_(plan_ids)))}
    tasks: dict[int, list[TaskInfo]] = defaultdict(list)
    for task_row in session.execute(
        select(*TASK_COLUMNS).where(Task.plan_id.in_(plans)).order_by(Task.plan_id, Task.position)
    ):
        values: list[Any] = list(task_row)
        values[8] = _leaders(values[8])
        tasks[task_row.plan_id].append(TaskInfo(*values))
    periods: dict[int, list[Period]] = defaultdict(list)
    for period in session.scalars(
        select(Period).where(Period.plan_id.in_(plans)).order_by(Period.due, Period.id)
    ):
        periods[period.plan_id].append(period)
    targets: dict[int, list[status.TargetSpec]] = defaultdict(list)
    for task_id, value, op in session.execute(
        select(Target.task_id, Target.value, Target.op)
        .join(Task, Task.id == Target.task_id)
        .where(Task.plan_id.in_(plans))
        .order_by(Target.task_id, Target.index)
    ):
        targets[task_id].append(status.TargetSpec(value, op))
    reporting = {t.id: t.reporting_unit_id for group in tasks.values() for t in group}
    reports: dict[int, list[status.ReportFact]] = defaultdict(list)
    for row in session.execute(
        select(
            Report.id,
            Report.task_id,
            Report.unit_id,
            Report.period_id,
            Report.revision,
            Report.progress,
            Report.completed,
            cast(Report.values, Text).label("values"),
            Report.first_submitted_at,
            Report.approved_at,
            Report.state,
        )
        .join(Task, Task.id == Report.task_id)
        .where(Task.plan_id.in_(plans), Report.state != "draft")
    ):
        if reporting.get(row.task_id) == row.unit_id:
            reports[row.task_id].append(_report_fact(row))
    excused: dict[int, set[tuple[int, int]]] = defaultdict(set)
    plan_of = {t.id: t.plan_id for group in tasks.values() for t in group}
    for task_id, unit_id, period_id in session.execute(
        select(Appeal.task_id, Appeal.unit_id, Appeal.period_id)
        .join(Task, Task.id == Appeal.task_id)
        .where(Task.plan_id.in_(plans), Appeal.state == "granted")
    ):
        if reporting.get(task_id) == unit_id:
            excused[plan_of[task_id]].add((task_id, period_id))
    work_plans = _work_plans(session, plans, reporting)
    rectifications = _rectifications(session, plans)
    result = {}
    for plan_id, plan in plans.items():
        period_facts = [status.PeriodFact(p.id, p.due) for p in periods[plan_id]]
        start = status.task_start(plan.issued_on, plan.year)
        facts = {
            t.id: status.TaskFacts(
                task_id=t.id,
                start=start,
                due=status.task_due(t.due, plan.year),
                periods=period_facts,
                reports=reports[t.id],
                targets=targets[t.id],
                work_plans=work_plans.get(t.id, ()),
            )
            for t in tasks[plan_id]
        }
        result[plan_id] = PlanFacts(
            plan,
            tasks[plan_id],
            periods[plan_id],
            facts,
            period_facts,
            excused[plan_id],
            rectifications.get(plan_id, []),
        )
    return result
