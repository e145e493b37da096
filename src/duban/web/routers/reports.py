"""``/api/reports``: read a report; approve or return it (supervision office only)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel, Field

from duban.ledger import reports
from duban.ledger.models import Period
from duban.web.deps import CurrentUser, Db, State
from duban.web.routers.tasks import report_json

router = APIRouter(prefix="/api/reports", tags=["报告 reports"])


class ReviewBody(BaseModel):
    comment: str | None = Field(default=None, max_length=5000)
    version: int | None = None


def _with_late(session: Any, report: Any) -> dict[str, Any]:
    period = session.get(Period, report.period_id)
    return report_json(report, reports.is_late(report, period) if period else None)


@router.get("/{report_id}")
def get_report(report_id: int, db: Db, user: CurrentUser) -> dict[str, Any]:
    with db.reader() as session:
        return _with_late(session, reports.get_visible(session, user, report_id))


@router.post("/{report_id}/approve")
def approve(
    report_id: int, state: State, db: Db, user: CurrentUser, body: ReviewBody | None = None
) -> dict[str, Any]:
    with db.writer() as session:
        body = body or ReviewBody()
        report = reports.review(session, user, report_id, True, body.comment, state.clock.now(), body.version)
        return _with_late(session, report)


@router.post("/{report_id}/return")
def return_report(
    report_id: int, body: ReviewBody, state: State, db: Db, user: CurrentUser
) -> dict[str, Any]:
    with db.writer() as session:
        report = reports.review(
            session, user, report_id, False, body.comment, state.clock.now(), body.version
        )
        return _with_late(session, report)
