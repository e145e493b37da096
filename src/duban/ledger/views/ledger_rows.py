"""The rows of the ledger documents (workbook, bulletin): every task of a period's figures with its units and
the latest approved report those figures count."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from duban.ledger.rules import status
from duban.ledger.store.models import Report, Task, TaskUnit, Unit
from duban.ledger.views.figures import PlanFigures, TaskFigure


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
