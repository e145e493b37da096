"""The ways of writing a notice that issue 17 found the parser missing, each on a notice written for the
purpose: roles given by verbs, ``（一）`` items whose clause is not after a full stop or is on the next line,
the first-unit convention stated inside a clause, leaders named in section headings, a whole body on one
line. Each as text, and as .docx and a web page where the layout occurs there."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from duban.plan import Plan, parse
from tests.plan.renderings import docx_lines, web_page

TITLE = "关于印发2024年县政府重点工作责任分工的通知"


def _as_text(text: str) -> Plan:
    return parse(text.encode(), filename="notice.txt")


def _as_docx(text: str) -> Plan:
    return parse(docx_lines(text.split("\n")), filename="notice.docx")


def _as_html(text: str) -> Plan:
    return parse(web_page(text), filename="notice.html")


FORMATS: dict[str, Callable[[str], Plan]] = {"text": _as_text, "docx": _as_docx, "html": _as_html}


def _units(plan: Plan) -> list[tuple[str, list[tuple[str, str]]]]:
    return [(t.no, [(u.name, u.role) for u in t.units]) for t in plan.tasks]


VERBS = f"""{TITLE}
一、产业发展
1.推进新材料产业园扩区，完成投资20亿元（县发改局牵头，县财政局、县住建局配合）。
2.新建标准化厂房10万平方米。由县工信局负责，县商务局参与。
3.培育规模以上工业企业15家，县工信局牵头、各镇街落实。
4.完成企业技改投资30亿元（县工信局负责）。
5.推进全民参与的健身活动，社会力量参与。（责任单位：县文旅局）
"""


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_roles_given_by_verbs(fmt: str) -> None:
    plan = FORMATS[fmt](VERBS)
    assert _units(plan) == [
        ("1", [("县发改局", "lead"), ("县财政局", "support"), ("县住建局", "support")]),
        ("2", [("县工信局", "lead"), ("县商务局", "support")]),
        ("3", [("县工信局", "lead"), ("各镇街", "support")]),
        ("4", [("县工信局", "responsible")]),
        ("5", [("县文旅局", "responsible")]),
    ]
    assert [t.text for t in plan.tasks[:3]] == [
        "推进新材料产业园扩区，完成投资20亿元。",
        "新建标准化厂房10万平方米。",
        "培育规模以上工业企业15家。",
    ]
    assert plan.tasks[4].text == "推进全民参与的健身活动，社会力量参与。"  # no unit, no clause


SUB_ITEMS = f"""{TITLE}
一、重点工作
（一）推进园区建设，完成投资20亿元，牵头单位：县发改局，责任单位：县财政局
（二）新建标准化厂房10万平方米
牵头单位：县工信局
配合单位：县商务局
（三）抓好项目建设
1.新开工项目30个。（责任单位：县发改局）
（四）推进城市更新
牵头领导：李明
责任单位：县住建局
（五）抓好民生实事
牵头领导：赵强
1.新建学校2所。（责任单位：县教体局）
"""


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_sub_heading_items_with_a_clause_but_no_full_stop(fmt: str) -> None:
    plan = FORMATS[fmt](SUB_ITEMS)
    assert _units(plan) == [
        ("（一）", [("县发改局", "lead"), ("县财政局", "support")]),
        ("（二）", [("县工信局", "lead"), ("县商务局", "support")]),
        ("1", [("县发改局", "responsible")]),
        ("（四）", [("县住建局", "responsible")]),
        ("1", [("县教体局", "responsible")]),
    ]
    assert plan.tasks[0].text == "推进园区建设，完成投资20亿元"
    assert [s.title for s in plan.sections] == ["重点工作", "抓好项目建设", "抓好民生实事"]
    assert [t.leaders for t in plan.tasks[-2:]] == [["李明"], ["赵强"]]  # a leader line under a heading


CONVENTIONS = f"""{TITLE}
一、重点工作
1.推进园区建设。（责任单位：县发改局（首位单位为牵头单位，下同）、县财政局）
2.新建标准化厂房。（责任单位：县工信局、县商务局）
"""
CONVENTIONS_2 = CONVENTIONS.replace("首位单位为牵头单位，下同", "列第一位者为工作牵头单位或汇总单位，下同")


@pytest.mark.parametrize("notice", [CONVENTIONS, CONVENTIONS_2])
def test_first_unit_convention_inside_a_clause(notice: str) -> None:
    plan = _as_text(notice)
    assert _units(plan) == [
        ("1", [("县发改局", "lead"), ("县财政局", "support")]),
        ("2", [("县工信局", "lead"), ("县商务局", "support")]),
    ]


LEADERS = f"""{TITLE}
一、王丹县长牵头重点工作
1.推进园区建设。（牵头单位：县发改局）
2.新建标准化厂房。（牵头领导：李明；责任单位：县工信局）
二、城市建设（牵头领导：赵强）
1.改造老旧小区。（责任单位：县住建局）
三、副县长孙伟负责的工作
1.完成企业技改。（责任单位：县工信局）
四、社会事业
1.新增就业5000人。（责任单位：县人社局）
"""


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_leaders_named_in_section_headings(fmt: str) -> None:
    plan = FORMATS[fmt](LEADERS)
    assert [(t.section, t.no, t.leaders) for t in plan.tasks] == [
        ("1", "1", ["王丹"]),
        ("1", "2", ["李明"]),  # the item's own leader wins
        ("2", "1", ["赵强"]),
        ("3", "1", ["孙伟"]),
        ("4", "1", []),
    ]
    assert [s.title for s in plan.sections][1] == "城市建设"


ONE_LINE = (
    f"{TITLE}\n"
    "一、产业发展 1.推进园区建设，完成投资20.5亿元。（牵头单位：县发改局） 2.新建厂房10万平方米。（责任单位：县工信局）"
    " 二、城市建设 1.改造老旧小区32个，完成2.5万户。（责任单位：县住建局）2.新建道路8公里。（责任单位：县交通局）\n"
)


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_a_whole_body_on_one_line(fmt: str) -> None:
    plan = FORMATS[fmt](ONE_LINE)
    assert [s.title for s in plan.sections] == ["产业发展", "城市建设"]
    assert [(t.section, t.no, t.text, t.units[0].name) for t in plan.tasks] == [
        ("1", "1", "推进园区建设，完成投资20.5亿元。", "县发改局"),
        ("1", "2", "新建厂房10万平方米。", "县工信局"),
        ("2", "1", "改造老旧小区32个，完成2.5万户。", "县住建局"),
        ("2", "2", "新建道路8公里。", "县交通局"),
    ]


def test_a_paragraph_with_numbers_is_not_cut() -> None:
    """Numbers that do not run in sequence (a decimal, a count) never cut a line."""
    text = (
        f"{TITLE}\n一、主要目标\n地区生产总值增长6.5%，一般公共预算收入增长5%，引进项目3个。新建学校2所。\n"
    )
    plan = _as_text(text)
    assert plan.tasks == [] and "引进项目3个。新建学校2所" in plan.text


BODY = "一、重点工作\n1.推进园区建设。（牵头单位：县发改局）\n"


def test_a_labelled_name_row_gives_the_title_not_the_issuer() -> None:
    """``名 称：`` as a web page's header row: its label never becomes part of the issuer or the title."""
    text = "名 称：金乡县人民政府关于印发2024年重点工作责任分工的通知\n发布机构：金乡县人民政府\n" + BODY
    info = _as_text(text).document
    assert info.title == "关于印发2024年重点工作责任分工的通知"
    assert info.issuer == "金乡县人民政府"


