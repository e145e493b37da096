"""``duban parse``: print or save a parsed notice.

Formats: ``json`` (exactly one ``duban.plan/1`` object), ``table`` (a Rich table for a person), ``xlsx`` (a
workbook, written to ``-o`` or next to the input), ``summary`` (one line per notice, used by ``make demo``).
"""

from __future__ import annotations

import io
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from duban.cli_common import fail
from duban.ledger.rules.refusals import not_a_notice
from duban.outputs.plan_xlsx import KIND_LABELS, TASK_HEADERS, task_row, write_plan_xlsx
from duban.plan import Plan, PlanError, parse


class Format(StrEnum):
    json = "json"
    table = "table"
    xlsx = "xlsx"
    summary = "summary"


def register(app: typer.Typer) -> None:
    app.command("parse")(parse_command)


def parse_command(
    file: Annotated[Path, typer.Argument(help="通知文件：txt、docx、pdf 或网页 / the notice")],
    fmt: Annotated[Format, typer.Option("--format", "-f", help="输出格式 / output format")] = Format.json,
    out: Annotated[
        Path | None, typer.Option("--output", "-o", help="输出文件 / write here instead of stdout")
    ] = None,
) -> None:
    """解析责任分工通知，输出结构化的任务清单 / parse a responsibility-division notice."""
    try:
        plan = parse(file)
    except PlanError as exc:
        calm = not_a_notice(file.name, exc.message, _head(file)) if fmt is Format.summary else None
        if calm is None:
            raise fail(exc.message) from None
        sys.stdout.write(calm + "\n")  # a folder's other papers (a 工作报告) are no error in a summary
        return
    if plan.read_by_ocr:
        Console(stderr=True).print("注意：本文件是扫描件，内容由文字识别（OCR）得到，请逐项核对。")
    for warning in plan.warnings:  # parts not read: the rest of the notice still comes out
        Console(stderr=True, soft_wrap=True).print(f"注意：{warning}", highlight=False)
    if fmt is Format.xlsx:
        target = out or file.with_suffix(".xlsx")
        try:
            write_plan_xlsx(plan, target)
        except OSError as exc:
            raise fail(f"无法写入 / cannot write {target}: {exc.strerror}") from None
        Console(stderr=True, soft_wrap=True).print(f"已写入 {target}（{len(plan.tasks)} 项任务）")
        return
    text = _render(plan, fmt, file)
    if out is None:
        sys.stdout.write(text)
        return
    try:
        out.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise fail(f"无法写入 / cannot write {out}: {exc.strerror}") from None


def _head(file: Path) -> str:
    """The first characters of a text file, to say what a refused file is (empty for other formats)."""
    if file.suffix.lower() not in (".txt", ".text"):
        return ""
    try:
        with file.open(encoding="utf-8", errors="replace") as handle:
            return handle.read(2000)
    except OSError:
        return ""


def _render(plan: Plan, fmt: Format, file: Path) -> str:
    if fmt is Format.json:
        return plan.to_json() + "\n"
    if fmt is Format.summary:
        return summary_line(plan, file.name) + "\n"
    console = Console(record=True, width=160, file=io.StringIO())
    console.print(task_table(plan))
    return console.export_text()


def summary_line(plan: Plan, name: str) -> str:
    kinds = {k: sum(1 for t in plan.tasks if t.kind == k) for k in KIND_LABELS}
    doc = plan.document
    parts = [f"{KIND_LABELS[k]} {n}" for k, n in kinds.items() if n]
    return (
        f"{name}: {doc.title or '（无标题）'} | {doc.doc_number or '无文号'} | {len(plan.tasks)} 项任务（"
        + "，".join(parts)
        + f"），{len(plan.sections)} 个章节，{len(plan.indicators)} 个预期目标"
    )


def task_table(plan: Plan) -> Table:
    table = Table(title=plan.document.title or "任务清单", show_lines=True)
    shown = [0, 4, 5, 6, 7, 8]
    for i in shown:
        table.add_column(TASK_HEADERS[i], overflow="fold")
    titles = {s.key: s.title for s in plan.sections}
    for task in plan.tasks:
        row = task_row(task, titles)
        table.add_row(*(row[i] for i in shown))
    return table
