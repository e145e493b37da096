"""The bulletin as python-docx reads it back: page, grid, fonts, page-number fields, title, content."""

from __future__ import annotations

import io
from datetime import date

import docx
import pytest
from docx.oxml.ns import nsmap, qn
from docx.shared import Mm, Pt

from duban.ledger.rules.status import RankingRow, Rules, TaskStatus
from duban.ledger.store.models import Period, Plan, Task
from duban.ledger.views import figures as fig
from duban.ledger.views.ledger_rows import LedgerRow
from duban.outputs.bulletin_content import (
    bulletin_content,
    bulletin_title,
    quote,
    text_width,
    title_lines,
    title_parts,
)
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
    assert texts[0] == "关于2021年示例县重点工作\n第二季度推进情况的通报"  # broken between words
    assert any("《2021年示例县重点工作责任分工》" in t for t in texts)
    assert any("未报送" in t and "第1项" in t for t in texts)
    assert any(t.startswith("本期未报送进展的任务") for t in texts)
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


def test_layout_rules_of_issue_22(world: World) -> None:
    """A blank line under the red rule, the title broken between words, headings kept with what follows,
    the 附件 line between the body and the signature, each 附件 on its own page, table headers repeated."""
    document = _document(world, "?on=2021-07-15&masthead=true")
    paragraphs = document.paragraphs
    texts = [p.text for p in paragraphs]
    assert _borders(paragraphs[2]).get("bottom") == "FF0000"
    assert texts[3] == texts[4] == "" and texts[5].startswith("关于")
    assert paragraphs[5]._p.findall(f".//{qn('w:br')}") and paragraphs[5].paragraph_format.keep_with_next
    headings = [
        p
        for p in paragraphs
        if p.text[:2] in ("一、", "二、", "三、", "四、", "五、") or p.text.startswith("（")
    ]
    assert len(headings) >= 6 and all(p.paragraph_format.keep_with_next for p in headings)
    note = texts.index("附件：1.2021年第二季度红色、黄色任务清单")
    assert texts[note + 1] == "2.2021年第二季度各单位得分排名"
    assert texts[note - 1] == "" and texts[note - 2].startswith("各责任单位要对照任务分工")
    issuer = texts.index("", note + 2) + 1
    assert texts[issuer].endswith("督查室") and texts[issuer + 1] == "2021年7月15日"
    first = texts.index("附件1")
    assert first > issuer and texts.index("附件2") > first
    assert 'w:type="page"' in paragraphs[first - 1]._p.xml or 'w:type="page"' in paragraphs[first]._p.xml
    assert len(document.tables) == 2
    for table in document.tables:
        assert table.rows[0]._tr.find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") is not None
    ranking = document.tables[1]
    assert [c.text for c in ranking.rows[0].cells][:2] == ["名次", "单位"] and ranking.rows[1].cells[
        0
    ].text == "1"


def test_paragraph_properties_in_schema_order(world: World) -> None:
    """Word refuses a file whose w:pPr children are out of ECMA-376's order (LibreOffice forgives it)."""
    document = _document(world, "?masthead=true&copy_to=县委办公室")
    rank = {f"{{{nsmap['w']}}}{name}": i for i, name in enumerate(PPR_ORDER)}
    for p_pr in document.element.body.iter(qn("w:pPr")):
        order = [rank[child.tag] for child in p_pr if child.tag in rank]
        assert order == sorted(order), [child.tag.split("}")[1] for child in p_pr]


# --- the bulletin's content, from figures made in memory: each rule of issue 22 on its own ---

DATED = date(2026, 12, 6)
ON = date(2026, 12, 6)


