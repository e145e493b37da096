"""总览: a plan's figures for one period taken on one day (:mod:`duban.ledger.views.figures`), in one call —
counts by colour and arrow; by section, leader and unit; the period's missing and late reports (only the
reporting unit's)."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from duban.ledger.services import access, periods
from duban.ledger.store.models import Change, Task, User
from duban.ledger.views import change_words
from duban.ledger.views import figures as fig

UNLISTED_LEADER = "（未列领导）"


def _item(figures: fig.PlanFigures, item: fig.TaskFigure) -> dict[str, Any]:
    task = item.task
    return {
        "task": task.id,
        "no": task.no,
        "name": task.name or task.text[:40],
        "unit_id": task.reporting_unit_id,
        "unit": figures.unit_name(task.reporting_unit_id),
        "colour": item.status.colour,
        "state": item.state_words,
        **({"submitted_on": item.submitted_on.isoformat()} if item.late and item.submitted_on else {}),
    }


def basis_json(figures: fig.PlanFigures) -> dict[str, Any]:
    """口径 of a response: the period, the day asked and taken on, whether final, what arrows compare with."""
    return {
        **figures.basis.as_json(),
        "previous": figures.previous.as_json() if figures.previous else None,
        "issued": figures.issued,
    }


def overview(
    figures: fig.PlanFigures, leader: str | None = None, visible: Collection[int] | None = None
) -> dict[str, Any]:
    """The 总览 page's figures. ``leader`` narrows to that leader's portfolio; ``visible`` to a unit's tasks.
    The latest changes are the adapter's to add: which entries an account may read is an access rule."""
    rows = figures.tasks
    if leader:
        rows = [r for r in rows if leader in (r.task.leaders or [])]
    if visible is not None:
        rows = [r for r in rows if r.task.id in visible]
    assessed = [r for r in rows if r.assessed]
    by_section = fig.grouped(assessed, lambda r: [r.task.section_key or ""])
    by_leader = fig.grouped(assessed, lambda r: r.task.leaders or [UNLISTED_LEADER])
    by_unit = fig.grouped(assessed, lambda r: [r.task.reporting_unit_id] if r.task.reporting_unit_id else [])
    return {
        "plan": figures.plan.id,
        "on": figures.basis.on.isoformat(),
        "basis": basis_json(figures),
        "leader": leader,
        "counts": fig.counts(rows),
        "arrows": fig.arrow_counts(rows),
        "excluded": len(rows) - len(assessed),
        "by_section": [
            {
                "key": key,
                "title": figures.section_titles.get(key, "（未分部分）"),
                "counts": fig.counts(group),
            }
            for key, group in by_section.items()
        ],
        "by_leader": [
            {"name": name, "counts": fig.counts(group)}
            for name, group in sorted(by_leader.items(), key=lambda kv: -len(kv[1]))
        ],
        "by_unit": [
            {"unit_id": unit_id, "name": figures.unit_name(unit_id), "counts": fig.counts(group)}
            for unit_id, group in sorted(by_unit.items(), key=lambda kv: (-len(kv[1]), kv[0]))
        ],
        "period": periods.ref(figures.period) if figures.period else None,
        "missing": [_item(figures, r) for r in assessed if r.missing],
        "late": [_item(figures, r) for r in assessed if r.late],
        "changes": [],
    }


def latest_changes(session: Session, user: User, limit: int = 10) -> list[dict[str, Any]]:
    """The latest change-log entries about what the office's jurisdictions hold (``access.visible_changes``:
    the same rule as ``/api/changes``), in the shape the 总览 page reads."""
    query = access.visible_changes(session, user, select(Change)).order_by(Change.id.desc()).limit(limit)
    rows = list(session.scalars(query))
    words = change_words.sentences(session, rows)
    return [
        {
            "text": words[c.id],
            "id": c.id,
            "at": c.at.isoformat(timespec="seconds"),
            "actor": c.actor,
            "object_type": c.object_type,
            "object_id": c.object_id,
            "action": c.action,
        }
        for c in rows
    ]


def own_portfolio(session: Session, plan_id: int, username: str) -> str | None:
    """The leader's own name when the plan lists it among its tasks' leaders, else None (the whole plan)."""
    for leaders in session.scalars(select(Task.leaders).where(Task.plan_id == plan_id)):
        if username in (leaders or []):
            return username
    return None
