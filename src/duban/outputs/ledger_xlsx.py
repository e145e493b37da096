"""The ledger workbook (台账) of one period's figures taken on one day: made to be printed, sent, sorted and
filled in.

- 台账: one row per task under its section's band row, about ten columns on A4 landscape (or A3) at 10 pt,
  row heights computed from the wrapped text (LibreOffice and WPS do not grow rows by themselves), header
  repeated and page numbers on every page. The 本期进展 / 存在问题 / 下步打算 / 进度 columns can be filled
  by a unit and imported back (``ledger_import``): the hidden last column holds each row's key.
- 汇总: counts by section and by reporting unit, the ranking and the colour rules, all from the same
  :class:`~duban.ledger.views.figures.PlanFigures` the pages and the bulletin read, so they cannot differ.
- 明细: the same tasks flat (no band rows, no merged cells, the section as a column) for sorting and
  filtering in Excel and WPS.

Every sheet states its 口径 (``2026年第三季度 · 截至2026年10月10日``). Cells are styled by copying the style
of the first cell of their kind: assigning fonts, borders and fills cell by cell looks each one up in the
workbook's style tables, which over a 3,000-task ledger costs more than everything else together.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Sequence
from copy import copy
from dataclasses import dataclass
from datetime import date
from io import BytesIO
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.worksheet import Worksheet

from duban.ledger.rules.status import COLOUR_LABELS, RankingRow, Rules
from duban.ledger.rules.text import clean_text
from duban.ledger.views import figures as fig
from duban.ledger.views.figures import PlanFigures, TaskFigure
from duban.ledger.views.ledger_rows import LedgerRow
from duban.outputs.naming import short_title
from duban.outputs.sheet import (
    BODY_FONT,
    BODY_SIZE,
    LINE_HEIGHT,
    border_all,
    lines_needed,
    print_setup,
)

COLOUR_FILLS = {"done": "5B9BD5", "blue": "9DC3E6", "yellow": "FFE699", "red": "FF7C80"}
BAND_FILL = "EDEDED"
HEAD_FILL = "D9D9D9"
HEAD_FONT = "黑体"
EXCLUDED = "不考核"
EXCUSED = "已申诉免责"  # a granted 申诉 set this period's case aside (figures.py)
KEY_HEADER = "键"
KEY_PREFIX = "T"
FILL_HEADERS = ("进度（%）", "本期进展", "存在问题", "下步打算")
ARROWS = {"up": "↑", "down": "↓", "same": "→"}
SUMMARY_WIDTHS = (8, 36, 9, 9, 9, 9, 9)  # 89 units: A4 landscape at 100 %, so no cell prints below 10 pt
COUNT_HEADS = ("已完成", "蓝", "黄", "红", "合计")
RANK_HEADS = ("名次", "单位", "得分", "较上期", "任务数", "迟报", "未报")


@dataclass(frozen=True)
class Column:
    header: str
    width: float
    value: Callable[[LedgerRow, date], object]
    optional: bool = False  # left out when empty for the whole plan


def _due(row: LedgerRow, on: date) -> object:
    """Only a date the notice states: a task without one is due by year end, but the ledger does not invent it."""
    return f"{row.stated_due.month}月{row.stated_due.day}日" if row.stated_due else ""


def _progress(row: LedgerRow, on: date) -> object:
    """The reporting unit's approved progress; empty (never 0) while it has reported nothing."""
    return round(row.latest_progress, 1) if row.latest_progress is not None else None


def _assessed(row: LedgerRow) -> bool:
    return row.figure is None or row.figure.assessed


def number_cell(no: str) -> int | str:
    """``5`` as a number (Excel and WPS sort 2 before 10), ``5.1`` or ``（一）`` as written."""
    text = no.strip()
    return int(text) if text.isdigit() and str(int(text)) == text else no


def report_words(row: LedgerRow) -> str:
    """This period's report in the screen's words: 未报送 / 逾期（10月10日报送） / "" (reported on time)."""
    return row.figure.state_words if row.figure is not None else ""


