"""The figures of a period taken on a date (口径): the one computation behind every page, the API, the
ledger workbook and the bulletin, so two outputs with the same period and date cannot differ.

``shared/spec/ledger.md``, *Figures of a period*: the figures of period P taken on d count only reports of P
and earlier periods; they are final on the day before the next period falls due (asked for a later day,
they are taken on that day); only the reporting unit is missing or late; the arrows compare with the
previous period's issued bulletin when there is one (published figures stand), else its final figures.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from duban.ledger.errors import NotFound
from duban.ledger.rules import reasons, status
from duban.ledger.services import plan_rules as rules
from duban.ledger.store.models import Bulletin, Period, Plan, Section, Unit
from duban.ledger.views import standing

COLOURS: tuple[status.Colour, ...] = ("done", "blue", "yellow", "red")
ARROWS: tuple[status.Arrow, ...] = ("up", "down", "same")
EXCLUDED_REASON = "不考核：督查室已将此项标为不考核，保留在台账中，不计入颜色统计和排名。"
EXCUSED_REASON = "已申诉免责：督查室已同意该单位本期的申诉，此项本期不计入排名和通报名单。"
NO_UNIT_REASON = "未确定汇总单位：请督查室指定汇总单位或标为不考核。"


def chinese_date(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


@dataclass(frozen=True)
class Basis:
    """口径: which period's figures, asked for which day, taken on which day."""

    period_id: int | None
    period_name: str
    period_due: date | None
    asked: date
    on: date
    final: bool

    @property
    def label(self) -> str:
        """``2026年第三季度 · 截至2026年10月10日``."""
        until = f"截至{chinese_date(self.on)}"
        return f"{self.period_name} · {until}" if self.period_name else until

    def as_json(self) -> dict[str, Any]:
        period = None
        if self.period_id is not None and self.period_due is not None:
            period = {"id": self.period_id, "name": self.period_name, "due": self.period_due.isoformat()}
        return {
            "period": period,
            "asked": self.asked.isoformat(),
            "on": self.on.isoformat(),
            "final": self.final,
            "label": self.label,
        }


@dataclass(frozen=True)
class Previous:
    """What the arrows compare with: the previous period's issued or final figures."""

    period_id: int
    period_name: str
    source: str  # "issued" (第N期通报) or "final" (its final figures)
    label: str
    colours: Mapping[int, status.Colour]
    ranks: Mapping[int, int]
    number: int | None = None

    def as_json(self) -> dict[str, Any]:
        return {
            "period": {"id": self.period_id, "name": self.period_name},
            "source": self.source,
            "label": self.label,
            "number": self.number,
        }


@dataclass(frozen=True)
class TaskFigure:
    """One task in the figures: its status and reason, and whether its reporting unit is missing or late
    for the period (never a supporting unit)."""

    task: standing.TaskInfo
    status: status.TaskStatus
    given_reason: str
    missing: bool
    late: bool
    submitted_on: date | None
    assessed: bool
    approved_report_id: int | None
    # Works the reason out when it is read: a page of 50 rows need not explain 3,000 tasks.
    why: Callable[[], str] | None = None
    # 已申诉免责: a granted 申诉 set this period's case aside; ``assessed`` is then False, so counts, lists and
    # the ranking leave it out like every other task not assessed, and pages say why.
    excused: bool = False

    @property
    def reason(self) -> str:
        """Why the task has its colour (``reasons.explain``), in Chinese."""
        return self.given_reason or (self.why() if self.why is not None else "")

    @property
    def state_words(self) -> str:
        """The report's state for the period in words, as every output writes it: 未报送 / 逾期（10月10日报送）."""
        if self.excused:
            return "已申诉免责"
        if self.missing:
            return "未报送"
        if self.late and self.submitted_on is not None:
            return f"逾期（{self.submitted_on.month}月{self.submitted_on.day}日报送）"
        return ""


