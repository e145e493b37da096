"""``/api/jurisdictions``: the 行政区 the account reads, and a city's comparison of the counties below it."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from duban.ledger.errors import NotFound
from duban.ledger.services import jurisdictions
from duban.ledger.store.models import Jurisdiction
from duban.ledger.views import comparison
from duban.web.deps import CurrentUser, Db, State
from duban.web.schemas import jurisdictions as jurisdictions_shapes
from duban.web.validation import Day, PathId

router = APIRouter(prefix="/api/jurisdictions", tags=["行政区 jurisdictions"])


def jurisdiction_json(session: Any, row: Jurisdiction, plans: int, own: int | None) -> dict[str, Any]:
    return {
        "id": row.id,
        "name": row.name,
        "path": jurisdictions.path(session, row),
        "level": row.level,
        "parent_id": row.parent_id,
        "plans": plans,
        "own": row.id == own,
    }


@router.get("", response_model=jurisdictions_shapes.JurisdictionList)
def list_jurisdictions(db: Db, user: CurrentUser) -> dict[str, Any]:
    """The jurisdictions the account reads (its own and those below it), each with its number of plans;
    ``own`` marks the account's own (none for an installation-wide account)."""
    with db.reader() as session:
        seen = jurisdictions.visible_ids(session, user)
        counts = jurisdictions.plan_counts(session)
        rows = [j for j in jurisdictions.all_of(session) if seen is None or j.id in seen]
        items = [jurisdiction_json(session, j, counts.get(j.id, 0), user.jurisdiction_id) for j in rows]
        return {"items": items, "total": len(items)}


@router.get("/{jurisdiction_id}/comparison", response_model=jurisdictions_shapes.CountyComparison)
def compare_counties(
    jurisdiction_id: PathId,
    db: Db,
    state: State,
    user: CurrentUser,
    on: Day | None = None,
    year: Annotated[int | None, Query(ge=2000, le=2100)] = None,
) -> dict[str, Any]:
    """The counties below a city compared: tasks by colour, on-time reporting, score and rank (the unit
    ranking formula, averaged over each county's units). Leaders and offices only, not unit accounts."""
    with db.reader() as session:
        if user.role == "unit":
            raise NotFound("行政区不存在 / no such jurisdiction")
        row = jurisdictions.readable(session, user, jurisdiction_id)
        day = on or state.clock.today()
        chosen, rows = comparison.compare(session, jurisdiction_id, day, year)
        return {
            "jurisdiction": jurisdiction_json(session, row, 0, user.jurisdiction_id),
            "on": day.isoformat(),
            "year": chosen,
            "items": [
                {
                    "jurisdiction_id": r.jurisdiction_id,
                    "name": r.name,
                    "plans": r.plans,
                    "tasks": r.tasks,
                    "colours": r.colours,
                    "reports_due": r.reports_due,
                    "reports_on_time": r.reports_on_time,
                    "on_time_rate": r.on_time_rate,
                    "score": r.score,
                    "rank": r.rank,
                }
                for r in rows
            ],
        }
