"""The bulletin (督查通报) on a reporting period, laid out after GB/T 9704-2012: A4, 版心 156 × 225 mm (margins
37/35/28/26 mm), a document grid of 22 lines × 28 characters and no inherited spacing, title 方正小标宋简体 2号,
body 仿宋_GB2312 3号, level-1 headings 黑体, level-2 楷体_GB2312, page numbers ``— 1 —`` in 4号 宋体 (odd pages
right, even left). Content as a county 通报 reads: 总体情况, 主要成效, 存在问题 (red and yellow tasks with why),
late and missing units, the ranking (long lists in an attachment), 下步工作要求 with the next deadline."""

from __future__ import annotations

import re
from collections import Counter
from datetime import date, datetime
from io import BytesIO

import docx
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.text.paragraph import Paragraph

from duban.ledger.models import Period, Plan
from duban.ledger.standing import LedgerRow
from duban.ledger.status import RankingRow
from duban.ledger.text import clean_text
from duban.outputs.ledger_xlsx import chinese_number

BODY_FONT, HEADING_FONT, TITLE_FONT = "仿宋_GB2312", "黑体", "方正小标宋简体"
LEVEL2_FONT, PAGE_FONT = "楷体_GB2312", "宋体"
ARROWS = {"up": "↑", "down": "↓", "same": "→"}


def _run(
    paragraph: Paragraph, text: str, font: str = BODY_FONT, size: float = 16, bold: bool = False
) -> None:
    run = paragraph.add_run(clean_text(text))
    run.font.name = font
    run.font.size = Pt(size)
    run.bold = bold
    r_pr = run._element.get_or_add_rPr()
    r_pr.get_or_add_rFonts().set(qn("w:eastAsia"), font)


def _para(
    document: docx.document.Document, text: str, font: str = BODY_FONT, indent: bool = True
) -> Paragraph:
    paragraph = document.add_paragraph()
    paragraph.paragraph_format.first_line_indent = Pt(32) if indent else None
    _run(paragraph, text, font)
    return paragraph


LINE_PITCH = 579  # twips: 22 lines in the 225 mm 版心
CHAR_SPACE = -848  # 1/4096 pt: 28 characters of 3号 in the 156 mm 版心
ATTACH_AFTER = 15  # a longer ranking goes to an attachment


def _layout(document: docx.document.Document) -> None:
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
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), BODY_FONT)
    sect = section._sectPr
    for old in sect.findall(qn("w:docGrid")):
        sect.remove(old)
    grid = OxmlElement("w:docGrid")
    grid.set(qn("w:type"), "linesAndChars")
    grid.set(qn("w:linePitch"), str(LINE_PITCH))
    grid.set(qn("w:charSpace"), str(CHAR_SPACE))
    sect.append(grid)
    document.settings.odd_and_even_pages_header_footer = True
    _page_number(section.footer.paragraphs[0], WD_ALIGN_PARAGRAPH.RIGHT)
    _page_number(section.even_page_footer.paragraphs[0], WD_ALIGN_PARAGRAPH.LEFT)


def _page_number(paragraph: Paragraph, align: WD_ALIGN_PARAGRAPH) -> None:
    """``— 1 —`` in 4号 宋体, a PAGE field, one character in from the edge (odd right, even left)."""
    paragraph.alignment = align
    if align == WD_ALIGN_PARAGRAPH.RIGHT:
        paragraph.paragraph_format.right_indent = Pt(14)
    else:
        paragraph.paragraph_format.left_indent = Pt(14)
    _run(paragraph, "— ", PAGE_FONT, 14)
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
    _run(paragraph, " —", PAGE_FONT, 14)


def bulletin_title(plan: Plan, period: Period) -> str:
    """《关于2021年县政府重要工作事项第二季度推进情况的通报》 from the notice's title: 印发, the year and
    the 责任分工 wording taken out so neither 印发 nor the year appears twice."""
    subject = clean_text(plan.title).strip()
    for prefix in ("关于印发", "关于"):
        subject = subject.removeprefix(prefix)
    subject = subject.removesuffix("的通知").removesuffix("通知")
    subject = re.sub(rf"^{plan.year}年(度)?", "", subject)
    subject = re.sub(r"(任务)?(责任)?(分工|分解)(方案|表|清单)?$", "", subject) or "重点工作"
    when = re.sub(rf"^{plan.year}年(度)?", "", clean_text(period.name).strip())
    return f"关于{plan.year}年{subject}{when}推进情况的通报"


def _notice_name(plan: Plan) -> str:
    name = clean_text(plan.title).strip().removeprefix("关于印发").removeprefix("关于")
    return "《" + name.removesuffix("的通知") + "》"


