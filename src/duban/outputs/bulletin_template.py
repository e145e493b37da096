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
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.shared import Mm, Pt

from duban.ledger.errors import Invalid
from duban.outputs.bulletin_content import BulletinContent
from duban.outputs.bulletin_docx import (
    BELOW_RULE,
    BODY_FONT,
    HEADING_FONT,
    LEVEL2_FONT,
    NAME_INDENT,
    RANKING_HEADER,
    RANKING_WIDTHS,
    RED,
    TASKS_HEADER,
    TASKS_WIDTHS,
    TEXT_WIDTH,
    TITLE_FONT,
    add_table,
    add_text,
    heading,
    page_layout,
    rule,
    styled_run,
)
from duban.outputs.chart import colour_chart


def render_template(
    template: bytes,
    content: BulletinContent,
    *,
    masthead: bool = False,
    issue_no: int | None = None,
    copy_to: str | None = None,
) -> bytes:
    """Fill the office's template. The masthead, 抄送 and 附件 are printed where the template has their tags;
    asked for one it has no tag for, the template is refused in Chinese naming the tag to add, never
    dropped in silence. A file that is not a Word document or has a broken tag is refused too."""
    from docxtpl import DocxTemplate, InlineImage
    from jinja2 import TemplateError, TemplateSyntaxError

    try:
        document = DocxTemplate(BytesIO(template))
        _require_tags(_tags(document), content, masthead, copy_to)
        context = template_context(content, masthead=masthead, issue_no=issue_no, copy_to=copy_to)
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


def _tags(document: Any) -> set[str]:
    """The names the template's tags use, in its body, headers and footers: docxtpl's own
    ``get_undeclared_template_variables`` without its second reading of the whole file."""
    from docx.oxml import parse_xml
    from jinja2 import Environment, meta

    document.init_docx()
    xml = document.patch_xml(document.get_xml())
    for rel in document.docx.part.rels.values():
        if rel.reltype in (document.HEADER_URI, document.FOOTER_URI) and rel.target_part.blob:
            xml += document.patch_xml(document.xml_to_string(parse_xml(rel.target_part.blob)))
    return set(meta.find_undeclared_variables(Environment().parse(xml)))


def template_context(
    content: BulletinContent, *, masthead: bool, issue_no: int | None, copy_to: str | None
) -> dict[str, Any]:
    """The tags a template may use: every field of the content, and the masthead, 期号, 抄送, the title
    with its line breaks (``title_br``) and each 附件 by kind."""
    context: dict[str, Any] = {f.name: getattr(content, f.name) for f in fields(content)}
    by_kind = {a.kind: a for a in content.attachments}
    context.update(
        masthead=masthead,
        issue_no=f"第{issue_no}期" if issue_no else "",
        copy_to=(copy_to or "").strip(),
        title_br="\n".join(content.title_lines or [content.title]),
        tasks_attachment=by_kind.get("tasks"),
        ranking_attachment=by_kind.get("ranking"),
    )
    return context


# What the office asked for or the bulletin holds → the tags that print it (any one will do), and the
# message naming what to add.
MASTHEAD_TAGS = (
    {"masthead", "issue_no"},
    "版头：请在模板开头加入 {%p if masthead %}…{%p endif %} 包住的版头和期号 {{ issue_no }}",
)
COPY_TAGS = ({"copy_to"}, "抄送：请在版记中加入“抄送：{{ copy_to }}”")
ATTACHMENT_LINE_TAGS = (
    {"attachments", "attachments_line"},
    "附件说明：请在正文之后、署名之前加入 {{ attachments_line }}",
)
TASK_LIST_TAGS = ({"task_list"}, "红色、黄色任务清单附件：请加入 {%tr for t in task_list %} 表格行")
RANKING_TAGS = ({"ranking", "attachment"}, "得分排名附件：请加入 {%tr for r in ranking %} 表格行")


def _require_tags(found: set[str], content: BulletinContent, masthead: bool, copy_to: str | None) -> None:
    wanted = []
    if masthead:
        wanted.append(MASTHEAD_TAGS)
    if (copy_to or "").strip():
        wanted.append(COPY_TAGS)
    kinds = {a.kind for a in content.attachments}
    if kinds:
        wanted.append(ATTACHMENT_LINE_TAGS)
    if "tasks" in kinds:
        wanted.append(TASK_LIST_TAGS)
    if "ranking" in kinds:
        wanted.append(RANKING_TAGS)
    missing = [message for tags, message in wanted if not tags & found]
    if missing:
        raise Invalid("通报模板缺少以下标记，无法印出所需内容：" + "；".join(missing) + "。")


def _near(exc: Any) -> str:
    """The template line a syntax error is on, shortened: docxtpl gives the XML it built, not Word's page."""
    source = (exc.source or "").splitlines()
    line = source[exc.lineno - 1] if 0 < exc.lineno <= len(source) else ""
    text = re.sub(r"<[^>]+>", "", line).strip()
    return text[:40] or f"第{exc.lineno}行"