def _figures(
    tasks: list[tuple[str, str, bool, bool, bool, bool]], ranking: list[RankingRow]
) -> tuple[fig.PlanFigures, list[LedgerRow]]:
    """Figures of 2026年第三季度 taken on 2026-12-06 for ``tasks`` given as (name, colour, reported, missing,
    late, assessed), all reported by unit 1, with ``ranking``."""
    plan = Plan(
        id=1, title="关于印发2026年金乡县政府重要工作事项责任分工的通知", year=2026, issuer="金乡县人民政府"
    )
    periods = [
        Period(id=2, plan_id=1, name="2026年第二季度", due=date(2026, 6, 30)),
        Period(id=3, plan_id=1, name="2026年第三季度", due=date(2026, 9, 30)),
        Period(id=4, plan_id=1, name="2026年第四季度", due=date(2026, 12, 31)),
    ]
    figures: list[fig.TaskFigure] = []
    rows: list[LedgerRow] = []
    for index, (name, colour, reported, missing, late, assessed) in enumerate(tasks, start=1):
        task = Task(
            id=index, plan_id=1, no=str(index), name=None, text=name, reporting_unit_id=1, assessed=assessed
        )
        progress = 40.0 if reported else 0.0
        st = TaskStatus(
            index, colour, "same", progress, 75.0, (3,) if missing else (), colour == "done", reported
        )  # type: ignore[arg-type]
        figure = fig.TaskFigure(task, st, "", missing, late, None, assessed, None)
        figures.append(figure)
        rows.append(
            LedgerRow(
                no=str(index), section=f"一、第{index % 2 + 1}部分", kind="task", name=None, text=name,
                leaders=[], lead_units=["县财政局"], other_units=["县交通运输局"], reporting_unit="县财政局",
                due=date(2026, 12, 31), status=st, latest_problems="资金到位慢" if reported else "",
                task_id=index, reporting_unit_id=1, figure=figure,
            )
        )  # fmt: skip
    basis = fig.Basis(3, "2026年第三季度", date(2026, 9, 30), ON, ON, False)
    previous = fig.Previous(
        2, "2026年第二季度", "issued", "第2期通报（2026年第二季度 · 截至2026年7月10日）", {}, {}, 2
    )
    planned = fig.PlanFigures(plan, periods, basis, figures, ranking, previous, {1: "县财政局"}, {}, Rules())
    return planned, rows


def _ranked(count: int) -> list[RankingRow]:
    return [RankingRow(u, f"单位{u}号", 100.0 - u, u, "same", 2, 0, 0) for u in range(1, count + 1)]


def test_achievements_name_the_top_of_the_ranking_and_the_completed_tasks() -> None:
    figures, rows = _figures([("建成新材料产业园", "done", True, False, False, True)], _ranked(35)[::-1])
    text = bulletin_content(figures, rows, "县政府督查室", DATED).achievements
    assert all(f"单位{u}号" in text for u in range(1, 6)), text
    assert "单位30号" not in text and "单位6号" not in text
    assert "已完成任务1项" in text and "建成新材料产业园" in text


def test_red_tasks_with_why_in_the_body_yellow_counted_and_everything_in_the_attachments() -> None:
    figures, rows = _figures(
        [
            ("红色任务甲", "red", False, True, False, True),
            ("黄色任务乙", "yellow", True, False, True, True),
            ("红色任务丙", "red", True, False, False, True),
            ("蓝色任务丁", "blue", True, False, False, True),
        ],
        _ranked(3),
    )
    content = bulletin_content(figures, rows, "县政府督查室", DATED)
    body = " ".join(s.summary for s in content.problems)
    assert (
        "红色任务甲" in body
        and "本期未报送" in body
        and "红色任务丙" in body
        and "落后序时进度35个百分点" in body
    )
    assert "黄色任务乙" not in body and "黄色（进度滞后）1项" in body
    assert "进度0%" not in body  # never reported is 未报送, not progress 0 %
    listed = {t.task: t for t in content.task_list}
    assert (
        set(listed) == {"红色任务甲", "黄色任务乙", "红色任务丙"}
        and listed["黄色任务乙"].problems == "资金到位慢"
    )
    assert [a.title for a in content.attachments] == [
        "2026年第三季度红色、黄色任务清单",
        "2026年第三季度各单位得分排名",
    ]
    assert (
        content.attachments_line == "附件：1.2026年第三季度红色、黄色任务清单\n2.2026年第三季度各单位得分排名"
    )
    assert "本期未报送进展的任务1项，涉及单位：县财政局" in content.late_units
    assert "逾期报送的任务1项，涉及单位：县财政局" in content.late_units


