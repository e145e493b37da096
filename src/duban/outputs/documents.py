"""The documents as the API and the command line both make them, from one period's figures taken on one
day (:mod:`duban.ledger.views.figures`): the ledger workbook, a draft bulletin, and issuing a bulletin (期号, the
figures and the document stored unchanged)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from duban.archives import ArchiveRefused, check_zip
from duban.ledger.errors import Conflict, Invalid, NotFound
from duban.ledger.services import access
from duban.ledger.store import transitions
from duban.ledger.store.models import Bulletin, Period, Plan, User
from duban.ledger.views import figures as fig
from duban.ledger.views import ledger_rows, notices
from duban.outputs.bulletin_content import bulletin_content
from duban.outputs.bulletin_docx import bulletin
from duban.outputs.bulletin_template import render_template
from duban.outputs.ledger_xlsx import ledger_workbook
from duban.outputs.naming import short_title


def ledger(
    session: Session,
    plan_id: int,
    on: date,
    *,
    period_id: int | None = None,
    unit: str | None = None,
    paper: str = "A4",
    only_tasks: set[int] | None = None,
) -> bytes:
    """The ledger workbook of the figures of ``period_id`` (default: the current period) taken on ``on``.
    ``only_tasks``: exactly these tasks (a unit's own copy, its 各… group tasks included), ``unit`` then
    only names it in the titles."""
    figures = fig.of_plan(session, plan_id, period_id, on)
    rows = ledger_rows.ledger_rows(session, figures)
    unit = (unit or "").strip() or None
    if only_tasks is not None:
        rows = [r for r in rows if r.task_id in only_tasks]
        return ledger_workbook(figures, rows, unit=unit, paper=paper, chosen=True)
    if unit and not any(unit in (r.reporting_unit, *r.lead_units, *r.other_units) for r in rows):
        raise Invalid(f"计划中没有“{unit}”的任务，请检查单位名称")
    return ledger_workbook(figures, rows, unit=unit, paper=paper)


def ledger_filename(session: Session, plan_id: int, on: date, unit: str | None = None) -> str:
    """``金乡县2026年重要工作事项台账（截至2026-12-06）.xlsx``: the plan in words, never an internal id."""
    plan = session.get(Plan, plan_id)
    name = short_title(plan) if plan else "台账"
    scope = f"（{unit}）" if unit else ""
    return f"{name}台账{scope}（截至{on.isoformat()}）.xlsx"


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


def require_due(period: Period, today: date, force: bool) -> None:
    """A period not yet due has nothing to chase yet: refused (409) unless the office confirms."""
    if period.due > today and not force:
        raise Conflict(
            f"报送期“{period.name}”截止日为{period.due.isoformat()}，尚未到期，不能生成通报；如确需生成请确认后强制生成"
        )


@dataclass(frozen=True)
class BulletinOptions:
    masthead: bool = False
    copy_to: str | None = None
    template: bytes | None = None


def next_number(session: Session, plan: Plan) -> int:
    """期号: in sequence per plan and year."""
    last = session.scalar(
        select(func.max(Bulletin.number)).where(Bulletin.plan_id == plan.id, Bulletin.year == plan.year)
    )
    return (last or 0) + 1


def _issuer(plan: Plan) -> str:
    return plan.supervisor or (f"{plan.issuer}督查室" if plan.issuer else "督查室")


def _render(
    session: Session, figures: fig.PlanFigures, dated: date, number: int, options: BulletinOptions
) -> bytes:
    rows = ledger_rows.ledger_rows(session, figures)
    red = (
        notices.red_documents_of_period(session, figures.period.id, figures.basis.on)
        if figures.period is not None
        else []
    )
    content = bulletin_content(figures, rows, _issuer(figures.plan), dated, red)
    if options.template is not None:
        return render_template(
            options.template, content, masthead=options.masthead, issue_no=number, copy_to=options.copy_to
        )
    return bulletin(content, masthead=options.masthead, issue_no=number, copy_to=options.copy_to, on=dated)


def _period(session: Session, period_id: int) -> Period:
    period = session.get(Period, period_id)
    if period is None:
        raise NotFound("报送期不存在 / no such period")
    return period


def bulletin_for(
    session: Session,
    period_id: int,
    on: date | None,
    today: date,
    force: bool,
    options: BulletinOptions = BulletinOptions(),
) -> tuple[str, bytes]:
    """A draft bulletin of the period taken on ``on`` (default today), dated today, with the 期号 it would
    get if issued now, and the file name it is downloaded as (the plan in words, never an id). Nothing is
    stored."""
    period = _period(session, period_id)
    require_due(period, today, force)
    figures = fig.of_period(session, period_id, on or today)
    plan = figures.plan
    stem = f"{short_title(plan)}督查通报（征求意见稿，{period.name}，截至{figures.basis.on.isoformat()}）"
    return stem, _render(session, figures, today, next_number(session, plan), options)


def issue(
    session: Session,
    period_id: int,
    on: date | None,
    today: date,
    force: bool,
    options: BulletinOptions,
    actor: User,
    now: datetime,
) -> Bulletin:
    """Issue (印发) the period's bulletin: the next 期号, dated today, its figures and document stored as
    printed. Once issued, later reports change neither, and the next period's arrows compare with it."""
    period = _period(session, period_id)
    move = transitions.check("bulletin", "issue", transitions.NEW, actor)
    require_due(period, today, force)
    if session.scalar(select(Bulletin.id).where(Bulletin.period_id == period.id)) is not None:
        raise Conflict(f"“{period.name}”的通报已印发，不能重复印发；可在已印发通报中下载")
    figures = fig.of_period(session, period_id, on or today)
    number = next_number(session, figures.plan)
    document = _render(session, figures, today, number, options)
    row = Bulletin(
        plan_id=figures.plan.id,
        period_id=period.id,
        year=figures.plan.year,
        number=number,
        issued_on=today,
        taken_on=figures.basis.on,
        copy_to=options.copy_to,
        masthead=options.masthead,
        figures=fig.snapshot(figures),
        document=document,
        filename=f"{short_title(figures.plan)}督查通报第{number}期（{period.name}）.docx",
        issued_by=actor.id,
        created_at=now,
    )
    session.add(row)
    session.flush()
    after = {"period": period.id, "number": number, "issued_on": today, "taken_on": figures.basis.on}
    transitions.record(
        session,
        move,
        actor,
        row.id,
        None,
        after,
        now,
        plan_id=row.plan_id,
        period_id=period.id,
        payload=after,
    )
    return row


def bulletin_json(row: Bulletin, period_name: str) -> dict[str, object]:
    stored = row.figures or {}
    return {
        "id": row.id,
        "plan": row.plan_id,
        "period": {"id": row.period_id, "name": period_name},
        "year": row.year,
        "number": row.number,
        "issued_on": row.issued_on.isoformat(),
        "taken_on": row.taken_on.isoformat(),
        "label": (stored.get("basis") or {}).get("label", ""),
        "counts": stored.get("counts", {}),
        "copy_to": row.copy_to,
        "masthead": row.masthead,
        "filename": row.filename,
    }


def issued_bulletin(session: Session, user: User, bulletin_id: int) -> Bulletin:
    """An issued bulletin the user may read (its plan is theirs to read)."""
    row = session.get(Bulletin, bulletin_id)
    if row is None:
        raise NotFound("通报不存在 / no such bulletin")
    access.plan_for(session, user, row.plan_id)
    return row


def issued_of_plan(session: Session, plan_id: int) -> list[dict[str, object]]:
    rows = session.execute(
        select(Bulletin, Period.name)
        .join(Period, Period.id == Bulletin.period_id)
        .where(Bulletin.plan_id == plan_id)
        .order_by(Bulletin.year, Bulletin.number)
    )
    return [bulletin_json(row, name) for row, name in rows]
