"""Documents: the plan's ledger workbook, a period's bulletin, and a filled workbook taken back in."""

from __future__ import annotations

from typing import Annotated, Any, Literal
from urllib.parse import quote

from fastapi import APIRouter, File, HTTPException, Query, Response, UploadFile
from pydantic import Field

from duban.ledger.rules.text import clean_text
from duban.ledger.services import access
from duban.outputs import documents
from duban.outputs.ledger_import import import_reports
from duban.web.deps import CurrentUser, Db, State
from duban.web.schemas import outputs as outputs_shapes
from duban.web.validation import Body, Day, OptionalQueryId, PathId

router = APIRouter(prefix="/api", tags=["文档 documents"])
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _download(data: bytes, media_type: str, filename: str) -> Response:
    disposition = f"attachment; filename*=UTF-8''{quote(filename)}"
    return Response(data, media_type=media_type, headers={"Content-Disposition": disposition})


@router.get("/plans/{plan_id}/ledger.xlsx")
def ledger_xlsx(
    plan_id: PathId,
    state: State,
    db: Db,
    user: CurrentUser,
    period: OptionalQueryId = None,
    on: Day | None = None,
    unit: Annotated[str | None, Query(max_length=100)] = None,
    paper: Literal["A4", "A3"] = "A4",
) -> Response:
    """The figures of ``period`` (default: the current period) taken on ``on`` (default: today). A unit
    account may export its own rows only (``unit=`` its own unit), the copy it fills in and imports back."""
    if user.role != "unit":
        access.require_reader(user)
    day = on or state.clock.today()
    with db.reader() as session:
        only = None
        if user.role == "unit":
            unit, only = access.own_rows(session, user, plan_id, unit)
        access.plan_for(session, user, plan_id)
        data = documents.ledger(
            session, plan_id, day, period_id=period, unit=unit, paper=paper, only_tasks=only
        )
        name = documents.ledger_filename(session, plan_id, day, unit)
    return _download(data, XLSX, name)


@router.get("/periods/{period_id}/bulletin.docx")
async def bulletin_docx(
    period_id: PathId,
    state: State,
    db: Db,
    user: CurrentUser,
    on: Day | None = None,
    force: bool = False,
    masthead: bool = False,
    copy_to: Annotated[str | None, Query(max_length=500)] = None,
) -> Response:
    """``masthead=true`` adds the 版头 (督查通报 / 第N期 / red rule); ``copy_to`` fills the 抄送 line. With
    ``DUBAN_BULLETIN_TEMPLATE`` set, the office's own template is filled instead. Built in a worker thread
    (the chart and the document take a moment) among the heavy-work slots."""
    access.require_reader(user)
    template = documents.read_template(state.settings.bulletin_template)

    options = documents.BulletinOptions(masthead, clean_text(copy_to) if copy_to else None, template)

    def build() -> tuple[str, bytes]:
        with db.reader() as session:
            access.period_for(session, user, period_id)
            return documents.bulletin_for(session, period_id, on, state.clock.today(), force, options)

    name, data = await state.run_heavy(build)
    return _download(data, DOCX, f"{name}.docx")


class IssueBody(Body):
    """印发 a bulletin: the figures taken on ``on`` (default today), with the 版头 and 抄送 asked for."""

    on: Day | None = None
    force: bool = False
    masthead: bool = True
    copy_to: str | None = Field(default=None, max_length=500)


@router.post("/periods/{period_id}/bulletins", status_code=201, response_model=outputs_shapes.Bulletin)
async def issue_bulletin(
    period_id: PathId, body: IssueBody, state: State, db: Db, user: CurrentUser
) -> dict[str, Any]:
    """Issue the period's bulletin (admin): the next 期号 of the plan's year, dated today; its figures and
    document are stored and downloadable again unchanged. One per period (409 if issued already)."""
    access.require_admin(user)
    template = documents.read_template(state.settings.bulletin_template)
    options = documents.BulletinOptions(body.masthead, body.copy_to or None, template)

    def store() -> dict[str, Any]:
        with db.writer() as session:
            period = access.period_for(session, user, period_id, write=True)
            row = documents.issue(
                session, period_id, body.on, state.clock.today(), body.force, options, user, state.clock.now()
            )
            return documents.bulletin_json(row, period.name)

    return await state.run_heavy(store)


@router.get("/plans/{plan_id}/bulletins", response_model=outputs_shapes.BulletinList)
def issued_bulletins(plan_id: PathId, db: Db, user: CurrentUser) -> dict[str, Any]:
    """The plan's issued bulletins, by year and 期号."""
    access.require_reader(user)
    with db.reader() as session:
        access.plan_for(session, user, plan_id)
        items = documents.issued_of_plan(session, plan_id)
    return {"items": items, "total": len(items)}


@router.get("/bulletins/{bulletin_id}.docx")
def issued_bulletin_docx(bulletin_id: PathId, db: Db, user: CurrentUser) -> Response:
    """An issued bulletin's document exactly as it was issued."""
    access.require_reader(user)
    with db.reader() as session:
        row = documents.issued_bulletin(session, user, bulletin_id)
        return _download(row.document, DOCX, row.filename)


@router.post("/periods/{period_id}/import-reports", response_model=outputs_shapes.ImportedReports)
async def import_reports_xlsx(
    period_id: PathId, state: State, db: Db, user: CurrentUser, file: Annotated[UploadFile, File()]
) -> dict[str, Any]:
    """A filled ledger workbook: the office for any unit, a unit account for its own rows; all or nothing."""
    limit = state.limits.max_bytes
    data = await file.read(limit + 1)
    if len(data) > limit:
        raise HTTPException(413, f"文件过大（上限 {limit / 1e6:.0f} MB）")

    def store() -> dict[str, Any]:
        with db.writer() as session:
            access.period_for(session, user, period_id, write=True)
            stored = import_reports(session, user, period_id, data, state.clock.now())
            return {"stored": len(stored), "reports": [r.id for r in stored]}

    return await state.run_heavy(store)