def state_text(row: LedgerRow, on: date) -> str:
    """The colour said in words, then why: 逾期 (past the task's own due date, not done) and the period's
    report (未报送 / 逾期（10月10日报送）); a task left out of the assessment is 不考核 and nothing else."""
    if not _assessed(row):
        return EXCUSED if row.figure is not None and row.figure.excused else EXCLUDED
    words = [COLOUR_LABELS[row.status.colour]]
    report = report_words(row)
    if row.status.colour != "done" and on > row.due:
        words.append("逾期未完成" if report.startswith("逾期") else "逾期")
    if report:
        words.append(report)
    return "，".join(words)


def colour_word(row: LedgerRow) -> str:
    if not _assessed(row):
        return EXCUSED if row.figure is not None and row.figure.excused else EXCLUDED
    return COLOUR_LABELS[row.status.colour]


COLUMNS = (
    Column("序号", 4, lambda r, on: number_cell(r.no)),
    Column("工作任务", 30, lambda r, on: f"{r.name}：{r.text}" if r.name else r.text),
    Column("牵头领导", 8, lambda r, on: "、".join(r.leaders), optional=True),
    Column("牵头单位", 10, lambda r, on: "、".join(r.lead_units)),  # always: the API contract names it
    Column("责任单位", 12, lambda r, on: "、".join(r.other_units) or r.reporting_unit),
    Column("完成时限", 8, _due, optional=True),
    Column("序时进度（%）", 6, lambda r, on: round(r.status.schedule, 1)),
    Column(FILL_HEADERS[0], 6, _progress),
    Column("状态", 9, state_text),
    Column(FILL_HEADERS[1], 22, lambda r, on: r.latest_text),
    Column(FILL_HEADERS[2], 12, lambda r, on: r.latest_problems),
    Column(FILL_HEADERS[3], 12, lambda r, on: r.latest_next_steps),
)


def _reason(row: LedgerRow, on: date) -> object:
    return row.figure.reason if row.figure is not None else ""


def _arrow(row: LedgerRow, on: date) -> object:
    return ARROWS[row.status.arrow] if _assessed(row) else ""


# The flat sheet: every column of the main sheet, with the section, the reporting unit, the colour and the
# period's report apart so each can be filtered on, the arrow and the reason.
DETAIL_EXTRA = {
    "序号": (Column("章节", 16, lambda r, on: r.section),),
    "责任单位": (Column("汇总单位", 12, lambda r, on: r.reporting_unit),),
    "状态": (
        Column("颜色", 6, lambda r, on: colour_word(r)),
        Column("报送情况", 14, lambda r, on: report_words(r)),
        Column("较上期", 6, _arrow),
    ),
}
DETAIL_TAIL = (Column("原因", 40, _reason),)


def _cell(value: object) -> object:
    return clean_text(value) if isinstance(value, str) else value


def columns_for(rows: Sequence[LedgerRow], on: date) -> list[Column]:
    return [c for c in COLUMNS if not c.optional or any(c.value(r, on) for r in rows)]


def detail_columns(main: Sequence[Column]) -> list[Column]:
    result: list[Column] = []
    for column in main:
        result.append(column)
        result.extend(DETAIL_EXTRA.get(column.header, ()))
    return result + list(DETAIL_TAIL)


_DIGITS = "零一二三四五六七八九"


def chinese_number(n: int) -> str:
    """1 → 一, 10 → 十, 16 → 十六, 23 → 二十三 (the numbering of a notice's sections, up to 99)."""
    tens, ones = divmod(n, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else _DIGITS[tens] + "十")
    return head + (_DIGITS[ones] if ones or not head else "")


def band_title(section: str, count: int, index: int | None = None) -> str:
    """``一、产业发展（16项）``: the section's own numbering kept, one added when the title has none."""
    title = section or "其他"
    if index is not None and not (title[:1] in _DIGITS + "十" and "、" in title[:4]):
        title = f"{chinese_number(index)}、{title}"
    return f"{title}（{count}项）"


