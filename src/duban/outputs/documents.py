"""The documents as the API and the command line both make them: loading, the day they are taken on,
and the refusals (a bulletin for a period not yet due, a ledger for a unit with no tasks)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlalchemy.orm import Session

from duban.archives import ArchiveRefused, check_zip
from duban.ledger import standing
from duban.ledger.errors import Conflict, Invalid, NotFound
from duban.ledger.models import Period
from duban.outputs.bulletin_content import bulletin_content
from duban.outputs.bulletin_docx import bulletin
from duban.outputs.bulletin_template import render_template
from duban.outputs.ledger_xlsx import ledger_workbook


def ledger(session: Session, plan_id: int, on: date, *, unit: str | None = None, paper: str = "A4") -> bytes:
    plan, rows = standing.ledger_rows(session, plan_id, on)
    unit = (unit or "").strip() or None
    if unit and not any(unit in (r.reporting_unit, *r.lead_units, *r.other_units) for r in rows):
        raise Invalid(f"计划中没有“{unit}”的任务，请检查单位名称")
    due = [p for p in standing.load(session, plan_id).periods if p.due <= on]
    ranking = standing.plan_rankings(session, plan_id, due[-1].id, on) if due else []
    return ledger_workbook(plan, rows, on, unit=unit, paper=paper, ranking=ranking)


def read_template(path: Path | None) -> bytes | None:
    """The office's bulletin template, read on each use so it can be replaced without a restart."""
    if path is None:
        return None
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise Invalid(f"无法读取通报模板 {path}：{exc.strerror}") from None
    try:  # the archive guard every zip-based file passes before a library inflates it
        check_zip(data, "通报模板（Word 文件）", required="word/document.xml")
    except ArchiveRefused as exc:
        raise Invalid(f"通报模板不是有效的 Word（.docx）文件：{exc.message}") from None
    return data


def bulletin_day(period: Period, on: date | None, today: date, force: bool) -> date:
    """The period's due date unless a day is chosen; a period not yet due is refused unless forced."""
    if period.due > today and not force:
        raise Conflict(
            f"报送期“{period.name}”截止日为{period.due.isoformat()}，尚未到期，不能生成通报；如确需生成请强制生成"
        )
    return on or (period.due if period.due <= today else today)


def bulletin_for(
    session: Session,
    period_id: int,
    on: date | None,
    today: date,
    force: bool,
    masthead: bool = False,
    copy_to: str | None = None,
    template: bytes | None = None,
) -> tuple[str, bytes]:
    """The bulletin of a period in the built-in layout, or filled into the office's own ``template``."""
    period = session.get(Period, period_id)
    if period is None:
        raise NotFound("报送期不存在 / no such period")
    day = bulletin_day(period, on, today, force)
    plan, rows = standing.ledger_rows(session, period.plan_id, day)
    ranking = standing.plan_rankings(session, period.plan_id, period.id, day)
    issuer = plan.supervisor or (f"{plan.issuer}督查室" if plan.issuer else "督查室")
    periods = standing.load(session, period.plan_id).periods
    later = [p.due for p in periods if p.due > period.due]
    issue_no = 1 + sum(1 for p in periods if p.due < period.due)  # 第N期: the period's place in the year
    content = bulletin_content(plan, period, rows, ranking, day, issuer, min(later, default=None))
    if template is not None:
        return period.name, render_template(template, content)
    document = bulletin(content, masthead=masthead, issue_no=issue_no, copy_to=copy_to, on=day)
    return period.name, document
