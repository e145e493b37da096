"""Tables pasted as text (one cell per line, tab first) give exactly the tasks the same tables give in a .docx."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from duban.plan import parse
from tests.conftest import GOLD_NOTICES
from tests.plan import renderings
from tests.plan.scoring import score


@pytest.mark.parametrize("blank_between_cells", [False, True], ids=["rows-apart", "cells-apart"])
@pytest.mark.parametrize("notice", GOLD_NOTICES, ids=lambda p: p.name[:3])
def test_pasted_tables_score_as_docx_tables(notice: Path, blank_between_cells: bool, tmp_path: Path) -> None:
    gold_file = notice.with_suffix(".plan.json")
    gold = json.loads(gold_file.read_text(encoding="utf-8"))
    text = notice.read_text(encoding="utf-8")
    docx_plan = parse(renderings.docx_tables(text, gold), filename="n.docx")
    pasted_plan = parse(renderings.pasted_tables(text, gold, blank_between_cells), filename="n.txt")
    assert [(t.no, t.text, t.units) for t in pasted_plan.tasks] == [
        (t.no, t.text, t.units) for t in docx_plan.tasks
    ]
    (tmp_path / "a").mkdir()
    assert score(gold_file, pasted_plan, tmp_path / "a")["tasks_f1"] >= 0.99


def test_pasted_livelihood_table_with_continued_cells_and_none() -> None:
    notice = "\n".join(
        [
            "关于印发2024年示例县民生实事项目的通知",
            "",
            "\t序号",
            "\t项目名称",
            "\t项目内容及工作目标",
            "\t分管领导",
            "\t主办单位",
            "\t协办单位",
            "",
            "\t1",
            "\t老旧小区改造",
            "\t（1）改造老旧小区10个；",
            "（2）加装电梯20部。",
            "\t张三",
            "\t县住房城乡建设局",
            "\t——",
            "",
            "\t2",
            "\t公园建设",
            "\t新建口袋公园3处。",
            "\t",
            "\t",
            "\t县城市管理局",
            "",
            "示例县人民政府",
            "2024年3月1日",
        ]
    )
    plan = parse(notice.encode(), filename="n.txt")
    rows = [
        (t.no, t.kind, t.name, t.text, t.leaders, [(u.name, u.role) for u in t.units]) for t in plan.tasks
    ]
    assert rows == [
        ("1.1", "livelihood", "老旧小区改造", "改造老旧小区10个", ["张三"], [("县住房城乡建设局", "lead")]),
        ("1.2", "livelihood", "老旧小区改造", "加装电梯20部。", ["张三"], [("县住房城乡建设局", "lead")]),
        (
            "2",
            "livelihood",
            "公园建设",
            "新建口袋公园3处。",
            ["张三"],
            [("县住房城乡建设局", "lead"), ("县城市管理局", "support")],
        ),
    ]
