"""Layouts seen in notices from other provinces (written for the tests, not taken from any notice):
``（一）`` items that carry their own clause, clauses in square brackets, conventions stated another way,
``分别牵头`` and ``▲`` marks, leader labels with a level inside, a date in Chinese numerals; and a notice in
which no task can be found still gives back what was read."""

from __future__ import annotations

from pathlib import Path

import pytest

from duban.plan import PlanError, parse

NOTICES = Path(__file__).parent / "notices"


def _rows(path: Path) -> list[tuple[str | None, str, list[str], list[tuple[str, str]]]]:
    plan = parse(path)
    return [(t.no, t.text, t.leaders, [(u.name, u.role) for u in t.units]) for t in plan.tasks]


def test_numbered_items_with_bracket_clauses_and_marks() -> None:
    rows = _rows(NOTICES / "city_bracket_clauses.txt")
    assert rows == [
        (
            "（一）",
            "扩大有效投资，完成固定资产投资500亿元。",
            ["张三"],
            [("市发展改革委（市统计局）", "lead"), ("市财政局", "support")],
        ),
        (
            "（二）",
            "加快重大项目建设。",
            ["李四"],
            [
                ("市住房城乡建设局", "support"),
                ("市交通运输局", "lead"),
                ("市自然资源局", "support"),
            ],
        ),
        (
            "（三）",
            "推进招商引资。",
            [],
            [
                ("市商务局", "lead"),
                ("市投资促进局", "lead"),
                ("市财政局", "support"),
                ("各区县人民政府", "support"),
            ],
        ),
        (
            "（一）",
            "新增城镇就业2万人。",
            ["王五"],
            [("市人力资源社会保障局", "lead"), ("市财政局", "support")],
        ),
    ]


def test_headings_without_clauses_stay_sections_and_dates_in_chinese_numerals() -> None:
    plan = parse(NOTICES / "city_bracket_clauses.txt")
    assert [(s.number, s.title) for s in plan.sections] == [("一", "稳定经济增长"), ("二", "保障改善民生")]
    assert [t.section for t in plan.tasks] == ["1", "1", "1", "2"]
    assert plan.document.issued_on == "2023-04-04"
    assert plan.document.issuer == "示例市人民政府"


@pytest.mark.parametrize(
    "label", ["牵头市领导", "牵头县领导", "责任区领导", "分管副县长", "联系市领导", "县级领导"]
)
def test_leader_labels_with_a_level_inside(label: str) -> None:
    notice = (
        "关于印发2024年示例县重点工作责任分工的通知\n\n一、发展经济\n"
        f"1.建成产业园区一个。（{label}：赵六；责任单位：县发展改革局、县财政局）\n"
    )
    plan = parse(notice.encode(), filename="n.txt")
    assert plan.tasks[0].leaders == ["赵六"]
    assert [u.name for u in plan.tasks[0].units] == ["县发展改革局", "县财政局"]


def test_conventions_worded_other_ways() -> None:
    for convention in ("排在第一位的为牵头单位", "列第一位为牵头或汇总单位"):
        notice = (
            f"关于印发2024年示例县重点工作责任分工的通知\n\n各单位：请抓好落实（{convention}）。\n\n一、发展经济\n"
            "1.建成产业园区一个。（责任单位：县发展改革局、县财政局）\n"
        )
        units = parse(notice.encode(), filename="n.txt").tasks[0].units
        assert [(u.name, u.role) for u in units] == [("县发展改革局", "lead"), ("县财政局", "support")]


def test_a_notice_without_tasks_gives_back_what_was_read() -> None:
    """A title and a numbered heading: never refused whole (issue 17), the plan comes back without tasks and
    says so; with no numbered line at all, the refusal still carries what was read."""
    notice = "关于印发2024年示例县重点工作责任分工的通知\n\n一、发展经济\n建成产业园区一个。\n\n示例县人民政府\n2024年3月1日\n"
    partial = parse(notice.encode(), filename="n.txt")
    assert partial.tasks == []
    assert partial.document.title == "关于印发2024年示例县重点工作责任分工的通知"
    assert [s.title for s in partial.sections] == ["发展经济"]
    assert "未读出任何带有责任单位的任务" in partial.warnings[0]
    prose = "关于印发2024年示例县重点工作责任分工的通知\n\n建成产业园区一个。\n"
    with pytest.raises(PlanError) as caught:
        parse(prose.encode(), filename="n.txt")
    assert caught.value.partial is not None
    assert caught.value.partial.document.title == "关于印发2024年示例县重点工作责任分工的通知"
    assert "没有找到任何带有责任单位的任务" in caught.value.message


