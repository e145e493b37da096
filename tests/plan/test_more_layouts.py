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


def _docx_from_pasted(text: str) -> bytes:
    """The same notice as a .docx: plain lines become paragraphs, each run of tab cells (rows set apart by
    blank lines) one table."""
    import docx

    from tests.plan.test_read import docx_bytes

    blocks: list[str | list[list[str]]] = []
    for line in text.splitlines():
        if line.startswith("\t"):
            if not blocks or not isinstance(blocks[-1], list):
                blocks.append([[]])
            table = blocks[-1]
            assert isinstance(table, list)
            table[-1].append(line[1:])
        elif not line.strip():
            if blocks and isinstance(blocks[-1], list) and blocks[-1][-1]:
                blocks[-1].append([])
        else:
            blocks.append(line)

    def build(document: docx.document.Document) -> None:
        for block in blocks:
            if isinstance(block, str):
                document.add_paragraph(block)
                continue
            rows = [row for row in block if row]
            table = document.add_table(rows=len(rows), cols=len(rows[0]))
            for r, values in enumerate(rows):
                for cell, value in zip(table.rows[r].cells, values, strict=True):
                    cell.text = value

    return docx_bytes(build)


TASK_TABLE_ROWS = [
    (
        "1",
        "建成县城污水处理厂扩容工程，新增日处理能力2万吨。",
        [("县住房城乡建设局", "lead"), ("县生态环境分局", "support"), ("县财政局", "support")],
        "2026-06-30",
    ),
    ("2", "完成高标准农田建设3万亩。", [("县农业农村局", "lead"), ("各镇人民政府", "support")], "2026-06-30"),
    ("3", "新建城市书房5处。", [("县文化和旅游局", "lead"), ("县教育局", "support")], "2026-12-31"),
    (
        "4",
        "常态化开展安全生产大排查。",
        [("县应急管理局", "lead"), ("县政府各部门", "support"), ("各镇人民政府", "support")],
        None,
    ),
]


def _table_rows(source: Path | bytes, filename: str | None = None) -> list[tuple[object, ...]]:
    plan = parse(source, filename=filename)
    return [(t.no, t.text, [(u.name, u.role) for u in t.units], t.due) for t in plan.tasks]


def test_task_table_with_due_column_pasted_as_text() -> None:
    assert _table_rows(NOTICES / "county_task_table_pasted.txt") == TASK_TABLE_ROWS


def test_task_table_with_due_column_in_a_docx() -> None:
    text = (NOTICES / "county_task_table_pasted.txt").read_text(encoding="utf-8")
    assert _table_rows(_docx_from_pasted(text), "n.docx") == TASK_TABLE_ROWS


def test_due_cells_name_a_date_or_none() -> None:
    from duban.plan.quantities import due_from_cell

    cells = ["2026年6月底前", "6月30日前", "年底前", "长期坚持", "二季度末", "上半年", "年内", "2027年底"]
    assert [due_from_cell(c, 2026) for c in cells] == [
        "2026-06-30",
        "2026-06-30",
        "2026-12-31",
        None,
        "2026-06-30",
        "2026-06-30",
        None,
        "2027-12-31",
    ]


ANNEX_TASKS = [
    (
        "3",
        "1",
        "新增城市绿地面积10万平方米。",
        [("县城市管理局", "lead"), ("县自然资源局", "support")],
        "2025-10-31",
    ),
    (
        "3",
        "2",
        "改造农村危房200户。",
        [("县住房城乡建设局", "lead"), ("各乡镇人民政府", "support")],
        "2025-09-30",
    ),
]


def test_tasks_come_from_the_annex_table_not_the_list_of_annexes() -> None:
    text = (NOTICES / "county_annex_table_pasted.txt").read_text(encoding="utf-8")
    for source, filename in ((text.encode(), "n.txt"), (_docx_from_pasted(text), "n.docx")):
        plan = parse(source, filename=filename)
        rows = [(t.section, t.no, t.text, [(u.name, u.role) for u in t.units], t.due) for t in plan.tasks]
        assert rows == ANNEX_TASKS, filename
        assert [(s.key, s.title) for s in plan.sections] == [
            ("1", "加强组织领导"),
            ("2", "严格督导考核"),
            ("3", "2025年示例县城乡建设重点任务分解表"),
            ("4", "2025年示例县城乡建设联络员名单"),
        ]
        doc = plan.document
        assert (doc.doc_number, doc.issued_on, doc.supervisor) == (
            "示政办发〔2025〕12号",
            "2025-03-12",
            "县政府督查室",
        )
        assert doc.report_deadlines == ["2025-06-25", "2025-12-25"]