def ledger_title(figures: PlanFigures) -> str:
    """``2026年金乡县政府重要工作事项台账``: the notice's subject, without 关于印发…的通知 or 责任分工."""

    subject = re.sub(r"(任务)?(责任)?(分工|分解)(方案|表|清单)?$", "", short_title(figures.plan))
    return f"{subject or short_title(figures.plan)}台账"


def basis_line(figures: PlanFigures) -> str:
    """``口径：2026年第三季度 · 截至2026年10月10日（较上期：第2期通报（…））``."""
    line = f"口径：{figures.basis.label}"
    if figures.basis.final:
        line += "（最终数据）"
    if figures.previous is not None:
        line += f"　较上期对比：{figures.previous.label}"
    return line


class Stamps:
    """Cell styles by name, made once on a scratch cell and given to each new cell as a copy of its style
    array (assigning fonts, borders and fills cell by cell looks each up in the workbook's style tables)."""

    def __init__(self, sheet: Worksheet) -> None:
        self._sheet = sheet  # any sheet of the workbook: the style tables are the workbook's
        self._made: dict[str, Any] = {}

    def define(
        self, name: str, font: Font, alignment: Alignment, fill: str | None = None, border: bool = True
    ) -> None:
        scratch = Cell(self._sheet)  # never placed on the sheet
        scratch.font, scratch.alignment = font, alignment
        if border:
            scratch.border = border_all()
        if fill:
            scratch.fill = PatternFill("solid", fgColor=fill)
        self._made[name] = scratch._style

    def new(self, sheet: Worksheet, value: object, name: str) -> Cell:
        """A cell for ``sheet.append``."""
        return Cell(sheet, value=value, style_array=self._made[name])

    def apply(self, cell: Any, name: str) -> None:
        cell._style = copy(self._made[name])


def _stamps(sheet: Worksheet) -> Stamps:
    stamps = Stamps(sheet)
    body, head = Font(name=BODY_FONT, size=BODY_SIZE), Font(name=HEAD_FONT, size=BODY_SIZE)
    top = Alignment(wrap_text=True, vertical="top")
    centred = Alignment(wrap_text=True, vertical="center", horizontal="center")
    stamps.define("body", body, top)
    stamps.define("centred", body, centred)
    stamps.define("head", head, centred, HEAD_FILL)
    stamps.define("band", head, Alignment(vertical="center", wrap_text=True), BAND_FILL)
    stamps.define(
        "title",
        Font(name=HEAD_FONT, size=16),
        Alignment(horizontal="center", vertical="center"),
        border=False,
    )
    stamps.define("basis", body, Alignment(horizontal="center", vertical="center"), border=False)
    stamps.define("caption", Font(name=HEAD_FONT, size=12), Alignment(vertical="center"), border=False)
    stamps.define("note", body, Alignment(vertical="center"), border=False)
    for colour, rgb in COLOUR_FILLS.items():
        stamps.define(colour, body, centred, rgb)
    return stamps


def _merged(
    sheet: Worksheet, stamps: Stamps, row: int, first: int, last: int, value: object, style: str
) -> None:
    """Cells ``first``..``last`` of ``row`` merged, holding ``value``. Merged before they are styled:
    openpyxl redraws the borders of a styled range cell by cell, slowly."""
    if last > first:
        sheet.merge_cells(start_row=row, start_column=first, end_row=row, end_column=last)
    sheet.cell(row, first).value = _cell(value)
    for col in range(first, last + 1):
        stamps.apply(sheet.cell(row, col), style)


def _title(sheet: Worksheet, stamps: Stamps, title: str, basis: str, width: int) -> None:
    """The title (黑体 16 pt) and the 口径 line under it, both across the sheet's columns."""
    _merged(sheet, stamps, 1, 1, width, title, "title")
    _merged(sheet, stamps, 2, 1, width, basis, "basis")
    sheet.row_dimensions[1].height = 30
    sheet.row_dimensions[2].height = 20


