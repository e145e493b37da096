"""Render a plain-text notice the way offices receive it: as a Word file (paragraphs with bold lead units, or
tasks laid out in tables), as a printed PDF (wrapped lines, page numbers, a running header) and as a web page.

The renderings are made by the tests themselves from the corpus text and its gold parse, so no binary fixture is
committed and every rendering states exactly what it changed.
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass
from io import BytesIO
from typing import Any

import docx
from docx.shared import Pt

_CLAUSE_KEY = re.compile(r"(?:单位|领导|部门)\s*[:：]")
_NUMBER = re.compile(r"^\s*(\d+)\s*[、.．]")


def key(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text)).replace("*", "")


@dataclass
class Line:
    text: str
    task: dict[str, Any] | None = None


def annotate(text: str, gold: dict[str, Any]) -> list[Line]:
    """Lines of the notice, each item line paired with its gold task (matched in order by its text)."""
    tasks = list(gold["tasks"])
    out = []
    pointer = 0
    for raw in text.replace("\r\n", "\n").split("\n"):
        line = Line(raw)
        flat = key(raw)
        for j in range(pointer, min(pointer + 3, len(tasks))):
            probe = key(tasks[j]["text"])[:12]
            if probe and probe in flat and (_NUMBER.match(raw) or key(tasks[j].get("name") or "-") in flat):
                line.task = tasks[j]
                pointer = j + 1
                break
        out.append(line)
    return out


def _lead_names(task: dict[str, Any] | None) -> list[str]:
    if not task:
        return []
    return [u["name"] for u in task["units"] if u["role"] == "lead"]


def _bold_spans(text: str, names: list[str]) -> list[tuple[int, int]]:
    """Where the lead units stand inside the responsibility clause (after its first ``单位：``)."""
    clause = _CLAUSE_KEY.search(text)
    if not clause or not names:
        return []
    spans = []
    for name in names:
        for variant in (name, name[1:] if name[:1] in "县区" else name):
            at = text.find(variant, clause.end())
            if at >= 0:
                spans.append((at, at + len(variant)))
                break
    return sorted(spans)


def docx_paragraphs(text: str, gold: dict[str, Any]) -> bytes:
    """One Word paragraph per line; the lead units of each item set in bold."""
    document = docx.Document()
    for line in annotate(text, gold):
        paragraph = document.add_paragraph()
        clean = line.text.replace("**", "")
        cursor = 0
        for start, end in _bold_spans(clean, _lead_names(line.task)):
            if start < cursor:
                continue
            paragraph.add_run(clean[cursor:start])
            paragraph.add_run(clean[start:end]).bold = True
            cursor = end
        paragraph.add_run(clean[cursor:])
    return _save(document)


def _columns(group: list[dict[str, Any]]) -> list[str]:
    """The header a real table would have: the lead column only where some item has a lead unit."""
    livelihood = group[0]["kind"] == "livelihood"
    has_lead = any(_lead_names(task) for task in group)
    head = (
        ["序号", "项目名称", "项目内容及工作目标", "分管领导"]
        if livelihood
        else ["序号", "工作任务", "牵头领导"]
    )
    if not has_lead:
        return [*head, "责任单位"]
    return [*head, "主办单位", "协办单位"] if livelihood else [*head, "牵头单位", "责任单位"]


def _row(task: dict[str, Any], header: list[str]) -> list[str]:
    others = "、".join(u["name"] for u in task["units"] if u["role"] != "lead")
    values = {
        "序号": task["no"],
        "项目名称": task.get("name") or "",
        "项目内容及工作目标": task["text"],
        "工作任务": task["text"],
        "分管领导": "、".join(task["leaders"]),
        "牵头领导": "、".join(task["leaders"]),
        "主办单位": "、".join(_lead_names(task)),
        "牵头单位": "、".join(_lead_names(task)),
        "协办单位": others or "——",
        "责任单位": others,
    }
    return [values[label] for label in header]


def table_layout(text: str, gold: dict[str, Any]) -> list[tuple[str, list[list[str]]]]:
    """The notice as blocks: ``("para", [[line]])`` or ``("table", [header, *rows])``; every run of
    consecutive items becomes a table, one row per item."""
    blocks: list[tuple[str, list[list[str]]]] = []
    group: list[dict[str, Any]] = []

    def flush() -> None:
        if group:
            header = _columns(group)
            blocks.append(("table", [header, *(_row(task, header) for task in group)]))
            group.clear()

    for line in annotate(text, gold):
        if line.task is not None:
            if (
                group
                and group[0]["kind"] != line.task["kind"]
                and "livelihood" in (group[0]["kind"], line.task["kind"])
            ):
                flush()
            group.append(line.task)
            continue
        if line.text.strip():  # a blank line does not end a table
            flush()
            blocks.append(("para", [[line.text.replace("**", "")]]))
    flush()
    return blocks


def docx_tables(text: str, gold: dict[str, Any]) -> bytes:
    """Every run of consecutive items becomes a Word table; other lines stay paragraphs."""
    document = docx.Document()
    for kind, rows in table_layout(text, gold):
        if kind == "para":
            document.add_paragraph(rows[0][0])
            continue
        table = document.add_table(rows=0, cols=len(rows[0]))
        table.style = "Table Grid"
        for values in rows:
            for cell, value in zip(table.add_row().cells, values, strict=True):
                cell.text = value
    return _save(document)


def pdf_tables(text: str, gold: dict[str, Any]) -> bytes:
    """The table layout printed: ruled tables with wrapped cells, split across pages with a repeated header."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

    _register_font()
    body = ParagraphStyle(
        "body", fontName="STSong-Light", fontSize=12, leading=20, wordWrap="CJK", firstLineIndent=24
    )
    cell = ParagraphStyle("cell", fontName="STSong-Light", fontSize=9, leading=12, wordWrap="CJK")
    story: list[Any] = []
    width = A4[0] - 144
    for kind, rows in table_layout(text, gold):
        if kind == "para":
            story.append(Paragraph(html.escape(rows[0][0]), body))
            continue
        columns = len(rows[0])
        text_column = 2 if "项目内容及工作目标" in rows[0] else 1
        narrow = (width * 0.45) / (columns - 1)
        widths = [narrow] * columns
        widths[0] = 30
        widths[text_column] = width - 30 - narrow * (columns - 2)
        data = [[Paragraph(html.escape(value), cell) for value in values] for values in rows]
        table = Table(data, colWidths=widths, repeatRows=1)
        table.setStyle(
            TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black), ("VALIGN", (0, 0), (-1, -1), "TOP")])
        )
        story.append(table)
    buffer = BytesIO()
    SimpleDocTemplate(buffer, pagesize=A4).build(story, onFirstPage=_furniture, onLaterPages=_furniture)
    return buffer.getvalue()


