"""The bulletin (督查通报) on a reporting period, laid out after GB/T 9704-2012: A4, 版心 156 × 225 mm (margins
37/35/28/26 mm), a document grid of 22 lines × 28 characters and no inherited spacing, title 方正小标宋简体 2号,
body 仿宋_GB2312 3号, level-1 headings 黑体, level-2 楷体_GB2312, page numbers ``— 1 —`` in 4号 宋体 (odd pages
right, even left). Content as a county 通报 reads: 总体情况, 主要成效, 存在问题 (red and yellow tasks with why),
late and missing units, the ranking (long lists in an attachment), 下步工作要求 with the next deadline."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from io import BytesIO
from xml.sax.saxutils import escape

import docx
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Mm, Pt
from docx.text.paragraph import Paragraph
from lxml import etree

from duban.ledger.rules.text import clean_text
from duban.outputs.bulletin_content import BulletinContent, RankingLine, TaskLine
from duban.outputs.chart import colour_chart

BODY_FONT, HEADING_FONT, TITLE_FONT = "仿宋_GB2312", "黑体", "方正小标宋简体"
LEVEL2_FONT, PAGE_FONT = "楷体_GB2312", "宋体"


def styled_run(
    paragraph: Paragraph, text: str, font: str = BODY_FONT, size: float = 16, bold: bool = False
) -> None:
    run = paragraph.add_run(clean_text(text))
    run.font.name = font
    run.font.size = Pt(size)
    run.bold = bold
    r_pr = run._element.get_or_add_rPr()
    r_pr.get_or_add_rFonts().set(qn("w:eastAsia"), font)


def add_text(
    document: docx.document.Document, text: str, font: str = BODY_FONT, indent: bool = True
) -> Paragraph:
    paragraph = document.add_paragraph()
    paragraph.paragraph_format.first_line_indent = Pt(32) if indent else None
    styled_run(paragraph, text, font)
    return paragraph


LINE_PITCH = 579  # twips: 22 lines in the 225 mm 版心
CHAR_SPACE = -848  # 1/4096 pt: 28 characters of 3号 in the 156 mm 版心
# Characters condensed by 0.25 pt so a 16 pt character fits one 15.79 pt grid cell: Word and WPS squeeze it
# themselves, LibreOffice gives an over-wide character two cells (14 characters a line) unless told.
CONDENSE = -5  # 1/20 pt


def page_layout(document: docx.document.Document) -> None:
    """GB/T 9704: A4, 版心 156 × 225 mm, a 22 × 28 document grid, no inherited spacing, odd/even footers."""
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.footer_distance = Mm(28) - Pt(14)
    normal = document.styles["Normal"]
    fmt = normal.paragraph_format
    fmt.space_before, fmt.space_after = Pt(0), Pt(0)
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(LINE_PITCH / 20)
    normal.font.name, normal.font.size = BODY_FONT, Pt(16)
    normal_run = normal.element.get_or_add_rPr()
    normal_run.get_or_add_rFonts().set(qn("w:eastAsia"), BODY_FONT)
    condensed = OxmlElement("w:spacing")
    condensed.set(qn("w:val"), str(CONDENSE))
    normal_run.append(condensed)
    _document_defaults(document)
    _font_table(document)
    sect = section._sectPr
    for old in sect.findall(qn("w:docGrid")):
        sect.remove(old)
    grid = OxmlElement("w:docGrid")
    grid.set(qn("w:type"), "lines")
    grid.set(qn("w:linePitch"), str(LINE_PITCH))
    grid.set(qn("w:charSpace"), str(CHAR_SPACE))
    sect.append(grid)
    document.settings.odd_and_even_pages_header_footer = True
    _page_number(section.footer.paragraphs[0], WD_ALIGN_PARAGRAPH.RIGHT)
    _page_number(section.even_page_footer.paragraphs[0], WD_ALIGN_PARAGRAPH.LEFT)


# The fonts the layout names, each with the font Windows and WPS carry when the GB2312/方正 one is missing.
FONT_FALLBACKS = {
    BODY_FONT: ("仿宋", "modern"),
    LEVEL2_FONT: ("楷体", "modern"),
    TITLE_FONT: ("宋体", "roman"),
    HEADING_FONT: ("SimHei", "modern"),
    PAGE_FONT: ("SimSun", "roman"),
}


def _font_table(document: docx.document.Document) -> None:
    """Declare the layout's fonts in the font table with a fallback (``w:altName``) and the GB2312 charset,
    so Word and WPS substitute a Chinese font of the same kind instead of a Western default."""
    part = next((p for p in document.part.package.iter_parts() if p.partname.endswith("fontTable.xml")), None)
    if part is None:
        return
    fonts = parse_xml(part.blob)
    for name, (alternative, family) in FONT_FALLBACKS.items():
        font = OxmlElement("w:font")
        font.set(qn("w:name"), name)
        for tag, value in (("w:altName", alternative), ("w:charset", "86"), ("w:family", family)):
            child = OxmlElement(tag)
            child.set(qn("w:val"), value)
            font.append(child)
        fonts.append(font)
    part._blob = etree.tostring(fonts, xml_declaration=True, encoding="UTF-8", standalone=True)


def _document_defaults(document: docx.document.Document) -> None:
    """The document defaults, not only the Normal style, at 3号 with no spacing: LibreOffice and WPS size
    the character grid from the defaults, and the template's 11 pt there gave 14 characters a line."""
    defaults = document.styles.element.find(qn("w:docDefaults"))
    if defaults is None:
        return
    r_pr = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}")
    if r_pr is not None:
        for tag in ("w:sz", "w:szCs"):
            element = r_pr.find(qn(tag))
            if element is not None:
                element.set(qn("w:val"), "32")
        fonts = r_pr.find(qn("w:rFonts"))
        if fonts is not None:
            for key in list(fonts.attrib):
                del fonts.attrib[key]
            for key in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
                fonts.set(qn(key), BODY_FONT)
    spacing = defaults.find(f"{qn('w:pPrDefault')}/{qn('w:pPr')}/{qn('w:spacing')}")
    if spacing is not None:
        for key, value in (("w:after", "0"), ("w:before", "0"), ("w:line", str(LINE_PITCH))):
            spacing.set(qn(key), value)
        spacing.set(qn("w:lineRule"), "exact")