def _print_basis(
    sheet: Worksheet, paper: str, title_rows: str | None, area: str | None, basis: str, fit: bool = True
) -> None:
    """Print setup, with the 口径 at the top of every printed page. ``fit=False`` prints at 100 %: the
    summary fits the page as it is (so nothing prints below 10 pt), the flat sheet is for the screen."""
    print_setup(sheet, paper, title_rows, area)
    if not fit:
        sheet.sheet_properties.pageSetUpPr.fitToPage = False
    sheet.oddHeader.center.text = clean_text(basis).replace("&", "&&")
    sheet.oddHeader.center.font = "宋体"
    sheet.oddHeader.center.size = BODY_SIZE


def row_height(values: Sequence[object], widths: Sequence[float]) -> float:
    """``set_row_height`` for values not yet on the sheet; a short text is one line without measuring."""
    lines = 1
    for value, width in zip(values, widths, strict=False):
        if isinstance(value, str) and value and (2 * len(value) > width - 1 or "\n" in value):
            lines = max(lines, lines_needed(value, width))
    return round(lines * LINE_HEIGHT + 4, 1)


def _header_row(
    sheet: Worksheet, stamps: Stamps, row: int, headers: Sequence[str], widths: Sequence[float]
) -> None:
    for i, header in enumerate(headers):
        cell = sheet.cell(row, i + 1)
        cell.value = header
        stamps.apply(cell, "head")
        sheet.column_dimensions[cell.column_letter].width = widths[i]
    sheet.row_dimensions[row].height = row_height(headers, widths)


def _task_row(
    sheet: Worksheet, stamps: Stamps, row: LedgerRow, columns: Sequence[Column], values: Sequence[object]
) -> None:
    state = row.status.colour if _assessed(row) else "centred"  # 不考核: no colour
    cells = [
        stamps.new(sheet, value, state if c.header == "状态" else "centred" if c.width <= 8 else "body")
        for c, value in zip(columns, values, strict=True)
    ]
    sheet.append([*cells, stamps.new(sheet, f"{KEY_PREFIX}{row.task_id}", "body")])
    sheet.row_dimensions[sheet._current_row].height = row_height(values, [c.width for c in columns])


def _sections(rows: Sequence[LedgerRow]) -> dict[str, list[LedgerRow]]:
    """Rows by section, in the plan's order (by section key: two sections may share a title)."""
    grouped: dict[str, list[LedgerRow]] = defaultdict(list)
    for row in rows:
        key = (row.figure.task.section_key or "") if row.figure is not None else row.section
        grouped[key].append(row)
    return grouped


def ledger_workbook(
    figures: PlanFigures,
    rows: list[LedgerRow],
    *,
    unit: str | None = None,
    paper: str = "A4",
    chosen: bool = False,
) -> bytes:
    """The workbook of one period's figures; ``unit`` keeps that unit's tasks only (the copy sent to it
    for filling in); ``chosen``: the rows are that unit's already (``unit`` only names it)."""
    on = figures.basis.on
    if unit and not chosen:
        rows = [r for r in rows if unit in (r.reporting_unit, *r.lead_units, *r.other_units)]
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "台账"
    stamps = _stamps(sheet)
    columns = columns_for(rows, on)
    detail = detail_columns(columns)
    picks = [detail.index(c) for c in columns]
    sections = list(_sections(rows).values())
    # Each row's values worked out once, for both sheets, in the main sheet's order.
    table = [[_cell(c.value(row, on)) for c in detail] for items in sections for row in items]
    width = len(columns)
    _title(sheet, stamps, ledger_title(figures) + (f"（{unit}）" if unit else ""), basis_line(figures), width)
    header = 3
    headers = [c.header for c in columns] + [KEY_HEADER]
    _header_row(sheet, stamps, header, headers, [c.width for c in columns] + [8])
    number, done = header, 0
    for index, items in enumerate(sections, start=1):
        number += 1
        _merged(sheet, stamps, number, 1, width, band_title(items[0].section, len(items), index), "band")
        stamps.apply(sheet.cell(number, width + 1), "band")
        sheet.row_dimensions[number].height = 20
        for row in items:
            number += 1
            _task_row(sheet, stamps, row, columns, [table[done][i] for i in picks])
            done += 1
    sheet.column_dimensions[sheet.cell(header, width + 1).column_letter].hidden = True
    sheet.freeze_panes = sheet.cell(header + 1, 1)
    last = sheet.cell(number, width).coordinate
    sheet.auto_filter.ref = f"A{header}:{last}"
    _print_basis(sheet, paper, f"{header}:{header}", f"A1:{last}", figures.basis.label)
    _summary(book.create_sheet("汇总"), stamps, figures, rows, unit, paper)
    _detail(book.create_sheet("明细"), stamps, detail, table, paper, figures.basis.label)
    _rectifications(book.create_sheet("整改台账"), stamps, figures, unit, paper)
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _detail(
    sheet: Worksheet,
    stamps: Stamps,
    columns: Sequence[Column],
    table: Sequence[Sequence[object]],
    paper: str,
    label: str,
) -> None:
    """One row per task under one header row: nothing merged, numbers as numbers, an AutoFilter. The body
    keeps the workbook's own font and prints the grid: no style to write for 40,000 cells."""
    _header_row(sheet, stamps, 1, [c.header for c in columns], [c.width for c in columns])
    for values in table:
        sheet.append([v if v != "" else None for v in values])
    last = sheet.cell(len(table) + 1, len(columns)).coordinate
    sheet.auto_filter.ref = f"A1:{last}"
    sheet.freeze_panes = "C2"
    sheet.print_options.gridLines = True
    _print_basis(sheet, paper, "1:1", None, label, fit=False)


