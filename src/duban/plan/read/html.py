"""Web pages (saved or copied from a government site): blocks in reading order, bold kept, tables with
``rowspan``/``colspan`` kept as merged cells.

Government pages often lay the whole article out inside tables; a table that holds another table, or has a
single column, is treated as layout and walked as ordinary blocks. Scripts, styles, forms and navigation are
skipped. The metadata table at the top (索引号/发布机构/成文日期/文号…) stays a table: the structure step reads
it as metadata.
"""

from __future__ import annotations

import re
from typing import Any

from bs4 import BeautifulSoup, NavigableString, Tag

from duban.plan.source import Cell, Para, Run, Source, Table

_SKIP = {
    "script",
    "style",
    "noscript",
    "template",
    "head",
    "title",
    "nav",
    "form",
    "button",
    "select",
    "iframe",
    "svg",
}
_BLOCK = {
    "p", "div", "section", "article", "main", "header", "footer", "aside", "h1", "h2", "h3", "h4", "h5", "h6",
    "li", "ul", "ol", "dl", "dt", "dd", "blockquote", "pre", "center", "address", "figure", "figcaption", "hr",
    "body", "html",
}  # fmt: skip
_BOLD_TAGS = {"b", "strong", "h1", "h2", "h3", "h4", "h5", "h6"}
_BOLD_STYLE = re.compile(r"font-weight\s*:\s*(?:bold|[6-9]00)|font-family\s*:[^;]*黑体", re.IGNORECASE)
_HTML_HINT = re.compile(r"<(?:!doctype\s+html|html|body|head|meta|table|div|p|br)[\s>/]", re.IGNORECASE)


def looks_like_html(text: str) -> bool:
    """True when the text is markup rather than prose that happens to contain ``<``."""
    head = text[:4096]
    return len(_HTML_HINT.findall(head)) >= 2 or head.lstrip().lower().startswith(("<!doctype", "<html"))


def _is_bold(tag: Tag) -> bool:
    return tag.name in _BOLD_TAGS or bool(_BOLD_STYLE.search(str(tag.get("style") or "")))


class _Walker:
    def __init__(self) -> None:
        self.blocks: Source = []
        self.runs: list[Run] = []

    def flush(self) -> None:
        if any(r.text.strip() for r in self.runs):
            self.blocks.append(Para(self.runs))
        self.runs = []

    def text(self, text: str, bold: bool) -> None:
        text = text.replace("\n", " ").replace("\r", " ")
        if text:
            self.runs.append(Run(text, bold))

    def walk(self, node: Any, bold: bool = False) -> None:
        for child in node.children:
            if isinstance(child, NavigableString):
                if type(child) is NavigableString:  # not a comment, CDATA or doctype
                    self.text(str(child), bold)
                continue
            if not isinstance(child, Tag) or child.name in _SKIP:
                continue
            if child.name == "br":
                self.flush()
            elif child.name == "table":
                self.flush()
                self.table(child, bold)
            elif child.name in _BLOCK:
                self.flush()
                self.walk(child, bold or _is_bold(child))
                self.flush()
            else:
                self.walk(child, bold or _is_bold(child))

    def table(self, table: Tag, bold: bool) -> None:
        rows = _own_rows(table)
        if table.find("table") is not None or max((len(_own_cells(r)) for r in rows), default=0) <= 1:
            for row in rows:
                for cell in _own_cells(row):
                    self.walk(cell, bold)
                    self.flush()
            return
        self.blocks.append(_grid(rows, bold))


def _own_rows(table: Tag) -> list[Tag]:
    """Rows of this table, not of tables nested in it (thead/tbody/tfoot looked through)."""
    rows = []
    for child in table.children:
        if isinstance(child, Tag):
            if child.name == "tr":
                rows.append(child)
            elif child.name in ("thead", "tbody", "tfoot"):
                rows.extend(c for c in child.children if isinstance(c, Tag) and c.name == "tr")
    return rows


def _own_cells(row: Tag) -> list[Tag]:
    return [c for c in row.children if isinstance(c, Tag) and c.name in ("td", "th")]


def _span(cell: Tag, name: str) -> int:
    try:
        return max(1, min(100, int(str(cell.get(name) or "1").strip() or "1")))
    except ValueError:
        return 1


def _cell_paras(cell: Tag, bold: bool) -> list[Para]:
    walker = _Walker()
    walker.walk(cell, bold or _is_bold(cell))
    walker.flush()
    return [b for b in walker.blocks if isinstance(b, Para)]


def _fill_pending(cells: list[Cell], column: int, pending: dict[int, tuple[int, int]]) -> int:
    """Put the ``continued`` parts of cells spanning down from rows above; returns the next free column."""
    while column in pending:
        left, span = pending[column]
        cells.append(Cell(span=span, continued=True))
        if left <= 1:
            del pending[column]
        else:
            pending[column] = (left - 1, span)
        column += span
    return column


def _grid(rows: list[Tag], bold: bool) -> Table:
    """HTML rows → ``Table``; a ``rowspan`` leaves ``continued`` cells in the rows below it."""
    pending: dict[int, tuple[int, int]] = {}  # grid column → (rows still covered, colspan)
    out: list[list[Cell]] = []
    for row in rows:
        cells: list[Cell] = []
        column = 0
        for tag in _own_cells(row):
            column = _fill_pending(cells, column, pending)
            colspan, rowspan = _span(tag, "colspan"), _span(tag, "rowspan")
            cells.append(Cell(paras=_cell_paras(tag, bold), span=colspan))
            if rowspan > 1:
                pending[column] = (rowspan - 1, colspan)
            column += colspan
        _fill_pending(cells, column, pending)
        if cells:
            out.append(cells)
    return Table(out)


def read_html(text: str) -> Source:
    soup = BeautifulSoup(text, "lxml")
    walker = _Walker()
    walker.walk(soup)
    walker.flush()
    return walker.blocks
