"""``GET /api/attachments?report=…``: the files attached to the reports a page shows (审核, 任务详情, the
unit's form), in one request. The bytes are served by ``GET /api/reports/{id}/attachments/{id}``, always as a
download."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from duban.ledger.services import reports
from duban.web.deps import CurrentUser, Db
from duban.web.routers.reports import served_type
from duban.web.schemas.attachments import AttachmentList, AttachmentOut
from duban.web.validation import MAX_ID

router = APIRouter(prefix="/api/attachments", tags=["报告 reports"])


@router.get("", response_model=AttachmentList)
def list_attachments(
    db: Db,
    user: CurrentUser,
    report: Annotated[list[Annotated[int, Query(ge=1, le=MAX_ID)]], Query(max_length=500)],
) -> AttachmentList:
    """The attachments of the given reports the user may see; reports it may not see are left out."""
    with db.reader() as session:
        found = reports.attachments_of(session, user, report)
    items = [
        AttachmentOut(
            id=a.id,
            report_id=a.report_id,
            filename=a.filename,
            content_type=served_type(a.content_type),
            size=a.size,
            created_at=a.created_at.isoformat(),
            url=f"/api/reports/{a.report_id}/attachments/{a.id}",
        )
        for a in found
    ]
    return AttachmentList(items=items, total=len(items))