def test_city_notice_reads_counties_as_units() -> None:
    plan = parse(NOTICES / "city_county_units.txt")
    rows = [(t.no, t.leaders, [(u.name, u.role) for u in t.units]) for t in plan.tasks]
    assert rows == [
        ("1", ["孙立"], [("市工业和信息化局", "lead"), ("各县（市、区）人民政府", "support")]),
        (
            "2",
            [],
            [
                ("东河县政府", "responsible"),
                ("西山县人民政府", "responsible"),
                ("市住房城乡建设局", "responsible"),
            ],
        ),
        ("3", [], [("市文化和旅游局", "lead"), ("南湖区政府", "support"), ("北岭市人民政府", "support")]),
        (
            "4",
            [],
            [
                ("市应急管理局", "lead"),
                ("市发展改革委", "support"),
                ("市财政局", "support"),
                ("各县（市、区）人民政府", "support"),
            ],
        ),
        (
            "5",
            ["钱进"],
            [
                ("市人力资源社会保障局", "responsible"),
                ("各县市区政府", "responsible"),
                ("示例高新区管委会", "responsible"),
            ],
        ),
    ]
    assert plan.tasks[2].text == "建成南湖区、北岭市（县级）全域旅游示范区。"
    doc = plan.document
    assert (doc.issuer, doc.issued_on, doc.supervisor) == ("示例市人民政府", "2025-01-20", "市政府督查室")


def test_an_issuer_line_after_a_clause_is_the_signature_when_it_is_the_printed_issuer() -> None:
    notice = (
        "示例县人民政府\n关于印发2025年示例县重点工作责任分工的通知\n\n一、发展经济\n"
        "1.建成产业园区一个。\n责任单位：县发改局\n示例县人民政府\n2025年3月1日\n"
    )
    plan = parse(notice.encode(), filename="n.txt")
    assert [u.name for u in plan.tasks[0].units] == ["县发改局"]
    assert plan.document.issued_on == "2025-03-01"


def test_sub_items_without_clauses_stay_notice_text() -> None:
    notice = (
        "关于印发2025年示例县重点工作责任分工的通知\n\n一、发展经济\n"
        "1.建成产业园区一个。（责任单位：县发改局）\n二、工作要求\n"
        "（1）加强组织领导。\n（2）请于6月30日前将进展情况报县政府督查室。\n"
    )
    plan = parse(notice.encode(), filename="n.txt")
    assert [t.text for t in plan.tasks] == ["建成产业园区一个。"]
    assert (plan.document.report_deadlines, plan.document.supervisor) == (["2025-06-30"], "县政府督查室")


def test_text_layouts_read_alike_from_a_docx() -> None:
    for name in ("county_sub_items", "county_bare_clauses", "city_county_units"):
        text = (NOTICES / f"{name}.txt").read_text(encoding="utf-8")
        from_text = parse(text.encode(), filename="n.txt")
        from_docx = parse(_docx_from_pasted(text), filename="n.docx")
        assert from_docx.tasks == from_text.tasks, name
        assert from_docx.sections == from_text.sections, name


def test_a_list_of_annexes_under_a_bare_annex_label() -> None:
    text = (NOTICES / "county_annex_table_pasted.txt").read_text(encoding="utf-8")
    text = text.replace("附件：1.", "附件：\n1.")
    plan = parse(text.encode(), filename="n.txt")
    rows = [(t.section, t.no, t.text, [(u.name, u.role) for u in t.units], t.due) for t in plan.tasks]
    assert rows == ANNEX_TASKS
    assert [s.title for s in plan.sections][2:] == [
        "2025年示例县城乡建设重点任务分解表",
        "2025年示例县城乡建设联络员名单",
    ]
