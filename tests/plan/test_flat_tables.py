"""Tables copied from a web page, one cell per line (issue 17): the same tasks as the page's real ``<table>``,
as a .docx table, and as the copy pasted into a text file or into Word.

The notice is written for the purpose: a 类别 cell merged over several rows (written once in the copy), an empty cell
(absent from the copy), a leader cell merged over two rows, a unit cell holding one unit a line, a row split into sub-rows 3.1 / 3.2, a
heading row across the table, and text after the table that is not part of it.
"""

from __future__ import annotations

from typing import Any

import pytest

from duban.plan import Plan, parse
from tests.plan.renderings import (
    TableRow,
    docx_lines,
    docx_table,
    flattened_lines,
    tab_rows,
    table_page,
    web_page,
)

BEFORE = [
    "东平县人民政府办公室",
    "关于印发2024年县政府工作报告重点任务分工的通知",
    "各镇人民政府、街道办事处，县政府各部门：",
    "现将《2024年县政府工作报告重点任务分工》印发给你们，请认真抓好落实。",
    "2024年县政府工作报告重点任务分工",
]
HEADER = ["类别", "序号", "主要工作", "牵头领导", "责任单位", "完成时限"]
ROWS: list[TableRow] = [
    "一、稳定经济增长",
    ["主要目标", "1", "地区生产总值增长5.5%左右", "王丹", "县发展改革局", "2024年12月底前"],
    [None, "2", "一般公共预算收入增长5%", None, "县财政局\n县税务局", "2024年12月底前"],
    ["项目建设", "3", "推进重点项目建设，全年实施省市重点项目45个", "李明", "", ""],
    [None, "3.1", "实施交通项目20个，完成投资30亿元", None, "县交通运输局", "2024年10月底前"],
    [None, "3.2", "新建改造农村公路120公里", None, "县交通运输局\n各镇街", "2024年11月底前"],
    "二、增进民生福祉",
    ["民生实事", "4", "新增城镇就业5000人以上", "张华", "县人力资源社会保障局", "2024年12月底前"],
    [None, "5", "改造老旧小区32个，惠及居民4800户", None, "县住房城乡建设局、县财政局", "2024年9月底前"],
]
AFTER = [
    "各责任单位于每季度末月25日前将进展情况报县政府督查室。",
    "东平县人民政府办公室",
    "2024年2月20日",
]


def _tasks(plan: Plan) -> list[tuple[Any, ...]]:
    return [
        (t.no, t.text, tuple(t.leaders), tuple((u.name, u.role) for u in t.units), t.due) for t in plan.tasks
    ]


EXPECTED = [
    ("1", "地区生产总值增长5.5%左右", ("王丹",), (("县发展改革局", "responsible"),), "2024-12-31"),
    (
        "2",
        "一般公共预算收入增长5%",
        ("王丹",),
        (("县财政局", "responsible"), ("县税务局", "responsible")),
        "2024-12-31",
    ),
    # row 3 heads its sub-rows: a task of its leader's, as every table path reads such a row
    ("3", "推进重点项目建设，全年实施省市重点项目45个", ("李明",), (), "2024-12-31"),
    ("3.1", "实施交通项目20个，完成投资30亿元", ("李明",), (("县交通运输局", "responsible"),), "2024-10-31"),
    (
        "3.2",
        "新建改造农村公路120公里",
        ("李明",),
        (("县交通运输局", "responsible"), ("各镇街", "responsible")),
        "2024-11-30",
    ),
    ("4", "新增城镇就业5000人以上", ("张华",), (("县人力资源社会保障局", "responsible"),), "2024-12-31"),
    (
        "5",
        "改造老旧小区32个，惠及居民4800户",
        ("张华",),
        (("县住房城乡建设局", "responsible"), ("县财政局", "responsible")),
        "2024-09-30",
    ),
]


def _text(lines: list[str]) -> bytes:
    return "\n".join(lines).encode("utf-8")


RENDERINGS = {
    "html_table": lambda: (table_page(BEFORE, HEADER, ROWS, AFTER), "notice.html"),
    "docx_table": lambda: (docx_table(BEFORE, HEADER, ROWS, AFTER), "notice.docx"),
    "flat_text_blank_lines": lambda: (_text(flattened_lines(BEFORE, HEADER, ROWS, AFTER)), "notice.txt"),
    "flat_text_no_blank_lines": lambda: (
        _text(flattened_lines(BEFORE, HEADER, ROWS, AFTER, blank=False)),
        "notice.txt",
    ),
    "flat_docx": lambda: (
        docx_lines(flattened_lines(BEFORE, HEADER, ROWS, AFTER, blank=False)),
        "notice.docx",
    ),
}


