"""The bulletin as python-docx reads it back: page, grid, fonts, page-number fields, title, content."""

from __future__ import annotations

import io
from datetime import date

import docx
from docx.oxml.ns import nsmap, qn
from docx.shared import Mm, Pt

from duban.outputs.bulletin_content import bulletin_title
from duban.outputs.bulletin_docx import PPR_ORDER
from tests.web.conftest import World, bearer


def _document(world: World, query: str = "") -> docx.document.Document:
    url = f"/api/periods/{world.period_id}/bulletin.docx{query}"
    got = world.client.get(url, headers=bearer(world, "admin"))
    assert got.status_code == 200, got.text
    return docx.Document(io.BytesIO(got.content))


def test_layout_after_gbt_9704(world: World) -> None:
    document = _document(world)
    section = document.sections[0]
    assert abs(section.page_width - Mm(210)) < Mm(0.1) and abs(section.page_height - Mm(297)) < Mm(0.1)
    assert abs(section.page_width - section.left_margin - section.right_margin - Mm(156)) < Mm(0.1)
    assert abs(section.page_height - section.top_margin - section.bottom_margin - Mm(225)) < Mm(0.1)
    grid = section._sectPr.find(qn("w:docGrid"))
    assert grid.get(qn("w:type")) == "lines"  # 28 characters a line come from the condensed Normal style
    assert 22 * int(grid.get(qn("w:linePitch"))) <= Mm(225).twips < 23 * int(grid.get(qn("w:linePitch")))
    normal = document.styles["Normal"].paragraph_format
    assert normal.space_before == 0 and normal.space_after == 0
    assert document.settings.odd_and_even_pages_header_footer
    for footer, align in ((section.footer, "RIGHT"), (section.even_page_footer, "LEFT")):
        paragraph = footer.paragraphs[0]
        assert paragraph.alignment.name == align
        assert (
            "PAGE" in paragraph._p.xml and paragraph.text.startswith("— ") and paragraph.text.endswith(" —")
        )
        assert all(r.font.size == Pt(14) for r in paragraph.runs)
    title = document.paragraphs[0]
    assert title.runs[0].font.name == "方正小标宋简体" and title.runs[0].font.size == Pt(22)
    body = next(p for p in document.paragraphs if p.text.startswith("按照"))
    assert body.runs[0].font.size == Pt(16)
    assert body.runs[0]._element.rPr.rFonts.get(qn("w:eastAsia")) == "仿宋_GB2312"
    heading = next(p for p in document.paragraphs if p.text == "一、总体情况")
    assert heading.runs[0].font.name == "黑体"
    fonts = next(p for p in document.part.package.iter_parts() if p.partname.endswith("fontTable.xml")).blob
    assert "仿宋_GB2312" in fonts.decode() and '<w:altName w:val="仿宋"/>' in fonts.decode()
    assert document.core_properties.author != "python-docx" and "督查" in document.core_properties.author


def test_content_names_why_and_units(world: World) -> None:
    texts = [p.text for p in _document(world, "?on=2021-07-15").paragraphs]
    assert texts[0] == "关于2021年示例县重点工作第二季度推进情况的通报"
    assert any("《2021年示例县重点工作责任分工》" in t for t in texts)
    assert any("未报送" in t and "第1项" in t for t in texts)
    assert any(t.startswith("未按时报送的单位：") for t in texts)
    assert any("9月30日前报送下期" in t for t in texts)
    signature = [p for p in _document(world).paragraphs if p.text.endswith("日")][-1]
    assert signature.paragraph_format.keep_together


def test_titles_never_keep_yinfa_or_the_year_twice() -> None:
    class P:
        year = 2021
        title = "关于印发2021年县政府重要工作事项责任分工的通知"

    class Q:
        name = "2021年第二季度"
        due = date(2021, 6, 30)

    assert bulletin_title(P(), Q()) == "关于2021年县政府重要工作事项第二季度推进情况的通报"  # type: ignore[arg-type]
    P.title = "关于2021年政府工作报告重点工作任务分工方案的通知"
    assert bulletin_title(P(), Q()) == "关于2021年政府工作报告重点工作第二季度推进情况的通报"  # type: ignore[arg-type]


def _borders(paragraph: object) -> dict[str, str]:
    found = paragraph._element.find(f"{qn('w:pPr')}/{qn('w:pBdr')}")  # type: ignore[attr-defined]
    return {} if found is None else {child.tag.split("}")[1]: child.get(qn("w:color")) for child in found}


def test_masthead_and_record_block(world: World) -> None:
    plain = _document(world)
    assert "督查通报" not in [p.text for p in plain.paragraphs][:2]
    record = [p for p in plain.paragraphs if p.text.endswith("印发")]
    assert len(record) == 1 and {"top", "bottom"} <= set(_borders(record[0]))

    headed = _document(world, "?masthead=true&copy_to=县委办公室、县人大办公室")
    texts = [p.text for p in headed.paragraphs]
    assert texts[0] == "督查通报" and texts[1].startswith("第") and texts[1].endswith("期")
    assert headed.paragraphs[0].runs[0].font.color.rgb == docx.shared.RGBColor(0xFF, 0, 0)
    assert _borders(headed.paragraphs[2]).get("bottom") == "FF0000"  # the red rule under the byline
    assert "抄送：县委办公室、县人大办公室。" in texts
    shown = [t for t in texts if t]  # the last paragraph is the empty anchor of the 版记's frames
    assert shown[-1].endswith("印发") and shown.index("抄送：县委办公室、县人大办公室。") == len(shown) - 2
    frames = [p._p.find(f"{qn('w:pPr')}/{qn('w:framePr')}") for p in headed.paragraphs[-3:-1]]
    assert [f.get(qn("w:vAnchor")) for f in frames] == ["margin", "margin"]
    assert frames[1].get(qn("w:yAlign")) == "bottom"  # the 印发 line on the 版心's last line


def test_paragraph_properties_in_schema_order(world: World) -> None:
    """Word refuses a file whose w:pPr children are out of ECMA-376's order (LibreOffice forgives it)."""
    document = _document(world, "?masthead=true&copy_to=县委办公室")
    rank = {f"{{{nsmap['w']}}}{name}": i for i, name in enumerate(PPR_ORDER)}
    for p_pr in document.element.body.iter(qn("w:pPr")):
        order = [rank[child.tag] for child in p_pr if child.tag in rank]
        assert order == sorted(order), [child.tag.split("}")[1] for child in p_pr]
