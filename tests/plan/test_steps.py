"""Each parser step on its own: normalise, structure, clauses/units, quantities, document facts."""

from __future__ import annotations

import pytest

from duban.plan import clauses, quantities
from duban.plan.normalise import Line, normalise_lines, normalise_text, squeeze
from duban.plan.pipeline import skeleton_of
from duban.plan.source import Para, Run

# normalise -------------------------------------------------------------------------------------------------


def test_normalise_maps_width_punctuation_and_spaces() -> None:
    line = normalise_text("１２．５％ (责任单位:县财政局; 县审计局)  **5,000**元 8:30\u3000")
    assert line.text == "12.5% （责任单位：县财政局； 县审计局） 5,000元 8:30"


def test_normalise_keeps_bold_aligned_and_drops_page_numbers() -> None:
    para = Para([Run("（承办单位："), Run("县财政局", bold=True), Run("、县审计局）")])
    lines = normalise_lines([para, Para.plain("— 3 —"), Para.plain("－12－"), Para.plain("第2页 共9页")])
    assert len(lines) == 1
    bold = "".join(ch for ch, b in zip(lines[0].text, lines[0].bold, strict=True) if b)
    assert bold == "县财政局"


def test_squeeze_keeps_only_latin_spaces() -> None:
    assert squeeze("新建厂房 10 万平方米 G 105 国道") == "新建厂房10万平方米G 105国道"


# clauses and units -----------------------------------------------------------------------------------------


def test_split_clauses_takes_the_closing_responsibility_clause() -> None:
    body, found = clauses.split_clauses(
        Line("建设产业园（一期）。（牵头单位：县发改局；责任单位：县财政局）")
    )
    assert body.text == "建设产业园（一期）。"
    assert [f.text for f in found] == ["牵头单位：县发改局；责任单位：县财政局"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("县财政局、县审计局等", ["县财政局", "县审计局"]),
        ("县大气（水）污染防治指挥部，各镇街等相关单位", ["县大气（水）污染防治指挥部", "各镇街"]),
        ("——", []),
    ],
)
def test_split_units(text: str, expected: list[str]) -> None:
    assert [name for name, _ in clauses.split_units(Line(text))] == expected


def test_split_leaders_removes_inner_spaces() -> None:
    assert clauses.split_leaders("张  雷、李四") == ["张雷", "李四"]


def _roles(clause: str, **ctx: object) -> list[tuple[str, str]]:
    parts, convention = clauses.parse_clause_parts([Line(clause)])
    context = clauses.RoleContext(
        cooperating_scheme=bool(ctx.get("scheme", False)),
        convention=ctx.get("convention", convention),  # type: ignore[arg-type]
        bold_survived=bool(ctx.get("bold", False)),
    )
    return clauses.assign_roles(parts, context)


def test_roles_by_keyword_and_scheme() -> None:
    assert _roles("牵头单位：甲局；责任单位：乙局") == [("甲局", "lead"), ("乙局", "support")]
    assert _roles("责任单位：甲局、乙局") == [("甲局", "responsible"), ("乙局", "responsible")]
    assert _roles("承办单位：甲局", scheme=True) == [("甲局", "lead")]
    assert _roles("承办单位：甲局；配合单位：乙局") == [("甲局", "responsible"), ("乙局", "support")]
    assert _roles("责任单位：甲局、乙局", convention="first") == [("甲局", "lead"), ("乙局", "support")]


def test_convention_sentence_is_not_a_unit() -> None:
    parts, convention = clauses.parse_clause_parts(
        [Line("承办单位：甲局、乙局，黑体为主办单位，其他为协办单位，下同")]
    )
    assert convention == "bold"
    assert [name for _, units in parts.lists for name, _ in units] == ["甲局", "乙局"]


# quantities ------------------------------------------------------------------------------------------------


def test_targets_units_ops_and_exclusions() -> None:
    text = "新建11 万平方米厂房，培训2万余名，改造5-8处，力争“百亿”和“10个”，G105改造，PM2.5下降，2023年8月完成，增长6%以上，控制在3亿元以内"
    found = [(q.value, q.unit, q.op) for q in quantities.find_targets(text)]
    assert found == [
        (11, "万平方米", None),
        (2, "万名", None),
        (8, "处", None),
        (6, "%", ">="),
        (3, "亿元", "<="),
    ]


def test_indicators_with_fenbie() -> None:
    found = quantities.find_indicators("城乡居民人均可支配收入分别增长6%、6.5%左右。")
    assert [(i.name, i.value, i.op) for i in found] == [
        ("城镇居民人均可支配收入", 6, "~"),
        ("农村居民人均可支配收入", 6.5, "~"),
    ]


@pytest.mark.parametrize(
    ("text", "due"),
    [
        ("2023年8月全面完成", "2023-08-31"),
        ("到2021年底建成", "2021-12-31"),
        ("6月底前完成一期，10月底前完成二期", "2021-10-31"),
        ("年内完成", None),
    ],
)
def test_due_dates(text: str, due: str | None) -> None:
    assert quantities.find_due(text, 2021) == due


def test_chinese_numerals_and_dates() -> None:
    assert quantities.cn_to_int("二〇二四") == 2024 and quantities.cn_to_int("十二") == 12
    assert quantities.parse_full_date("二〇二四年三月八日") == "2024-03-08"


# structure -------------------------------------------------------------------------------------------------


def test_structure_headings_items_annex_list_and_trailer() -> None:
    lines = [
        "关于印发示例的通知",
        "附件：1.任务分解表",
        "2.联系表",
        "一、产业",
        "（一）工业",
        "1. 建设园区。（责任单位：甲局）",
        "2、修路。",
        "责任单位：乙局",
        "抄送：县委办。",
    ]
    sk = skeleton_of([Para.plain(t) for t in lines])
    assert [(s.key, s.number, s.title, s.parent) for s in sk.sections] == [
        ("1", "一", "产业", None),
        ("1.1", "（一）", "工业", "1"),
    ]
    assert [(i.no, i.section, i.body.text) for i in sk.items] == [
        ("1", "1.1", "建设园区。（责任单位：甲局）"),
        ("2", "1.1", "修路。"),
    ]
    assert [c.text for c in sk.items[1].clause_lines] == ["责任单位：乙局"]
