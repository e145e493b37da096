"""``/api/periods``: a plan's reporting periods; admins add more."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from pydantic import Field

from duban.ledger.services import access, periods
from duban.ledger.store.models import Period
from duban.web.deps import CurrentUser, Db, Paging, State
from duban.web.schemas import periods as periods_shapes
from duban.web.validation import Body, Day, Id, QueryId

router = APIRouter(prefix="/api/periods", tags=["报送期 periods"])


def period_json(period: Period) -> dict[str, Any]:
    return {"id": period.id, "plan": period.plan_id, "name": period.name, "due": period.due.isoformat()}


@router.get("", response_model=periods_shapes.PeriodList)
def list_periods(plan: QueryId, db: Db, user: CurrentUser, paging: Paging) -> dict[str, Any]:
    with db.reader() as session:
        access.plan_for(session, user, plan)
        return paging.slice([period_json(p) for p in periods.of_plan(session, plan)])


class PeriodBody(Body):
    plan: Id
    name: str = Field(min_length=1, max_length=100)
    due: Day


@router.post("", status_code=201, response_model=periods_shapes.Period)
def add_period(body: PeriodBody, state: State, db: Db, user: CurrentUser) -> dict[str, Any]:
    with db.writer() as session:
        access.require_admin(user)
        access.plan_for(session, user, body.plan, write=True)
        return period_json(periods.add(session, body.plan, body.name, body.due, user, state.clock.now()))