def test_basis_and_reference_of_the_arrows_are_stated_and_the_date_is_the_issue_date() -> None:
    figures, rows = _figures([("任务甲", "blue", True, False, False, True)], _ranked(1))
    content = bulletin_content(figures, rows, "县政府督查室", date(2026, 12, 8))
    assert "2026年第三季度 · 截至2026年12月6日" in content.opening
    assert "“较上期”指与第2期通报（2026年第二季度 · 截至2026年7月10日）比较" in content.opening
    assert content.date == "2026年12月8日"


def test_tasks_not_assessed_are_left_out_and_counted_in_one_sentence() -> None:
    figures, rows = _figures(
        [("考核任务", "red", True, False, False, True), ("不考核任务", "red", False, True, False, False)],
        _ranked(1),
    )
    content = bulletin_content(figures, rows, "县政府督查室", DATED)
    assert "纳入考核的1项任务" in content.overview and "严重滞后（红色）1项" in content.overview
    assert content.excluded.startswith("另有1项任务") and "不考核" in content.excluded
    assert [t.task for t in content.task_list] == ["考核任务"]
    assert "不考核任务" not in " ".join(s.summary for s in content.problems)


def test_quotes_inside_quotes_become_single() -> None:
    figures, rows = _figures(
        [("打造“一排底线”，推进“三债统管”", "red", True, False, False, True)], _ranked(1)
    )
    content = bulletin_content(figures, rows, "县政府督查室", DATED)
    body = " ".join(s.summary for s in content.problems)
    assert "“打造‘一排底线’，推进‘三债统管’”" in body
    assert quote("聚焦“头号工程”") == "“聚焦‘头号工程’”"
    assert [t.task for t in content.task_list] == ["打造“一排底线”，推进“三债统管”"]  # not quoted there: kept


def test_a_title_too_long_for_its_pieces_still_fits_its_lines() -> None:
    """A subject with no place to break is cut where it must; one with many places is filled line by line."""
    plain = Plan(title="关于印发2026年" + "重点项目建设推进" * 4 + "的通知", year=2026)
    got = title_lines(title_parts(plain, Period(name="2026年第三季度", due=date(2026, 9, 30))))
    assert all(text_width(line) <= 20 for line in got) and "".join(got).endswith("第三季度推进情况的通报")
    listed = Plan(title="关于印发2026年" + "、".join(["招商"] * 30) + "的通知", year=2026)
    got = title_lines(title_parts(listed, Period(name="2026年第三季度", due=date(2026, 9, 30))))
    assert all(text_width(line) <= 20 for line in got) and any(line.startswith("第三季度") for line in got)


@pytest.mark.parametrize(
    ("title", "period", "lines"),
    [
        (
            "关于印发2026年金乡县政府重要工作事项责任分工的通知",
            "2026年第三季度",
            ["关于2026年金乡县政府重要工作事项", "第三季度推进情况的通报"],
        ),
        (
            "关于印发2021年示例县重点工作责任分工的通知",
            "2021年第二季度",
            ["关于2021年示例县重点工作", "第二季度推进情况的通报"],
        ),
        ("关于印发2021年重点工作的通知", "2021年第二季度", ["关于2021年重点工作第二季度推进情况的通报"]),
        (
            "关于印发2026年县政府工作报告确定的重点任务和民生实事项目责任分工的通知",
            "2026年第三季度",
            ["关于2026年县政府工作报告确定的重点任务和", "民生实事项目第三季度推进情况的通报"],
        ),
    ],
)
def test_a_long_title_breaks_between_words(title: str, period: str, lines: list[str]) -> None:
    plan = Plan(title=title, year=int(period[:4]))
    got = title_lines(title_parts(plan, Period(name=period, due=date(2026, 9, 30))))
    assert got == lines
    assert all(text_width(line) <= 20 for line in got)