def _page_number(paragraph: Paragraph, align: WD_ALIGN_PARAGRAPH) -> None:
    """``— 1 —`` in 4号 宋体, a PAGE field, one character in from the edge (odd right, even left)."""
    paragraph.alignment = align
    if align == WD_ALIGN_PARAGRAPH.RIGHT:
        paragraph.paragraph_format.right_indent = Pt(14)
    else:
        paragraph.paragraph_format.left_indent = Pt(14)
    styled_run(paragraph, "— ", PAGE_FONT, 14)
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "1"), ("end", None)):
        run = paragraph.add_run()
        run.font.name, run.font.size = PAGE_FONT, Pt(14)
        if kind:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run._element.append(char)
        elif text == " PAGE ":
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = text
            run._element.append(instr)
        else:
            run.text = text or ""
    styled_run(paragraph, " —", PAGE_FONT, 14)


def heading(document: docx.document.Document, text: str, font: str = HEADING_FONT) -> Paragraph:
    """A heading (一、… in 黑体, （一）… in 楷体), kept on the page of the paragraph it introduces."""
    paragraph = add_text(document, text, font)
    paragraph.paragraph_format.keep_with_next = True
    return paragraph


def _problem_paragraphs(document: docx.document.Document, content: BulletinContent) -> None:
    """Per section: its heading, then its red and yellow tasks counted and its red ones named with why."""
    if not content.problems:
        add_text(document, content.no_problems)
    for section in content.problems:
        heading(document, section.title, LEVEL2_FONT)
        add_text(document, section.summary)
    for text in (content.problems_note, content.late_units):
        if text:
            add_text(document, text)


def _chart(document: docx.document.Document, content: BulletinContent) -> None:
    """The chart of colours by section, centred, in a paragraph of its own height (an exact line height
    would clip the picture)."""
    picture = colour_chart(content.sections)
    if picture is None:
        return
    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
    paragraph.paragraph_format.keep_with_next = True
    paragraph.add_run().add_picture(BytesIO(picture), width=Mm(150))
    caption = document.add_paragraph()
    caption.alignment = WD_ALIGN_PARAGRAPH.CENTER
    styled_run(caption, "各部分任务进度情况", BODY_FONT, 14)


RANKING_HEADER = ("名次", "单位", "任务数", "逾期", "未报送", "得分", "较上期")
RANKING_WIDTHS = (14, 50, 18, 16, 18, 20, 20)  # mm: the 版心's 156
TASKS_HEADER = ("序号", "任务", "汇总单位", "状态", "滞后原因及单位反映的问题")
TASKS_WIDTHS = (12, 72, 24, 12, 36)
TABLE_SIZE = 10.5  # 五号 in the 附件's tables
TABLE_LINE = 320  # twips: 16 pt lines in the tables


