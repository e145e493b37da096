"""序时进度, colours, arrows and rankings (``shared/spec/ledger.md``) as pure functions on plain dataclasses.

Nothing here touches the database: ``standing`` loads the facts and calls these. Choices the spec leaves
open, made the way an office would expect:

- "Latest approved report": among the reporting unit's reports approved on or before the date, the one
  for the latest period (by due date), and for one period the highest revision (a correction supersedes).
- A period counts as reported on the day the unit first submitted a report for it, even if the office
  later returned it: the unit did report; the return is about quality, not punctuality.
- A target of 0 (or below) is met when the value reaches it; a ``<=`` target is met while the value stays
  within it.
- Schedule is judged at checkpoints (the due date of the latest period due), so between two deadlines a
  colour does not drift with the calendar.
- Scores are floored at 0 and rounded to 2 decimals before ranking, so ties are real ties and not float
  noise.

The figures of one period taken on one day (which reports count, when they become final, what the arrows
compare with) are assembled in :mod:`duban.ledger.views.figures`; this module holds the rules it applies.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cached_property
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
    report_id: int | None = None


@dataclass(frozen=True)
class TaskFacts:
    task_id: int
    start: date
    due: date
    periods: Sequence[PeriodFact]
    reports: Sequence[ReportFact] = ()
    targets: Sequence[TargetSpec] = ()

    @cached_property
    def first_submitted(self) -> dict[int, date]:
        """Period id → the day the unit first submitted for it (worked out once: every rule asks)."""
        days: dict[int, date] = {}
        for report in self.reports:
            if report.submitted_on is not None:
                known = days.get(report.period_id)
                days[report.period_id] = (
                    report.submitted_on if known is None else min(known, report.submitted_on)
                )
        return days

    @cached_property
    def latest_first(self) -> tuple[PeriodFact, ...]:
        return tuple(sorted(self.periods, key=lambda p: p.due, reverse=True))


@dataclass(frozen=True)
class TaskStatus:
    task_id: int
    colour: Colour
    arrow: Arrow
    progress: float
    schedule: float
    missing: tuple[int, ...]
    completed: bool
    # An approved report gives the progress; without one the progress is not "0 %" but 未报送/暂无.
    reported: bool = True


def task_start(issued_on: date | None, year: int) -> date:
    return issued_on or date(year, 1, 1)


def task_due(own_due: date | None, year: int) -> date:
    return own_due or date(year, 12, 31)


def schedule(start: date, due: date, on: date) -> float:
    """序时进度 at a checkpoint ``on``: clamp((on − start) / (due − start), 0, 1) × 100 (100 once due when
    due ≤ start)."""
    span = (due - start).days
    if span <= 0:
        return 100.0 if on >= due else 0.0
    return min(max((on - start).days / span, 0.0), 1.0) * 100


def checkpoint(periods: Iterable[PeriodFact], start: date, on: date) -> date:
    """c(d): the due date of the latest period due on or before ``on``; ``start`` when none is due yet."""
    return max((p.due for p in periods if p.due <= on), default=start)


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


def is_missing(facts: TaskFacts, period: PeriodFact, on: date) -> bool:
    """未报送 on ``on``: the period fell due before that day and nothing was submitted by then."""
    if not period.due < on:
        return False
    submitted = facts.first_submitted.get(period.id)
    return submitted is None or submitted > on


def is_late(facts: TaskFacts, period: PeriodFact, on: date) -> bool:
    """逾期报送: first submitted (by ``on``) after the period's due date."""
    submitted = facts.first_submitted.get(period.id)
    return submitted is not None and submitted <= on and submitted > period.due


def periods_due_before(periods: Iterable[PeriodFact] | TaskFacts, on: date) -> list[PeriodFact]:
    """Periods whose due date is before ``on``, latest first (given a task's facts, from its sorted list)."""
    if isinstance(periods, TaskFacts):
        return [p for p in periods.latest_first if p.due < on]
    return sorted((p for p in periods if p.due < on), key=lambda p: p.due, reverse=True)


def up_to(facts: TaskFacts, last_due: date, kept: Sequence[PeriodFact] | None = None) -> TaskFacts:
    """The facts as a period's figures see them: its own and earlier periods, and only their reports.
    ``kept`` is those periods when the caller has worked them out once for a whole plan."""
    if kept is None:
        kept = [p for p in facts.periods if p.due <= last_due]
    if len(kept) == len(facts.periods):
        return facts
    ids = {p.id for p in kept}
    reports = [r for r in facts.reports if r.period_id in ids]
    return TaskFacts(facts.task_id, facts.start, facts.due, kept, reports, facts.targets)


