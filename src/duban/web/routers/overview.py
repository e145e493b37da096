"""``/api/overview``: the 总览 page in one call (counts by colour; by section, leader and unit; missing and
late reports of the period being chased; the latest changes)."""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter
from sqlalchemy import select

from duban.ledger import access, overview
from duban.ledger.models import Task
from duban.web.deps import CurrentUser, Db, State
from duban.web.validation import QueryId

router = APIRouter(prefix="/api", tags=["总览 overview"])


@router.get("/overview")
def plan_overview(
    plan: QueryId, db: Db, state: State, user: CurrentUser, on: date | None = None, leader: str | None = None
) -> dict[str, Any]:
    """Units see the figures of their own tasks only, and no change log."""
    with db.reader() as session:
        visible = None
        if user.role == "unit":
            query = access.visible_tasks(session, user, select(Task.id).where(Task.plan_id == plan))
            visible = set(session.scalars(query))
        return overview.overview(
            session, plan, on or state.clock.today(), leader, visible, with_changes=user.role == "admin"
        )
