"""The rules of ``shared/spec/ledger.md`` as a table: colours, arrows, late and missing, numeric targets,
completion, superseding, ranking ties. Pure functions: no database."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from duban.ledger.rules.status import (
    PeriodFact,
    ReportFact,
    TargetSpec,
    TaskFacts,
    UnitTally,
    colour_on,
    competition_ranks,
    is_late,
    is_missing,
    rank_units,
    report_progress,
    schedule,
    task_status,
    up_to,
)

Y = 2021
START, DUE = date(Y, 2, 10), date(Y, 12, 31)
Q = [
    PeriodFact(1, date(Y, 3, 31)),
    PeriodFact(2, date(Y, 6, 30)),
    PeriodFact(3, date(Y, 9, 30)),
    PeriodFact(4, date(Y, 12, 31)),
]


def facts(*reports: ReportFact, targets: tuple[TargetSpec, ...] = (), due: date = DUE) -> TaskFacts:
    return TaskFacts(task_id=1, start=START, due=due, periods=Q, reports=reports, targets=targets)


def approved(period: int, progress: float, on: date, **extra: object) -> ReportFact:
    return ReportFact(period_id=period, progress=progress, submitted_on=on, approved_on=on, **extra)  # type: ignore[arg-type]


def test_schedule_worked_example() -> None:
    """序时进度 is taken at the checkpoint: on 2021-07-15 the latest period due is Q2 (06-30): 140 / 324."""
    assert round(schedule(START, DUE, date(Y, 6, 30)), 1) == 43.2
    assert task_status(facts(), date(Y, 7, 15)).schedule == 43.2
    assert task_status(facts(), date(Y, 9, 29)).schedule == 43.2  # no drift between deadlines
    assert task_status(facts(), date(Y, 9, 30)).schedule == round(
        232 / 324 * 100, 1
    )  # Q3 due: next checkpoint
    assert task_status(facts(), date(Y, 3, 1)).schedule == 0.0  # nothing due yet: the start


JULY = date(Y, 7, 15)
CASES = {
    # name: (facts, day, colour, arrow)
    "no report: red (p < s - 30), Q1 final was yellow": (facts(), JULY, "red", "down"),
    "worked example: late Q2 approved 50 → blue, up": (
        facts(approved(2, 50, JULY)),
        JULY,
        "blue",
        "up",
    ),
    "yellow: p < s - 10, down from blue in Q1's final figures": (
        facts(approved(1, 10, date(Y, 3, 30)), approved(2, 30, date(Y, 6, 29))),
        JULY,
        "yellow",
        "down",
    ),
    "blue on schedule": (
        facts(approved(1, 20, date(Y, 3, 30)), approved(2, 45, date(Y, 6, 29))),
        JULY,
        "blue",
        "same",
    ),
    "yellow: latest period missing though progress fine": (
        facts(approved(1, 60, date(Y, 3, 30))),
        JULY,
        "yellow",
        "down",
    ),
    "red: two latest periods missing": (
        facts(approved(1, 80, date(Y, 3, 20))),
        date(Y, 10, 5),
        "red",
        "down",
    ),
    "red: past its own due date and not completed": (
        facts(approved(1, 95, date(Y, 3, 30)), approved(2, 99, date(Y, 6, 29)), due=date(Y, 6, 30)),
        JULY,
        "red",
        "down",
    ),
    "done: completed beats everything": (
        facts(approved(2, 100, date(Y, 6, 29), completed=True), due=date(Y, 6, 30)),
        date(Y, 10, 5),
        "done",
        "same",
    ),
    "nothing due yet: blue and same": (facts(), date(Y, 2, 20), "blue", "same"),
}


@pytest.mark.parametrize("case", list(CASES))
def test_colour_and_arrow(case: str) -> None:
    """The arrow compares with the colour in the previous period's final figures: Q(n-1)'s facts taken on
    the day before Q(n) fell due (the figures module does this from the database; here by hand)."""
    task, day, colour, arrow = CASES[case]
    past = [p for p in Q if p.due < day]
    before = None
    if past and Q.index(past[-1]) > 0:
        previous = Q[Q.index(past[-1]) - 1]
        kept = up_to(task, previous.due)
        before = colour_on(kept, past[-1].due - timedelta(days=1))[0]
    got = task_status(up_to(task, past[-1].due) if past else task, day, before=before)
    assert (got.colour, got.arrow) == (colour, arrow), got


def test_late_and_missing() -> None:
    task = facts(ReportFact(period_id=2, progress=50, submitted_on=JULY))
    q1, q2 = Q[0], Q[1]
    assert is_missing(task, q1, JULY) and not is_late(task, q1, JULY)
    assert not is_missing(task, q2, JULY) and is_late(task, q2, JULY)
    assert is_missing(task, q2, date(Y, 7, 14))  # missing on a day before the late report
    assert not is_missing(task, Q[2], JULY)  # not yet due


def test_numeric_targets_replace_progress() -> None:
    targets = (TargetSpec(10), TargetSpec(5, "<="))
    within = ReportFact(period_id=2, progress=5, values={0: 5, 1: 4})
    over = ReportFact(period_id=2, progress=5, values={0: 20, 1: 6})
    partial = ReportFact(period_id=2, progress=33, values={0: 5})
    assert report_progress(within, targets) == 75.0  # (50 + 100) / 2
    assert report_progress(over, targets) == 50.0  # (100 capped + 0 for breaking the <= target) / 2
    assert report_progress(partial, targets) == 33  # not every target given: the stated progress


def test_superseding_report_counts_once_approved() -> None:
    first = ReportFact(
        period_id=2, revision=1, progress=40, submitted_on=date(Y, 6, 20), approved_on=date(Y, 6, 21)
    )
    correction = ReportFact(
        period_id=2, revision=2, progress=90, submitted_on=date(Y, 7, 1), approved_on=date(Y, 7, 2)
    )
    assert task_status(facts(first, correction), JULY).progress == 90
    assert task_status(facts(first, correction), date(Y, 7, 1)).progress == 40
    pending = ReportFact(period_id=2, revision=2, progress=90, submitted_on=date(Y, 7, 1))
    assert task_status(facts(first, pending), JULY).progress == 40


def test_ranking_ties_share_a_rank_penalties_apply_and_scores_stop_at_zero() -> None:
    assert competition_ranks({1: 90.0, 2: 90.0, 3: 80.0}) == {1: 1, 2: 1, 3: 3}
    units = [
        UnitTally(1, "甲局", ["blue"], 0, 0),
        UnitTally(2, "乙局", ["done"], 0, 0),
        UnitTally(3, "丙局", ["blue"], 1, 0),
        UnitTally(4, "丁局", ["red"], 0, 1),
        UnitTally(5, "戊局", [], 0, 0),
        UnitTally(6, "己局", ["red", "red"], 0, 2),
        UnitTally(7, "庚局", ["yellow", "blue"], 0, 0),
    ]
    rows = {r.unit_id: r for r in rank_units(units, previous={1: 3, 3: 1, 7: 4})}
    assert 5 not in rows  # no tasks, no rank
    assert rows[1].rank == rows[2].rank == 1 and rows[1].score == 100
    assert rows[3].score == 95 and rows[3].late == 1 and rows[3].rank == 3
    assert rows[7].score == 80 and rows[7].rank == 4
    # max(0, …): never negative, and units at 0 share the last rank
    assert rows[4].score == 0 and rows[6].score == 0 and rows[4].rank == rows[6].rank == 5
    assert (rows[1].arrow, rows[3].arrow, rows[7].arrow, rows[2].arrow) == ("up", "down", "same", "same")
