"""``/api/overview``: the 总览 page in one call (counts by colour; by section, leader and unit; missing and
late reports of the period being chased; the latest changes)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from duban.ledger.services import access
from duban.ledger.views import figures as fig
from duban.ledger.views import overview
from duban.web.deps import CurrentUser, Db, State
from duban.web.schemas import figures as figures_shapes
from duban.web.validation import Day, OptionalQueryId, QueryId, QueryText

router = APIRouter(prefix="/api", tags=["总览 overview"])


@router.get("/overview", response_model=figures_shapes.Overview, response_model_exclude_unset=True)
def plan_overview(
    plan: QueryId,
    db: Db,
    state: State,
    user: CurrentUser,
    period: OptionalQueryId = None,
    on: Day | None = None,
    leader: QueryText = None,
) -> dict[str, Any]:
    """The figures of ``period`` (default: the current period) taken on ``on`` (default: today). Units see
    the figures of their own tasks only, and no change log. A leader account whose user name is one of the
    plan's 牵头领导 sees that portfolio by default; ``leader=全部`` shows the whole plan."""
    with db.reader() as session:
        access.plan_for(session, user, plan)
        if leader == "全部":
            leader = None
        elif leader is None and user.role == "leader":
            leader = overview.own_portfolio(session, plan, user.username)
        visible = access.plan_task_ids(session, user, plan)
        figures = fig.of_plan(session, plan, period, on or state.clock.today(), explain=False)
        answer = overview.overview(figures, leader, visible)
        if user.role == "admin":
            answer["changes"] = overview.latest_changes(session, user)
        return answer