RECTIFICATION_COLUMNS = (
    ("序号", 6),
    ("任务编号", 8),
    ("整改单位", 16),
    ("督查发现的问题", 36),
    ("整改措施", 30),
    ("整改时限", 12),
    ("状态", 10),
    ("单位答复", 36),
    ("销号日期", 12),
)


def rectification_state(item: Any, on: date) -> str:
    """销号 / 逾期 / 整改中 / 已答复, as of the day the figures are taken."""
    if item.closed_on is not None and item.closed_on <= on:
        return "已销号"
    if item.overdue(on):
        return "逾期"
    return "已答复" if item.answers else "整改中"


def _rectifications(
    sheet: Worksheet, stamps: Stamps, figures: PlanFigures, unit: str | None, paper: str
) -> None:
    """整改台账: every problem found in supervision opened by the day, with its unit, measures, deadline,
    state (逾期 when open past the deadline) and the unit's latest answer."""
    on = figures.basis.on
    numbers = {t.task.id: t.task.no for t in figures.tasks}
    items = [r for r in figures.rectifications if not unit or figures.unit_name(r.unit_id) == unit]
    width = len(RECTIFICATION_COLUMNS)
    _title(sheet, stamps, ledger_title(figures) + "·整改台账", basis_line(figures), width)
    _header_row(
        sheet, stamps, 3, [h for h, _ in RECTIFICATION_COLUMNS], [w for _, w in RECTIFICATION_COLUMNS]
    )
    for index, item in enumerate(items, start=1):
        closed = item.closed_on if item.closed_on is not None and item.closed_on <= on else None
        answer = item.answers[-1]["text"] if item.answers else ""
        values = [
            index,
            number_cell(numbers.get(item.task_id, "")),
            figures.unit_name(item.unit_id),
            item.problem,
            item.measures,
            item.deadline.isoformat(),
            rectification_state(item, on),
            answer,
            closed.isoformat() if closed else "",
        ]
        for column, value in enumerate(values, start=1):
            cell = sheet.cell(3 + index, column)
            cell.value = _cell(value)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    if not items:
        sheet.cell(4, 1).value = "暂无整改事项"
    sheet.freeze_panes = "A4"
    _print_basis(sheet, paper, "3:3", None, figures.basis.label, fit=False)


def _caption(sheet: Worksheet, stamps: Stamps, row: int, text: str, style: str = "caption") -> int:
    """A line across the summary (a table's caption, or a note); the next row."""
    _merged(sheet, stamps, row, 1, len(SUMMARY_WIDTHS), text, style)
    sheet.row_dimensions[row].height = 22
    return row + 1


