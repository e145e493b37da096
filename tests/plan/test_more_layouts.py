"""More layouts (notices written for the tests, not taken from any notice): ``（1）`` items under ``1.``
headings, a clause without parentheses after the item's full stop, a 任务分解 table with a 完成时限 column
(in a .docx and pasted as text), an annex table after the body's list of annexes, and a city notice whose
responsible units include counties."""

from __future__ import annotations

from pathlib import Path

from duban.plan import parse

NOTICES = Path(__file__).parent / "notices"

Row = tuple[str, str, list[str], list[tuple[str, str]]]


def _rows(source: Path | bytes, filename: str | None = None) -> list[Row]:
    plan = parse(source, filename=filename)
    return [(t.no, t.text, t.leaders, [(u.name, u.role) for u in t.units]) for t in plan.tasks]


def test_sub_items_under_numbered_headings_are_the_tasks() -> None:
    rows = _rows(NOTICES / "county_sub_items.txt")
    assert rows == [
        ("1", "新增规上工业企业20家。", ["周明"], [("县工业和信息化局", "lead"), ("县财政局", "support")]),
        (
            "2",
            "实施技术改造项目30个，2025年9月底前全部完成。",
            ["周明"],
            [("县工业和信息化局", "responsible"), ("各镇街", "responsible")],
        ),
        ("1", "新建物流园区1处。", ["吴刚"], [("县商务局", "responsible"), ("县交通运输局", "responsible")]),
        ("2", "引进电商企业10家。", ["吴刚"], [("县商务局", "responsible")]),
        (
            "3",
            "推进数字经济发展，建成5G基站200个：（1）完成城区覆盖；（2）完成镇村覆盖。",
            ["周明"],
            [("县工业和信息化局", "responsible")],
        ),
        ("1", "新增城镇就业2000人。", ["郑芳"], [("县人社局", "responsible")]),
    ]


def test_numbered_headings_over_sub_items_become_sections() -> None:
    plan = parse(NOTICES / "county_sub_items.txt")
    assert [(s.key, s.number, s.title, s.parent) for s in plan.sections] == [
        ("1", "一", "推动产业升级", None),
        ("1.1", "1", "壮大先进制造业", "1"),
        ("1.2", "2", "培育现代服务业", "1"),
        ("2", "二", "保障改善民生", None),
    ]
    assert [t.section for t in plan.tasks] == ["1.1", "1.1", "1.2", "1.2", "1", "2"]
    assert plan.tasks[1].due == "2025-09-30"
    assert plan.document.issued_on == "2025-02-18"


def test_sub_items_right_under_a_heading_keep_their_numbers() -> None:
    notice = (
        "关于印发2025年示例县重点工作责任分工的通知\n\n一、发展经济\n"
        "（1）建成产业园区一个。（责任单位：县发改局）\n"
        "（2）新增市场主体500户。（责任单位：县市场监管局）\n"
    )
    rows = _rows(notice.encode(), "n.txt")
    assert [(no, text) for no, text, _, _ in rows] == [
        ("1", "建成产业园区一个。"),
        ("2", "新增市场主体500户。"),
    ]


def test_clause_without_parentheses_after_the_full_stop() -> None:
    plan = parse(NOTICES / "county_bare_clauses.txt")
    rows = [(t.no, t.text, [(u.name, u.role) for u in t.units]) for t in plan.tasks]
    assert rows == [
        (
            "1",
            "实施重点项目80个，完成投资60亿元。",
            [("县发改局", "responsible"), ("县财政局", "responsible")],
        ),
        (
            "2",
            "争取地方政府专项债券资金8亿元。",
            [("县财政局", "lead"), ("县发改局", "support"), ("县审计局", "support")],
        ),
        ("3", "新建农村公路50公里，年底前全部完工。", [("县交通运输局", "responsible")]),
        (
            "4",
            "企业开办时间压缩至1个工作日。",
            [("县行政审批服务局", "lead"), ("县市场监管局", "support"), ("县税务局", "support")],
        ),
    ]
    assert plan.document.issued_on == "2025-03-02"
    assert plan.document.issuer == "示例县人民政府"


def test_a_bare_clause_wrapped_at_a_separator_goes_on() -> None:
    notice = (
        "关于印发2025年示例县重点工作责任分工的通知\n\n一、发展经济\n"
        "1.建成产业园区一个。责任单位：县发改局、\n县财政局\n"
        "2.新增市场主体500户。责任单位：县市场监管局\n"
    )
    rows = _rows(notice.encode(), "n.txt")
    assert [(no, [u for u, _ in units]) for no, _, _, units in rows] == [
        ("1", ["县发改局", "县财政局"]),
        ("2", ["县市场监管局"]),
    ]
