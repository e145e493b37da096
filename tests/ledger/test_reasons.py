"""The reason shown for a colour names the rule of ``ledger.md`` that decided it, with its figures, and always
agrees with the colour itself."""

from __future__ import annotations

from datetime import date

import pytest

from duban.ledger.rules.reasons import explain
from duban.ledger.rules.status import ReportFact, TaskFacts, colour_on
from tests.ledger.test_status_rules import DUE, Q, approved, facts

NAMES = {1: "第一季度", 2: "第二季度", 3: "第三季度", 4: "第四季度"}
JULY = date(2021, 7, 15)

CASES: dict[str, tuple[TaskFacts, date, str, list[str]]] = {
    "worked example, no report": (facts(), JULY, "红", ["未报送", "序时进度 43.2", "30"]),
    "worked example, late Q2 approved": (facts(approved(2, 50, JULY)), JULY, "蓝", ["进度 50", "第二季度"]),
    "two periods missing": (facts(approved(1, 100 * 0.3, date(2021, 3, 30))), date(2021, 10, 5), "红", []),
    "on schedule after Q2": (
        facts(approved(1, 30, date(2021, 3, 30)), approved(2, 50, date(2021, 6, 29))),
        date(2021, 7, 20),
        "蓝",
        [],
    ),
    "behind by more than 10": (facts(approved(2, 30, date(2021, 6, 29))), JULY, "黄", ["落后超过 10"]),
    "past due": (
        facts(approved(2, 90, date(2021, 6, 29)), due=date(2021, 7, 1)),
        JULY,
        "红",
        ["完成时限 2021-07-01"],
    ),
    "completed": (facts(approved(2, 100, date(2021, 6, 29), completed=True)), JULY, "已完成", ["第二季度"]),
}


def test_never_reported_is_not_zero_progress() -> None:
    assert "进度 0" not in explain(facts(), JULY, period_names=NAMES)
    assert "尚无通过的报告" in explain(facts(), date(2021, 3, 1), period_names=NAMES)
    assert "进度 0" in explain(facts(approved(1, 0, date(2021, 3, 30))), date(2021, 4, 2), period_names=NAMES)


@pytest.mark.parametrize("case", list(CASES))
def test_reason_names_the_deciding_rule(case: str) -> None:
    task, on, prefix, parts = CASES[case]
    reason = explain(task, on, period_names=NAMES)
    colour = colour_on(task, on)[0]
    assert reason.startswith(prefix + "："), reason
    assert {"done": "已完成", "blue": "蓝", "yellow": "黄", "red": "红"}[colour] == prefix
    for part in parts:
        assert part in reason, reason


def test_missing_periods_are_named() -> None:
    missing_q2 = facts(approved(1, 40, date(2021, 3, 30)))
    assert "第二季度" in explain(missing_q2, JULY, period_names=NAMES) and "未报送" in explain(
        missing_q2, JULY, period_names=NAMES
    )
    none = TaskFacts(1, date(2021, 2, 10), DUE, Q, (ReportFact(1),))
    assert "第一季度、" not in explain(none, date(2021, 5, 1), period_names=NAMES)
