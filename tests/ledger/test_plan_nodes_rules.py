"""Issue 21's rules as a table (pure, no database): 序时进度 from an approved 实施方案 (nodes ahead, behind,
passed undone, a plan replaced by a newer approved one), and the ranking with overdue rectifications."""

from __future__ import annotations

from datetime import date

import pytest

from duban.ledger.rules import reasons
from duban.ledger.rules.status import (
    NodeFact,
    PeriodFact,
    RectificationFact,
    ReportFact,
    Rules,
    TargetSpec,
    TaskFacts,
    UnitTally,
    WorkPlanFact,
    colour_on,
    node_levels,
    overdue_by_unit,
    plan_schedule,
    rank_units,
    task_status,
)

Y = 2021
START, DUE = date(Y, 2, 10), date(Y, 12, 31)
YEAR_START = date(Y, 1, 1)
Q = [
    PeriodFact(1, date(Y, 3, 31)),
    PeriodFact(2, date(Y, 6, 30)),
    PeriodFact(3, date(Y, 9, 30)),
    PeriodFact(4, DUE),
]
JULY = date(Y, 7, 15)

FOUR = (
    NodeFact(date(Y, 3, 31), "完成选址", 20),
    NodeFact(date(Y, 6, 30), "主体开工", 60),
    NodeFact(date(Y, 9, 30), "主体完工", 80),
    NodeFact(date(Y, 12, 31), "竣工验收", 100),
)


def plan(*nodes: NodeFact, approved_on: date = date(Y, 3, 1), plan_id: int = 1) -> WorkPlanFact:
    return WorkPlanFact(approved_on, nodes or FOUR, plan_id)


def facts(
    *reports: ReportFact, plans: tuple[WorkPlanFact, ...] = (), targets: tuple[TargetSpec, ...] = ()
) -> TaskFacts:
    return TaskFacts(1, START, DUE, Q, reports, targets, plans)


def approved(period: int, progress: float, on: date) -> ReportFact:
    return ReportFact(period_id=period, progress=progress, submitted_on=on, approved_on=on)


Q1 = approved(1, 20, date(Y, 3, 31))


def q2(progress: float) -> ReportFact:
    return approved(2, progress, date(Y, 6, 30))


NEWER = plan(
    NodeFact(date(Y, 6, 30), "调整后：完成设计", 40),
    NodeFact(DUE, "竣工", 100),
    approved_on=date(Y, 7, 10),
    plan_id=2,
)
DONE_Q2 = (FOUR[0], NodeFact(date(Y, 6, 30), "主体开工", 60, done_on=date(Y, 7, 1)), *FOUR[2:])

CASES = {
    # name: (facts, day, colour, schedule)
    "no plan: the straight line (43.2), p 55 is blue": (facts(Q1, q2(55)), JULY, "blue", 43.2),
    "plan ahead: p 70 against 60 at the checkpoint → blue": (
        facts(Q1, q2(70), plans=(plan(),)),
        JULY,
        "blue",
        60.0,
    ),
    "plan behind by more than 10: p 45 < 60 − 10 → yellow": (
        facts(Q1, q2(45), plans=(plan(),)),
        JULY,
        "yellow",
        60.0,
    ),
    "plan behind by more than 30: p 25 < 60 − 30 → red": (
        facts(Q1, q2(25), plans=(plan(),)),
        JULY,
        "red",
        60.0,
    ),
    "node passed undone: p 55 within 10 of 60, 主体开工 not done → yellow": (
        facts(Q1, q2(55), plans=(plan(),)),
        JULY,
        "yellow",
        60.0,
    ),
    "the same node reported done → blue": (facts(Q1, q2(55), plans=(plan(*DONE_Q2),)), JULY, "blue", 60.0),
    "node done only after the day asked still counts against it": (
        facts(Q1, q2(55), plans=(plan(*DONE_Q2),)),
        date(Y, 6, 30),
        "yellow",
        60.0,
    ),
    "a newer approved plan replaces the older: 40 at 6-30, p 55 → blue": (
        facts(Q1, q2(55), plans=(plan(), NEWER)),
        JULY,
        "blue",
        40.0,
    ),
    "before the newer plan is approved the older one judges": (
        facts(Q1, q2(55), plans=(plan(), NEWER)),
        date(Y, 7, 5),
        "yellow",
        60.0,
    ),
    "a plan approved after the day is not in force": (
        facts(Q1, q2(55), plans=(plan(approved_on=date(Y, 8, 1)),)),
        JULY,
        "blue",
        43.2,
    ),
    "completed stays done whatever the plan": (
        facts(
            ReportFact(
                2, progress=100, completed=True, submitted_on=date(Y, 6, 30), approved_on=date(Y, 6, 30)
            ),
            plans=(plan(),),
        ),
        JULY,
        "done",
        60.0,
    ),
}