@dataclass
class PlanFigures:
    plan: Plan
    periods: list[Period]
    basis: Basis
    tasks: list[TaskFigure]
    ranking: list[status.RankingRow]
    previous: Previous | None
    unit_names: dict[int, str]
    section_titles: dict[str, str]
    rules: status.Rules
    dues: dict[int, date] = field(default_factory=dict)
    issued: dict[str, Any] | None = None  # this period's issued bulletin (number, dates), if any
    # 整改台账: the plan's rectifications opened by the day the figures are taken (sheet and bulletin).
    rectifications: list[standing.RectificationInfo] = field(default_factory=list)

    def overdue_rectifications(self) -> list[standing.RectificationInfo]:
        """Rectifications open past their deadline on the day the figures are taken."""
        return [r for r in self.rectifications if r.overdue(self.basis.on)]

    def due_of(self, task_id: int) -> date:
        return self.dues[task_id]

    @property
    def assessed(self) -> list[TaskFigure]:
        return [t for t in self.tasks if t.assessed]

    @property
    def period(self) -> Period | None:
        return next((p for p in self.periods if p.id == self.basis.period_id), None)

    @property
    def next_due(self) -> date | None:
        due = self.basis.period_due
        return min((p.due for p in self.periods if due is not None and p.due > due), default=None)

    def missing_tasks(self) -> list[TaskFigure]:
        return [t for t in self.assessed if t.missing]

    def late_tasks(self) -> list[TaskFigure]:
        return [t for t in self.assessed if t.late]

    def unit_name(self, unit_id: int | None) -> str:
        return self.unit_names.get(unit_id or 0, "")


def counts(items: Iterable[TaskFigure]) -> dict[str, int]:
    """Tasks by colour (assessed tasks only) and the total."""
    seen: Counter[str] = Counter(t.status.colour for t in items if t.assessed)
    result: dict[str, int] = {c: seen[c] for c in COLOURS}
    result["total"] = sum(seen.values())
    return result


def arrow_counts(items: Iterable[TaskFigure]) -> dict[str, int]:
    seen: Counter[str] = Counter(t.status.arrow for t in items if t.assessed)
    return {a: seen[a] for a in ARROWS}


def grouped(
    items: Iterable[TaskFigure], keys: Callable[[TaskFigure], Iterable[Any]]
) -> dict[Any, list[TaskFigure]]:
    groups: dict[Any, list[TaskFigure]] = defaultdict(list)
    for item in items:
        for key in keys(item):
            groups[key].append(item)
    return groups


def resolve_basis(periods: Sequence[Period], period_id: int | None, asked: date) -> Basis:
    """The period (``period_id``, else the current period on ``asked``) and the day its figures are taken."""
    facts = [status.PeriodFact(p.id, p.due) for p in periods]
    if period_id is None:
        chosen = status.current_period(facts, asked)
    else:
        chosen = next((p for p in facts if p.id == period_id), None)
        if chosen is None:
            raise NotFound("报送期不存在 / no such period in this plan")
    if chosen is None:
        return Basis(None, "", None, asked, asked, False)
    on = status.taken_on(facts, chosen.id, asked)
    later = min((p.due for p in facts if p.due > chosen.due), default=None)
    final = later is not None and on == later - timedelta(days=1)  # taken on the eve of the next due date
    name = next(p.name for p in periods if p.id == chosen.id)
    return Basis(chosen.id, name, chosen.due, asked, on, final)


def _tallies(
    tasks: Sequence[standing.TaskInfo],
    colours: Mapping[int, status.Colour],
    late: Mapping[int, bool],
    missing: Mapping[int, bool],
    names: Mapping[int, str],
    excused: Collection[int] = (),
    overdue: Mapping[int, int] | None = None,
) -> list[status.UnitTally]:
    by_unit: dict[int, list[standing.TaskInfo]] = defaultdict(list)
    for task in tasks:
        if task.reporting_unit_id is not None and task.assessed and task.id not in excused:
            by_unit[task.reporting_unit_id].append(task)
    return [
        status.UnitTally(
            unit_id,
            names.get(unit_id, str(unit_id)),
            [colours[t.id] for t in group],
            sum(late[t.id] for t in group),
            sum(missing[t.id] for t in group),
            (overdue or {}).get(unit_id, 0),
        )
        for unit_id, group in by_unit.items()
    ]


