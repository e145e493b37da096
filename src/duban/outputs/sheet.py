"""Print helpers shared by the ledger and the plan workbooks: paper, margins, repeated header, page numbers,
and row heights computed from wrapped text (Excel grows rows itself, LibreOffice and WPS do not)."""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Sequence

from openpyxl.styles import Border, Side
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.worksheet import Worksheet

BODY_FONT = "仿宋"
BODY_SIZE = 10
LINE_HEIGHT = 14.0  # points per line of 10 pt text, with leading
_THIN = Side(style="thin", color="808080")


def border_all() -> Border:
    return Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)


def text_width(text: str) -> int:
    """Width in column units: a CJK (wide or full-width) character counts double."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def lines_needed(text: str, width: float) -> int:
    """Lines a wrapped cell of ``width`` column units needs, paragraph by paragraph."""
    usable = max(width - 1, 1)
    return sum(max(1, math.ceil(text_width(part) / usable)) for part in text.split("\n"))


def set_row_height(sheet: Worksheet, row: int, widths: Sequence[float]) -> None:
    lines = 1
    for i, width in enumerate(widths):
        value = sheet.cell(row, i + 1).value
        if value is not None and value != "":
            lines = max(lines, lines_needed(str(value), width))
    sheet.row_dimensions[row].height = round(lines * LINE_HEIGHT + 4, 1)


def text_only(sheet: Worksheet) -> None:
    """Store every cell that would be a formula as the text it is. openpyxl makes any string starting with
    ``=`` a formula, so a unit's report ``=HYPERLINK("http://…?d="&A1,"点击查看")`` or ``=cmd|' /C calc'!A0``
    would run in the office's Excel; no workbook duban writes has a formula of its own."""
    for cell in sheet._cells.values():
        if cell.data_type == "f":
            cell.data_type = "s"


def print_setup(sheet: Worksheet, paper: str, title_rows: str | None, area: str | None) -> None:
    """Landscape, fit to one page wide (as many pages tall as needed), header repeated, page x of y; called
    on every sheet duban writes once its cells are in, so it also makes every cell text (``text_only``)."""
    text_only(sheet)
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A3 if paper.upper() == "A3" else sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_margins = PageMargins(left=0.4, right=0.4, top=0.6, bottom=0.6, header=0.3, footer=0.3)
    sheet.print_options.horizontalCentered = True
    if title_rows:
        sheet.print_title_rows = title_rows
    if area:
        sheet.print_area = area
    sheet.oddFooter.center.text = "第 &P 页，共 &N 页"
    sheet.oddFooter.center.font = "宋体"
    sheet.oddFooter.center.size = 10
