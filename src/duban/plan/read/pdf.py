"""PDF with a text layer (pdfplumber): lines rebuilt into paragraphs, page furniture dropped.

A printed notice wraps every paragraph at the right margin, so lines are joined back when a line runs to the
margin and the next one does not start indented; a paragraph that ends short of the margin ends there.
Page numbers (``— 3 —``, ``－3－``) and running headers/footers (the same short line at the top or bottom of
most pages) are dropped. A PDF with no text layer (a scan) is read by OCR (``read.ocr``).
"""

from __future__ import annotations

import re
import zlib
from collections import Counter
from dataclasses import dataclass
from io import BytesIO
from typing import Any

import pdfplumber

from duban.plan.errors import PlanError
from duban.plan.limits import Limits
from duban.plan.normalise import is_page_number, normalise_text
from duban.plan.source import Cell, Para, Run, Source, Table

# Bold faces and 黑体 (SimHei, STHeiti, 方正黑体 FZHei/FZHT…), but not every CJK sans whose name ends in "Hei"
# (WenQuanYi Zen Hei, Microsoft YaHei are body fonts).
_BOLD_FONT = re.compile(r"bold|black|heavy|simhei|heiti|黑体|fzhei|fzht", re.IGNORECASE)
_DIGITS = re.compile(r"\d+")
_STARTS_BLOCK = re.compile(
    r"^\s*(?:\d{1,3}\s*[.、．]\s*\D|[一二三四五六七八九十]{1,3}\s*、|[（(]\s*[一二三四五六七八九十]{1,3}\s*[）)]"
    r"|附\s*件|第[一二三四五六七八九十]+部分|[（(][责牵承主协配][^）)]{0,6}[：:])"
)
_ENDS_SENTENCE = re.compile(r"[。！？）)；;：:]$")


@dataclass(eq=False)
class _Line:
    text: str
    bold: list[bool]
    x0: float
    x1: float
    top: float
    size: float
    page: int = 0


