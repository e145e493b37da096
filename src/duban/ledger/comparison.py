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

from duban.ledger import jurisdictions, standing, status
from duban.ledger.models import Jurisdiction, Period, Plan


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
    ``year``: the latest year, up to ``on``'s, for which any of them has a plan."""
    children = list(
        session.scalars(
            select(Jurisdiction).where(Jurisdiction.parent_id == parent_id).order_by(Jurisdiction.id)
        )
    )
    plans_of = {c.id: _plans(session, c.id) for c in children}
    years = {p.year for plans in plans_of.values() for p in plans if p.year <= on.year}
    year = year or (max(years) if years else None)
    rows = [_row(session, c, [p for p in plans_of[c.id] if p.year == year], on) for c in children]
    scored = {r.jurisdiction_id: r.score for r in rows if r.score is not None}
    ranks = status.competition_ranks(scored)
    for row in rows:
        row.rank = ranks.get(row.jurisdiction_id)
    rows.sort(key=lambda r: (r.rank is None, r.rank or 0, r.name))
    return year, rows


def _plans(session: Session, jurisdiction_id: int) -> list[Plan]:
    ids = jurisdictions.subtree(session, jurisdiction_id)
    return list(session.scalars(select(Plan).where(Plan.jurisdiction_id.in_(ids)).order_by(Plan.id)))


def _row(session: Session, county: Jurisdiction, plans: list[Plan], on: date) -> CountyRow:
    row = CountyRow(county.id, county.name, plans=len(plans))
    colours: Counter[str] = Counter()
    unit_scores: list[float] = []
    for plan in plans:
        statuses = standing.plan_status(session, plan.id, on)
        row.tasks += len(statuses)
        colours.update(st.colour for _, st in statuses)
        period = session.scalar(
            select(Period)
            .where(Period.plan_id == plan.id, Period.due <= on)
            .order_by(Period.due.desc())
            .limit(1)
        )
        if period is None:
            continue
        for ranked in standing.plan_rankings(session, plan.id, period.id, on):
            unit_scores.append(ranked.score)
            row.reports_due += ranked.tasks
            row.reports_on_time += ranked.tasks - ranked.late - ranked.missing
    row.colours = {c: colours.get(c, 0) for c in status.COLOUR_LABELS}
    row.score = round(sum(unit_scores) / len(unit_scores), 2) if unit_scores else None
    return row
