"""``/api/reports``: read a report; approve or return it (supervision office only)."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, File, Response, UploadFile
from pydantic import Field

from duban.ledger.services import reports
from duban.web.deps import CurrentUser, Db, State
from duban.web.routers.tasks import report_json
from duban.web.schemas import reports as reports_shapes
from duban.web.validation import MAX_ID, Body, PathId

router = APIRouter(prefix="/api/reports", tags=["报告 reports"])


class ReviewBody(Body):
    comment: str | None = Field(default=None, max_length=5000)
    version: int | None = Field(default=None, ge=0, le=MAX_ID)


def _with_late(session: Any, report: Any) -> dict[str, Any]:
    return report_json(report, reports.lateness(session, report))


@router.get("/{report_id}", response_model=reports_shapes.ReportDetail, response_model_exclude_unset=True)
def get_report(report_id: PathId, db: Db, user: CurrentUser) -> dict[str, Any]:
    with db.reader() as session:
        report = reports.get_visible(session, user, report_id)
        return {**_with_late(session, report), "attachments": reports.attachment_list(session, report)}


@router.post("/{report_id}/approve", response_model=reports_shapes.Report, response_model_exclude_unset=True)
def approve(
    report_id: PathId, state: State, db: Db, user: CurrentUser, body: ReviewBody | None = None
) -> dict[str, Any]:
    with db.writer() as session:
        body = body or ReviewBody()
        report = reports.review(session, user, report_id, True, body.comment, state.clock.now(), body.version)
        return _with_late(session, report)


@router.post("/{report_id}/return", response_model=reports_shapes.Report, response_model_exclude_unset=True)
def return_report(
    report_id: PathId, body: ReviewBody, state: State, db: Db, user: CurrentUser
) -> dict[str, Any]:
    with db.writer() as session:
        report = reports.review(
            session, user, report_id, False, body.comment, state.clock.now(), body.version
        )
        return _with_late(session, report)


@router.post("/{report_id}/attachments", status_code=201, response_model=reports_shapes.AttachmentInfo)
async def add_attachment(
    report_id: PathId, state: State, db: Db, user: CurrentUser, file: Annotated[UploadFile, File()]
) -> dict[str, Any]:
    limit = state.limits.max_bytes
    data = await file.read(limit + 1)

    def store() -> dict[str, Any]:
        with db.writer() as session:
            item = reports.attach(
                session,
                user,
                report_id,
                file.filename or "",
                file.content_type or "application/octet-stream",
                data,
                limit,
                state.clock.now(),
            )
            return {"id": item.id, "filename": item.filename, "size": item.size}

    return await state.run_heavy(store)


@router.get("/{report_id}/attachments/{attachment_id}")
def get_attachment(report_id: PathId, attachment_id: PathId, db: Db, user: CurrentUser) -> Response:
    with db.reader() as session:
        item = reports.attachment(session, user, report_id, attachment_id)
        disposition = f"attachment; filename*=UTF-8''{quote(item.filename)}"
        return Response(
            item.data, media_type=served_type(item.content_type), headers={"Content-Disposition": disposition}
        )


# Types a browser shows without running anything; any other upload (text/html, image/svg+xml…) is served as
# bytes to save, whatever type its uploader claimed.
SHOWN_AS_IS = {"application/pdf", "image/png", "image/jpeg", "image/gif", "image/webp", "image/bmp"}


def served_type(claimed: str) -> str:
    kind = claimed.split(";", 1)[0].strip().lower()
    return kind if kind in SHOWN_AS_IS else "application/octet-stream"