def _register_font() -> None:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))


def _furniture(canvas: Any, document: Any) -> None:
    from reportlab.lib.pagesizes import A4

    canvas.saveState()
    canvas.setFont("STSong-Light", 9)
    canvas.drawCentredString(A4[0] / 2, A4[1] - 40, "县人民政府文件")
    canvas.drawCentredString(A4[0] / 2, 30, f"— {document.page} —")
    canvas.restoreState()


def _save(document: Any) -> bytes:
    for style_name in ("Normal",):
        document.styles[style_name].font.size = Pt(12)
    buffer = BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def pdf(text: str, header: str = "县人民政府文件", indent: bool = True) -> bytes:
    """A printed notice: A4, 仿宋-like CID font, first-line indent, ``— n —`` page numbers, a running header."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    body = ParagraphStyle(
        "body",
        fontName="STSong-Light",
        fontSize=12,
        leading=20,
        wordWrap="CJK",
        firstLineIndent=24 if indent else 0,
    )

    def furniture(canvas: Any, document: Any) -> None:
        canvas.saveState()
        canvas.setFont("STSong-Light", 9)
        canvas.drawCentredString(A4[0] / 2, A4[1] - 40, header)
        canvas.drawCentredString(A4[0] / 2, 30, f"— {document.page} —")
        canvas.restoreState()

    story = [
        Paragraph(html.escape(line.replace("**", "")), body)
        for line in text.replace("\r\n", "\n").split("\n")
        if line.strip()
    ]
    buffer = BytesIO()
    SimpleDocTemplate(buffer, pagesize=A4).build(story, onFirstPage=furniture, onLaterPages=furniture)
    return buffer.getvalue()


def web_page(text: str, metadata: dict[str, str] | None = None) -> bytes:
    """A government article page: navigation, a metadata table, the notice as ``<p>`` lines, a footer."""
    meta_rows = "".join(
        f"<tr><td>{html.escape(k)}：</td><td>{html.escape(v)}</td></tr>" for k, v in (metadata or {}).items()
    )
    body = "\n".join(
        f"<p>{html.escape(line.replace('**', ''))}</p>" for line in text.split("\n") if line.strip()
    )
    page = (
        "<!DOCTYPE html><html><head><meta charset='utf-8'><title>政府信息公开</title>"
        "<script>var x = '（责任单位：不是任务）';</script></head><body>"
        "<div class='nav'><a href='/'>首页</a> &gt; <a href='/zwgk'>政务公开</a></div>"
        f"<table class='meta'>{meta_rows}</table><div class='article'>{body}</div>"
        "<div class='footer'>主办：县人民政府办公室</div></body></html>"
    )
    return page.encode("utf-8")


def pasted_tables(text: str, gold: dict[str, Any], blank_between_cells: bool = False) -> bytes:
    """The notice with its tables as copying a Word table into a text file gives them: one cell per line,
    each starting with a tab (an empty cell a bare tab), a blank line after each row (or after each cell)."""
    out: list[str] = []
    for kind, rows in table_layout(text, gold):
        if kind == "para":
            out.append(rows[0][0])
            continue
        for values in rows:
            for value in values:
                out.append("\t" + value)
                if blank_between_cells:
                    out.append("")
            if not blank_between_cells:
                out.append("")
    return "\n".join(out).encode("utf-8")


# A notice with one task table, as a web page shows it and as copying that page gives it ------------------------

# A row is a list of cell values (``"\n"`` between a cell's lines, ``None`` for the lower part of a cell merged
# down from the row above), or a single string: a heading row across the table.
TableRow = list[str | None] | str


def _rowspans(rows: list[TableRow], width: int) -> dict[tuple[int, int], int]:
    """(row, column) → rowspan of each cell continued by ``None`` in the rows below it."""
    spans: dict[tuple[int, int], int] = {}
    for col in range(width):
        owner: tuple[int, int] | None = None
        for r, row in enumerate(rows):
            if isinstance(row, str):
                owner = None
            elif row[col] is None and owner is not None:
                spans[owner] = spans.get(owner, 1) + 1
            else:
                owner = (r, col)
    return spans


def table_page(before: list[str], header: list[str], rows: list[TableRow], after: list[str]) -> bytes:
    """The notice as a web page whose table is a real ``<table>`` (merged cells as ``rowspan``)."""
    spans = _rowspans(rows, len(header))
    body = ["<tr>" + "".join(f"<td>{html.escape(h)}</td>" for h in header) + "</tr>"]
    for r, row in enumerate(rows):
        if isinstance(row, str):
            body.append(f"<tr><td colspan='{len(header)}'>{html.escape(row)}</td></tr>")
            continue
        cells = []
        for c, value in enumerate(row):
            if value is None:
                continue
            span = spans.get((r, c), 1)
            attr = f" rowspan='{span}'" if span > 1 else ""
            lines = "".join(f"<p>{html.escape(v)}</p>" for v in value.split("\n"))
            cells.append(f"<td{attr}>{lines}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    paras = lambda lines: "".join(f"<p>{html.escape(t)}</p>" for t in lines)  # noqa: E731
    page = (
        "<!DOCTYPE html><html><head><meta charset='utf-8'><title>政府信息公开</title></head><body>"
        "<div class='nav'><a href='/'>首页</a> &gt; <a href='/zwgk'>政务公开</a></div>"
        f"<div class='article'>{paras(before)}<table border='1'>{''.join(body)}</table>{paras(after)}</div>"
        "</body></html>"
    )
    return page.encode("utf-8")


def flattened_lines(
    before: list[str], header: list[str], rows: list[TableRow], after: list[str], blank: bool = True
) -> list[str]:
    """What copying that page gives: every cell's lines on their own lines, a merged cell written once,
    (with ``blank``) a blank line after every line, as browsers copy ``<p>`` and table cells."""
    out = [*before, *header]
    for row in rows:
        if isinstance(row, str):
            out.append(row)
            continue
        for value in row:
            if value:  # a merged cell's lower part, or an empty cell, leaves no line
                out.extend(value.split("\n"))
    out.extend(after)
    if blank:
        return [piece for line in out for piece in (line, "")]
    return out


def docx_lines(lines: list[str]) -> bytes:
    """A Word file with one paragraph per line (a web table pasted into Word as text)."""
    document = docx.Document()
    for line in lines:
        document.add_paragraph(line)
    return _save(document)


def docx_table(before: list[str], header: list[str], rows: list[TableRow], after: list[str]) -> bytes:
    """A Word file with the table as a real table, merged cells merged."""
    document = docx.Document()
    for line in before:
        document.add_paragraph(line)
    table = document.add_table(rows=1 + len(rows), cols=len(header))
    table.style = "Table Grid"
    for cell, value in zip(table.rows[0].cells, header, strict=True):
        cell.text = value
    spans = _rowspans(rows, len(header))
    for r, row in enumerate(rows, 1):
        cells = table.rows[r].cells
        if isinstance(row, str):
            merged = cells[0].merge(cells[-1])
            merged.text = row
            continue
        for c, value in enumerate(row):
            if value is None:
                continue
            cells[c].text = value
            span = spans.get((r - 1, c), 1)
            if span > 1:
                cells[c].merge(table.rows[r + span - 1].cells[c])
    for line in after:
        document.add_paragraph(line)
    return _save(document)


def tab_rows(before: list[str], header: list[str], rows: list[TableRow], after: list[str]) -> bytes:
    """What copying the page's table from a browser gives: a row a line, cells apart by tabs, a cell merged
    from above left out, a cell of several lines broken over lines, a heading row as its text alone."""
    out = [*before, "\t".join(header)]
    for row in rows:
        if isinstance(row, str):
            out.append(row)
            continue
        out.append("\t".join(value for value in row if value is not None))
    out.extend(after)
    return "\n".join(out).encode("utf-8")
