"""A notice with a title and numbered lines is never refused whole (issue 17): what was read comes back, with
a warning naming each part that was not, and the text as read for the office to finish by hand. What is
clearly not a notice is still refused."""

from __future__ import annotations

import json

import jsonschema
import pytest

from duban.plan import PlanError, parse
from tests.conftest import SHARED, WORK_REPORT

SCHEMA = json.loads((SHARED / "spec" / "plan.schema.json").read_text(encoding="utf-8"))

TITLE = "关于印发2024年县政府重点工作责任分工的通知"

# Section 二 names its units in a layout the parser does not know (a dash line under each item).
MIXED = f"""{TITLE}
一、产业发展
1.推进新材料产业园扩区，完成投资20亿元。（牵头单位：县发改局；责任单位：县财政局）
2.新建标准化厂房10万平方米。（责任单位：县工信局）
二、城市建设
1.改造老旧小区32个。
——县住建局
2.新建城市道路8公里。
——县交通局
3.新建公园2处。
——县城管局
"""


def test_the_known_sections_are_read_and_the_unknown_one_is_named() -> None:
    plan = parse(MIXED.encode(), filename="notice.txt")
    assert [(t.section, t.no) for t in plan.tasks] == [("1", "1"), ("1", "2")]
    assert len(plan.warnings) == 1
    assert "二、城市建设" in plan.warnings[0] and "1、2、3" in plan.warnings[0]
    assert "新建城市道路8公里" in plan.text  # the text to show beside the tasks


def test_no_task_read_still_returns_the_notice() -> None:
    text = f"{TITLE}\n一、城市建设\n1.改造老旧小区32个。\n——县住建局\n2.新建城市道路8公里。\n——县交通局\n"
    plan = parse(text.encode(), filename="notice.txt")
    assert plan.tasks == [] and plan.document.title == TITLE
    assert [s.title for s in plan.sections] == ["城市建设"]
    assert plan.warnings[0].startswith("未读出任何带有责任单位的任务")
    assert "改造老旧小区32个" in plan.text


@pytest.mark.parametrize("notice", [MIXED, f"{TITLE}\n一、城市建设\n1.改造老旧小区32个。\n"])
def test_the_plan_stays_valid_duban_plan_1(notice: str) -> None:
    """Warnings and text are not part of the contract: the JSON is the documented object, nothing more,
    valid against the schema even with no task."""
    document = json.loads(parse(notice.encode(), filename="notice.txt").to_json())
    assert set(document) == {"schema", "document", "indicators", "sections", "tasks"}
    jsonschema.validate(document, SCHEMA)


def test_a_notice_fully_read_has_no_warnings() -> None:
    text = f"{TITLE}\n一、产业发展\n1.推进园区建设。（牵头单位：县发改局）\n"
    assert parse(text.encode(), filename="notice.txt").warnings == []


@pytest.mark.parametrize(
    "data",
    [
        "序号,指标,数值\n1,100,200\n2,300,400\n".encode(),  # a spreadsheet of numbers
        "各位代表：\n现在，我代表县人民政府向大会报告工作。\n".encode(),  # prose, no title, no numbers
    ],
)
def test_what_is_clearly_not_a_notice_is_refused(data: bytes) -> None:
    with pytest.raises(PlanError, match="不是责任分工通知"):
        parse(data, filename="x.txt")


def test_the_work_report_is_still_refused() -> None:
    assert WORK_REPORT is not None
    with pytest.raises(PlanError, match="不是责任分工通知"):
        parse(WORK_REPORT)