def _lines(page: Any) -> list[_Line]:
    out = []
    for raw in page.extract_text_lines(return_chars=True, strip=True):
        chars = [c for c in raw["chars"] if c.get("text")]
        if not chars:
            continue
        text = raw["text"]
        sizes = sorted(c.get("size", 0.0) for c in chars)
        out.append(
            _Line(
                text,
                _bold_mask(text, chars),
                raw["x0"],
                raw["x1"],
                raw["top"],
                sizes[len(sizes) // 2] or 12.0,
            )
        )
    return out


def _bold_mask(text: str, chars: list[dict[str, Any]]) -> list[bool]:
    """A bold flag per character of the line's text. pdfplumber's text has spaces where glyphs stand apart
    (``防洪除涝工程 实施…``) that are not glyphs themselves; they take the flag of the glyph before."""
    mask: list[bool] = []
    j = 0
    for ch in text:
        if j < len(chars) and chars[j]["text"].startswith(ch):
            mask.append(bool(_BOLD_FONT.search(chars[j].get("fontname", ""))))
            j += 1
        else:
            mask.append(mask[-1] if mask else False)
    return mask


def _furniture_key(line: _Line) -> str:
    """Running headers differ only in their page number: compare them with digits masked."""
    return _DIGITS.sub("#", normalise_text(line.text).text)


def _drop_furniture(pages: list[list[_Line]]) -> list[list[_Line]]:
    edge_keys: Counter[str] = Counter()
    for lines in pages:
        for line in {*lines[:2], *lines[-2:]}:
            edge_keys[_furniture_key(line)] += 1
    repeated = {
        k for k, n in edge_keys.items() if len(pages) >= 3 and n >= max(3, len(pages) * 0.6) and len(k) < 60
    }
    kept = []
    for lines in pages:
        edges = {id(line) for line in (lines[:2] + lines[-2:])}
        kept.append(
            [
                line
                for line in lines
                if not is_page_number(normalise_text(line.text).text)
                and not (id(line) in edges and _furniture_key(line) in repeated)
            ]
        )
    return kept


def _starts_new_block(current: list[Run], line: _Line) -> bool:
    """A numbered item or heading after a finished sentence starts a paragraph even without an indent
    (a notice set flush left still numbers every item)."""
    if not current:
        return False
    tail = current[-1].text.rstrip()
    return bool(tail) and bool(_ENDS_SENTENCE.search(tail)) and bool(_STARTS_BLOCK.match(line.text))


def _paragraphs(lines: list[_Line], right: float, left: float) -> list[Para]:
    paras: list[Para] = []
    current: list[Run] = []
    for i, line in enumerate(lines):
        runs = _runs(line)
        indented = line.x0 > left + line.size * 1.2
        if current and (indented or _starts_new_block(current, line)):
            paras.append(Para(current))
            current = []
        current.extend(runs)
        reaches_margin = line.x1 >= right - line.size * 1.5
        nxt = lines[i + 1] if i + 1 < len(lines) else None
        if not reaches_margin or nxt is None or abs(nxt.size - line.size) > 1.0:
            paras.append(Para(current))
            current = []
    if current:
        paras.append(Para(current))
    return paras


def _runs(line: _Line) -> list[Run]:
    runs: list[Run] = []
    for ch, bold in zip(line.text, line.bold, strict=True):
        if runs and runs[-1].bold == bold:
            runs[-1] = Run(runs[-1].text + ch, bold)
        else:
            runs.append(Run(ch, bold))
    return runs


@dataclass(eq=False)
class _PdfTable:
    page: int
    top: float
    bottom: float
    table: Table


def _cells(raw: Any, page: Any) -> list[list[Cell]]:
    """pdfplumber's table → rows of ``Cell``. pdfplumber leaves ``None`` where a merged cell covers a grid
    position: to the right of a wider cell it is a horizontal span, below a taller one a continued cell."""
    rows: list[list[Cell]] = []
    for row in raw.rows:
        cells: list[Cell] = []
        for c, bbox in enumerate(row.cells):
            if bbox is not None:
                cells.append(Cell(paras=_cell_paras(page, bbox)))
                continue
            left = next((x for x in reversed(row.cells[:c]) if x is not None), None)
            column_x0 = _column_x0(raw, c)
            if cells and left is not None and column_x0 is not None and left[2] > column_x0 + 1:
                cells[-1].span += 1
            else:
                cells.append(Cell(continued=True))
        rows.append(cells)
    return rows


def _cell_paras(page: Any, bbox: tuple[float, float, float, float]) -> list[Para]:
    """A cell's lines, wrapped lines joined back: a line that runs to the cell's right edge continues on the
    next, a short one ends there (a unit list written one name per line stays split)."""
    x0, top, x1, bottom = bbox
    if x1 - x0 < 1 or bottom - top < 1:
        return []
    inside = page.filter(
        lambda obj: (
            obj.get("object_type") == "char"
            and x0 <= (obj["x0"] + obj["x1"]) / 2 <= x1
            and top <= (obj["top"] + obj["bottom"]) / 2 <= bottom
        )
    )
    lines = _lines(inside)
    paras: list[Para] = []
    current: list[Run] = []
    # Where full lines end: line-breaking rules (no 、 at a line start) often end a wrapped line a
    # character or two short of the edge, so "full" is measured against the longest line when that one
    # reaches the cell's edge.
    longest = max((line.x1 for line in lines), default=x1)
    for line in lines:
        current.extend(_runs(line))
        fills_cell = longest >= x1 - line.size * 3
        if not fills_cell or line.x1 < longest - line.size * 2.2:
            paras.append(Para(current))
            current = []
    if current:
        paras.append(Para(current))
    return paras


def _column_x0(raw: Any, column: int) -> float | None:
    for row in raw.rows:
        if column < len(row.cells) and row.cells[column] is not None:
            return float(row.cells[column][0])
    return None


def _table_settings(page: Any) -> dict[str, Any]:
    """Close rows a page break cut open: where the ruling's vertical lines start or stop without a
    horizontal line (the part of a row printed at the bottom of one page and the top of the next), add one."""
    verticals = [e for e in page.edges if e["orientation"] == "v"]
    horizontal = {round(e["top"]) for e in page.edges if e["orientation"] == "h"}
    ends = {round(e[key]) for e in verticals for key in ("top", "bottom")}
    return {"explicit_horizontal_lines": sorted(y for y in ends if all(abs(y - h) > 2 for h in horizontal))}


def _page_content(page: Any, index: int) -> tuple[list[_Line], list[_PdfTable]]:
    tables = [
        t
        for t in page.find_tables(_table_settings(page))
        if t.rows and max(len(r.cells) for r in t.rows) >= 2
    ]
    boxes = [t.bbox for t in tables]
    lines = [
        line
        for line in _lines(page)
        if not any(
            x0 - 1 <= line.x0
            and line.x1 <= x1 + 1
            and top - 1 <= line.top
            and line.top + line.size * 0.8 <= bottom + 1
            for x0, top, x1, bottom in boxes
        )
    ]
    for line in lines:
        line.page = index
    return lines, [_PdfTable(index, t.bbox[1], t.bbox[3], Table(_cells(t, page))) for t in tables]


def _width(table: Table) -> int:
    return max((sum(c.span for c in row) for row in table.rows), default=0)


def _row_text(row: list[Cell]) -> list[str]:
    return [cell.text.replace("\n", "") for cell in row]


def _continue_table(table: Table, more: Table) -> None:
    """Append the part of a table printed on the next page: a repeated header row is dropped, and a row the
    page break cut in two (its first cell empty) is joined to the row above."""
    rows = list(more.rows)
    if rows and any(_row_text(rows[0]) == _row_text(row) for row in table.rows[:3]):
        rows = rows[1:]
    if rows and table.rows and not rows[0][0].text.strip() and not rows[0][0].continued:
        for mine, theirs in zip(table.rows[-1], rows[0], strict=False):
            if not theirs.paras or mine.continued:
                continue
            if mine.paras:
                mine.paras[-1] = Para(mine.paras[-1].runs + theirs.paras[0].runs)
                mine.paras.extend(theirs.paras[1:])
            else:
                mine.paras.extend(theirs.paras)
        rows = rows[1:]
    table.rows.extend(rows)


def _as_text(table: Table) -> list[Para]:
    """A lone table row that continues nothing (a one-row layout table): its cells as one line."""
    return [Para.plain(" ".join(c.text.replace("\n", "") for c in row if c.text)) for row in table.rows]


def _assemble(lines: list[_Line], tables: list[_PdfTable], right: float, left: float) -> Source:
    """Lines and tables in reading order. A table continued at the top of the next page joins the one above
    (also when only its header row fitted at the bottom of the page); a lone row that nothing continues is
    read as text."""
    blocks: list[tuple[int, float, _Line | _PdfTable]] = [(x.page, x.top, x) for x in lines]
    blocks += [(t.page, t.top, t) for t in tables]
    blocks.sort(key=lambda b: (b[0], b[1]))
    source: Source = []
    pending: list[_Line] = []
    open_table: _PdfTable | None = None  # the last table, while nothing but page furniture followed it

    def close_table() -> None:
        nonlocal open_table
        if open_table is not None:
            source.extend(
                _as_text(open_table.table) if len(open_table.table.rows) == 1 else [open_table.table]
            )
        open_table = None

    for _, _, block in blocks:
        if isinstance(block, _Line):
            close_table()
            pending.append(block)
            continue
        if pending:
            source.extend(_paragraphs(pending, right, left))
            pending = []
        if (
            open_table is not None
            and block.page == open_table.page + 1
            and _width(block.table) == _width(open_table.table)
        ):
            _continue_table(open_table.table, block.table)
            open_table.page = block.page
            continue
        close_table()
        open_table = block
    close_table()
    if pending:
        source.extend(_paragraphs(pending, right, left))
    return source


_STREAM_START = re.compile(rb"stream\r?\n")
_CHUNK = 1024 * 1024


def _inflated_size(data: bytes, start: int, budget: int) -> int:
    """Bytes one Flate stream inflates to, counted chunk by chunk and stopping past ``budget``: the
    stream is never held inflated in memory. A stream that is not Flate (or is broken) counts 0."""
    inflater = zlib.decompressobj()
    total = 0
    end = data.find(b"endstream", start)
    pending: bytes | memoryview = memoryview(data)[start : end if end >= 0 else len(data)]
    try:
        while pending and total <= budget:
            total += len(inflater.decompress(pending, _CHUNK))
            pending = inflater.unconsumed_tail
            if inflater.eof:
                break
    except zlib.error:
        return total
    return total


def _check_inflation(data: bytes, limits: Limits) -> None:
    """Refuse a decompression bomb: a few hundred KB of PDF whose streams inflate to gigabytes would
    otherwise be inflated whole by pdfminer, in memory, before a single page is read."""
    budget = limits.max_inflated_bytes
    total = 0
    for match in _STREAM_START.finditer(data):
        total += _inflated_size(data, match.end(), budget - total)
        if total > budget:
            raise PlanError(
                f"PDF 文件解压后过大（超过 {budget / 1e6:.0f} MB），疑似压缩炸弹，拒绝读取"
                " / the PDF inflates past the limit"
            )


def read_pdf(data: bytes, limits: Limits) -> Source:
    _check_inflation(data, limits)
    try:
        with pdfplumber.open(BytesIO(data)) as pdf:
            if len(pdf.pages) > limits.max_pages:
                raise PlanError(
                    f"PDF 页数过多（{len(pdf.pages)} 页，上限 {limits.max_pages} 页）/ too many pages in the PDF"
                )
            content = [_page_content(page, i) for i, page in enumerate(pdf.pages)]
            if not any(lines or tables for lines, tables in content):
                from duban.plan.read.ocr import read_scanned_pdf  # a scan: no text layer at all

                return read_scanned_pdf(pdf, limits)
    except PlanError:
        raise
    except Exception as exc:  # pdfminer raises many types (PDFSyntaxError, PSEOF, …) for a broken file
        raise PlanError("PDF 文件已损坏或不完整，无法读取 / the PDF file is corrupt or truncated") from exc
    pages = [lines for lines, _ in content]
    tables = [t for _, page_tables in content for t in page_tables]
    pages = _drop_furniture(pages)
    all_lines = [line for lines in pages for line in lines]
    if not all_lines and not tables:
        raise PlanError("PDF 中没有可读的正文 / no readable text in the PDF")
    right = _margin([line.x1 for line in all_lines], high=True) if all_lines else 0.0
    left = _margin([line.x0 for line in all_lines], high=False) if all_lines else 0.0
    return _assemble(all_lines, tables, right, left)


def _margin(values: list[float], high: bool) -> float:
    """The text block's edge: the value most lines reach (robust to a few outliers)."""
    ordered = sorted(values, reverse=high)
    return ordered[min(len(ordered) - 1, len(ordered) // 10)]
