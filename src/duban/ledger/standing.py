"""The stored facts a plan's figures are computed from (tasks, periods, targets, the reporting units'
reports), loaded in a fixed number of queries whatever the plan's size, and the rows of the ledger
documents. The figures themselves are :mod:`duban.ledger.figures`."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from sqlalchemy import Text, cast, select
from sqlalchemy.orm import Session

from duban.ledger import status
from duban.ledger.errors import NotFound
from duban.ledger.models import Period, Plan, Report, Target, Task, Unit

if TYPE_CHECKING:
    from duban.ledger.figures import PlanFigures, TaskFigure


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


@dataclass
class PlanFacts:
    plan: Plan
    tasks: list[TaskInfo]
    periods: list[Period]
    facts: dict[int, status.TaskFacts]
    facts_periods: list[status.PeriodFact]


def _leaders(raw: str | None) -> list[str]:
    return [] if not raw or raw == "[]" else list(json.loads(raw) or [])


def _values(raw: str | None) -> dict[int, float]:
    """A report's target values, read as text and decoded only when there are some (most reports have none)."""
    if not raw or raw in ("[]", "null"):
        return {}
    return {int(v["target"]): float(v["value"]) for v in json.loads(raw) or []}


def _report_fact(row: Any) -> status.ReportFact:
    return status.ReportFact(
        period_id=row.period_id,
        revision=row.revision,
        progress=row.progress,
        completed=row.completed,
        values=_values(row.values),
        submitted_on=row.first_submitted_at.date() if row.first_submitted_at else None,
        approved_on=row.approved_at.date() if row.state == "approved" and row.approved_at else None,
        report_id=row.id,
    )


def load(session: Session, plan_id: int) -> PlanFacts:
    loaded = load_many(session, [plan_id])
    if plan_id not in loaded:
        raise NotFound("计划不存在 / no such plan")
    return loaded[plan_id]


def load_many(session: Session, plan_ids: Collection[int]) -> dict[int, PlanFacts]:
    """The facts of several plans in five queries whatever their number and size (a city's comparison
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
            )
            for t in tasks[plan_id]
        }
        result[plan_id] = PlanFacts(plan, tasks[plan_id], periods[plan_id], facts, period_facts)
    return result


@dataclass
class LedgerRow:
    """One task as the ledger workbook and the bulletin show it."""

    no: str
    section: str
    kind: str
    name: str | None
    text: str
    leaders: list[str]
    lead_units: list[str]
    other_units: list[str]
    reporting_unit: str
    due: date
    status: status.TaskStatus
    latest_text: str = ""
    latest_problems: str = ""
    latest_next_steps: str = ""
    task_id: int = 0
    stated_due: date | None = None
    reporting_unit_id: int | None = None
    latest_progress: float | None = None
    figure: TaskFigure | None = None


def ledger_rows(session: Session, figures: PlanFigures) -> list[LedgerRow]:
    """Every task of the figures with its units and the latest approved report those figures count."""
    from duban.ledger.models import TaskUnit

    plan_id = figures.plan.id
    links: dict[int, list[tuple[str, str, int]]] = defaultdict(list)
    for task_id, role, name, unit_id in session.execute(
        select(TaskUnit.task_id, TaskUnit.role, Unit.name, Unit.id)
        .join(Unit, Unit.id == TaskUnit.unit_id)
        .join(Task, Task.id == TaskUnit.task_id)
        .where(Task.plan_id == plan_id)
        .order_by(TaskUnit.task_id, TaskUnit.position)
    ):
        links[task_id].append((role, name, unit_id))
    wanted = [f.approved_report_id for f in figures.tasks if f.approved_report_id is not None]
    texts = {
        row.id: row
        for start in range(0, len(wanted), 900)
        for row in session.execute(
            select(Report.id, Report.text, Report.problems, Report.next_steps, Report.progress).where(
                Report.id.in_(wanted[start : start + 900])
            )
        )
    }
    rows = []
    for figure in figures.tasks:
        task = figure.task
        units_here = links[task.id]
        approved = texts.get(figure.approved_report_id or 0)
        rows.append(
            LedgerRow(
                no=task.no,
                section=figures.section_titles.get(task.section_key or "", ""),
                kind=task.kind,
                name=task.name,
                text=task.text,
                leaders=list(task.leaders or []),
                lead_units=[n for r, n, _ in units_here if r == "lead"],
                other_units=[n for r, n, _ in units_here if r != "lead"],
                reporting_unit=figures.unit_names.get(task.reporting_unit_id or 0, ""),
                due=figures.due_of(task.id),
                status=figure.status,
                latest_text=approved.text if approved else "",
                latest_problems=approved.problems if approved else "",
                latest_next_steps=approved.next_steps if approved else "",
                task_id=task.id,
                stated_due=task.due,
                reporting_unit_id=task.reporting_unit_id,
                latest_progress=figure.status.progress if figure.status.reported else None,
                figure=figure,
            )
        )
    return rows