def _final_previous(
    loaded: standing.PlanFacts,
    period: status.PeriodFact,
    later_due: date,
    on: date,
    plan_rules: status.Rules,
    names: Mapping[int, str],
) -> tuple[dict[int, status.Colour], dict[int, int], date]:
    """The previous period's final figures: taken on the day before the period after it fell due (or on
    ``on`` when that is earlier), counting only its own and earlier reports."""
    day = min(later_due - timedelta(days=1), on)
    colours: dict[int, status.Colour] = {}
    late: dict[int, bool] = {}
    missing: dict[int, bool] = {}
    kept = [p for p in loaded.facts_periods if p.due <= period.due]
    for task in loaded.tasks:
        facts = status.up_to(loaded.facts[task.id], period.due, kept)
        colours[task.id] = status.colour_on(facts, day, plan_rules)[0]
        reporting = task.reporting_unit_id is not None
        late[task.id] = reporting and status.is_late(facts, period, day)
        missing[task.id] = reporting and status.is_missing(facts, period, day)
    set_aside = {task_id for task_id, period_id in loaded.excused if period_id == period.id}
    overdue = status.overdue_by_unit(loaded.rectification_facts, day)
    ranking = status.rank_units(
        _tallies(loaded.tasks, colours, late, missing, names, set_aside, overdue), plan_rules
    )
    return colours, {r.unit_id: r.rank for r in ranking}, day


def _previous(
    session: Session,
    loaded: standing.PlanFacts,
    basis: Basis,
    plan_rules: status.Rules,
    names: Mapping[int, str],
    issued: Mapping[int, Bulletin] | None,
) -> Previous | None:
    facts = [status.PeriodFact(p.id, p.due) for p in loaded.periods]
    if basis.period_id is None or basis.period_due is None:
        return None
    before = status.previous_period(facts, basis.period_id)
    if before is None:
        return None
    name = next(p.name for p in loaded.periods if p.id == before.id)
    bulletin = (issued or {}).get(before.id) if issued is not None else _issued_of(session, before.id)
    if bulletin is not None:
        stored = bulletin.figures
        return Previous(
            before.id,
            name,
            "issued",
            f"第{bulletin.number}期通报（{stored.get('basis', {}).get('label', name)}）",
            {int(t["task"]): t["colour"] for t in stored.get("tasks", []) if t.get("assessed", True)},
            {int(r["unit"]): int(r["rank"]) for r in stored.get("ranking", [])},
            bulletin.number,
        )
    colours, ranks, day = _final_previous(loaded, before, basis.period_due, basis.on, plan_rules, names)
    return Previous(before.id, name, "final", f"{name} · 截至{chinese_date(day)}", colours, ranks)


def _issued_of(session: Session, period_id: int) -> Bulletin | None:
    return session.scalar(select(Bulletin).where(Bulletin.period_id == period_id))


