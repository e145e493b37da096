"""序时进度, colours, arrows and rankings (``shared/spec/ledger.md``) as pure functions on plain dataclasses.

Nothing here touches the database: ``standing`` loads the facts and calls these. Choices the spec leaves
open, made the way an office would expect:

- "Latest approved report": among the reporting unit's reports approved on or before the date, the one
  for the latest period (by due date), and for one period the highest revision (a correction supersedes).
- A period counts as reported on the day the unit first submitted a report for it, even if the office
  later returned it: the unit did report; the return is about quality, not punctuality.
- A target of 0 (or below) is met when the value reaches it; a ``<=`` target is met while the value stays
  within it.
- Ranking of a period is taken on the day the next period falls due, or on the requested day if that is
  earlier (the last period: the requested day). So every period's ranking is explainable, approvals made
  during the following reporting window count, and the arrow compares two different moments.
- Scores are rounded to 2 decimals before ranking, so ties are real ties and not float noise.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Literal

Colour = Literal["done", "blue", "yellow", "red"]
Arrow = Literal["up", "down", "same"]

COLOUR_ORDER: dict[Colour, int] = {"red": 0, "yellow": 1, "blue": 2, "done": 3}
COLOUR_LABELS: dict[Colour, str] = {"done": "已完成", "blue": "蓝", "yellow": "黄", "red": "红"}


@dataclass(frozen=True)
class Rules:
    """Thresholds and weights; an administrator may change them per plan."""

    red_gap: float = 30.0
    yellow_gap: float = 10.0
    weight_done: float = 1.0
    weight_blue: float = 1.0
    weight_yellow: float = 0.6
    weight_red: float = 0.0
    late_penalty: float = 5.0
    missing_penalty: float = 10.0
    # 1: unit accounts see the whole ranking; 0 (default): only their own place and the number of units.
    units_see_full_ranking: float = 0.0

    def weight(self, colour: Colour) -> float:
        return {
            "done": self.weight_done,
            "blue": self.weight_blue,
            "yellow": self.weight_yellow,
            "red": self.weight_red,
        }[colour]


@dataclass(frozen=True)
class TargetSpec:
    value: float
    op: str | None = None


@dataclass(frozen=True)
class PeriodFact:
    id: int
    due: date


@dataclass(frozen=True)
class ReportFact:
    """One report of the task's reporting unit. ``submitted_on`` is the first submission of this report
    (``None`` while a draft); ``approved_on`` is set only for approved reports."""

    period_id: int
    revision: int = 1
    progress: float = 0.0
    completed: bool = False
    values: Mapping[int, float] = field(default_factory=dict)
    submitted_on: date | None = None
    approved_on: date | None = None


@dataclass(frozen=True)
class TaskFacts:
    task_id: int
    start: date
    due: date
    periods: Sequence[PeriodFact]
    reports: Sequence[ReportFact] = ()
    targets: Sequence[TargetSpec] = ()


@dataclass(frozen=True)
class TaskStatus:
    task_id: int
    colour: Colour
    arrow: Arrow
    progress: float
    schedule: float
    missing: tuple[int, ...]
    completed: bool


def task_start(issued_on: date | None, year: int) -> date:
    return issued_on or date(year, 1, 1)


def task_due(own_due: date | None, year: int) -> date:
    return own_due or date(year, 12, 31)


def schedule(start: date, due: date, on: date) -> float:
    """序时进度 s(d) = clamp((d − start) / (due − start), 0, 1) × 100 (100 once due when due ≤ start)."""
    span = (due - start).days
    if span <= 0:
        return 100.0 if on >= due else 0.0
    return min(max((on - start).days / span, 0.0), 1.0) * 100


def target_score(target: TargetSpec, value: float) -> float:
    if target.op == "<=":
        return 100.0 if value <= target.value else 0.0
    if target.value <= 0:
        return 100.0 if value >= target.value else 0.0
    return min(value / target.value, 1.0) * 100


def report_progress(report: ReportFact, targets: Sequence[TargetSpec]) -> float:
    """The report's progress, or the mean target score when it gives a value for every target."""
    if targets and all(i in report.values for i in range(len(targets))):
        scores = [target_score(t, report.values[i]) for i, t in enumerate(targets)]
        return sum(scores) / len(scores)
    return float(report.progress)


def _due_of(periods: Iterable[PeriodFact]) -> dict[int, date]:
    return {p.id: p.due for p in periods}


def latest_approved(facts: TaskFacts, on: date) -> ReportFact | None:
    due = _due_of(facts.periods)
    approved = [r for r in facts.reports if r.approved_on is not None and r.approved_on <= on]
    if not approved:
        return None
    return max(approved, key=lambda r: (due.get(r.period_id, date.min), r.revision, r.approved_on))


def first_submission(reports: Iterable[ReportFact], period_id: int) -> date | None:
    days = [r.submitted_on for r in reports if r.period_id == period_id and r.submitted_on is not None]
    return min(days) if days else None


def is_missing(facts: TaskFacts, period: PeriodFact, on: date) -> bool:
    """未报送 on ``on``: the period fell due before that day and nothing was submitted by then."""
    if not period.due < on:
        return False
    submitted = first_submission(facts.reports, period.id)
    return submitted is None or submitted > on


