"""Document commands: ``export ledger``, ``bulletin``, ``import-reports`` — the same documents the API serves,
made from the command line by the office (the import acts as an administrator account)."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from sqlalchemy import select
from sqlalchemy.orm import Session

from duban.cli_common import DbOption, database_for, fail, settings_for
from duban.ledger.errors import LedgerError
from duban.ledger.store.models import User

export_app = typer.Typer(help="导出文档 / export documents", no_args_is_help=True)
OnOption = Annotated[
    datetime | None, typer.Option("--on", formats=["%Y-%m-%d"], help="统计日期 YYYY-MM-DD（默认今天）")
]


def register(app: typer.Typer) -> None:
    app.add_typer(export_app, name="export")
    app.command("bulletin")(bulletin_command)
    app.command("import-reports")(import_reports_command)
    app.command("bulletin-template")(bulletin_template_command)


def _write(out: Path, data: bytes) -> None:
    try:
        out.write_bytes(data)
    except OSError as exc:
        raise fail(f"无法写入 {out}：{exc.strerror}") from None
    Console(stderr=True).print(f"已生成 {out}")


def _refused(exc: LedgerError) -> typer.Exit:
    rows = exc.extra.get("rows") or []
    message = exc.message + "".join(f"\n  第 {r['row']} 行：{r['error']}" for r in rows)
    return fail(message)


@export_app.command("ledger")
def export_ledger(
    plan: Annotated[int, typer.Option("--plan", min=1, help="计划编号")],
    out: Annotated[Path, typer.Option("-o", "--out", help="输出文件 .xlsx")],
    on: OnOption = None,
    period: Annotated[
        int | None, typer.Option("--period", min=1, help="报送期编号（默认：截至当日的当前报送期）")
    ] = None,
    unit: Annotated[str | None, typer.Option("--unit", help="只导出该单位的任务")] = None,
    paper: Annotated[str, typer.Option("--paper", help="纸张 A4 或 A3")] = "A4",
    db: DbOption = None,
) -> None:
    """导出台账工作簿 / export the ledger workbook."""
    from duban.outputs import documents

    if paper.upper() not in ("A4", "A3"):
        raise fail("纸张只能是 A4 或 A3")
    settings = settings_for(db)
    day = on.date() if on else settings.clock.today()
    with database_for(settings, _refused) as database, database.reader() as session:
        data = documents.ledger(session, plan, day, period_id=period, unit=unit, paper=paper.upper())
    _write(out, data)


def bulletin_command(
    period: Annotated[int, typer.Option("--period", min=1, help="报送期编号")],
    out: Annotated[Path, typer.Option("-o", "--out", help="输出文件 .docx")],
    on: OnOption = None,
    force: Annotated[bool, typer.Option("--force", help="报送期未到期也生成")] = False,
    masthead: Annotated[bool, typer.Option("--masthead", help="加版头：督查通报、第N期、红色分隔线")] = False,
    copy_to: Annotated[str | None, typer.Option("--copy-to", help="抄送单位")] = None,
    template: Annotated[
        Path | None,
        typer.Option("--template", help="本办的通报模板 .docx（docxtpl 标记；默认 DUBAN_BULLETIN_TEMPLATE）"),
    ] = None,
    db: DbOption = None,
) -> None:
    """生成督查通报 / build the bulletin of a period."""
    from duban.outputs import documents

    settings = settings_for(db)
    chosen: date | None = on.date() if on else None
    try:
        own = documents.read_template(template or settings.bulletin_template)
    except LedgerError as exc:
        raise _refused(exc) from None
    with database_for(settings, _refused) as database, database.reader() as session:
        options = documents.BulletinOptions(masthead, copy_to, own)
        _, data = documents.bulletin_for(session, period, chosen, settings.clock.today(), force, options)
    _write(out, data)


def bulletin_template_command(
    out: Annotated[Path, typer.Option("-o", "--out", help="输出文件 .docx")],
) -> None:
    """写出通报模板样例，供本办在 Word/WPS 中修改 / write a starter bulletin template to edit."""
    from duban.outputs.bulletin_template import starter_template

    _write(out, starter_template())


def import_reports_command(
    file: Annotated[Path, typer.Argument(help="填写好的台账工作簿 .xlsx")],
    period: Annotated[int, typer.Option("--period", min=1, help="报送期编号")],
    user: Annotated[
        str | None, typer.Option("--user", help="以哪个管理员账号导入（默认唯一的管理员）")
    ] = None,
    db: DbOption = None,
) -> None:
    """导入填写好的台账，作为各单位本期报送 / import a filled ledger workbook as submitted reports."""
    from duban.outputs.ledger_import import import_reports

    try:
        data = file.read_bytes()
    except OSError as exc:
        raise fail(f"无法读取 {file}：{exc.strerror}") from None
    settings = settings_for(db)
    with database_for(settings, _refused) as database, database.writer() as session:
        account = _admin(session, user)
        stored = import_reports(session, account, period, data, settings.clock.now())
        ids = [r.id for r in stored]
    Console().print(f"已导入 {len(ids)} 份报告：{', '.join(map(str, ids)) or '无'}")


def _admin(session: Session, name: str | None) -> User:
    query = select(User).where(User.role == "admin", User.active.is_(True))
    if name:
        query = query.where(User.username == name)
    admins = list(session.scalars(query))
    if len(admins) != 1:
        hint = f"没有名为“{name}”的管理员账号" if name else "请用 --user 指定管理员账号（需恰好一个）"
        raise fail(hint)
    return admins[0]
