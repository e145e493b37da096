"""The ledger workbook (台账): one row per task under its section's band row, made to be printed and sent.

About ten columns on A4 landscape (or A3) at 10 pt, row heights computed from the wrapped text (LibreOffice
and WPS do not grow rows by themselves), header repeated and page numbers on every page, a summary sheet.
The 本期进展 / 存在问题 / 下步打算 / 进度 columns can be filled by a unit and imported back
(``ledger_import``): the hidden last column holds each row's key.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, NamedStyle, PatternFill
from openpyxl.worksheet.worksheet import Worksheet

from duban.ledger.figures import PlanFigures
from duban.ledger.standing import LedgerRow
from duban.ledger.status import COLOUR_LABELS, RankingRow
from duban.ledger.text import clean_text
from duban.outputs.sheet import (
    BODY_FONT,
    BODY_SIZE,
    border_all,
    print_setup,
    set_row_height,
)

COLOUR_FILLS = {"done": "5B9BD5", "blue": "9DC3E6", "yellow": "FFE699", "red": "FF7C80"}
BAND_FILL = "EDEDED"
STATE_FILLS = {colour: PatternFill("solid", fgColor=rgb) for colour, rgb in COLOUR_FILLS.items()}
BODY_STYLE, CENTRED_STYLE = "台账正文", "台账居中"
KEY_HEADER = "键"
KEY_PREFIX = "T"
FILL_HEADERS = ("进度（%）", "本期进展", "存在问题", "下步打算")
LEGEND = (
    ("已完成", "done", "任务已完成且经督查室审核通过。"),
    ("红", "red", "已过完成时限仍未完成；或进度落后序时进度 30 个百分点以上；或最近两期均未报送。"),
    ("黄", "yellow", "进度落后序时进度 10 个百分点以上；或最近一期未报送。"),
    ("蓝", "blue", "进度达到或接近序时进度。"),
)


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
    return round(row.latest_progress, 1) if row.latest_progress is not None else None


def state_text(row: LedgerRow, on: date) -> str:
    """The colour said in words, with why: 逾期 (past its stated date, not done) and 未报送 (periods missing)."""
    words = [COLOUR_LABELS[row.status.colour]]
    if row.status.colour != "done" and on > row.due:
        words.append("逾期")
    if row.status.missing:
        words.append("未报送")
    return "，".join(words)


COLUMNS = (
    Column("序号", 4, lambda r, on: r.no),
    Column("工作任务", 30, lambda r, on: f"{r.name}：{r.text}" if r.name else r.text),
    Column("牵头领导", 8, lambda r, on: "、".join(r.leaders), optional=True),
    Column("牵头单位", 10, lambda r, on: "、".join(r.lead_units)),  # always: the API contract names it
    Column("责任单位", 12, lambda r, on: "、".join(r.other_units) or r.reporting_unit),
    Column("完成时限", 8, _due, optional=True),
    Column("序时进度（%）", 6, lambda r, on: round(r.status.schedule, 1)),
    Column(FILL_HEADERS[0], 6, _progress),
    Column("状态", 7, state_text),
    Column(FILL_HEADERS[1], 22, lambda r, on: r.latest_text),
    Column(FILL_HEADERS[2], 12, lambda r, on: r.latest_problems),
    Column(FILL_HEADERS[3], 12, lambda r, on: r.latest_next_steps),
)


def _cell(value: object) -> object:
    return clean_text(value) if isinstance(value, str) else value


def columns_for(rows: Sequence[LedgerRow], on: date) -> list[Column]:
    return [c for c in COLUMNS if not c.optional or any(c.value(r, on) for r in rows)]


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


def _title(sheet: Worksheet, text: str, width: int) -> None:
    sheet.append([clean_text(text)])
    sheet.merge_cells(start_row=sheet.max_row, start_column=1, end_row=sheet.max_row, end_column=width)
    cell = sheet.cell(sheet.max_row, 1)
    cell.font = Font(name="黑体", size=16)
    cell.alignment = Alignment(horizontal="center", vertical="center")
    sheet.row_dimensions[sheet.max_row].height = 30


def _header_row(sheet: Worksheet, headers: Sequence[str], widths: Sequence[float]) -> int:
    sheet.append(list(headers))
    row = sheet.max_row
    for i, cell in enumerate(sheet[row]):
        cell.font = Font(name="黑体", size=BODY_SIZE)
        cell.fill = PatternFill("solid", fgColor="D9D9D9")
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = border_all()
        sheet.column_dimensions[cell.column_letter].width = widths[i]
    set_row_height(sheet, row, widths)
    return row


def _band(sheet: Worksheet, text: str, width: int, row: int) -> None:
    """Row ``row`` (counted by the caller: ``sheet.max_row`` scans every cell, quadratic over a ledger)."""
    sheet.append([clean_text(text)] + [None] * width)
    sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
    for col in range(1, width + 2):
        cell = sheet.cell(row, col)
        cell.font = Font(name="黑体", size=BODY_SIZE)
        cell.fill = PatternFill("solid", fgColor=BAND_FILL)
        cell.border = border_all()
        cell.alignment = Alignment(vertical="center")
    sheet.row_dimensions[row].height = 20


def _styles(book: Workbook) -> None:
    """Named styles, set once: assigning fonts and borders cell by cell costs a style lookup each time
    (ten times slower over a 3,000-task ledger)."""
    for name, centred in ((BODY_STYLE, False), (CENTRED_STYLE, True)):
        style = NamedStyle(name=name)
        style.font = Font(name=BODY_FONT, size=BODY_SIZE)
        style.border = border_all()
        style.alignment = Alignment(
            wrap_text=True, vertical="center" if centred else "top", horizontal="center" if centred else None
        )
        book.add_named_style(style)


def _task_row(sheet: Worksheet, row: LedgerRow, columns: Sequence[Column], on: date, number: int) -> None:
    sheet.append([_cell(c.value(row, on)) for c in columns] + [f"{KEY_PREFIX}{row.task_id}"])
    for i in range(len(columns) + 1):  # not sheet[number]: it scans every cell for the widest row
        centred = i < len(columns) and columns[i].width <= 8
        sheet.cell(number, i + 1).style = CENTRED_STYLE if centred else BODY_STYLE
    state = [c.header for c in columns].index("状态")
    sheet.cell(number, state + 1).fill = STATE_FILLS[row.status.colour]
    set_row_height(sheet, number, [c.width for c in columns])


def _sections(rows: Sequence[LedgerRow]) -> dict[str, list[LedgerRow]]:
    grouped: dict[str, list[LedgerRow]] = defaultdict(list)
    for row in rows:
        grouped[row.section].append(row)
    return grouped


def ledger_workbook(
    figures: PlanFigures,
    rows: list[LedgerRow],
    *,
    unit: str | None = None,
    paper: str = "A4",
) -> bytes:
    """The workbook of one period's figures; ``unit`` keeps that unit's tasks only (the copy sent to it
    for filling in)."""
    plan, on, ranking = figures.plan, figures.basis.on, figures.ranking
    if unit:
        rows = [r for r in rows if unit in (r.reporting_unit, *r.lead_units, *r.other_units)]
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "台账"
    _styles(book)
    columns = columns_for(rows, on)
    width = len(columns)
    scope = f"（{unit}）" if unit else ""
    _title(sheet, f"{plan.title}工作台账{scope}（截至{on.year}年{on.month}月{on.day}日）", width)
    header = _header_row(sheet, [c.header for c in columns] + [KEY_HEADER], [c.width for c in columns] + [8])
    number = header
    for index, (section, items) in enumerate(_sections(rows).items(), start=1):
        number += 1
        _band(sheet, band_title(section, len(items), index), width, number)
        for row in items:
            number += 1
            _task_row(sheet, row, columns, on, number)
    key_letter = sheet.cell(header, width + 1).column_letter
    sheet.column_dimensions[key_letter].hidden = True
    sheet.freeze_panes = sheet.cell(header + 1, 1)
    sheet.auto_filter.ref = f"A{header}:{sheet.cell(number, width).coordinate}"
    print_setup(sheet, paper, f"{header}:{header}", f"A1:{sheet.cell(number, width).coordinate}")
    _summary(book.create_sheet("汇总"), rows, ranking, paper)
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _table(sheet: Worksheet, caption: str, headers: Sequence[str], body: Sequence[Sequence[object]]) -> None:
    sheet.append([caption])
    sheet.cell(sheet.max_row, 1).font = Font(name="黑体", size=12)
    sheet.append(list(headers))
    for cell in sheet[sheet.max_row]:
        cell.font = Font(name="黑体", size=BODY_SIZE)
        cell.fill = PatternFill("solid", fgColor="D9D9D9")
        cell.border = border_all()
    for values in body:
        sheet.append([_cell(v) for v in values])
        for cell in sheet[sheet.max_row]:
            cell.font = Font(name=BODY_FONT, size=BODY_SIZE)
            cell.border = border_all()
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.append([])


def _counts(label: str, items: Sequence[LedgerRow]) -> list[object]:
    count = Counter(r.status.colour for r in items)
    return [label, count["done"], count["blue"], count["yellow"], count["red"], len(items)]


def _summary(sheet: Worksheet, rows: Sequence[LedgerRow], ranking: Sequence[RankingRow], paper: str) -> None:
    """Counts by colour by section and by unit, the ranking and the legend of the colour rules."""
    heads = ["", "已完成", "蓝", "黄", "红", "合计"]
    sections = enumerate(_sections(rows).items(), start=1)
    by_section = [_counts(band_title(s, len(i), n), i) for n, (s, i) in sections]
    by_section.append(_counts("合计", rows))
    _table(sheet, "一、按章节统计", ["章节", *heads[1:]], by_section)
    units: dict[str, list[LedgerRow]] = defaultdict(list)
    for row in rows:
        units[row.reporting_unit or "（未定）"].append(row)
    _table(
        sheet, "二、按单位统计（汇总单位）", ["单位", *heads[1:]], [_counts(u, i) for u, i in units.items()]
    )
    if ranking:
        body = [[r.rank, r.name, round(r.score, 1), r.tasks, r.late, r.missing] for r in ranking]
        _table(sheet, "三、单位排名", ["名次", "单位", "得分", "任务数", "迟报", "未报"], body)
    _table(sheet, "说明：状态颜色规则", ["状态", "规则"], [(label, rule) for label, _, rule in LEGEND])
    for row in sheet.iter_rows():
        if row[0].value in {label for label, _, _ in LEGEND}:
            colour = next(c for label, c, _ in LEGEND if label == row[0].value)
            row[0].fill = PatternFill("solid", fgColor=COLOUR_FILLS[colour])
    for letter, width in zip("ABCDEF", (34, 60, 8, 8, 8, 8), strict=True):
        sheet.column_dimensions[letter].width = width
    print_setup(sheet, paper, None, None)