def colour_on(facts: TaskFacts, on: date, rules: Rules = Rules()) -> tuple[Colour, float, float]:
    """(colour, progress p, schedule s) of a task on a date, by the four rules in order; ``s`` is taken at
    the checkpoint, so the colour changes only when a report is approved, a report falls missing or the
    task's own due date passes."""
    s = schedule(facts.start, facts.due, checkpoint(facts.periods, facts.start, on))
    latest = latest_approved(facts, on)
    p = report_progress(latest, facts.targets) if latest else 0.0
    if latest is not None and latest.completed:
        return "done", p, s
    past = periods_due_before(facts, on)
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


def task_status(
    facts: TaskFacts, on: date, rules: Rules = Rules(), before: Colour | None = None
) -> TaskStatus:
    """Colour on ``on`` and the arrow against ``before``, the task's colour in the previous period's final
    (or issued) figures; → when there is none."""
    return status_of(facts, on, colour_on(facts, on, rules), before)


def status_of(
    facts: TaskFacts, on: date, decided: tuple[Colour, float, float], before: Colour | None
) -> TaskStatus:
    """The status from ``colour_on``'s answer (worked out once by the caller)."""
    colour, p, s = decided
    arrow = compare(colour, before) if before is not None else "same"
    missing = tuple(period.id for period in periods_due_before(facts, on) if is_missing(facts, period, on))
    reported = latest_approved(facts, on) is not None
    return TaskStatus(
        facts.task_id, colour, arrow, round(p, 1), round(s, 1), missing, colour == "done", reported
    )


def taken_on(periods: Sequence[PeriodFact], period_id: int, asked: date) -> date:
    """The day a period's figures are taken when asked for ``asked``: final on the day before the next
    period falls due (a later day gives that day's figures); the last period is taken on the day asked."""
    later = [p.due for p in periods if p.due > _due_of(periods)[period_id]]
    if later:
        return min(asked, min(later) - timedelta(days=1))
    return asked


def current_period(periods: Sequence[PeriodFact], on: date) -> PeriodFact | None:
    """The latest period due before ``on``; before the first due date, the first period."""
    ordered = sorted(periods, key=lambda p: (p.due, p.id))
    past = [p for p in ordered if p.due < on]
    return past[-1] if past else (ordered[0] if ordered else None)


def previous_period(periods: Sequence[PeriodFact], period_id: int) -> PeriodFact | None:
    ordered = sorted(periods, key=lambda p: (p.due, p.id))
    index = next(i for i, p in enumerate(ordered) if p.id == period_id)
    return ordered[index - 1] if index > 0 else None


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


def unit_score(colours: Sequence[Colour], late: int, missing: int, rules: Rules = Rules()) -> float:
    """``max(0, 100 × Σ w(colour) / n − 5 × late − 10 × missing)``, rounded to 2 decimals; ``n`` > 0."""
    raw = 100 * sum(rules.weight(c) for c in colours) / len(colours)
    return round(max(0.0, raw - rules.late_penalty * late - rules.missing_penalty * missing), 2)


def competition_ranks(scores: Mapping[int, float]) -> dict[int, int]:
    """Rank 1 is the highest score; equal scores share a rank (1, 1, 3)."""
    ordered = sorted(scores.values(), reverse=True)
    first: dict[float, int] = {}
    for index, score in enumerate(ordered):
        first.setdefault(score, index + 1)
    return {key: first[score] for key, score in scores.items()}


@dataclass(frozen=True)
class UnitTally:
    """What one reporting unit's tasks came to in a period's figures."""

    unit_id: int
    name: str
    colours: Sequence[Colour]
    late: int
    missing: int


def rank_units(
    tallies: Sequence[UnitTally], rules: Rules = Rules(), previous: Mapping[int, int] | None = None
) -> list[RankingRow]:
    """Units ranked on their scores; each unit's arrow is its rank against ``previous`` (unit id → rank in
    the previous period's figures), none (→) for a unit not ranked then."""
    scored = {t.unit_id: unit_score(t.colours, t.late, t.missing, rules) for t in tallies if t.colours}
    ranks = competition_ranks(scored)
    before = previous or {}
    rows = []
    for tally in tallies:
        if tally.unit_id not in scored:
            continue
        rank = ranks[tally.unit_id]
        arrow: Arrow = "same"
        if tally.unit_id in before:
            arrow = (
                "up" if rank < before[tally.unit_id] else "down" if rank > before[tally.unit_id] else "same"
            )
        rows.append(
            RankingRow(
                tally.unit_id,
                tally.name,
                scored[tally.unit_id],
                rank,
                arrow,
                len(tally.colours),
                tally.late,
                tally.missing,
            )
        )
    return sorted(rows, key=lambda r: (r.rank, r.name))