def test_pipes_of_a_pasted_table_are_not_left_in_the_title() -> None:
    text = "| 名称 | 鱼台县人民政府关于印发2024年重点工作责任分工的通知 |\n" + BODY
    info = _as_text(text).document
    assert info.title == "关于印发2024年重点工作责任分工的通知" and info.issuer == "鱼台县人民政府"


def test_a_pipe_table_is_read_as_a_table() -> None:
    text = (
        f"{TITLE}\n| 序号 | 主要工作 | 责任单位 |\n|---|---|---|\n| 1 | 新建学校2所 | 县教体局 |\n"
        "| 2 | 改造老旧小区32个 | 县住建局、县财政局 |\n"
    )
    assert _units(_as_text(text)) == [
        ("1", [("县教体局", "responsible")]),
        ("2", [("县住建局", "responsible"), ("县财政局", "responsible")]),
    ]


def test_the_list_of_annexes_is_not_the_title() -> None:
    text = (
        "附件：1.2024年县政府工作报告重点任务分解表\n2.2024年民生实事项目清单\n2024年县政府重点工作责任分工\n"
        + BODY
    )
    assert _as_text(text).document.title == "2024年县政府重点工作责任分工"


def test_other_labels_for_lead_support_and_responsible_units() -> None:
    text = (
        f"{TITLE}\n一、重点工作\n"
        "1.推进园区建设。（主责部门：县发改局；协同单位：县财政局）\n"
        "2.新建学校2所。（实施单位：县教体局）\n"
        "3.改造老旧小区。（牵头责任单位：县住建局；配合责任单位：县财政局）\n"
    )
    assert _units(_as_text(text)) == [
        ("1", [("县发改局", "lead"), ("县财政局", "support")]),
        ("2", [("县教体局", "responsible")]),
        ("3", [("县住建局", "lead"), ("县财政局", "support")]),
    ]


def test_a_verb_clause_closes_its_item() -> None:
    """After ``（县发改局牵头…）`` a line whose number was lost is a task of its own, not more of the text."""
    text = f"{TITLE}\n一、重点工作\n1.推进园区建设（县发改局牵头，县财政局配合）。\n新建标准化厂房（县工信局负责）。\n"
    plan = _as_text(text)
    assert [(t.no, t.text, t.units[0].name) for t in plan.tasks] == [
        ("1", "推进园区建设。", "县发改局"),
        ("2", "新建标准化厂房。", "县工信局"),
    ]
