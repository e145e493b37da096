"""Where a plan stands on a day: loads the facts from the database and applies the pure rules of
``status`` (序时进度, colours, arrows, rankings). Three queries per plan, whatever its size."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from duban.ledger import rules, status
from duban.ledger.errors import NotFound
from duban.ledger.models import Period, Plan, Report, Target, Task, Unit


@dataclass
class PlanFacts:
    plan: Plan
    tasks: list[Task]
    periods: list[Period]
    facts: dict[int, status.TaskFacts]


def _report_fact(report: Report) -> status.ReportFact:
    return status.ReportFact(
        period_id=report.period_id,
        revision=report.revision,
        progress=report.progress,
        completed=report.completed,
        values={int(v["target"]): float(v["value"]) for v in report.values or []},
        submitted_on=report.first_submitted_at.date() if report.first_submitted_at else None,
        approved_on=report.approved_at.date() if report.state == "approved" and report.approved_at else None,
    )


def load(session: Session, plan_id: int) -> PlanFacts:
    plan = session.get(Plan, plan_id)
    if plan is None:
        raise NotFound("计划不存在 / no such plan")
    tasks = list(session.scalars(select(Task).where(Task.plan_id == plan_id).order_by(Task.position)))
    periods = list(session.scalars(select(Period).where(Period.plan_id == plan_id).order_by(Period.due)))
    period_facts = [status.PeriodFact(p.id, p.due) for p in periods]
    targets: dict[int, list[status.TargetSpec]] = defaultdict(list)
    target_rows = session.execute(
        select(Target.task_id, Target.value, Target.op)
        .join(Task, Task.id == Target.task_id)
        .where(Task.plan_id == plan_id)
        .order_by(Target.task_id, Target.index)
    )
    for task_id, value, op in target_rows:
        targets[task_id].append(status.TargetSpec(value, op))
    reporting = {t.id: t.reporting_unit_id for t in tasks}
    reports: dict[int, list[status.ReportFact]] = defaultdict(list)
    report_rows = session.scalars(
        select(Report)
        .join(Task, Task.id == Report.task_id)
        .where(Task.plan_id == plan_id, Report.state != "draft")
    )
    for report in report_rows:
        if reporting.get(report.task_id) == report.unit_id:
            reports[report.task_id].append(_report_fact(report))
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
        for t in tasks
    }
    return PlanFacts(plan, tasks, periods, facts)


def plan_status(session: Session, plan_id: int, on: date) -> list[tuple[Task, status.TaskStatus]]:
    loaded = load(session, plan_id)
    plan_rules = rules.rules_for(session, plan_id)
    return [(t, status.task_status(loaded.facts[t.id], on, plan_rules)) for t in loaded.tasks]


def plan_rankings(session: Session, plan_id: int, period_id: int, on: date) -> list[status.RankingRow]:
    loaded = load(session, plan_id)
    if not any(p.id == period_id for p in loaded.periods):
        raise NotFound("报送期不存在 / no such period in this plan")
    by_unit: dict[int, list[status.TaskFacts]] = defaultdict(list)
    for task in loaded.tasks:
        if task.reporting_unit_id is not None:
            by_unit[task.reporting_unit_id].append(loaded.facts[task.id])
    names = dict(session.execute(select(Unit.id, Unit.name).where(Unit.id.in_(list(by_unit)))).all())
    unit_facts = [status.UnitFacts(uid, names.get(uid, str(uid)), tasks) for uid, tasks in by_unit.items()]
    period_facts = [status.PeriodFact(p.id, p.due) for p in loaded.periods]
    return status.rankings(unit_facts, period_facts, period_id, on, rules.rules_for(session, plan_id))


def task_ids_query(plan_id: int) -> Any:
    """``select(Task)`` of one plan, for narrowing by ``access.visible_tasks``."""
    return select(Task).where(Task.plan_id == plan_id)


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


def ledger_rows(session: Session, plan_id: int, on: date) -> tuple[Plan, list[LedgerRow]]:
    """Every task of a plan with its units, its standing on ``on`` and its latest approved report."""
    from duban.ledger.models import Section, TaskUnit

    loaded = load(session, plan_id)
    plan_rules = rules.rules_for(session, plan_id)
    titles = {s.key: s.title for s in session.scalars(select(Section).where(Section.plan_id == plan_id))}
    links: dict[int, list[tuple[str, str, int]]] = defaultdict(list)
    for task_id, role, name, unit_id in session.execute(
        select(TaskUnit.task_id, TaskUnit.role, Unit.name, Unit.id)
        .join(Unit, Unit.id == TaskUnit.unit_id)
        .join(Task, Task.id == TaskUnit.task_id)
        .where(Task.plan_id == plan_id)
        .order_by(TaskUnit.task_id, TaskUnit.position)
    ):
        links[task_id].append((role, name, unit_id))
    latest: dict[int, Report] = {}
    reporting_of = {t.id: t.reporting_unit_id for t in loaded.tasks}
    for report in session.scalars(
        select(Report)
        .join(Task, Task.id == Report.task_id)
        .where(Task.plan_id == plan_id, Report.state == "approved")
    ):
        if report.approved_at is None or report.approved_at.date() > on:
            continue
        if report.unit_id != reporting_of.get(report.task_id):
            continue
        current = latest.get(report.task_id)
        if current is None or (report.approved_at, report.revision) > (current.approved_at, current.revision):
            latest[report.task_id] = report
    rows = []
    for task in loaded.tasks:
        units_here = links[task.id]
        reporting = next((n for _, n, uid in units_here if uid == task.reporting_unit_id), "")
        approved = latest.get(task.id)
        rows.append(
            LedgerRow(
                no=task.no,
                section=titles.get(task.section_key or "", ""),
                kind=task.kind,
                name=task.name,
                text=task.text,
                leaders=list(task.leaders or []),
                lead_units=[n for r, n, _ in units_here if r == "lead"],
                other_units=[n for r, n, _ in units_here if r != "lead"],
                reporting_unit=reporting,
                due=loaded.facts[task.id].due,
                status=status.task_status(loaded.facts[task.id], on, plan_rules),
                latest_text=approved.text if approved else "",
                latest_problems=approved.problems if approved else "",
                latest_next_steps=approved.next_steps if approved else "",
                task_id=task.id,
                stated_due=task.due,
                reporting_unit_id=task.reporting_unit_id,
                latest_progress=approved.progress if approved else None,
            )
        )
    return loaded.plan, rows