def test_indicators_after_a_lead_in_verb_and_joined_by_a_comma() -> None:
    from duban.plan.quantities import find_indicators

    assert [(i.name, i.value, i.op) for i in find_indicators("努力实现地区生产总值增长6.2%左右")] == [
        ("地区生产总值", 6.2, "~")
    ]
    assert [(i.name, i.value) for i in find_indicators("地区生产总值、固定资产投资均增长6%")] == [
        ("地区生产总值", 6),
        ("固定资产投资", 6),
    ]


def test_web_page_breadcrumb_is_not_the_title_and_a_word_inside_the_office_name() -> None:
    page = (
        "<html><head><meta charset='utf-8'><title>示例县人民政府</title></head><body>"
        "<div>首页 &gt; 政务公开 &gt; 关于印发2024年县政府重点工作责任分工的通知</div>"
        "<h1>关于印发2024年县政府重点工作责任分工的通知</h1><p>各乡镇人民政府，县政府各部门：</p>"
        "<p>现印发给你们，请于6月30日前将进展情况报县政府政务督查室。</p><p>一、发展经济</p>"
        "<p>1.建成产业园区一个。（责任单位：县发展改革局、县财政局）</p>"
        "<p>示例县人民政府</p><p>二〇二四年三月一日</p></body></html>"
    )
    doc = parse(page.encode(), filename="n.html").document
    assert doc.title == "关于印发2024年县政府重点工作责任分工的通知"
    assert doc.supervisor == "县政府政务督查室"
    assert doc.issued_on == "2024-03-01"


def _table_notice(header: list[str], rows: list[list[str]]) -> bytes:
    from tests.plan.test_read import docx_bytes

    def build(document: object) -> None:
        document.add_paragraph("关于印发2024年示例区重点工作任务分解的通知")  # type: ignore[attr-defined]
        document.add_paragraph("各街道办事处，区政府各部门：现将任务分解印发给你们。")  # type: ignore[attr-defined]
        table = document.add_table(rows=1 + len(rows), cols=len(header))  # type: ignore[attr-defined]
        for cell, text in zip(table.rows[0].cells, header, strict=True):
            cell.text = text
        for r, values in enumerate(rows, 1):
            for cell, text in zip(table.rows[r].cells, values, strict=True):
                cell.text = text

    return docx_bytes(build)


def test_task_table_with_category_lead_responsible_and_due_columns() -> None:
    data = _table_notice(
        ["分类", "序号", "主要工作", "牵头单位", "责任单位", "完成时限"],
        [
            ["发展目标", "1", "地区生产总值增长6%左右。", "区发展改革局", "区统计局", "2024年12月底"],
            [
                "重点任务",
                "2",
                "建成智慧停车场3处。",
                "区住房城乡建设局",
                "区住房城乡建设局、区交通局",
                "2024年9月底",
            ],
        ],
    )
    plan = parse(data, filename="n.docx")
    rows = [(t.no, t.kind, t.text, [(u.name, u.role) for u in t.units], t.due) for t in plan.tasks]
    assert rows == [
        (
            "1",
            "indicator",
            "地区生产总值增长6%左右。",
            [("区发展改革局", "lead"), ("区统计局", "support")],
            "2024-12-31",
        ),
        (
            "2",
            "task",
            "建成智慧停车场3处。",
            [("区住房城乡建设局", "lead"), ("区交通局", "support")],
            "2024-09-30",
        ),
    ]


def test_a_sub_item_in_a_row_of_its_own_loses_its_number() -> None:
    data = _table_notice(
        ["序号", "工作任务", "牵头单位", "责任单位"],
        [
            ["1", "（1）改造老旧小区10个。", "区住房城乡建设局", "各街道办事处"],
            ["", "（2）新建公园2处。", "区城市管理局", "各街道办事处"],
        ],
    )
    tasks = parse(data, filename="n.docx").tasks
    assert [(t.no, t.text) for t in tasks] == [("1.1", "改造老旧小区10个。"), ("1.2", "新建公园2处。")]
