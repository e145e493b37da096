"""Word (.docx): body paragraphs and tables in document order, bold runs kept, merged cells kept once.

Why the XML is walked directly rather than through ``Document.paragraphs``/``table.rows[i].cells``: the
body order of paragraphs and tables matters (a 民生实事 table sits between two headings), runs inside
hyperlinks and content controls must not vanish, and python-docx repeats a merged cell in every grid position
it covers, while the parser wants it once (``Cell.span`` for a horizontal merge, ``Cell.continued`` for the
lower parts of a vertical one).

"Bold" means what a reader sees as the bold face: ``<w:b/>`` on the run, its character style or its
paragraph style, or a 黑体 (SimHei) east-Asian font in a body otherwise set in 仿宋 — notices that say
``黑体为主办单位`` often mean exactly the font.
"""

from __future__ import annotations

from collections.abc import Iterator
from io import BytesIO
from typing import Any

import docx
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph
from docx.text.run import Run as DocxRun

from duban.archives import ArchiveRefused, check_zip
from duban.plan.errors import PlanError
from duban.plan.limits import Limits
from duban.plan.source import Cell, Para, Run, Source, Table

_HEI_FONTS = ("黑体", "SimHei", "Hei", "hei")


def check_archive(data: bytes, limits: Limits) -> None:
    """Refuse a truncated archive, or one whose parts would inflate past ``limits.max_inflated_bytes``
    (the shared guard of every zip-based file, ``duban.archives``)."""
    try:
        check_zip(data, "Word 文件", limits.max_inflated_bytes, required="word/document.xml")
    except ArchiveRefused as exc:
        english = (
            "the .docx inflates past the limit (zip bomb?)" if exc.too_large else "corrupt or not a .docx"
        )
        raise PlanError(f"{exc.message} / {english}") from exc


def _style_bold(style: Any) -> bool:
    """Bold set on a style or inherited from its base styles."""
    seen = 0
    while style is not None and seen < 20:
        bold = style.font.bold
        if bold is not None:
            return bool(bold)
        style = style.base_style
        seen += 1
    return False


def _hei_font(run: DocxRun) -> bool:
    r_pr = run._r.rPr
    fonts = r_pr.rFonts if r_pr is not None else None
    if fonts is None:
        return False
    east_asia = fonts.get(qn("w:eastAsia")) or ""
    return any(name in east_asia for name in _HEI_FONTS)


def _run_bold(run: DocxRun, paragraph: Paragraph) -> bool:
    if run.bold is not None:
        return bool(run.bold) or _hei_font(run)
    if _hei_font(run):
        return True
    char_style = run.style if run._r.rPr is not None and run._r.rPr.rStyle is not None else None
    if char_style is not None and _style_bold(char_style):
        return True
    return _paragraph_style_bold(paragraph)


def _paragraph_style_bold(paragraph: Paragraph) -> bool:
    """Bold of the paragraph's style, remembered per style id on the document part: python-docx looks a
    style up by scanning every style, which was most of the time spent reading a docx."""
    p_pr = paragraph._p.pPr
    style_id = p_pr.style if p_pr is not None else None
    cache: dict[str | None, bool] = paragraph.part.__dict__.setdefault("_duban_style_bold", {})
    if style_id not in cache:
        cache[style_id] = _style_bold(paragraph.style)
    return cache[style_id]


def _para(p_element: Any, parent: Any) -> Para:
    paragraph = Paragraph(p_element, parent)
    runs = []
    for r_element in p_element.iter(qn("w:r")):
        if _inside(r_element, qn("w:del")):
            continue
        run = DocxRun(r_element, paragraph)
        text = run.text
        if text:
            runs.append(Run(text, _run_bold(run, paragraph)))
    return Para(runs)


def _inside(element: Any, tag: str) -> bool:
    parent = element.getparent()
    while parent is not None:
        if parent.tag == tag:
            return True
        if parent.tag == qn("w:p"):
            return False
        parent = parent.getparent()
    return False


def _cell(tc: Any, parent: Any) -> Cell:
    tc_pr = tc.tcPr
    span = 1
    continued = False
    if tc_pr is not None:
        grid_span = tc_pr.find(qn("w:gridSpan"))
        if grid_span is not None:
            span = max(1, int(grid_span.get(qn("w:val"), "1")))
        v_merge = tc_pr.find(qn("w:vMerge"))
        if v_merge is not None and v_merge.get(qn("w:val"), "continue") == "continue":
            continued = True
    paras = [] if continued else [_para(p, parent) for p in tc.iter(qn("w:p"))]
    return Cell(paras=paras, span=span, continued=continued)


def _table(tbl: Any, parent: Any) -> Table:
    rows = []
    for tr in tbl.findall(qn("w:tr")):
        cells = [_cell(tc, parent) for tc in _row_cells(tr)]
        if cells:
            rows.append(cells)
    return Table(rows)


def _row_cells(tr: Any) -> Iterator[Any]:
    """Cells of a row, looking through content controls (``w:sdt``) that wrap some of them."""
    for child in tr:
        if child.tag == qn("w:tc"):
            yield child
        elif child.tag == qn("w:sdt"):
            content = child.find(qn("w:sdtContent"))
            if content is not None:
                yield from content.findall(qn("w:tc"))


def _blocks(container: Any, parent: Any) -> Iterator[Para | Table]:
    for child in container:
        if child.tag == qn("w:p"):
            yield _para(child, parent)
        elif child.tag == qn("w:tbl"):
            yield _table(child, parent)
        elif child.tag == qn("w:sdt"):
            content = child.find(qn("w:sdtContent"))
            if content is not None:
                yield from _blocks(content, parent)


def read_docx(data: bytes, limits: Limits) -> Source:
    check_archive(data, limits)
    try:
        document = docx.Document(BytesIO(data))
    except Exception as exc:  # python-docx raises many types for a broken package; all mean the same here
        raise PlanError("Word 文件已损坏，无法打开 / the .docx file is corrupt") from exc
    body = document.element.body
    return list(_blocks(body, document._body))
