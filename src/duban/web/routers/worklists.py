"""``/api/review`` (审核: submitted reports beside the previous approved one) and ``/api/my`` (我的任务: a
unit's tasks of a plan with what is due, overdue or returned for the current period)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from duban.ledger.services import access
from duban.ledger.views import worklists
from duban.web.deps import CurrentUser, Db, Paging, State
from duban.web.schemas import worklists as worklists_shapes
from duban.web.validation import OptionalQueryId

router = APIRouter(prefix="/api", tags=["工作清单 worklists"])


@router.get("/review", response_model=worklists_shapes.ReviewList, response_model_exclude_unset=True)
def review_queue(db: Db, user: CurrentUser, paging: Paging, plan: OptionalQueryId = None) -> dict[str, Any]:
    with db.reader() as session:
        if plan is not None:
            access.plan_for(session, user, plan)
        return paging.slice(worklists.review_queue(session, user, plan))


@router.get("/my", response_model=worklists_shapes.MyList, response_model_exclude_unset=True)
def my_tasks(db: Db, state: State, user: CurrentUser, plan: OptionalQueryId = None) -> dict[str, Any]:
    """Without ``plan``: the latest published plan (the one a liaison reports on)."""
    with db.reader() as session:
        if plan is not None:
            access.plan_for(session, user, plan)
        chosen = plan if plan is not None else worklists.default_plan(session, user)
        if chosen is None:
            return {"period": None, "items": [], "total": 0}
        return worklists.my_tasks(session, user, chosen, state.clock.today())