def ranking_table(document: docx.document.Document, ranking: list[RankingLine]) -> None:
    """The whole ranking (名次, 单位, 任务数, 逾期, 未报送, 得分, 较上期), its header repeated on each page."""
    rows = [
        (str(r.rank), r.unit, str(r.tasks), str(r.late), str(r.missing), r.score, r.arrow) for r in ranking
    ]
    add_table(document, RANKING_HEADER, RANKING_WIDTHS, rows, left=(1,), whole=True)


def tasks_table(document: docx.document.Document, tasks: list[TaskLine]) -> None:
    """Every red and yellow task in full, with why and the unit's own 存在问题."""
    rows = [
        (t.no, t.task, t.unit, t.colour, t.why + (f"。单位反映：{t.problems}" if t.problems else ""))
        for t in tasks
    ]
    add_table(document, TASKS_HEADER, TASKS_WIDTHS, rows, left=(1, 4))


def add_table(
    document: docx.document.Document,
    header: tuple[str, ...],
    widths_mm: tuple[int, ...],
    rows: Sequence[tuple[str, ...]],
    left: tuple[int, ...] = (),
    whole: bool = False,
) -> None:
    """A bordered table with a header row repeated on each page (``w:tblHeader``), rows never split across
    pages when ``whole`` (a long row may split otherwise), built as one piece of XML: python-docx's cell by cell building costs seconds for a long list."""
    widths = [round(Mm(w).twips) for w in widths_mm]
    border = "".join(
        f'<w:{side} w:val="single" w:sz="4" w:space="0" w:color="000000"/>'
        for side in ("top", "left", "bottom", "right", "insideH", "insideV")
    )
    grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in widths)
    body = [_table_row(header, widths, HEADING_FONT, (), "<w:cantSplit/><w:tblHeader/>")]
    flags = "<w:cantSplit/>" if whole else ""
    body += [_table_row(values, widths, BODY_FONT, left, flags) for values in rows]
    table = parse_xml(
        f'<w:tbl {nsdecls("w")}><w:tblPr><w:tblW w:w="{sum(widths)}" w:type="dxa"/>'
        f'<w:jc w:val="center"/><w:tblBorders>{border}</w:tblBorders><w:tblLayout w:type="fixed"/>'
        f"</w:tblPr><w:tblGrid>{grid}</w:tblGrid>{''.join(body)}</w:tbl>"
    )
    document.element.body.sectPr.addprevious(table)


def _table_row(values: tuple[str, ...], widths: list[int], font: str, left: Iterable[int], flags: str) -> str:
    fonts = f'<w:rFonts w:ascii="{font}" w:hAnsi="{font}" w:eastAsia="{font}"/>'
    size = f'<w:sz w:val="{round(TABLE_SIZE * 2)}"/><w:szCs w:val="{round(TABLE_SIZE * 2)}"/>'
    cells = []
    for index, (value, width) in enumerate(zip(values, widths, strict=True)):
        align = "both" if index in left else "center"
        cells.append(
            f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/><w:vAlign w:val="center"/></w:tcPr>'
            f'<w:p><w:pPr><w:snapToGrid w:val="0"/><w:spacing w:line="{TABLE_LINE}" w:lineRule="exact"/>'
            f'<w:jc w:val="{align}"/></w:pPr><w:r><w:rPr>{fonts}{size}</w:rPr>'
            f'<w:t xml:space="preserve">{escape(clean_text(value))}</w:t></w:r></w:p></w:tc>'
        )
    properties = f"<w:trPr>{flags}</w:trPr>" if flags else ""
    return f"<w:tr>{properties}{''.join(cells)}</w:tr>"


RED = "FF0000"
BELOW_RULE = 2  # blank lines between the masthead's red rule and the title


# The order ECMA-376 gives the children of w:pPr: Word refuses a file whose children are out of order.
PPR_ORDER = (
    "pStyle", "keepNext", "keepLines", "pageBreakBefore", "framePr", "widowControl", "numPr",
    "suppressLineNumbers", "pBdr", "shd", "tabs", "suppressAutoHyphens", "kinsoku", "wordWrap",
    "overflowPunct", "topLinePunct", "autoSpaceDE", "autoSpaceDN", "bidi", "adjustRightInd", "snapToGrid",
    "spacing", "ind", "contextualSpacing", "mirrorIndents", "suppressOverlap", "jc", "textDirection",
    "textAlignment", "textboxTightWrap", "outlineLvl", "divId", "cnfStyle", "rPr", "sectPr", "pPrChange",
)  # fmt: skip


