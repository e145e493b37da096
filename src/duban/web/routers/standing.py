"""``/api/status`` and ``/api/rankings``: one period's figures taken on one day (``ledger.md``), each answer
with its 口径 (``basis``)."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter

from duban.ledger.rules.status import COLOUR_LABELS
from duban.ledger.services import access
from duban.ledger.services import plan_rules as rules
from duban.ledger.views import figures as fig
from duban.ledger.views import overview
from duban.web.deps import CurrentUser, Db, Paging, State
from duban.web.schemas import figures as figures_shapes
from duban.web.validation import Day, OptionalQueryId, QueryId

router = APIRouter(prefix="/api", tags=["状态与排名 status"])


def status_item(item: fig.TaskFigure) -> dict[str, Any]:
    st = item.status
    return {
        "task": item.task.id,
        "no": item.task.no,
        "colour": st.colour,
        "colour_label": "已申诉免责"
        if item.excused
        else (COLOUR_LABELS[st.colour] if item.assessed else "不考核"),
        "arrow": st.arrow,
        "progress": st.progress,
        "schedule": st.schedule,
        "reported": st.reported,
        "missing_periods": list(st.missing),
        "missing": item.missing,
        "late": item.late,
        "submitted_on": item.submitted_on.isoformat() if item.submitted_on else None,
        "state": item.state_words,
        "assessed": item.assessed,
        "excused": item.excused,
        "reporting_unit_id": item.task.reporting_unit_id,
        "reason": item.reason,
    }


@router.get("/status", response_model=figures_shapes.StatusList)
def plan_status(
    plan: QueryId,
    db: Db,
    state: State,
    user: CurrentUser,
    paging: Paging,
    period: OptionalQueryId = None,
    on: Day | None = None,
    colour: Literal["done", "blue", "yellow", "red"] | None = None,
) -> dict[str, Any]:
    """Every task's colour, arrow and reason in the figures of ``period`` (default: the current period)
    taken on ``on`` (default: today)."""
    with db.reader() as session:
        access.plan_for(session, user, plan)
        figures = fig.of_plan(session, plan, period, on or state.clock.today())
        rows = figures.tasks
        visible = access.plan_task_ids(session, user, plan)
        if visible is not None:
            rows = [r for r in rows if r.task.id in visible]
        wanted = [r for r in rows if colour is None or (r.assessed and r.status.colour == colour)]
        result = paging.slice(wanted)
        result["items"] = [status_item(r) for r in result["items"]]  # reasons worked out for this page only
        result["on"] = figures.basis.on.isoformat()
        result["basis"] = overview.basis_json(figures)
        return result


@router.get("/rankings", response_model=figures_shapes.RankingList)
def rankings(
    plan: QueryId,
    db: Db,
    state: State,
    user: CurrentUser,
    paging: Paging,
    period: OptionalQueryId = None,
    on: Day | None = None,
) -> dict[str, Any]:
    """Units ranked in the figures of ``period`` (default: the current period) taken on ``on``."""
    with db.reader() as session:
        access.plan_for(session, user, plan)
        figures = fig.of_plan(session, plan, period, on or state.clock.today(), explain=False)
        items = [fig.ranking_json(r) for r in figures.ranking]
        if user.role == "unit" and not rules.rules_for(session, plan).units_see_full_ranking:
            # A unit sees its own place and how many units are ranked, not the others' scores.
            items = [item for item in items if item["unit"] == user.unit_id]
        return {
            **paging.slice(items),
            "units_ranked": len(figures.ranking),
            "on": figures.basis.on.isoformat(),
            "basis": overview.basis_json(figures),
        }
