"""Whole notices in layouts the gold samples do not use (written for the tests, not taken from any county):
an office-issued notice whose plan is an annex, with sub-headings, clause lines after each item (one unit
list wrapped over two lines, a unit ending in 管委会), quarterly report dates and a second annex."""

from __future__ import annotations

from pathlib import Path

from duban.plan import parse
from tests.plan.test_read import docx_bytes

NOTICES = Path(__file__).parent / "notices"


def test_office_notice_with_annex_and_clause_lines() -> None:
    plan = parse(NOTICES / "office_annex_clause_lines.txt")
    doc = plan.document
    assert (doc.issuer, doc.doc_number, doc.issued_on, doc.year) == (
        "示例县人民政府办公室",
        "示政办字〔2024〕5号",
        "2024-03-08",
        2024,
    )
    assert doc.supervisor == "县政府督查室"
    assert doc.report_deadlines == ["2024-03-25", "2024-06-25", "2024-09-25", "2024-12-25"]
    sections = {s.key: (s.number, s.title, s.parent) for s in plan.sections}
    assert sections["1"] == (None, "2024年县政府工作报告重点任务分解方案", None)
    assert sections["1.1.2"] == ("（二）", "扩大有效投资", "1.1")
    rows = [(t.no, t.section, t.leaders, [(u.name, u.role) for u in t.units]) for t in plan.tasks[:5]]
    assert rows == [
        (
            "1",
            "1.1.1",
            ["张三"],
            [
                ("县工业和信息化局", "lead"),
                ("县发改局", "support"),
                ("县财政局", "support"),
                ("县市场监管局", "support"),
            ],
        ),
        ("2", "1.1.1", ["李四"], [("县经开区管委会", "lead"), ("县自然资源局", "support")]),
        ("1", "1.1.2", ["王五"], [("县发改局", "lead"), ("各乡镇", "support")]),
        ("2", "1.1.2", ["王五"], [("县财政局", "lead")]),
        ("3", "1.2", [], [("县人社局", "responsible")]),
    ]
    assert plan.tasks[0].text == "实施工业强县战略，新增规上工业企业15家。"
    assert all("抄送" not in t.text and "印发" not in t.text for t in plan.tasks)


def test_docx_bold_convention_and_livelihood_table_with_merges() -> None:
    def build(document: object) -> None:
        d = document  # type: ignore[assignment]
        d.add_paragraph("关于印发2025年示例区民生实事和重点工作责任分工的通知")  # type: ignore[attr-defined]
        d.add_paragraph("一、重点工作（黑体为主办单位，其他为协办单位）")  # type: ignore[attr-defined]
        p = d.add_paragraph("1.推进城区道路改造12条。（承办单位：")  # type: ignore[attr-defined]
        p.add_run("区住房城乡建设局").bold = True
        p.add_run("、区交通运输局、各街道）")
        p = d.add_paragraph("2.建设智慧停车场3处。（承办单位：区城管局、")  # type: ignore[attr-defined]
        p.add_run("区交通运输局").bold = True
        p.add_run("）")
        d.add_paragraph("二、民生实事")  # type: ignore[attr-defined]
        table = d.add_table(rows=4, cols=6)  # type: ignore[attr-defined]
        table.style = "Table Grid"
        header = ["序号", "项目名称", "项目内容及工作目标", "分管领导", "主办单位", "协办单位"]
        rows = [
            [
                "1",
                "城乡供水提升工程",
                "（1）新建水厂1座；（2）改造供水管网30公里。",
                "赵六",
                "区水务局",
                "——",
            ],
            ["2", "老年助餐工程", "新建社区老年食堂10处。", "", "区民政局", "各街道\n区财政局"],
            ["3", "校园安全工程", "改造学校食堂5所。", "钱七", "区教育局", ""],
        ]
        for cell, label in zip(table.rows[0].cells, header, strict=True):
            cell.text = label
        for r, values in enumerate(rows, start=1):
            for cell, value in zip(table.rows[r].cells, values, strict=True):
                cell.text = value
        table.cell(1, 3).merge(table.cell(2, 3))  # 分管领导 merged over rows 1–2
        d.add_paragraph("示例区人民政府")  # type: ignore[attr-defined]
        d.add_paragraph("2025年2月1日")  # type: ignore[attr-defined]

    plan = parse(docx_bytes(build), filename="notice.docx")
    by_no = {(t.section, t.no): t for t in plan.tasks}
    road = by_no[("1", "1")]
    assert [(u.name, u.role) for u in road.units] == [
        ("区住房城乡建设局", "lead"),
        ("区交通运输局", "support"),
        ("各街道", "support"),
    ]
    assert [(u.name, u.role) for u in by_no[("1", "2")].units] == [
        ("区城管局", "support"),
        ("区交通运输局", "lead"),
    ]
    water = [t for t in plan.tasks if t.section == "2" and t.no.startswith("1.")]
    assert [(t.no, t.name, t.text) for t in water] == [
        ("1.1", "城乡供水提升工程", "新建水厂1座"),
        ("1.2", "城乡供水提升工程", "改造供水管网30公里。"),
    ]
    assert all(t.kind == "livelihood" and [u.name for u in t.units] == ["区水务局"] for t in water)
    meals = by_no[("2", "2")]
    assert meals.leaders == ["赵六"]  # vertically merged 分管领导
    assert [(u.name, u.role) for u in meals.units] == [
        ("区民政局", "lead"),
        ("各街道", "support"),
        ("区财政局", "support"),
    ]
    school = by_no[("2", "3")]
    assert school.leaders == ["钱七"] and [(u.name, u.role) for u in school.units] == [("区教育局", "lead")]
    assert plan.document.issued_on == "2025-02-01"