def _summary_row(
    sheet: Worksheet, stamps: Stamps, row: int, values: Sequence[object], styles: list[str]
) -> None:
    """One row of a summary table; a row shorter than the sheet runs its last value to the right edge
    (the legend's rules), as tall as its wrapped text."""
    full = len(SUMMARY_WIDTHS)
    span = len(values)
    for i, value in enumerate(values[:-1]):
        cell = sheet.cell(row, i + 1)
        cell.value = _cell(value)
        stamps.apply(cell, styles[i])
        if isinstance(value, float):
            cell.number_format = "0.0"  # the value as /api/rankings gives it, shown as the pages show it
    _merged(sheet, stamps, row, span, full, values[-1], styles[-1])
    if isinstance(values[-1], float):
        sheet.cell(row, span).number_format = "0.0"
    widths = [*SUMMARY_WIDTHS[: span - 1], sum(SUMMARY_WIDTHS[span - 1 :])]
    sheet.row_dimensions[row].height = row_height([_cell(v) for v in values], widths)


def _table(
    sheet: Worksheet,
    stamps: Stamps,
    row: int,
    headers: Sequence[str],
    body: Sequence[Sequence[object]],
    firsts: Sequence[str | None] | None = None,
) -> int:
    """A bordered table from ``row`` on, 10 pt, wrapped, rows as tall as their text; the next free row.
    ``firsts`` gives each body row's first cell a style of its own (the legend's colours)."""
    _summary_row(sheet, stamps, row, headers, ["head"] * len(headers))
    for n, values in enumerate(body):
        row += 1
        styles = ["body" if i == 1 else "centred" for i in range(len(values))]
        if firsts is not None and firsts[n]:
            styles[0] = str(firsts[n])
        _summary_row(sheet, stamps, row, values, styles)
    return row + 2


def _count_row(number: int, label: str, items: Sequence[TaskFigure]) -> list[object]:
    """A row of ``figures.counts``: assessed tasks only, as 总览, /api/overview and the bulletin count."""
    counted = fig.counts(items)
    return [
        number,
        label,
        counted["done"],
        counted["blue"],
        counted["yellow"],
        counted["red"],
        counted["total"],
    ]


def _figures_of(rows: Sequence[LedgerRow]) -> list[TaskFigure]:
    return [r.figure for r in rows if r.figure is not None]


def _by_unit(figures: PlanFigures, rows: Sequence[LedgerRow]) -> list[list[object]]:
    """By reporting unit, ordered as 总览 orders them (most tasks first)."""
    assessed = [f for f in _figures_of(rows) if f.assessed]
    groups = fig.grouped(assessed, lambda f: [f.task.reporting_unit_id or 0])
    ordered = sorted(groups.items(), key=lambda kv: (kv[0] == 0, -len(kv[1]), kv[0]))
    return [
        _count_row(n, figures.unit_name(unit_id) or "（未确定汇总单位）", group)
        for n, (unit_id, group) in enumerate(ordered, start=1)
    ]


def _ranking_rows(ranking: Sequence[RankingRow]) -> list[list[object]]:
    """As /api/rankings gives them and the bulletin prints them: the score shown to one decimal."""
    return [[r.rank, r.name, float(r.score), ARROWS[r.arrow], r.tasks, r.late, r.missing] for r in ranking]


