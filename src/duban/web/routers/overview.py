"""``/api/overview``: the 总览 page in one call (counts by colour; by section, leader and unit; missing and
late reports of the period being chased; the latest changes)."""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from sqlalchemy import select

from duban.ledger.services import access
from duban.ledger.store.models import Change, Task, User
from duban.ledger.views import change_words, overview
from duban.ledger.views import figures as fig
from duban.web.deps import CurrentUser, Db, State, plain_json
from duban.web.validation import OptionalQueryId, QueryId, QueryText

router = APIRouter(prefix="/api", tags=["总览 overview"])


@router.get("/overview")
def plan_overview(
    plan: QueryId,
    db: Db,
    state: State,
    user: CurrentUser,
    period: OptionalQueryId = None,
    on: date | None = None,
    leader: QueryText = None,
) -> JSONResponse:
    """The figures of ``period`` (default: the current period) taken on ``on`` (default: today). Units see
    the figures of their own tasks only, and no change log. A leader account whose user name is one of the
    plan's 牵头领导 sees that portfolio by default; ``leader=全部`` shows the whole plan."""
    with db.reader() as session:
        access.plan_for(session, user, plan)
        if leader == "全部":
            leader = None
        elif leader is None and user.role == "leader":
            leader = _own_portfolio(session, plan, user.username)
        visible = None
        if user.role == "unit":
            query = access.visible_tasks(session, user, select(Task.id).where(Task.plan_id == plan))
            visible = set(session.scalars(query))
        figures = fig.of_plan(session, plan, period, on or state.clock.today(), explain=False)
        answer = overview.overview(figures, leader, visible)
        if user.role == "admin":
            answer["changes"] = _latest_changes(session, user)
        return plain_json(answer)


def _latest_changes(session: Any, user: User, limit: int = 10) -> list[dict[str, Any]]:
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


def _own_portfolio(session: Any, plan_id: int, username: str) -> str | None:
    """The leader's own name when the plan lists it among its tasks' leaders, else None (the whole plan)."""
    for leaders in session.scalars(select(Task.leaders).where(Task.plan_id == plan_id)):
        if username in (leaders or []):
            return username
    return None