def is_late(facts: TaskFacts, period: PeriodFact, on: date) -> bool:
    """逾期报送: first submitted (by ``on``) after the period's due date."""
    submitted = first_submission(facts.reports, period.id)
    return submitted is not None and submitted <= on and submitted > period.due


def periods_due_before(periods: Iterable[PeriodFact], on: date) -> list[PeriodFact]:
    """Periods whose due date is before ``on``, latest first."""
    return sorted((p for p in periods if p.due < on), key=lambda p: p.due, reverse=True)


def colour_on(facts: TaskFacts, on: date, rules: Rules = Rules()) -> tuple[Colour, float, float]:
    """(colour, progress p, schedule s) of a task on a date, by the four rules in order."""
    s = schedule(facts.start, facts.due, on)
    latest = latest_approved(facts, on)
    p = report_progress(latest, facts.targets) if latest else 0.0
    if latest is not None and latest.completed:
        return "done", p, s
    past = periods_due_before(facts.periods, on)
    missing = [is_missing(facts, period, on) for period in past[:2]]
    if on > facts.due or p < s - rules.red_gap or (len(missing) == 2 and all(missing)):
        return "red", p, s
    if p < s - rules.yellow_gap or (missing and missing[0]):
        return "yellow", p, s
    return "blue", p, s


def compare(now: Colour, before: Colour) -> Arrow:
    if COLOUR_ORDER[now] > COLOUR_ORDER[before]:
        return "up"
    if COLOUR_ORDER[now] < COLOUR_ORDER[before]:
        return "down"
    return "same"


def task_status(facts: TaskFacts, on: date, rules: Rules = Rules()) -> TaskStatus:
    """Colour on ``on`` and the arrow against the colour on the due date of the latest period due before."""
    colour, p, s = colour_on(facts, on, rules)
    past = periods_due_before(facts.periods, on)
    arrow: Arrow = "same"
    if past:
        before, _, _ = colour_on(facts, past[0].due, rules)
        arrow = compare(colour, before)
    missing = tuple(period.id for period in past if is_missing(facts, period, on))
    return TaskStatus(facts.task_id, colour, arrow, round(p, 1), round(s, 1), missing, colour == "done")


@dataclass(frozen=True)
class UnitFacts:
    unit_id: int
    name: str
    tasks: Sequence[TaskFacts]


@dataclass(frozen=True)
class RankingRow:
    unit_id: int
    name: str
    score: float
    rank: int
    arrow: Arrow
    tasks: int
    late: int
    missing: int


def ranking_day(periods: Sequence[PeriodFact], period_id: int, on: date) -> date:
    """The day a period's ranking is taken: the next period's due date, or ``on`` if earlier."""
    ordered = sorted(periods, key=lambda p: (p.due, p.id))
    index = next(i for i, p in enumerate(ordered) if p.id == period_id)
    if index + 1 < len(ordered):
        return min(on, ordered[index + 1].due)
    return on


def unit_score(
    unit: UnitFacts, period: PeriodFact, on: date, rules: Rules = Rules()
) -> tuple[float, int, int]:
    """(score, late, missing) of a unit for a period on a day; the unit must have tasks."""
    weights = [rules.weight(colour_on(task, on, rules)[0]) for task in unit.tasks]
    late = sum(is_late(task, period, on) for task in unit.tasks)
    missing = sum(is_missing(task, period, on) for task in unit.tasks)
    score = 100 * sum(weights) / len(weights) - rules.late_penalty * late - rules.missing_penalty * missing
    return round(score, 2), late, missing


def competition_ranks(scores: Mapping[int, float]) -> dict[int, int]:
    """Rank 1 is the highest score; equal scores share a rank (1, 1, 3)."""
    ordered = sorted(scores.values(), reverse=True)
    return {key: ordered.index(score) + 1 for key, score in scores.items()}


def _ranks_for(units: Sequence[UnitFacts], period: PeriodFact, day: date, rules: Rules) -> dict[int, tuple]:
    rows = {u.unit_id: unit_score(u, period, day, rules) for u in units if u.tasks}
    ranks = competition_ranks({unit_id: row[0] for unit_id, row in rows.items()})
    return {unit_id: (*rows[unit_id], ranks[unit_id]) for unit_id in rows}


def rankings(
    units: Sequence[UnitFacts],
    periods: Sequence[PeriodFact],
    period_id: int,
    on: date,
    rules: Rules = Rules(),
) -> list[RankingRow]:
    """Units ranked on a period, with each unit's arrow against its rank in the previous period."""
    ordered = sorted(periods, key=lambda p: (p.due, p.id))
    index = next(i for i, p in enumerate(ordered) if p.id == period_id)
    current = _ranks_for(units, ordered[index], ranking_day(ordered, period_id, on), rules)
    previous: dict[int, tuple] = {}
    if index > 0:
        prior = ordered[index - 1]
        previous = _ranks_for(units, prior, ranking_day(ordered, prior.id, on), rules)
    names = {u.unit_id: u.name for u in units}
    counts = {u.unit_id: len(u.tasks) for u in units}
    rows = []
    for unit_id, (score, late, missing, rank) in current.items():
        arrow: Arrow = "same"
        if unit_id in previous:
            before = previous[unit_id][3]
            arrow = "up" if rank < before else "down" if rank > before else "same"
        rows.append(RankingRow(unit_id, names[unit_id], score, rank, arrow, counts[unit_id], late, missing))
    return sorted(rows, key=lambda r: (r.rank, r.name))