def legend(figures: PlanFigures) -> list[tuple[str, str | None, str]]:
    """The colour rules and the notes of ``shared/spec/ledger.md`` with this plan's thresholds and weights."""
    rules: Rules = figures.rules

    def n(value: float) -> str:
        return f"{value:g}"

    previous = figures.previous.label if figures.previous else "无上期数据，均为→"
    return [
        ("已完成", "done", "汇总单位最近一次经审核通过的报告标明任务已完成。"),
        (
            "红",
            "red",
            f"已过任务完成时限仍未完成；或进度落后序时进度超过 {n(rules.red_gap)} 个百分点；"
            "或最近两个已到期的报送期均未报送。",
        ),
        (
            "黄",
            "yellow",
            f"进度落后序时进度超过 {n(rules.yellow_gap)} 个百分点；或最近一个已到期的报送期未报送。",
        ),
        ("蓝", "blue", "其余情况：进度达到或接近序时进度。"),
        (EXCLUDED, None, "督查室标为不考核的任务：保留在台账中，不着色，不计入以上统计和排名。"),
        (
            "口径",
            None,
            f"本表为{figures.basis.label}的数据，只计该报送期及以前各期的报告；"
            "下一报送期截止前一日的数据为该期最终数据，此后不再变化。",
        ),
        (
            "序时进度",
            None,
            "按检查点计算：检查点为统计日以前最近一个已到期报送期的截止日（尚无到期报送期时为起始日），"
            "序时进度 =（检查点 − 起始日）÷（完成时限 − 起始日）× 100%，最高 100%；"
            "起始日为计划印发日，未载明完成时限的任务按当年12月31日计。两个截止日之间颜色不随日期变化。",
        ),
        (
            "进度",
            None,
            "汇总单位截至统计日最近一次经审核通过的报告所填进度；尚未报送的任务不填进度（不等于 0%）。",
        ),
        (
            "报送情况",
            None,
            "未报送：报送期已截止，汇总单位截至统计日仍未报送；逾期（某月某日报送）：截止后报送。"
            "只计各任务的汇总单位，协办单位不计迟报、未报。",
        ),
        (
            "得分",
            None,
            f"得分 = 100 × 各任务权重之和 ÷ 任务数 − {n(rules.late_penalty)} × 迟报数 − "
            f"{n(rules.missing_penalty)} × 未报数，最低为 0 分（已完成 {n(rules.weight_done)}、"
            f"蓝 {n(rules.weight_blue)}、黄 {n(rules.weight_yellow)}、红 {n(rules.weight_red)}）；"
            "同分同名次。",
        ),
        ("较上期", None, f"名次和颜色与上期对比（↑上升，↓下降，→持平）：{previous}。"),
    ]


def _summary(
    sheet: Worksheet,
    stamps: Stamps,
    figures: PlanFigures,
    rows: Sequence[LedgerRow],
    unit: str | None,
    paper: str,
) -> None:
    """Counts by section and by reporting unit, the ranking and the rules: the figures of 总览 and 排名."""
    for letter, width in zip("ABCDEFG", SUMMARY_WIDTHS, strict=True):
        sheet.column_dimensions[letter].width = width
    _title(
        sheet,
        stamps,
        ledger_title(figures) + "汇总" + (f"（{unit}）" if unit else ""),
        basis_line(figures),
        7,
    )
    row = 4
    sections = [
        _count_row(n, items[0].section or "其他", _figures_of(items))
        for n, items in enumerate(_sections(rows).values(), start=1)
    ]
    sections.append(["", "合计", *_count_row(0, "", _figures_of(rows))[2:]])
    row = _caption(sheet, stamps, row, "一、按章节统计")
    row = _table(sheet, stamps, row, ["序号", "章节", *COUNT_HEADS], sections)
    excluded = sum(not _assessed(r) for r in rows)
    if excluded:
        row = (
            _caption(sheet, stamps, row - 1, f"另有 {excluded} 项任务不考核，未计入统计和排名。", "note") + 1
        )
    row = _caption(sheet, stamps, row, "二、按汇总单位统计")
    row = _table(sheet, stamps, row, ["序号", "汇总单位", *COUNT_HEADS], _by_unit(figures, rows))
    ranking = figures.ranking
    if unit and not figures.rules.units_see_full_ranking:
        ranking = [r for r in ranking if r.name == unit]  # a unit's copy: its own place only
    if ranking:
        row = _caption(sheet, stamps, row, f"三、单位排名（共 {len(figures.ranking)} 个单位参加排名）")
        row = _table(sheet, stamps, row, RANK_HEADS, _ranking_rows(ranking))
    notes = legend(figures)
    row = _caption(sheet, stamps, row, "说明：状态颜色规则和计算口径")
    body = [(label, rule) for label, _, rule in notes]
    _table(sheet, stamps, row, ["项目", "规则和说明"], body, [colour for _, colour, _ in notes])
    _print_basis(sheet, paper, None, None, figures.basis.label, fit=False)
