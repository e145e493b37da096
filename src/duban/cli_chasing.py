"""``duban remind``: the reminder engine for a systemd timer or cron (README, 催办), and a dry run that
shows, grouped by unit, what a day's run would send."""

from __future__ import annotations

import gc
from datetime import date
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from duban.cli_common import DbOption, database_for, fail, settings_for
from duban.ledger.services import chasing, delivery

LARGE = 20  # plans: above this a progress bar shows how far the run is


def remind(
    on: Annotated[
        str | None, typer.Option("--on", help="按哪一天计算，如 2026-04-01（默认今天）/ the day, YYYY-MM-DD")
    ] = None,
    dry_run: Annotated[
        bool,
        typer.Option("--dry-run", help="只列出将发送的通知，不写入、不发送 / only print what would be sent"),
    ] = False,
    db: DbOption = None,
) -> None:
    """催办：计算当天应发的临近提醒、催报和督办单，发出并投递 / issue and deliver the day's reminders."""
    settings = settings_for(db)
    try:
        day = date.fromisoformat(on) if on else settings.clock.today()
    except ValueError:
        raise fail(f"日期格式不正确：{on}（应为 2026-04-01 这样的格式）") from None
    out = Console()
    quiet_collector()
    with database_for(settings) as database:
        with database.reader() as session:
            plans = len(chasing.chased_plans(session, day))
        now = settings.clock.now()
        with Progress(
            TextColumn("[bold]催办计算"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=Console(stderr=True),
            disable=plans <= LARGE,
            transient=True,
        ) as bar:
            job = bar.add_task("plans", total=plans)

            def advance(done: int, total: int) -> None:
                bar.update(job, completed=done, total=total)

            if dry_run:
                with database.reader() as session:
                    result = chasing.run(session, day, now, dry_run=True, progress=advance)
            else:
                with database.writer() as session:
                    result = chasing.run(
                        session,
                        day,
                        now,
                        email=bool(settings.smtp_host),
                        progress=advance,
                        reads=database.reader,
                    )
        if not result.workday:
            out.print(f"{day.isoformat()} 不是工作日：不发提醒和督办单（已答复的通知照常标记）。")
        verb = "将发送" if dry_run else "已发出"
        for unit, items in result.by_unit().items():
            out.print(f"[bold]{unit}[/]（{len(items)}条）", highlight=False)
            for item in items:
                number = f" 督办〔{day.year}〕{item.number}号" if item.number else ""
                out.print(
                    f"  {item.label}{number}  {item.plan_title} 第{item.task_no}项：{item.reason}",
                    highlight=False,
                )
        out.print(
            f"{day.isoformat()}：{verb}{len(result.issued)}条通知（{result.plans}个计划、{result.tasks}项任务），"
            f"答复{result.answered}条",
            highlight=False,
        )
        if not dry_run:
            summary = delivery.deliver_pending(database, settings, settings.clock.now(), limit=10_000)
            out.print(
                f"投递：成功{summary.sent}，待重试{summary.retried}，失败{summary.failed}", highlight=False
            )


def quiet_collector() -> None:
    """As ``duban serve`` does (``web.app.quiet_collector``): the figures of every plan allocate millions of
    short-lived objects, and with the default thresholds the collector walks the whole heap again and again
    (a fifth to a half of a province's run)."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(20_000, 20, 20)


def register(app: typer.Typer) -> None:
    app.command("remind")(remind)