@pytest.mark.parametrize("name", list(CASES))
def test_milestone_schedule_and_colour(name: str) -> None:
    task, day, colour, schedule = CASES[name]
    status = task_status(task, day)
    assert (status.colour, status.schedule) == (colour, schedule), name


def test_the_node_passed_rule_needs_the_checkpoint_not_the_calendar() -> None:
    """On 6-29 the checkpoint is still 3-31 (s = 20): 主体开工 due 6-30 has not passed at the checkpoint."""
    task = facts(Q1, plans=(plan(),))
    colour, _, s = colour_on(task, date(Y, 6, 29))
    assert (colour, s) == ("blue", 20.0)


def test_plan_progress_is_linear_between_nodes_and_zero_at_the_year_start() -> None:
    nodes = plan(NodeFact(date(Y, 5, 31), "a", 40), NodeFact(date(Y, 8, 31), "b", 70))
    assert plan_schedule(nodes, YEAR_START, YEAR_START) == 0.0
    assert plan_schedule(nodes, YEAR_START, date(Y, 6, 30)) == pytest.approx(40 + 30 * 30 / 92)
    assert plan_schedule(nodes, YEAR_START, date(Y, 3, 16)) == pytest.approx(40 * 74 / 150)
    assert plan_schedule(nodes, YEAR_START, date(Y, 12, 31)) == 70.0  # after the last node: its level


def test_levels_from_target_values_or_even_shares_and_never_falling() -> None:
    even = node_levels([NodeFact(date(Y, m, 28), str(m)) for m in (3, 6, 9, 12)])
    assert [level for _, level in even] == [25.0, 50.0, 75.0, 100.0]
    by_value = node_levels(
        [NodeFact(date(Y, 6, 30), "a", value=50), NodeFact(DUE, "b", value=200)], [TargetSpec(200)]
    )
    assert [level for _, level in by_value] == [25.0, 100.0]
    mixed = node_levels([NodeFact(date(Y, 3, 31), "a", 50), NodeFact(date(Y, 6, 30), "b")])
    assert [level for _, level in mixed] == [50.0, 100.0]
    assert [
        level
        for _, level in node_levels([NodeFact(date(Y, 3, 31), "a", 60), NodeFact(date(Y, 6, 30), "b", 30)])
    ] == [60.0, 60.0]


def test_the_reason_says_what_the_plan_asked_for() -> None:
    behind = reasons.explain(facts(Q1, q2(45), plans=(plan(),)), JULY)
    assert behind.startswith("黄：") and "按实施方案，截至检查点（6月30日）应完成 60%" in behind
    node = reasons.explain(facts(Q1, q2(55), plans=(plan(),)), JULY)
    assert "实施方案节点“主体开工”（6月30日）已到期，尚未报告完成" in node
    plain = reasons.explain(facts(Q1, q2(55)), JULY)
    assert "实施方案" not in plain and "序时进度 43.2" in plain


def test_overdue_rectifications_on_a_day() -> None:
    items = [
        RectificationFact(1, date(Y, 6, 30), date(Y, 6, 1)),  # open past its deadline on 7-15
        RectificationFact(1, date(Y, 6, 30), date(Y, 6, 1), closed_on=date(Y, 7, 1)),  # 销号 before the day
        RectificationFact(1, date(Y, 6, 30), date(Y, 6, 1), closed_on=date(Y, 7, 20)),  # closed only later
        RectificationFact(2, date(Y, 7, 15), date(Y, 6, 1)),  # due on the day: not yet overdue
        RectificationFact(2, date(Y, 6, 30), date(Y, 8, 1)),  # opened after the day
    ]
    assert overdue_by_unit(items, JULY) == {1: 2}
    assert overdue_by_unit(items, date(Y, 7, 16)) == {1: 2, 2: 1}


def test_ranking_with_overdue_rectifications_and_the_floor_at_zero() -> None:
    units = [
        UnitTally(1, "甲局", ["blue"], 0, 0),
        UnitTally(2, "乙局", ["blue"], 0, 0, overdue=2),
        UnitTally(3, "丙局", ["yellow"], 1, 0, overdue=1),
        UnitTally(4, "丁局", ["red"], 0, 0, overdue=3),
        UnitTally(5, "戊局", [], 0, 0, overdue=4),
    ]
    rows = {r.unit_id: r for r in rank_units(units)}
    assert rows[1].score == 100 and rows[1].rank == 1
    assert rows[2].score == 90 and rows[2].overdue_rectifications == 2 and rows[2].rank == 2
    assert rows[3].score == 60 - 5 - 5 and rows[3].rank == 3
    assert rows[4].score == 0  # max(0, 0 − 15)
    assert 5 not in rows  # no tasks, no rank, whatever its rectifications
    weighted = {r.unit_id: r.score for r in rank_units(units, Rules(rectification_penalty=20))}
    assert weighted[2] == 60 and weighted[3] == 35
    without = {r.unit_id: r.score for r in rank_units([UnitTally(2, "乙局", ["blue"], 0, 0)])}
    assert without[2] == 100
