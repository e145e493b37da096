"""The bulletin (通报) on a reporting period, laid out as a Chinese government document (GB/T 9704): A4, margins
37 mm top, 35 mm bottom, 28 mm left, 26 mm right; title in 方正小标宋简体 二号, headings in 黑体 三号, body in
仿宋_GB2312 三号. Parts: 总体情况, 排名情况 (a table), 需要关注的事项 (red tasks with their reporting units),
下步要求."""

from __future__ import annotations

from collections import Counter
from datetime import date
from io import BytesIO

import docx
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.text.paragraph import Paragraph

from duban.ledger.models import Period, Plan
from duban.ledger.standing import LedgerRow
from duban.ledger.status import RankingRow
from duban.ledger.text import clean_text

BODY_FONT, HEADING_FONT, TITLE_FONT = "仿宋_GB2312", "黑体", "方正小标宋简体"
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
    paragraph.paragraph_format.line_spacing = Pt(28)
    _run(paragraph, text, font)
    return paragraph


def bulletin(
    plan: Plan, period: Period, rows: list[LedgerRow], ranking: list[RankingRow], on: date, issuer: str
) -> bytes:
    document = docx.Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(
        title,
        f"关于{plan.title.removeprefix('关于').removesuffix('的通知')}{period.name}落实情况的通报",
        TITLE_FONT,
        22,
    )
    _para(document, "各责任单位：", indent=False)
    counts = Counter(r.status.colour for r in rows)
    missing = sum(1 for r in rows if r.status.missing and period.id in r.status.missing)
    _para(
        document,
        f"按照工作安排，{issuer}对{plan.title.removeprefix('关于印发').removesuffix('的通知')}确定的{len(rows)}项任务"
        f"{period.name}（{period.due.month}月{period.due.day}日前报送）落实情况进行了调度，现将有关情况通报如下。",
    )
    _para(document, "一、总体情况", HEADING_FONT)
    _para(
        document,
        f"截至{on.year}年{on.month}月{on.day}日，已完成{counts['done']}项，序时推进（蓝色）{counts['blue']}项，"
        f"进度滞后（黄色）{counts['yellow']}项，严重滞后（红色）{counts['red']}项；本期未报送{missing}项。",
    )
    _para(document, "二、排名情况", HEADING_FONT)
    _para(
        document,
        "按照任务完成情况和报送情况计分排名（蓝色、已完成计1分，黄色计0.6分，红色不计分；逾期报送每项扣5分，未报送每项扣10分）：",
    )
    table = document.add_table(rows=1, cols=5)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, label in zip(
        table.rows[0].cells, ["名次", "单位", "得分", "较上期", "牵头任务数"], strict=True
    ):
        cell.text = label
    for row in ranking:
        cells = table.add_row().cells
        for cell, value in zip(
            cells, [str(row.rank), row.name, f"{row.score:g}", ARROWS[row.arrow], str(row.tasks)], strict=True
        ):
            cell.text = clean_text(value)
    _para(document, "三、需要关注的事项", HEADING_FONT)
    red = [r for r in rows if r.status.colour == "red"]
    if not red:
        _para(document, "本期无严重滞后任务。")
    for r in red[:50]:
        _para(
            document,
            f"第{r.no}项（{r.reporting_unit or '未指定汇总单位'}）：{r.text[:60]}{'…' if len(r.text) > 60 else ''}",
        )
    if len(red) > 50:
        _para(document, f"另有{len(red) - 50}项严重滞后任务，详见工作台账。")
    _para(document, "四、下步要求", HEADING_FONT)
    _para(
        document,
        "各责任单位要对照任务分工，逐项查摆问题，明确整改措施和时限；对进度滞后的任务，牵头单位要加大推进力度，确保按期完成。",
    )
    signature = document.add_paragraph()
    signature.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    _run(signature, f"{issuer}\n{on.year}年{on.month}月{on.day}日")
    buffer = BytesIO()
    document.save(buffer)
    return buffer.getvalue()