def compute(
    session: Session,
    loaded: standing.PlanFacts,
    period_id: int | None,
    asked: date,
    *,
    plan_rules: status.Rules | None = None,
    unit_names: Mapping[int, str] | None = None,
    section_titles: Mapping[str, str] | None = None,
    issued: Mapping[int, Bulletin] | None = None,
    explain: bool = True,
    compare: bool = True,
    rank: bool = True,
) -> PlanFigures:
    """The figures of ``period_id`` (else the current period on ``asked``) of a loaded plan. ``compare``
    False leaves out the previous period's figures (arrows stay →), ``rank`` False the units' tallies and
    ranking (left empty): the reminder engine needs only the colours, missing and late of the day, for
    every plan, every day."""
    plan_id = loaded.plan.id
    plan_rules = plan_rules or rules.rules_for(session, plan_id)
    if unit_names is None:
        wanted = {t.reporting_unit_id for t in loaded.tasks if t.reporting_unit_id is not None}
        wanted |= {r.unit_id for r in loaded.rectifications}
        unit_names = dict(session.execute(select(Unit.id, Unit.name).where(Unit.id.in_(wanted))).all())
    if section_titles is None:
        section_titles = {
            key: title
            for key, title in session.execute(
                select(Section.key, Section.title).where(Section.plan_id == plan_id)
            )
        }
    basis = resolve_basis(loaded.periods, period_id, asked)
    previous = _previous(session, loaded, basis, plan_rules, unit_names, issued) if compare else None
    period_fact = (
        status.PeriodFact(basis.period_id, basis.period_due)
        if basis.period_id is not None and basis.period_due is not None
        else None
    )
    names = {p.id: p.name for p in loaded.periods}
    items: list[TaskFigure] = []
    kept = [p for p in loaded.facts_periods if period_fact is None or p.due <= period_fact.due]
    for task in loaded.tasks:
        facts = (
            status.up_to(loaded.facts[task.id], period_fact.due, kept)
            if period_fact
            else loaded.facts[task.id]
        )
        excused = period_fact is not None and (task.id, period_fact.id) in loaded.excused
        items.append(
            _task_figure(task, facts, basis.on, plan_rules, names, period_fact, previous, explain, excused)
        )
    ranking = _ranking(loaded, items, unit_names, basis.on, plan_rules, previous) if rank else []
    this_issue = (issued or {}).get(basis.period_id or 0) if issued is not None else None
    return PlanFigures(
        plan=loaded.plan,
        periods=loaded.periods,
        basis=basis,
        tasks=items,
        ranking=ranking,
        previous=previous,
        unit_names=dict(unit_names),
        section_titles=dict(section_titles),
        rules=plan_rules,
        dues={t.id: loaded.facts[t.id].due for t in loaded.tasks},
        issued=_issue_json(this_issue) if this_issue is not None else None,
        rectifications=[r for r in loaded.rectifications if r.opened_on <= basis.on],
    )


def _ranking(
    loaded: standing.PlanFacts,
    items: list[TaskFigure],
    unit_names: Mapping[int, str],
    on: date,
    plan_rules: status.Rules,
    previous: Previous | None,
) -> list[status.RankingRow]:
    colours = {t.task.id: t.status.colour for t in items}
    tallies = _tallies(
        loaded.tasks,
        colours,
        {t.task.id: t.late for t in items},
        {t.task.id: t.missing for t in items},
        unit_names,
        {t.task.id for t in items if t.excused},
        status.overdue_by_unit(loaded.rectification_facts, on),
    )
    return status.rank_units(tallies, plan_rules, previous.ranks if previous else None)


def _task_figure(
    task: standing.TaskInfo,
    facts: status.TaskFacts,
    on: date,
    plan_rules: status.Rules,
    period_names: Mapping[int, str],
    period: status.PeriodFact | None,
    previous: Previous | None,
    explain: bool,
    excused: bool = False,
) -> TaskFigure:
    decided = status.colour_on(facts, on, plan_rules)
    before = previous.colours.get(task.id) if previous else None
    st = status.status_of(facts, on, decided, before)
    reporting = task.reporting_unit_id is not None
    submitted = facts.first_submitted.get(period.id) if period else None
    why = None
    if task.assessed and explain:

        def why() -> str:
            reason = reasons.explain(facts, on, plan_rules, period_names, decided)
            return reason if reporting else f"{NO_UNIT_REASON}{reason}"

    latest = status.latest_approved(facts, on)
    given = "" if task.assessed else EXCLUDED_REASON
    if task.assessed and excused:
        given = EXCUSED_REASON
    return TaskFigure(
        task=task,
        status=st,
        given_reason=given,
        missing=bool(reporting and period and status.is_missing(facts, period, on)),
        late=bool(reporting and period and status.is_late(facts, period, on)),
        submitted_on=submitted if submitted is not None and submitted <= on else None,
        assessed=task.assessed and not excused,
        approved_report_id=latest.report_id if latest else None,
        why=why,
        excused=task.assessed and excused,
    )