def _paragraph_property(paragraph: Paragraph, name: str) -> etree._Element:
    """The paragraph's ``w:{name}``, created in its schema place when missing."""
    p_pr = paragraph._p.get_or_add_pPr()
    found = p_pr.find(qn(f"w:{name}"))
    if found is None:
        found = OxmlElement(f"w:{name}")
        later = PPR_ORDER[PPR_ORDER.index(name) + 1 :]
        p_pr.insert_element_before(found, *(f"w:{tag}" for tag in later))
    return found


def rule(paragraph: Paragraph, side: str = "bottom", colour: str = "000000", size: int = 8) -> None:
    """A horizontal rule drawn as the paragraph's border (GB/T 9704's 版头 red rule and 版记 rules)."""
    borders = _paragraph_property(paragraph, "pBdr")
    line = OxmlElement(f"w:{side}")
    for key, value in (("w:val", "single"), ("w:sz", str(size)), ("w:space", "1"), ("w:color", colour)):
        line.set(qn(key), value)
    borders.append(line)


def _masthead(document: docx.document.Document, issuer: str, on: date, issue_no: int | None) -> None:
    """版头: 督查通报 in red, the issue number, the issuing office and date over the red rule."""
    head = document.add_paragraph()
    head.alignment = WD_ALIGN_PARAGRAPH.CENTER
    styled_run(head, "督查通报", TITLE_FONT, 42)
    head.runs[0].font.color.rgb = docx.shared.RGBColor.from_string(RED)
    if issue_no:
        number = document.add_paragraph()
        number.alignment = WD_ALIGN_PARAGRAPH.CENTER
        styled_run(number, f"第{issue_no}期")
    byline = document.add_paragraph()
    styled_run(byline, f"{issuer}　　　　　　　　{on.year}年{on.month}月{on.day}日")
    rule(byline, colour=RED, size=16)
    for _ in range(BELOW_RULE):
        document.add_paragraph()  # GB/T 9704 §7.3.1: the title two lines below the red rule


