"""Documents: the plan's ledger workbook and a period's bulletin (supervision office and leaders)."""

from __future__ import annotations

from datetime import date
from urllib.parse import quote

from fastapi import APIRouter, Response

from duban.ledger import access, standing
from duban.ledger.errors import NotFound
from duban.ledger.models import Period
from duban.outputs.bulletin_docx import bulletin
from duban.outputs.ledger_xlsx import ledger_workbook
from duban.web.deps import CurrentUser, Db, State
from duban.web.validation import PathId

router = APIRouter(prefix="/api", tags=["文档 documents"])
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _download(data: bytes, media_type: str, filename: str) -> Response:
    disposition = f"attachment; filename*=UTF-8''{quote(filename)}"
    return Response(data, media_type=media_type, headers={"Content-Disposition": disposition})


@router.get("/plans/{plan_id}/ledger.xlsx")
def ledger_xlsx(plan_id: PathId, state: State, db: Db, user: CurrentUser, on: date | None = None) -> Response:
    access.require_reader(user)
    day = on or state.clock.today()
    with db.reader() as session:
        plan, rows = standing.ledger_rows(session, plan_id, day)
        data = ledger_workbook(plan, rows, day)
    return _download(data, XLSX, f"台账-{plan_id}-{day.isoformat()}.xlsx")


@router.get("/periods/{period_id}/bulletin.docx")
def bulletin_docx(
    period_id: PathId, state: State, db: Db, user: CurrentUser, on: date | None = None
) -> Response:
    access.require_reader(user)
    day = on or state.clock.today()
    with db.reader() as session:
        period = session.get(Period, period_id)
        if period is None:
            raise NotFound("报送期不存在 / no such period")
        plan, rows = standing.ledger_rows(session, period.plan_id, day)
        ranking = standing.plan_rankings(session, period.plan_id, period.id, day)
        issuer = plan.supervisor or (f"{plan.issuer}督查室" if plan.issuer else "督查室")
        data = bulletin(plan, period, rows, ranking, day, issuer)
    return _download(data, DOCX, f"通报-{period.name}.docx")