@pytest.mark.parametrize("rendering", sorted(RENDERINGS))
def test_every_rendering_gives_the_same_tasks(rendering: str) -> None:
    data, name = RENDERINGS[rendering]()
    plan = parse(data, filename=name)
    assert _tasks(plan) == EXPECTED
    titles = [s.title for s in plan.sections]
    assert titles[-2:] == ["一、稳定经济增长", "二、增进民生福祉"]  # the heading rows
    assert plan.document.title == "关于印发2024年县政府工作报告重点任务分工的通知"
    assert plan.document.supervisor == "县政府督查室"


def test_the_copy_keeps_the_category_carried_down() -> None:
    """民生实事 written once over rows 4 and 5 makes both livelihood tasks; the rows above stay tasks."""
    plan = parse(_text(flattened_lines(BEFORE, HEADER, ROWS, AFTER)), filename="notice.txt")
    kinds = {t.no: t.kind for t in plan.tasks}
    assert kinds["4"] == kinds["5"] == "livelihood"
    assert kinds["3.1"] == "task"


def test_a_plain_three_column_copy_is_read() -> None:
    """序号 / 主要工作 / 责任单位, every cell on its own line, blank lines between, nothing merged."""
    lines = [
        "关于印发2024年区政府重点工作任务分工的通知",
        "序号",
        "主要工作",
        "责任单位",
        "1",
        "地区生产总值增长5.5%左右",
        "区发展改革委",
        "2",
        "城镇居民人均可支配收入增长6%",
        "区人力资源社会保障局",
        "区统计局",
        "3",
        "完成固定资产投资120亿元",
        "区发展改革委",
    ]
    plan = parse(_text([p for line in lines for p in (line, "")]), filename="notice.txt")
    assert [(t.no, [u.name for u in t.units]) for t in plan.tasks] == [
        ("1", ["区发展改革委"]),
        ("2", ["区人力资源社会保障局", "区统计局"]),
        ("3", ["区发展改革委"]),
    ]


def test_lines_that_only_look_like_labels_are_not_a_table() -> None:
    """A heading ``三、重点工作`` and prose mentioning 序号 are never taken for a header."""
    text = "\n".join(
        [
            "关于印发2024年重点工作责任分工的通知",
            "三、重点工作",
            "1.按序号逐项推进园区建设。（牵头单位：县发改局）",
            "2.完成老旧小区改造。（责任单位：县住建局）",
        ]
    )
    plan = parse(text.encode(), filename="notice.txt")
    assert [t.units[0].name for t in plan.tasks] == ["县发改局", "县住建局"]


# A 民生实事 table: numbering restarts under each 类别, a 项目名称 column, a leader with his post, lead and
# supporting units in columns of their own, a supporting cell left empty.
LIVELIHOOD_HEADER = ["类别", "序号", "项目名称", "建设内容及目标", "责任领导", "牵头单位", "配合单位"]
LIVELIHOOD_ROWS: list[TableRow] = [
    [
        "教育",
        "1",
        "中小学建设工程",
        "新建中小学2所，新增学位3600个",
        "刘洋（副县长）",
        "县教体局",
        "县财政局\n县自然资源局",
    ],
    [None, "2", "学前教育提升工程", "新建改扩建幼儿园5所", None, "县教体局", ""],
    ["医疗", "1", "县医院新院区", "完成县医院新院区主体工程", "陈静（副县长）", "县卫健局", "县发展改革局"],
    [None, "2", "基层卫生院改造", "改造提升乡镇卫生院8处", None, "县卫健局", "各镇街"],
]
LIVELIHOOD_BEFORE = ["关于印发2024年县级民生实事项目的通知", "2024年县级民生实事项目"]
LIVELIHOOD_EXPECTED = [
    ("1", "中小学建设工程", ("刘洋（副县长）",), ("县教体局", "县财政局", "县自然资源局")),
    ("2", "学前教育提升工程", ("刘洋（副县长）",), ("县教体局",)),
    ("1", "县医院新院区", ("陈静（副县长）",), ("县卫健局", "县发展改革局")),
    ("2", "基层卫生院改造", ("陈静（副县长）",), ("县卫健局", "各镇街")),
]


