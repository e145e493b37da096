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
- 实施方案 (issue 21): once a unit's plan of dated nodes is approved, 序时进度 is the plan's progress at the
  checkpoint (linear between nodes, from 0 at the plan year's start), and a node due by the checkpoint that
  was not reported done by the day makes the task at least yellow. The plan in force on a day is the one
  approved last on or before it, so a newer approved plan replaces the older without rewriting the past.
  A node counts as reported done when the unit marked it done by the day, or when an approved report's
  progress reached the node's level.
- 整改台账 (issue 21): a rectification still open (not 销号) on the day and past its deadline costs its unit
  ``rectification_penalty`` points (default 5), inside the same floor at 0.

The figures of one period taken on one day (which reports count, when they become final, what the arrows
compare with) are assembled in :mod:`duban.ledger.views.figures`; this module holds the rules it applies.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import pairwise
from types import MappingProxyType
from typing import Any, Generic, Literal, NamedTuple, TypeVar, overload

_T = TypeVar("_T")


class once(Generic[_T]):
    """``functools.cached_property`` without its lock: on Python 3.11 it takes a lock at every first read,
    and the reminder engine makes about 100,000 first reads of task facts on a province's run (0.4 s of it
    under the profiler). Facts are built and read within one request; two threads racing would only work the
    same value out twice."""

    def __init__(self, func: Callable[[Any], _T]) -> None:
        self.func = func
        self.name = func.__name__
        self.__doc__ = func.__doc__

    @overload
    def __get__(self, instance: None, owner: type[Any] | None = None) -> once[_T]: ...
    @overload
    def __get__(self, instance: object, owner: type[Any] | None = None) -> _T: ...
    def __get__(self, instance: object | None, owner: type[Any] | None = None) -> once[_T] | _T:
        if instance is None:
            return self
        value = self.func(instance)
        instance.__dict__[self.name] = value  # read from the instance from now on, past this descriptor
        return value


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
    # 整改台账: points off a unit's score for each of its rectifications open past the deadline.
    rectification_penalty: float = 5.0
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


class PeriodFact(NamedTuple):
    id: int
    due: date


NO_VALUES: Mapping[int, float] = MappingProxyType({})


class ReportFact(NamedTuple):
    """One report of the task's reporting unit. ``submitted_on`` is the first submission of this report
    (``None`` while a draft); ``approved_on`` is set only for approved reports. A named tuple: a province's
    reminder run reads 38,500 of them, and a frozen dataclass costs five times as much to make."""

    period_id: int
    revision: int = 1
    progress: float = 0.0
    completed: bool = False
    values: Mapping[int, float] = NO_VALUES
    submitted_on: date | None = None
    approved_on: date | None = None
    report_id: int | None = None


@dataclass(frozen=True)
class NodeFact:
    """One node (节点) of a unit's 实施方案: what is to be done by ``due``. ``level`` is the planned 形象进度
    (cumulative %) at the node; ``value`` a planned value of the task's first numeric target; with neither,
    the nodes share 100 evenly. ``done_on`` is the day the unit reported the node done."""

    due: date
    title: str = ""
    level: float | None = None
    value: float | None = None
    done_on: date | None = None


@dataclass(frozen=True)
class WorkPlanFact:
    """An approved 实施方案 of the task's reporting unit, approved on ``approved_on``."""

    approved_on: date
    nodes: Sequence[NodeFact]
    plan_id: int = 0


@dataclass(frozen=True)
class TaskFacts:
    task_id: int
    start: date
    due: date
    periods: Sequence[PeriodFact]
    reports: Sequence[ReportFact] = ()
    targets: Sequence[TargetSpec] = ()
    work_plans: Sequence[WorkPlanFact] = ()

    @once
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

    @once
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
    approved = [r for r in facts.reports if r.approved_on is not None and r.approved_on <= on]
    if len(approved) < 2:  # asked three times per task per figure: most tasks have one report or none
        return approved[0] if approved else None
    due = _due_of(facts.periods)
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
    return TaskFacts(facts.task_id, facts.start, facts.due, kept, reports, facts.targets, facts.work_plans)


def plan_in_force(facts: TaskFacts, on: date) -> WorkPlanFact | None:
    """The 实施方案 that judges the task on ``on``: the one approved last on or before that day (a newer
    approved plan replaces the older), or none."""
    approved = [w for w in facts.work_plans if w.approved_on <= on and w.nodes]
    return max(approved, key=lambda w: (w.approved_on, w.plan_id), default=None)


def node_levels(nodes: Sequence[NodeFact], targets: Sequence[TargetSpec] = ()) -> list[tuple[date, float]]:
    """(due, planned cumulative %) of each node, by due date: the node's own 形象进度, else its planned value
    of the first target as a share of that target, else an even share (node k of n: k/n × 100). Levels
    never fall back: a node's level is at least the one before it."""
    ordered = sorted(nodes, key=lambda n: n.due)
    levels: list[tuple[date, float]] = []
    floor = 0.0
    for index, node in enumerate(ordered, start=1):
        if node.level is not None:
            level = node.level
        elif node.value is not None and targets and targets[0].value > 0:
            level = node.value / targets[0].value * 100
        else:
            level = index / len(ordered) * 100
        floor = max(floor, min(max(level, 0.0), 100.0))
        levels.append((node.due, floor))
    return levels


def plan_schedule(
    plan: WorkPlanFact, year_start: date, at: date, targets: Sequence[TargetSpec] = ()
) -> float:
    """序时进度 by the plan at checkpoint ``at``: 0 at the plan year's start, each node's level on its due
    date, linear between them, the last node's level after it."""
    points = [(year_start, 0.0), *node_levels(plan.nodes, targets)]
    if at <= points[0][0]:
        return 0.0
    for (day0, level0), (day1, level1) in pairwise(points):
        if at <= day1:
            span = (day1 - day0).days
            return level1 if span <= 0 else level0 + (level1 - level0) * (at - day0).days / span
    return points[-1][1]


def overdue_nodes(
    facts: TaskFacts, plan: WorkPlanFact, at: date, on: date, progress: float | None
) -> list[NodeFact]:
    """The plan's nodes due by checkpoint ``at`` and not reported done by ``on``: neither marked done by
    then nor reached by the progress of an approved report (``progress``, None when there is none)."""
    ordered = sorted(plan.nodes, key=lambda n: n.due)
    late = []
    for node, (_, level) in zip(ordered, node_levels(plan.nodes, facts.targets), strict=True):
        if node.due > at:
            continue
        if node.done_on is not None and node.done_on <= on:
            continue
        if progress is not None and progress >= level:
            continue
        late.append(node)
    return late


@dataclass(frozen=True)
class Schedule:
    """序时进度 ``value`` at checkpoint ``at``, by ``plan`` when one is in force (with its nodes passed
    undone), else by the straight line from start to due."""

    value: float
    at: date
    plan: WorkPlanFact | None = None
    overdue: tuple[NodeFact, ...] = ()


def schedule_of(facts: TaskFacts, on: date, latest: ReportFact | None = None) -> Schedule:
    at = checkpoint(facts.periods, facts.start, on)
    plan = plan_in_force(facts, on)
    if plan is None:
        return Schedule(schedule(facts.start, facts.due, at), at)
    value = plan_schedule(plan, date(facts.start.year, 1, 1), at, facts.targets)
    progress = report_progress(latest, facts.targets) if latest is not None else None
    return Schedule(value, at, plan, tuple(overdue_nodes(facts, plan, at, on, progress)))


def colour_on(facts: TaskFacts, on: date, rules: Rules = Rules()) -> tuple[Colour, float, float]:
    """(colour, progress p, schedule s) of a task on a date, by the four rules in order; ``s`` is taken at
    the checkpoint, so the colour changes only when a report is approved, a report falls missing or the
    task's own due date passes. With an approved 实施方案 in force, ``s`` follows the plan and a node passed
    undone makes the task at least yellow."""
    latest = latest_approved(facts, on)
    planned = schedule_of(facts, on, latest)
    s = planned.value
    p = report_progress(latest, facts.targets) if latest else 0.0
    if latest is not None and latest.completed:
        return "done", p, s
    past = periods_due_before(facts, on)
    missing = [is_missing(facts, period, on) for period in past[:2]]
    if on > facts.due or p < s - rules.red_gap or (len(missing) == 2 and all(missing)):
        return "red", p, s
    if p < s - rules.yellow_gap or (missing and missing[0]) or planned.overdue:
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
    overdue_rectifications: int = 0


def unit_score(
    colours: Sequence[Colour], late: int, missing: int, rules: Rules = Rules(), overdue: int = 0
) -> float:
    """``max(0, 100 × Σ w(colour) / n − 5 × late − 10 × missing − 5 × overdue)``, rounded to 2 decimals;
    ``n`` > 0; ``overdue`` is the unit's rectifications open past their deadline."""
    raw = 100 * sum(rules.weight(c) for c in colours) / len(colours)
    penalty = (
        rules.late_penalty * late + rules.missing_penalty * missing + rules.rectification_penalty * overdue
    )
    return round(max(0.0, raw - penalty), 2)


@dataclass(frozen=True)
class RectificationFact:
    """A 整改 item of a unit: opened on ``opened_on``, due ``deadline``, 销号 on ``closed_on`` (None: open)."""

    unit_id: int
    deadline: date
    opened_on: date
    closed_on: date | None = None


def is_overdue(item: RectificationFact, on: date) -> bool:
    """逾期 on ``on``: opened by then, its deadline before that day, and not 销号 by then."""
    return item.opened_on <= on and item.deadline < on and (item.closed_on is None or item.closed_on > on)


def overdue_by_unit(items: Iterable[RectificationFact], on: date) -> dict[int, int]:
    counted: dict[int, int] = {}
    for item in items:
        if is_overdue(item, on):
            counted[item.unit_id] = counted.get(item.unit_id, 0) + 1
    return counted


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
    overdue: int = 0  # rectifications open past their deadline


def rank_units(
    tallies: Sequence[UnitTally], rules: Rules = Rules(), previous: Mapping[int, int] | None = None
) -> list[RankingRow]:
    """Units ranked on their scores; each unit's arrow is its rank against ``previous`` (unit id → rank in
    the previous period's figures), none (→) for a unit not ranked then."""
    scored = {
        t.unit_id: unit_score(t.colours, t.late, t.missing, rules, t.overdue) for t in tallies if t.colours
    }
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
                tally.overdue,
            )
        )
    return sorted(rows, key=lambda r: (r.rank, r.name))
