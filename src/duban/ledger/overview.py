"""总览: where a plan stands on a day, in one call — counts by colour and arrow; by section, leader and unit;
the missing and late reports of the period being chased; the latest changes.

"The period being chased" is the latest period due before the day (its reports are now missing or late),
else the first period. Everything is computed from ``standing.load`` (three queries) plus two small ones,
so the page loads in one round trip whatever the plan's size.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from duban.ledger import reasons, rules, standing, status
from duban.ledger.models import Change, Period, Report, Section, Task, Unit

COLOURS = ("done", "blue", "yellow", "red")
ARROWS = ("up", "down", "same")


@dataclass
class Row:
    task: Task
    status: status.TaskStatus
    reason: str


def explained(session: Session, plan_id: int, on: date) -> tuple[standing.PlanFacts, list[Row]]:
    """Every task of the plan with its status on ``on`` and the reason for its colour."""
    loaded = standing.load(session, plan_id)
    plan_rules = rules.rules_for(session, plan_id)
    names = {p.id: p.name for p in loaded.periods}
    rows = [
        Row(
            t,
            status.task_status(loaded.facts[t.id], on, plan_rules),
            reasons.explain(loaded.facts[t.id], on, plan_rules, names),
        )
        for t in loaded.tasks
    ]
    return loaded, rows


def counts(rows: Iterable[Row]) -> dict[str, int]:
    seen: Counter[str] = Counter(r.status.colour for r in rows)
    result = {c: seen[c] for c in COLOURS}
    result["total"] = sum(seen.values())
    return result


def chased_period(periods: list[Period], on: date) -> Period | None:
    past = [p for p in periods if p.due < on]
    return past[-1] if past else (periods[0] if periods else None)


def period_json(period: Period | None) -> dict[str, Any] | None:
    if period is None:
        return None
    return {"id": period.id, "name": period.name, "due": period.due.isoformat()}


def _grouped(rows: list[Row], key_of: Any) -> dict[Any, list[Row]]:
    groups: dict[Any, list[Row]] = defaultdict(list)
    for row in rows:
        for key in key_of(row):
            groups[key].append(row)
    return groups


def _late_and_missing(
    session: Session, rows: list[Row], period: Period | None, on: date, unit_names: dict[int, str]
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    if period is None:
        return [], []
    by_task = {r.task.id: r for r in rows}
    first: dict[int, Any] = {}
    for task_id, unit_id, submitted in session.execute(
        select(Report.task_id, Report.unit_id, Report.first_submitted_at).where(
            Report.period_id == period.id, Report.first_submitted_at.is_not(None)
        )
    ):
        row = by_task.get(task_id)
        if row is None or row.task.reporting_unit_id != unit_id:
            continue
        if task_id not in first or submitted < first[task_id]:
            first[task_id] = submitted

    def item(row: Row) -> dict[str, Any]:
        unit = row.task.reporting_unit_id
        return {
            "task": row.task.id,
            "no": row.task.no,
            "name": row.task.name or row.task.text[:40],
            "unit_id": unit,
            "unit": unit_names.get(unit, "") if unit else "",
            "colour": row.status.colour,
        }

    missing, late = [], []
    for row in rows:
        if row.task.reporting_unit_id is None:
            continue
        submitted = first.get(row.task.id)
        if period.due < on and (submitted is None or submitted.date() > on):
            missing.append(item(row))
        elif submitted is not None and period.due < submitted.date() <= on:
            late.append({**item(row), "submitted_on": submitted.date().isoformat()})
    return missing, late


def latest_changes(session: Session, limit: int = 10) -> list[dict[str, Any]]:
    changes = session.scalars(select(Change).order_by(Change.id.desc()).limit(limit))
    return [
        {
            "id": c.id,
            "at": c.at.isoformat(timespec="seconds"),
            "actor": c.actor,
            "object_type": c.object_type,
            "object_id": c.object_id,
            "action": c.action,
        }
        for c in changes
    ]


def overview(
    session: Session,
    plan_id: int,
    on: date,
    leader: str | None = None,
    visible: Collection[int] | None = None,
    with_changes: bool = True,
) -> dict[str, Any]:
    """The 总览 page's figures. ``leader`` narrows to that leader's portfolio; ``visible`` to a unit's tasks."""
    loaded, rows = explained(session, plan_id, on)
    if leader:
        rows = [r for r in rows if leader in (r.task.leaders or [])]
    if visible is not None:
        rows = [r for r in rows if r.task.id in visible]
    sections = {s.key: s.title for s in session.scalars(select(Section).where(Section.plan_id == plan_id))}
    unit_ids = {r.task.reporting_unit_id for r in rows if r.task.reporting_unit_id is not None}
    unit_names = dict(session.execute(select(Unit.id, Unit.name).where(Unit.id.in_(unit_ids))).all())
    by_section = _grouped(rows, lambda r: [r.task.section_key or ""])
    by_leader = _grouped(rows, lambda r: r.task.leaders or ["（未列领导）"])
    by_unit = _grouped(rows, lambda r: [r.task.reporting_unit_id] if r.task.reporting_unit_id else [])
    period = chased_period(loaded.periods, on)
    missing, late = _late_and_missing(session, rows, period, on, unit_names)
    return {
        "plan": plan_id,
        "on": on.isoformat(),
        "leader": leader,
        "counts": counts(rows),
        "arrows": {a: sum(r.status.arrow == a for r in rows) for a in ARROWS},
        "by_section": [
            {"key": key, "title": sections.get(key, "（未分部分）"), "counts": counts(group)}
            for key, group in by_section.items()
        ],
        "by_leader": [
            {"name": name, "counts": counts(group)}
            for name, group in sorted(by_leader.items(), key=lambda kv: -len(kv[1]))
        ],
        "by_unit": [
            {"unit_id": unit_id, "name": unit_names.get(unit_id, str(unit_id)), "counts": counts(group)}
            for unit_id, group in sorted(by_unit.items(), key=lambda kv: (-len(kv[1]), kv[0]))
        ],
        "period": period_json(period),
        "missing": missing,
        "late": late,
        "changes": latest_changes(session) if with_changes else [],
    }