@pytest.mark.parametrize("rendering", ["html_table", "flat_text", "flat_html", "tab_rows"])
def test_a_livelihood_table_with_numbering_restarting_under_each_category(rendering: str) -> None:
    args = (LIVELIHOOD_BEFORE, LIVELIHOOD_HEADER, LIVELIHOOD_ROWS, [])
    if rendering == "html_table":
        data, name = table_page(*args), "notice.html"
    elif rendering == "tab_rows":
        data, name = tab_rows(*args), "notice.txt"
    elif rendering == "flat_text":
        data, name = _text(flattened_lines(*args)), "notice.txt"
    else:  # the copy pasted into a page editor: one <p> a cell
        data, name = web_page("\n".join(flattened_lines(*args, blank=False))), "notice.html"
    plan = parse(data, filename=name)
    got = [(t.no, t.name, tuple(t.leaders), tuple(u.name for u in t.units)) for t in plan.tasks]
    assert got == LIVELIHOOD_EXPECTED
    assert {t.kind for t in plan.tasks} == {"livelihood"}
    assert [u.role for u in plan.tasks[0].units] == ["lead", "support", "support"]


@pytest.mark.parametrize("rendering", ["html_table", "flat_text"])
def test_a_convention_stated_in_a_header_cell(rendering: str) -> None:
    header = ["序号", "重点任务", "责任单位（列第一位的为牵头单位）"]
    rows: list[TableRow] = [["1", "新建学校2所", "县教体局\n县财政局"], ["2", "改造老旧小区32个", "县住建局"]]
    args = (["关于印发2024年重点任务分工的通知"], header, rows, [])
    if rendering == "html_table":
        plan = parse(table_page(*args), filename="notice.html")
    else:
        plan = parse(_text(flattened_lines(*args)), filename="notice.txt")
    assert [[(u.name, u.role) for u in t.units] for t in plan.tasks] == [
        [("县教体局", "lead"), ("县财政局", "support")],
        [("县住建局", "lead")],
    ]


def test_a_row_number_lost_in_the_copy_does_not_end_the_table() -> None:
    lines = ["关于印发2024年重点任务分工的通知", "序号", "主要工作", "责任单位"]
    for no, work, unit in [
        ("1", "新建学校2所", "县教体局"),
        ("2", "新建道路8公里", "县交通局"),
        ("4", "新增就业5000人", "县人社局"),
    ]:
        lines += [no, work, unit]
    plan = parse(_text(lines), filename="notice.txt")
    assert [(t.no, t.units[0].name) for t in plan.tasks] == [
        ("1", "县教体局"),
        ("2", "县交通局"),
        ("4", "县人社局"),
    ]


def test_a_word_table_pasted_as_text_keeps_its_merged_cells() -> None:
    """Cells one a line after a tab (Word's copy): a merged 责任单位 comes out as a bare tab, a merged 类别
    leaves the row a cell short; both stand for the cell above."""
    rows = [
        ["\t类别", "\t序号", "\t主要工作", "\t责任单位", "\t完成时限"],
        ["\t教育", "\t1", "\t新建学校2所", "\t县教体局", "\t2024年12月底前"],
        ["\t", "\t2", "\t改造教室30间", "\t", "\t2024年9月底前"],
        ["\t3", "\t新增学位3600个", "\t县教体局、县财政局", "\t2024年8月底前"],
    ]
    text = "关于印发2024年重点任务分工的通知\n" + "\n\n".join("\n".join(row) for row in rows) + "\n"
    plan = parse(text.encode(), filename="notice.txt")
    assert [(t.no, [u.name for u in t.units], t.due) for t in plan.tasks] == [
        ("1", ["县教体局"], "2024-12-31"),
        ("2", ["县教体局"], "2024-09-30"),
        ("3", ["县教体局", "县财政局"], "2024-08-31"),
    ]


def test_cells_as_lines_of_one_paragraph() -> None:
    """A page that holds the copied table in one paragraph, a cell a ``<br>`` line."""
    lines = flattened_lines(["关于印发2024年县政府工作报告重点任务分工的通知"], HEADER, ROWS, [], blank=False)
    page = "<html><body><p>" + "<br>".join(lines) + "</p></body></html>"
    plan = parse(page.encode(), filename="notice.html")
    assert _tasks(plan) == EXPECTED
