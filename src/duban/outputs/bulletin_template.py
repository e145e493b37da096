"""An office's own bulletin template (docxtpl): the office keeps its masthead, its wording and its own
下步工作要求 paragraphs in a Word file with ``{{ … }}`` tags, and duban fills in what the period says.

``duban bulletin-template -o 模板.docx`` writes a starter in the built-in GB/T 9704 layout with every tag in
place; the README lists the tags. The content comes from :func:`duban.outputs.bulletin_content.bulletin_content`,
the same the built-in layout prints."""

from __future__ import annotations

import re
import zipfile
from dataclasses import fields
from io import BytesIO
from typing import Any

import docx
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Mm, Pt

from duban.ledger.errors import Invalid
from duban.outputs.bulletin_content import BulletinContent
from duban.outputs.bulletin_docx import (
    BODY_FONT,
    HEADING_FONT,
    LEVEL2_FONT,
    TITLE_FONT,
    add_text,
    page_layout,
    ranking_table,
    styled_run,
)
from duban.outputs.chart import colour_chart


def render_template(template: bytes, content: BulletinContent) -> bytes:
    """Fill the office's template; a file that is not a Word document or has a broken tag is refused in
    Chinese, naming the problem."""
    from docxtpl import DocxTemplate, InlineImage
    from jinja2 import TemplateError, TemplateSyntaxError

    try:
        document = DocxTemplate(BytesIO(template))
        context: dict[str, Any] = {f.name: getattr(content, f.name) for f in fields(content)}
        picture = colour_chart(content.sections)
        context["chart"] = InlineImage(document, BytesIO(picture), width=Mm(150)) if picture else ""
        document.render(context, autoescape=True)
        buffer = BytesIO()
        document.save(buffer)
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise Invalid(f"通报模板不是有效的 Word（.docx）文件：{exc}") from None
    except TemplateSyntaxError as exc:
        raise Invalid(f"通报模板中的标记有误：{exc.message}（在“{_near(exc)}”附近）") from None
    except TemplateError as exc:
        raise Invalid(f"通报模板中的标记有误：{exc.message or exc}") from None
    return buffer.getvalue()


def _near(exc: Any) -> str:
    """The template line a syntax error is on, shortened: docxtpl gives the XML it built, not Word's page."""
    source = (exc.source or "").splitlines()
    line = source[exc.lineno - 1] if 0 < exc.lineno <= len(source) else ""
    text = re.sub(r"<[^>]+>", "", line).strip()
    return text[:40] or f"第{exc.lineno}行"


def starter_template() -> bytes:
    """A template in the built-in layout with every tag, for the office to edit in Word or WPS."""
    document = docx.Document()
    page_layout(document)
    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    styled_run(title, "{{ title }}", TITLE_FONT, 22)
    document.add_paragraph()
    add_text(document, "各责任单位：", indent=False)
    add_text(document, "{{ opening }}")
    add_text(document, "一、总体情况", HEADING_FONT)
    add_text(document, "{{ overview }}")
    add_text(document, "{{ chart }}", indent=False).alignment = WD_ALIGN_PARAGRAPH.CENTER
    add_text(document, "二、主要成效", HEADING_FONT)
    add_text(document, "{{ achievements }}")
    add_text(document, "三、存在问题", HEADING_FONT)
    add_text(document, "{%p if not problems %}", indent=False)
    add_text(document, "{{ no_problems }}")
    add_text(document, "{%p endif %}", indent=False)
    add_text(document, "{%p for section in problems %}", indent=False)
    add_text(document, "{{ section.title }}", LEVEL2_FONT)
    add_text(document, "{%p for task in section.tasks %}", indent=False)
    add_text(document, "{{ task }}")
    add_text(document, "{%p endfor %}", indent=False)
    add_text(document, "{%p endfor %}", indent=False)
    add_text(document, "{{ late_units }}")
    add_text(document, "四、单位排名", HEADING_FONT)
    add_text(document, "{{ score_formula }}{{ ranking_note }}")
    _ranking_rows(document)
    add_text(document, "五、下步工作要求", HEADING_FONT)
    add_text(document, "{{ requirements }}")
    add_text(document, "（此处写本办的具体要求，例如：各单位主要负责同志要亲自研究部署，逐项抓好落实。）")
    for line in ("", "{{ issuer }}", "{{ date }}"):
        signature = document.add_paragraph()
        signature.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        signature.paragraph_format.right_indent = Pt(64)
        styled_run(signature, line, BODY_FONT)
    buffer = BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _ranking_rows(document: docx.document.Document) -> None:
    """The ranking table: a header row, then one row repeated for each ranked unit (docxtpl's ``{%tr %}``)."""
    ranking_table(document, [])
    table = document.tables[-1]
    for tag in ("{%tr for r in ranking %}", None, "{%tr endfor %}"):
        cells = table.add_row().cells
        values = (
            (tag, "", "", "") if tag else ("{{ r.rank }}", "{{ r.unit }}", "{{ r.score }}", "{{ r.arrow }}")
        )
        for cell, value in zip(cells, values, strict=True):
            styled_run(cell.paragraphs[0], value, BODY_FONT, 12)
