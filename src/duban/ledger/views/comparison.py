"""A city's comparison of its counties (市对县区的比较): for each jurisdiction below it, the tasks of that
year's plans by colour, on-time reporting for the latest period due, and a score and rank.

The score applies the ranking formula of ``ledger.md`` unchanged: every reporting unit of the county's plans
is scored for its plan's latest period due (``100 × Σ w / n`` minus 5 per late and 10 per missing report),
and the county's score is the mean of its units' scores, so a county of 40 units and one of 80 are compared
on the same scale. Ranks are competition ranks (ties share a rank), as for units."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from duban.ledger.rules import status
from duban.ledger.services import jurisdictions
from duban.ledger.store.models import Jurisdiction, Plan
from duban.ledger.views import figures


@dataclass
class CountyRow:
    jurisdiction_id: int
    name: str
    plans: int = 0
    tasks: int = 0
    colours: dict[str, int] = field(default_factory=dict)
    reports_due: int = 0
    reports_on_time: int = 0
    score: float | None = None
    rank: int | None = None

    @property
    def on_time_rate(self) -> float | None:
        return round(100 * self.reports_on_time / self.reports_due, 1) if self.reports_due else None


def compare(
    session: Session, parent_id: int, on: date, year: int | None = None
) -> tuple[int | None, list[CountyRow]]:
    """(the year compared, a row per jurisdiction directly below ``parent_id``), best score first. Without
    ``year``: the latest year, up to ``on``'s, for which any of them has a plan. Every plan's figures are
    computed from one load of all of them (``figures.of_plans``), not plan by plan."""
    children = list(
        session.scalars(
            select(Jurisdiction).where(Jurisdiction.parent_id == parent_id).order_by(Jurisdiction.id)
        )
    )
    tree = jurisdictions.descendants(session, [c.id for c in children])
    plans = list(session.scalars(select(Plan).where(Plan.jurisdiction_id.in_(list(tree))).order_by(Plan.id)))
    plans_of: dict[int, list[Plan]] = {c.id: [] for c in children}
    for plan in plans:
        if plan.jurisdiction_id is not None:
            plans_of[tree[plan.jurisdiction_id]].append(plan)
    years = {p.year for p in plans if p.year <= on.year}
    year = year or (max(years) if years else None)
    chosen = [p.id for p in plans if p.year == year]
    computed = figures.of_plans(session, chosen, on)
    rows = [_row(c, [computed[p.id] for p in plans_of[c.id] if p.id in computed]) for c in children]
    scored = {r.jurisdiction_id: r.score for r in rows if r.score is not None}
    ranks = status.competition_ranks(scored)
    for row in rows:
        row.rank = ranks.get(row.jurisdiction_id)
    rows.sort(key=lambda r: (r.rank is None, r.rank or 0, r.name))
    return year, rows


def _row(county: Jurisdiction, plans: list[figures.PlanFigures]) -> CountyRow:
    row = CountyRow(county.id, county.name, plans=len(plans))
    colours: Counter[str] = Counter()
    unit_scores: list[float] = []
    for plan in plans:
        counted = figures.counts(plan.tasks)
        row.tasks += counted["total"]
        colours.update({c: counted[c] for c in figures.COLOURS})
        if plan.basis.period_due is None or plan.basis.period_due > plan.basis.on:
            continue  # no period due yet: nothing to rank
        for ranked in plan.ranking:
            unit_scores.append(ranked.score)
            row.reports_due += ranked.tasks
            row.reports_on_time += ranked.tasks - ranked.late - ranked.missing
    row.colours = {c: colours.get(c, 0) for c in status.COLOUR_LABELS}
    row.score = round(sum(unit_scores) / len(unit_scores), 2) if unit_scores else None
    return row
