"""The ledger workbook (台账): one row per task with its units, 序时进度, progress, colour and latest report.

Printed on A3/A4 landscape, header frozen, the status cell filled in its colour so the sheet reads at a
glance the way offices colour their Excel ledgers by hand.
"""

from __future__ import annotations

from datetime import date
from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.worksheet.worksheet import Worksheet

from duban.ledger.models import Plan
from duban.ledger.standing import LedgerRow
from duban.ledger.status import COLOUR_LABELS
from duban.ledger.text import clean_text

HEADERS = [
    "序号", "章节", "任务", "牵头领导", "牵头单位", "责任/协办单位", "汇总单位", "完成时限",
    "序时进度", "进度", "状态", "趋势", "最新进展", "存在问题", "下步打算",
]  # fmt: skip
WIDTHS = [7, 18, 50, 12, 18, 24, 16, 12, 9, 8, 8, 6, 40, 24, 24]
COLOUR_FILLS = {"done": "5B9BD5", "blue": "9DC3E6", "yellow": "FFE699", "red": "FF7C80"}
ARROWS = {"up": "↑", "down": "↓", "same": "→"}
_THIN = Side(style="thin", color="808080")


def _header(sheet: Worksheet, title: str, on: date) -> None:
    sheet.append([f"{title} 工作台账（截至{on.year}年{on.month}月{on.day}日）"])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(HEADERS))
    sheet["A1"].font = Font(bold=True, size=14)
    sheet["A1"].alignment = Alignment(horizontal="center")
    sheet.append(HEADERS)
    for i, cell in enumerate(sheet[2]):
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="D9D9D9")
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        sheet.column_dimensions[cell.column_letter].width = WIDTHS[i]
    sheet.freeze_panes = "A3"


def _row(row: LedgerRow) -> list[object]:
    """One task's cells; text cleaned of control characters, which openpyxl refuses and which databases
    written before input was cleaned may still hold."""
    return [clean_text(v) if isinstance(v, str) else v for v in _values(row)]


def _values(row: LedgerRow) -> list[object]:
    return [
        row.no,
        row.section,
        f"{row.name}：{row.text}" if row.name else row.text,
        "、".join(row.leaders),
        "、".join(row.lead_units),
        "、".join(row.other_units),
        row.reporting_unit,
        row.due.isoformat(),
        round(row.status.schedule, 1),
        round(row.status.progress, 1),
        COLOUR_LABELS[row.status.colour],
        ARROWS[row.status.arrow],
        row.latest_text,
        row.latest_problems,
        row.latest_next_steps,
    ]


def ledger_workbook(plan: Plan, rows: list[LedgerRow], on: date) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "台账"
    _header(sheet, plan.title, on)
    border = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
    wrap = Alignment(wrap_text=True, vertical="top")
    status_column = HEADERS.index("状态")
    for row in rows:
        sheet.append(_row(row))
        cells = sheet[sheet.max_row]
        for cell in cells:
            cell.alignment = wrap
            cell.border = border
        cells[status_column].fill = PatternFill("solid", fgColor=COLOUR_FILLS[row.status.colour])
        cells[status_column].alignment = Alignment(horizontal="center", vertical="center")
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = "2:2"
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()
