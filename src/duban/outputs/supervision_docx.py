"""督办单 (yellow 预警 / red 督办): one page in the national document layout of the bulletins (GB/T 9704
page, fonts and grid from ``bulletin_docx``), fit to print and stamp: a coloured heading, the 编号 and date,
the task, the unit, what is overdue or behind, the deadline to respond, the issuing office with room for its
seal, and who is copied."""

from __future__ import annotations

from io import BytesIO

import docx
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import RGBColor

from duban.ledger.rules.chasing import COLOUR_WORDS, chinese_day
from duban.ledger.views.notices import NoticeRow
from duban.outputs.bulletin_docx import HEADING_FONT, TITLE_FONT, add_text, page_layout, styled_run

INK = {"red": RGBColor(0xC0, 0x00, 0x00), "yellow": RGBColor(0xB8, 0x86, 0x0B)}


def supervision_docx(notice: NoticeRow, office: str) -> bytes:
    """The 督办单 of ``notice`` issued by ``office`` (the plan's supervisor, else 督查室)."""
    document = docx.Document()
    page_layout(document)
    colour = COLOUR_WORDS.get(notice.kind, "")
    heading = document.add_paragraph()
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    styled_run(heading, f"{colour}督办单", TITLE_FONT, 26)
    for run in heading.runs:
        run.font.color.rgb = INK.get(notice.kind, RGBColor(0, 0, 0))
    number = document.add_paragraph()
    number.alignment = WD_ALIGN_PARAGRAPH.CENTER
    styled_run(number, f"{notice.number_text}    {chinese_day(notice.day)}")
    document.add_paragraph()
    add_text(document, f"{notice.unit_name}：", indent=False)
    add_text(
        document,
        f"根据《{notice.plan_title}》，你单位牵头负责的第{notice.task_no}项任务“{notice.task_name}”"
        f"（{notice.period_name}）情况如下：",
    )
    add_text(document, notice.reason)
    if notice.respond_by is not None:
        add_text(
            document,
            f"请于{chinese_day(notice.respond_by)}前在督办系统中报送整改落实情况作为答复，"
            "逾期未答复的将在通报中予以点名。",
        )
    add_text(document, "特此督办。")
    document.add_paragraph()
    document.add_paragraph()
    signature = document.add_paragraph()
    signature.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    styled_run(signature, f"{office}（盖章）    ")
    dated = document.add_paragraph()
    dated.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    styled_run(dated, f"{chinese_day(notice.day)}    ")
    if notice.leaders:
        document.add_paragraph()
        copy = document.add_paragraph()
        styled_run(copy, "抄送：", HEADING_FONT, 14)
        styled_run(copy, "、".join(notice.leaders), size=14)
    if notice.answered_at is not None:
        answered = document.add_paragraph()
        styled_run(answered, f"（已于{chinese_day(notice.answered_at.date())}报送答复）", size=14)
    buffer = BytesIO()
    document.save(buffer)
    return buffer.getvalue()
