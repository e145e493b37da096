"""``/api/status`` and ``/api/rankings``: colours, arrows and rankings by the rules of ``ledger.md``."""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from fastapi import APIRouter

from duban.ledger import access, overview, rules, standing
from duban.ledger.status import COLOUR_LABELS
from duban.web.deps import CurrentUser, Db, Paging, State
from duban.web.validation import QueryId

router = APIRouter(prefix="/api", tags=["状态与排名 status"])


@router.get("/status")
def plan_status(
    plan: QueryId,
    db: Db,
    state: State,
    user: CurrentUser,
    paging: Paging,
    on: date | None = None,
    colour: Literal["done", "blue", "yellow", "red"] | None = None,
) -> dict[str, Any]:
    with db.reader() as session:
        access.plan_for(session, user, plan)
        day = on or state.clock.today()
        _, explained = overview.explained(session, plan, day)
        rows = [(r.task, r.status) for r in explained]
        reasons = {r.task.id: r.reason for r in explained}
        if user.role == "unit":
            visible = {
                t.id
                for t in session.scalars(access.visible_tasks(session, user, standing.task_ids_query(plan)))
            }
            rows = [(t, s) for t, s in rows if t.id in visible]
        items = [
            {
                "task": task.id,
                "no": task.no,
                "colour": st.colour,
                "colour_label": COLOUR_LABELS[st.colour],
                "arrow": st.arrow,
                "progress": st.progress,
                "schedule": st.schedule,
                "missing_periods": list(st.missing),
                "reporting_unit_id": task.reporting_unit_id,
                "reason": reasons[task.id],
            }
            for task, st in rows
            if colour is None or st.colour == colour
        ]
        result = paging.slice(items)
        result["on"] = day.isoformat()
        return result


@router.get("/rankings")
def rankings(
    plan: QueryId,
    period: QueryId,
    db: Db,
    state: State,
    user: CurrentUser,
    paging: Paging,
    on: date | None = None,
) -> dict[str, Any]:
    with db.reader() as session:
        access.plan_for(session, user, plan)
        rows = standing.plan_rankings(session, plan, period, on or state.clock.today())
        items = [
            {
                "unit": r.unit_id,
                "name": r.name,
                "score": r.score,
                "rank": r.rank,
                "arrow": r.arrow,
                "tasks": r.tasks,
                "late": r.late,
                "missing": r.missing,
            }
            for r in rows
        ]
        if user.role == "unit" and not rules.rules_for(session, plan).units_see_full_ranking:
            # A unit sees its own place and how many units are ranked, not the others' scores.
            items = [item for item in items if item["unit"] == user.unit_id]
        return {**paging.slice(items), "units_ranked": len(rows)}