def _why(row: LedgerRow, on: date) -> str:
    """Why a task is red or yellow, in words."""
    reasons = []
    if row.status.missing:
        reasons.append(f"{len(row.status.missing)}期未报送进展")
    gap = row.status.schedule - row.status.progress
    if gap > 0.5:
        reasons.append(f"进度{row.status.progress:.0f}%，落后序时进度{gap:.0f}个百分点")
    if on > row.due and row.status.colour != "done":
        reasons.append(f"已超过完成时限（{row.due.month}月{row.due.day}日）仍未完成")
    return "，".join(reasons) or "进度滞后"


def _problem_paragraphs(document: docx.document.Document, rows: list[LedgerRow], on: date) -> None:
    behind = [r for r in rows if r.status.colour in ("red", "yellow")]
    if not behind:
        _para(document, "本期所有任务均按序时进度推进，未发现滞后任务。")
        return
    sections: dict[str, list[LedgerRow]] = {}
    for row in behind:
        sections.setdefault(row.section or "其他", []).append(row)
    for n, (section, items) in enumerate(sections.items(), start=1):
        _para(document, f"（{chinese_number(n)}）{section}", LEVEL2_FONT)
        for row in items:
            colour = "红色（严重滞后）" if row.status.colour == "red" else "黄色（进度滞后）"
            unit = row.reporting_unit or "未确定汇总单位"
            text = f"第{row.no}项“{row.name or row.text}”，{unit}牵头汇总，{colour}：{_why(row, on)}。"
            if row.latest_problems:
                text += f"单位反映的问题：{row.latest_problems.rstrip('。')}。"
            _para(document, text)


def _ranking(document: docx.document.Document, ranking: list[RankingRow]) -> list[RankingRow]:
    """The ranking table (名次, 单位, 得分, 较上期); a long list moves to the attachment, returned."""
    _para(
        document,
        "计分办法：得分 = 100 × 各任务得分之和 ÷ 任务数（已完成、蓝色计1分，黄色计0.6分，红色不计分），"
        "逾期报送每项扣5分，未报送每项扣10分，最低0分。",
    )
    if len(ranking) > ATTACH_AFTER:
        _para(document, f"前{ATTACH_AFTER}名见下表，全部{len(ranking)}个单位的得分见附件。")
    _table(document, ranking[:ATTACH_AFTER])
    return list(ranking) if len(ranking) > ATTACH_AFTER else []


def _table(document: docx.document.Document, ranking: list[RankingRow]) -> None:
    table = document.add_table(rows=1, cols=4)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    widths = (Mm(20), Mm(80), Mm(26), Mm(26))
    for row_values in [("名次", "单位", "得分", "较上期")] + [
        (str(r.rank), r.name, f"{max(r.score, 0):.1f}", ARROWS[r.arrow]) for r in ranking
    ]:
        cells = table.rows[0].cells if row_values[0] == "名次" else table.add_row().cells
        for cell, value, width in zip(cells, row_values, widths, strict=True):
            cell.width = width
            paragraph = cell.paragraphs[0]
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            paragraph.paragraph_format.line_spacing = Pt(20)
            _run(paragraph, value, HEADING_FONT if row_values[0] == "名次" else BODY_FONT, 12)


RED = "FF0000"


def _rule(paragraph: Paragraph, side: str = "bottom", colour: str = "000000", size: int = 8) -> None:
    """A horizontal rule drawn as the paragraph's border (GB/T 9704's 版头 red rule and 版记 rules)."""
    p_pr = paragraph._element.get_or_add_pPr()
    borders = p_pr.find(qn("w:pBdr"))
    if borders is None:
        borders = OxmlElement("w:pBdr")
        p_pr.append(borders)
    line = OxmlElement(f"w:{side}")
    for key, value in (("w:val", "single"), ("w:sz", str(size)), ("w:space", "1"), ("w:color", colour)):
        line.set(qn(key), value)
    borders.append(line)


def _masthead(document: docx.document.Document, issuer: str, on: date, issue_no: int | None) -> None:
    """版头: 督查通报 in red, the issue number, the issuing office and date over the red rule."""
    head = document.add_paragraph()
    head.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(head, "督查通报", TITLE_FONT, 42)
    head.runs[0].font.color.rgb = docx.shared.RGBColor.from_string(RED)
    if issue_no:
        number = document.add_paragraph()
        number.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _run(number, f"第{issue_no}期")
    byline = document.add_paragraph()
    _run(byline, f"{issuer}　　　　　　　　{on.year}年{on.month}月{on.day}日")
    _rule(byline, colour=RED, size=16)