TEXT_WIDTH = 156 / 25.4 * 72  # pt: the 版心's width
TEXT_HEIGHT = round(225 / 25.4 * 1440)  # twips: the 版心's height
RECORD_SIZE = 14  # 4号
RECORD_CHARS = int((TEXT_WIDTH - 2 * RECORD_SIZE) // RECORD_SIZE)  # characters on a 版记 line
RULE_ROOM = 40  # twips between the 抄送 frame and the 印发 frame, for their rules' spacing


def _record(document: docx.document.Document, issuer: str, on: date, copy_to: str | None) -> None:
    """版记 at the foot of the last page (GB/T 9704 §7.4: its last element on the 版心's last line).

    The 印发 line (office left, date right, one character in from each side, 4号 仿宋) sits in a frame at the
    bottom of the 版心 over the closing thick rule; 抄送, when there is one, in a frame just above it between
    the opening thick rule and the thin one. Two frames, each with its own rules, because LibreOffice drops
    the position of a frame whose paragraphs have different borders; a frame per line lands where Word and
    WPS put it too. The frames anchor on the document's last paragraph, so they go on its last page, and the
    body text keeps clear of them."""
    printed = _record_line(document, f"{issuer}\t{on.year}年{on.month}月{on.day}日印发", None)
    rule(printed, "bottom", size=8)
    if copy_to:
        text = f"抄送：{copy_to}。"
        lines = -(-len(text) // RECORD_CHARS)
        copied = _record_line(document, text, TEXT_HEIGHT - (lines + 1) * LINE_PITCH - RULE_ROOM)
        rule(copied, "top", size=8)
        rule(copied, "bottom", size=4)
        printed._p.addprevious(copied._p)  # 抄送 reads first
    else:
        rule(printed, "top", size=8)
    anchor = document.add_paragraph()  # the frames' anchor: a document ends in a plain paragraph
    anchor.paragraph_format.line_spacing = Pt(1)
    _paragraph_property(anchor, "snapToGrid").set(qn("w:val"), "0")
    styled_run(anchor, "", BODY_FONT, 1)


def _record_line(document: docx.document.Document, text: str, top: int | None) -> Paragraph:
    """A 版记 paragraph in a frame as wide as the 版心: at ``top`` twips below the 版心's top, else at its
    bottom."""
    paragraph = document.add_paragraph()
    fmt = paragraph.paragraph_format
    fmt.left_indent = fmt.right_indent = Pt(RECORD_SIZE)
    fmt.line_spacing = Pt(LINE_PITCH / 20)
    if "\t" in text:
        fmt.tab_stops.add_tab_stop(Pt(TEXT_WIDTH - 2 * RECORD_SIZE), WD_TAB_ALIGNMENT.RIGHT)
    styled_run(paragraph, text, BODY_FONT, RECORD_SIZE)
    frame = _paragraph_property(paragraph, "framePr")
    place = ("w:yAlign", "bottom") if top is None else ("w:y", str(top))
    for key, value in (
        ("w:w", str(round(TEXT_WIDTH * 20))), ("w:hSpace", "0"), ("w:vSpace", "0"), ("w:wrap", "notBeside"),
        ("w:vAnchor", "margin"), ("w:hAnchor", "margin"), ("w:xAlign", "center"), place,
    ):  # fmt: skip
        frame.set(qn(key), value)
    return paragraph


def _title(document: docx.document.Document, content: BulletinContent) -> None:
    """The title in 2号 小标宋, its lines broken between words (``content.title_lines``), never inside one."""
    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.paragraph_format.line_spacing = Pt(LINE_PITCH / 20 * 1.3)
    title.paragraph_format.keep_with_next = True
    for index, line in enumerate(content.title_lines or [content.title]):
        if index:
            title.add_run().add_break()
        styled_run(title, line, TITLE_FONT, 22)


NAME_INDENT = 5 * 16  # pt: 附件： after two characters of indent, then the names (GB/T 9704 §7.3.5)


def _attachment_note(document: docx.document.Document, content: BulletinContent) -> None:
    """The 附件 line one line below the body, two characters in: ``附件：1.…``, each further name under the
    first, a long name wrapping under its own first character."""
    if not content.attachments:
        return
    document.add_paragraph().paragraph_format.keep_with_next = True
    several = len(content.attachments) > 1
    for index, attachment in enumerate(content.attachments):
        number = f"{attachment.number}." if several else ""
        paragraph = document.add_paragraph()
        fmt = paragraph.paragraph_format
        fmt.left_indent = Pt(NAME_INDENT + (16 if several else 0))
        fmt.first_line_indent = Pt(-(48 if index == 0 else 0) - (16 if several else 0))
        fmt.keep_with_next = True
        styled_run(paragraph, ("附件：" if index == 0 else "") + number + attachment.title)


def _attachment_pages(document: docx.document.Document, content: BulletinContent) -> None:
    """Each 附件 on a page of its own: 附件N top left in 黑体, its title centred on the third line, then
    its table (GB/T 9704 §8)."""
    for attachment in content.attachments:
        document.add_page_break()
        add_text(document, attachment.label, HEADING_FONT, indent=False)
        document.add_paragraph()
        name = add_text(document, attachment.title, TITLE_FONT, indent=False)
        name.alignment = WD_ALIGN_PARAGRAPH.CENTER
        name.paragraph_format.keep_with_next = True
        if attachment.kind == "tasks":
            tasks_table(document, content.task_list)
        else:
            add_text(document, content.score_formula)
            ranking_table(document, content.ranking)


def bulletin(
    content: BulletinContent,
    *,
    masthead: bool = False,
    issue_no: int | None = None,
    copy_to: str | None = None,
    on: date,
) -> bytes:
    """The 督查通报 in the built-in layout; ``masthead`` adds the 版头 (督查通报 / 第N期 / red rule), and the
    版记 (抄送 ``copy_to``, the 印发 line between rules) always closes it."""
    document = docx.Document()
    page_layout(document)
    if masthead:
        _masthead(document, content.issuer, on, issue_no)
    _title(document, content)
    document.add_paragraph()
    add_text(document, "各责任单位：", indent=False)
    add_text(document, content.opening)
    heading(document, "一、总体情况")
    add_text(document, content.overview + content.excluded)
    _chart(document, content)
    heading(document, "二、主要成效")
    add_text(document, content.achievements)
    heading(document, "三、存在问题")
    _problem_paragraphs(document, content)
    heading(document, "四、单位排名")
    add_text(document, content.score_formula)
    add_text(document, content.ranking_note)
    heading(document, "五、下步工作要求")
    last = add_text(document, content.requirements)
    _attachment_note(document, content)
    last.paragraph_format.keep_with_next = True
    for line in ("", content.issuer, content.date):
        signature = document.add_paragraph()
        signature.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        signature.paragraph_format.right_indent = Pt(64)
        signature.paragraph_format.keep_with_next = bool(line) and not line.endswith("日")
        signature.paragraph_format.keep_together = True
        styled_run(signature, line)
    _attachment_pages(document, content)
    _record(document, content.issuer, on, copy_to)
    props = document.core_properties
    props.author = props.last_modified_by = content.issuer
    props.title = content.title
    props.created = props.modified = datetime.combine(on, datetime.min.time())
    props.revision = 1
    buffer = BytesIO()
    document.save(buffer)
    return buffer.getvalue()