def starter_template() -> bytes:
    """A template in the built-in layout with every tag, for the office to edit in Word or WPS. It holds no
    instruction text: what each tag prints is in the README."""
    document = docx.Document()
    page_layout(document)
    _starter_masthead(document)
    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.paragraph_format.keep_with_next = True
    styled_run(title, "{{ title_br }}", TITLE_FONT, 22)
    document.add_paragraph()
    add_text(document, "各责任单位：", indent=False)
    add_text(document, "{{ opening }}")
    heading(document, "一、总体情况")
    add_text(document, "{{ overview }}{{ excluded }}")
    add_text(document, "{{ chart }}", indent=False).alignment = WD_ALIGN_PARAGRAPH.CENTER
    heading(document, "二、主要成效")
    add_text(document, "{{ achievements }}")
    heading(document, "三、存在问题")
    add_text(document, "{%p if not problems %}", indent=False)
    add_text(document, "{{ no_problems }}")
    add_text(document, "{%p endif %}", indent=False)
    add_text(document, "{%p for section in problems %}", indent=False)
    heading(document, "{{ section.title }}", LEVEL2_FONT)
    add_text(document, "{{ section.summary }}")
    add_text(document, "{%p endfor %}", indent=False)
    add_text(document, "{{ problems_note }}{{ late_units }}")
    heading(document, "四、单位排名")
    add_text(document, "{{ score_formula }}{{ ranking_note }}")
    heading(document, "五、下步工作要求")
    add_text(document, "{{ requirements }}")
    add_text(document, "{%p if attachments %}", indent=False)
    document.add_paragraph()
    note = add_text(document, "{{ attachments_line }}", indent=False)
    note.paragraph_format.left_indent = Pt(NAME_INDENT)
    note.paragraph_format.first_line_indent = Pt(-48)
    add_text(document, "{%p endif %}", indent=False)
    for line in ("", "{{ issuer }}", "{{ date }}"):
        signature = document.add_paragraph()
        signature.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        signature.paragraph_format.right_indent = Pt(64)
        styled_run(signature, line, BODY_FONT)
    _starter_attachment(document, "tasks_attachment", TASKS_HEADER, TASKS_WIDTHS, "t", TASK_TAGS)
    _starter_attachment(document, "ranking_attachment", RANKING_HEADER, RANKING_WIDTHS, "r", RANK_TAGS)
    _starter_record(document)
    buffer = BytesIO()
    document.save(buffer)
    return buffer.getvalue()


TASK_TAGS = (
    "{{ t.no }}",
    "{{ t.task }}",
    "{{ t.unit }}",
    "{{ t.colour }}",
    "{{ t.why }}{{ t.problems and '。单位反映：' + t.problems }}",
)
RANK_TAGS = (
    "{{ r.rank }}",
    "{{ r.unit }}",
    "{{ r.tasks }}",
    "{{ r.late }}",
    "{{ r.missing }}",
    "{{ r.score }}",
    "{{ r.arrow }}",
)


def _starter_masthead(document: docx.document.Document) -> None:
    """版头 in red, printed only when the office asks for it (``masthead``), with the 期号."""
    add_text(document, "{%p if masthead %}", indent=False)
    head = add_text(document, "督查通报", TITLE_FONT, indent=False)
    head.alignment = WD_ALIGN_PARAGRAPH.CENTER
    head.runs[0].font.size = Pt(42)
    head.runs[0].font.color.rgb = docx.shared.RGBColor.from_string(RED)
    add_text(document, "{{ issue_no }}", indent=False).alignment = WD_ALIGN_PARAGRAPH.CENTER
    byline = add_text(document, "{{ issuer }}　　　　　　　　{{ date }}", indent=False)
    rule(byline, colour=RED, size=16)
    for _ in range(BELOW_RULE):
        document.add_paragraph()
    add_text(document, "{%p endif %}", indent=False)


def _starter_attachment(
    document: docx.document.Document,
    name: str,
    header: tuple[str, ...],
    widths: tuple[int, ...],
    item: str,
    tags: tuple[str, ...],
) -> None:
    """One 附件 on a page of its own: its label and title, then a table with a row per item."""
    add_text(document, f"{{%p if {name} %}}", indent=False)
    label = add_text(document, f"{{{{ {name}.label }}}}", HEADING_FONT, indent=False)
    label.paragraph_format.page_break_before = True
    document.add_paragraph()
    title = add_text(document, f"{{{{ {name}.title }}}}", TITLE_FONT, indent=False)
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    source = "task_list" if item == "t" else "ranking"
    empty = ("",) * (len(header) - 1)
    add_table(
        document,
        header,
        widths,
        [(f"{{%tr for {item} in {source} %}}", *empty), tags, ("{%tr endfor %}", *empty)],
        left=(1,),
    )
    add_text(document, "{%p endif %}", indent=False)


def _starter_record(document: docx.document.Document) -> None:
    """版记: 抄送 (when the office gives it) and the 印发 line, between rules."""
    add_text(document, "{%p if copy_to %}", indent=False)
    copied = add_text(document, "抄送：{{ copy_to }}。", indent=False)
    copied.runs[0].font.size = Pt(14)
    copied.paragraph_format.left_indent = copied.paragraph_format.right_indent = Pt(14)
    rule(copied, "top", size=8)
    add_text(document, "{%p endif %}", indent=False)
    printed = add_text(document, "{{ issuer }}\t{{ date }}印发", indent=False)
    printed.runs[0].font.size = Pt(14)
    printed.paragraph_format.left_indent = printed.paragraph_format.right_indent = Pt(14)
    printed.paragraph_format.tab_stops.add_tab_stop(Pt(TEXT_WIDTH - 28), WD_TAB_ALIGNMENT.RIGHT)
    rule(printed, "top", size=4)
    rule(printed, "bottom", size=8)