def _issue_json(bulletin: Bulletin) -> dict[str, Any]:
    return {
        "id": bulletin.id,
        "number": bulletin.number,
        "issued_on": bulletin.issued_on.isoformat(),
        "taken_on": bulletin.taken_on.isoformat(),
    }


def issued_bulletins(session: Session, plan_ids: Collection[int]) -> dict[int, Bulletin]:
    """Issued bulletins by period, for the plans given (the previous period's arrows read them)."""
    if not plan_ids:
        return {}
    return {b.period_id: b for b in session.scalars(select(Bulletin).where(Bulletin.plan_id.in_(plan_ids)))}


def of_plan(
    session: Session, plan_id: int, period_id: int | None, asked: date, *, explain: bool = True
) -> PlanFigures:
    """The figures of a plan's period taken on a day: what every page and document shows."""
    loaded = standing.load(session, plan_id)
    issued = issued_bulletins(session, [plan_id])
    return compute(session, loaded, period_id, asked, issued=issued, explain=explain)


def of_period(session: Session, period_id: int, asked: date) -> PlanFigures:
    period = session.get(Period, period_id)
    if period is None:
        raise NotFound("报送期不存在 / no such period")
    return of_plan(session, period.plan_id, period.id, asked)


def of_plans(session: Session, plan_ids: Collection[int], asked: date) -> dict[int, PlanFigures]:
    """The current figures of several plans at once (a city's comparison), in a fixed number of queries."""
    loaded = standing.load_many(session, plan_ids)
    issued = issued_bulletins(session, list(loaded))
    wanted = {
        t.reporting_unit_id for p in loaded.values() for t in p.tasks if t.reporting_unit_id is not None
    }
    names = dict(session.execute(select(Unit.id, Unit.name).where(Unit.id.in_(wanted))).all())
    plan_rules = rules.rules_for_many(session, list(loaded))
    return {
        plan_id: compute(
            session,
            facts,
            None,
            asked,
            plan_rules=plan_rules[plan_id],
            unit_names=names,
            section_titles={},
            issued=issued,
            explain=False,
        )
        for plan_id, facts in loaded.items()
    }


def snapshot(figures: PlanFigures) -> dict[str, Any]:
    """The figures as stored with an issued bulletin: enough to show them again and to compare with."""
    return {
        "basis": figures.basis.as_json(),
        "previous": figures.previous.as_json() if figures.previous else None,
        "counts": counts(figures.tasks),
        "arrows": arrow_counts(figures.tasks),
        "tasks": [
            {
                "task": t.task.id,
                "no": t.task.no,
                "colour": t.status.colour,
                "arrow": t.status.arrow,
                "progress": t.status.progress,
                "schedule": t.status.schedule,
                "reported": t.status.reported,
                "missing": t.missing,
                "late": t.late,
                "assessed": t.assessed,
                "unit": t.task.reporting_unit_id,
            }
            for t in figures.tasks
        ],
        "ranking": [ranking_json(r) for r in figures.ranking],
    }


def ranking_json(row: status.RankingRow) -> dict[str, Any]:
    return {
        "unit": row.unit_id,
        "name": row.name,
        "score": row.score,
        "rank": row.rank,
        "arrow": row.arrow,
        "tasks": row.tasks,
        "late": row.late,
        "missing": row.missing,
        "overdue_rectifications": row.overdue_rectifications,
    }