def _record(document: docx.document.Document, issuer: str, on: date, copy_to: str | None) -> None:
    """版记 at the end: 抄送 (if any) and the 印发 line, between rules, kept together."""
    lines = ([f"抄送：{copy_to}。"] if copy_to else []) + [
        f"{issuer}　　　　　　{on.year}年{on.month}月{on.day}日印发"
    ]
    for i, text in enumerate(lines):
        paragraph = document.add_paragraph()
        paragraph.paragraph_format.left_indent = Pt(14)
        paragraph.paragraph_format.keep_with_next = i + 1 < len(lines)
        _run(paragraph, text, BODY_FONT, 14)
        if i == 0:
            _rule(paragraph, "top", size=8)
        _rule(paragraph, "bottom", size=8 if i + 1 == len(lines) else 4)


def bulletin(
    plan: Plan,
    period: Period,
    rows: list[LedgerRow],
    ranking: list[RankingRow],
    on: date,
    issuer: str,
    next_due: date | None = None,
    *,
    masthead: bool = False,
    issue_no: int | None = None,
    copy_to: str | None = None,
) -> bytes:
    """The 督查通报 for ``period`` taken on ``on``; ``masthead`` adds the 版头 (督查通报 / 第N期 / red rule),
    and the 版记 (抄送 ``copy_to``, the 印发 line between rules) always closes it."""
    document = docx.Document()
    _layout(document)
    if masthead:
        _masthead(document, issuer, on, issue_no)
    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.paragraph_format.line_spacing = Pt(LINE_PITCH / 20 * 1.3)
    _run(title, bulletin_title(plan, period), TITLE_FONT, 22)
    document.add_paragraph()
    _para(document, "各责任单位：", indent=False)
    counts = Counter(r.status.colour for r in rows)
    _para(
        document,
        f"按照{_notice_name(plan)}要求，{issuer}对{len(rows)}项任务{period.name}（{period.due.month}月{period.due.day}日前报送）"
        "推进情况进行了调度，现将有关情况通报如下。",
    )
    _para(document, "一、总体情况", HEADING_FONT)
    _para(
        document,
        f"截至{on.year}年{on.month}月{on.day}日，{len(rows)}项任务中已完成{counts['done']}项，按序时推进（蓝色）"
        f"{counts['blue']}项，进度滞后（黄色）{counts['yellow']}项，严重滞后（红色）{counts['red']}项。"
        f"较上期：好转{sum(r.status.arrow == 'up' for r in rows)}项（↑），"
        f"退步{sum(r.status.arrow == 'down' for r in rows)}项（↓）。",
    )
    _para(document, "二、主要成效", HEADING_FONT)
    ahead = [r for r in rows if r.status.colour == "done" or r.status.progress > r.status.schedule + 0.5]
    units = sorted({r.reporting_unit for r in ahead if r.reporting_unit})
    _para(
        document,
        f"已完成或快于序时进度的任务{len(ahead)}项"
        + (f"，{'、'.join(units)}等单位推进有力。" if units else "。"),
    )
    _para(document, "三、存在问题", HEADING_FONT)
    _problem_paragraphs(document, rows, on)
    late = [r.name for r in ranking if r.late]
    absent = sorted({r.reporting_unit for r in rows if period.id in r.status.missing and r.reporting_unit})
    if absent or late:
        text = (f"未按时报送的单位：{'、'.join(absent)}。" if absent else "") + (
            f"逾期报送的单位：{'、'.join(late)}。" if late else ""
        )
        _para(document, text)
    _para(document, "四、单位排名", HEADING_FONT)
    attached = _ranking(document, ranking)
    _para(document, "五、下步工作要求", HEADING_FONT)
    deadline = (
        f"请各责任单位于{next_due.year}年{next_due.month}月{next_due.day}日前报送下期推进情况。"
        if next_due
        else "请各责任单位按要求报送全年完成情况。"
    )
    last = _para(
        document,
        "各责任单位要对照任务分工，逐项查摆问题，明确整改措施和时限；对进度滞后的任务，要加大推进力度，"
        "确保按期完成。" + deadline,
    )
    last.paragraph_format.keep_with_next = True
    for line in ("", issuer, f"{on.year}年{on.month}月{on.day}日"):
        signature = document.add_paragraph()
        signature.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        signature.paragraph_format.right_indent = Pt(64)
        signature.paragraph_format.keep_with_next = bool(line) and not line.endswith("日")
        signature.paragraph_format.keep_together = True
        _run(signature, line)
    if attached:
        document.add_page_break()
        _para(document, "附件", HEADING_FONT, indent=False)
        _para(
            document, f"{period.name}各单位得分排名", TITLE_FONT, indent=False
        ).alignment = WD_ALIGN_PARAGRAPH.CENTER
        _table(document, attached)
    _record(document, issuer, on, copy_to)
    props = document.core_properties
    props.author = props.last_modified_by = issuer
    props.title = bulletin_title(plan, period)
    props.created = props.modified = datetime.combine(on, datetime.min.time())
    props.revision = 1
    buffer = BytesIO()
    document.save(buffer)
    return buffer.getvalue()
