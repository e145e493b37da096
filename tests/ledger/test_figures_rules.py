"""The figures of a period taken on a date (``ledger.md``, *Figures of a period*) as a rules table on a real
database: the worked example, checkpoints, final figures, only the reporting unit missing or late, scores
floored at 0, and arrows against the previous period's issued bulletin. SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest
from sqlalchemy import select

from duban.ledger.errors import Conflict
from duban.ledger.services import auth, publishing
from duban.ledger.store.db import Database
from duban.ledger.store.models import Period, Plan, Report, Task, Unit
from duban.ledger.views import figures as fig
from duban.outputs import documents
from tests.ledger.conftest import NOW
from tests.ledger.helpers import NOTICE, imported

Y = 2021


def _at(day: date) -> datetime:
    return datetime.combine(day, time(10))


def file(
    database: Database,
    task_no: str,
    quarter: int,
    progress: float,
    submitted: date,
    approved: date | None = None,
    *,
    revision: int = 1,
    state: str | None = None,
    completed: bool = False,
    unit: str | None = None,
) -> None:
    """A report of the task's reporting unit (or ``unit``) for quarter ``quarter``, stored as it would be."""
    with database.writer() as session:
        task = session.scalar(select(Task).where(Task.no == task_no))
        period = session.scalar(select(Period).where(Period.due == _quarter_due(quarter)))
        assert task is not None and period is not None
        unit_id = task.reporting_unit_id
        if unit is not None:
            unit_id = session.scalar(select(Unit.id).where(Unit.name == unit))
        session.add(
            Report(
                task_id=task.id,
                unit_id=unit_id,
                period_id=period.id,
                revision=revision,
                state=state or ("approved" if approved else "submitted"),
                progress=progress,
                completed=completed,
                values=[],
                submitted_at=_at(submitted),
                first_submitted_at=_at(submitted),
                approved_at=_at(approved) if approved else None,
                created_at=_at(submitted),
                updated_at=_at(submitted),
            )
        )


def _quarter_due(quarter: int) -> date:
    return [date(Y, 3, 31), date(Y, 6, 30), date(Y, 9, 30), date(Y, 12, 31)][quarter - 1]


def period_id(database: Database, quarter: int) -> int:
    with database.reader() as session:
        found = session.scalar(select(Period.id).where(Period.due == _quarter_due(quarter)))
        assert found is not None
        return found


def figures_of(database: Database, quarter: int | None, on: date) -> fig.PlanFigures:
    with database.reader() as session:
        plan_id = session.scalar(select(Task.plan_id).limit(1))
        assert plan_id is not None
        chosen = period_id(database, quarter) if quarter else None
        return fig.of_plan(session, plan_id, chosen, on)


def task(figures: fig.PlanFigures, no: str) -> fig.TaskFigure:
    return next(t for t in figures.tasks if t.task.no == no)


@pytest.fixture
def plan(database: Database) -> Database:
    imported(database, NOTICE, NOW)
    return database


def test_worked_example(plan: Database) -> None:
    """ledger.md's worked example: red on 2021-07-15 with nothing reported (s = 43.2 at the checkpoint
    2021-06-30), blue and ↑ once the late Q2 report of 50 is approved (Q1's final figures: yellow)."""
    before = figures_of(plan, None, date(Y, 7, 15))
    one = task(before, "1")
    assert before.basis.period_name.endswith("第二季度") and before.basis.on == date(Y, 7, 15)
    assert (one.status.colour, one.status.schedule, one.status.reported) == ("red", 43.2, False)
    assert one.missing and not one.late and one.state_words == "未报送"
    assert before.previous is not None and before.previous.source == "final"
    assert before.previous.colours[one.task.id] == "yellow"  # Q1 final, taken on 2021-06-29
    file(plan, "1", 2, 50, date(Y, 7, 15), date(Y, 7, 15))
    after = task(figures_of(plan, None, date(Y, 7, 15)), "1")
    assert (after.status.colour, after.status.arrow, after.status.progress) == ("blue", "up", 50.0)
    assert after.late and not after.missing and after.state_words == "逾期（7月15日报送）"


def test_checkpoint_keeps_colours_between_deadlines(plan: Database) -> None:
    """A unit 60 % on time for Q3 of a task due at year end stays where Q3 put it until Q4 falls due."""
    file(plan, "1", 1, 20, date(Y, 3, 30), date(Y, 3, 31))
    file(plan, "1", 2, 40, date(Y, 6, 29), date(Y, 6, 30))
    file(plan, "1", 3, 60, date(Y, 9, 29), date(Y, 9, 30))
    october = task(figures_of(plan, None, date(Y, 10, 10)), "1")
    december = task(figures_of(plan, None, date(Y, 12, 20)), "1")
    assert october.status.schedule == december.status.schedule == round(232 / 324 * 100, 1)
    assert october.status.colour == december.status.colour == "yellow"  # 60 < 71.6 − 10, never drifting red


def test_final_figures_are_taken_the_day_before_the_next_due_date(plan: Database) -> None:
    file(plan, "1", 2, 30, date(Y, 6, 28), date(Y, 6, 29))
    file(plan, "1", 2, 70, date(Y, 9, 1), date(Y, 10, 5), revision=2)  # a correction approved too late
    file(plan, "1", 3, 90, date(Y, 9, 20), date(Y, 9, 21))  # Q3's report does not count in Q2's figures
    q2 = figures_of(plan, 2, date(Y, 11, 1))
    assert q2.basis.on == date(Y, 9, 29) and q2.basis.final and q2.basis.asked == date(Y, 11, 1)
    assert q2.basis.label == "2021年第二季度 · 截至2021年9月29日"
    assert task(q2, "1").status.progress == 30.0
    early = figures_of(plan, 2, date(Y, 8, 1))
    assert early.basis.on == date(Y, 8, 1) and not early.basis.final
    last = figures_of(plan, 4, date(Y + 1, 1, 20))
    assert last.basis.on == date(Y + 1, 1, 20)  # the last period: the day asked


def test_only_the_reporting_unit_is_missing_or_late(plan: Database) -> None:
    """Task 1 is reported by 县发展和改革委员会; 县财政局 and 县自然资源局 support it and are never charged."""
    file(plan, "1", 2, 50, date(Y, 7, 5), date(Y, 7, 6))  # late
    figures = figures_of(plan, 2, date(Y, 7, 15))
    names = {
        figures.unit_name(t.task.reporting_unit_id) for t in figures.late_tasks() + figures.missing_tasks()
    }
    assert "县财政局" not in names and "县自然资源局" not in names
    assert {r.name for r in figures.ranking} == {
        figures.unit_name(t.task.reporting_unit_id) for t in figures.tasks
    }
    own = next(r for r in figures.ranking if r.name == "县发展和改革委员会")
    assert (own.late, own.missing, own.score) == (1, 0, 95.0)


def test_scores_stop_at_zero_and_share_the_last_rank(plan: Database) -> None:
    figures = figures_of(plan, 2, date(Y, 7, 15))  # nothing reported: every unit red and missing
    assert figures.ranking and all(r.score == 0 and r.rank == 1 for r in figures.ranking)


def test_a_task_without_reporting_unit_blocks_publishing_until_excluded(plan: Database) -> None:
    with plan.writer() as session:
        target = session.scalar(select(Task).where(Task.no == "2"))
        assert target is not None
        target.reporting_unit_id = None
        draft = session.get(Plan, target.plan_id)
        assert draft is not None
        with pytest.raises(Conflict, match="第2项"):
            publishing.publish(session, draft, None, NOW)
        target.assessed = False
        publishing.publish(session, draft, None, NOW)
        assert draft.state == "published"
    figures = figures_of(plan, 2, date(Y, 7, 15))
    excluded = task(figures, "2")
    assert not excluded.assessed and excluded.reason.startswith("不考核")
    assert fig.counts(figures.tasks)["total"] == 2


def test_an_issued_bulletin_stands_and_the_next_arrows_follow_it(plan: Database) -> None:
    file(plan, "1", 2, 50, date(Y, 6, 29), date(Y, 6, 30))
    with plan.writer() as session:
        admin = auth.add_user(session, "office", "admin", "password-1", None, NOW)
        issued = documents.issue(
            session,
            period_id(plan, 2),
            date(Y, 7, 2),
            date(Y, 7, 2),
            False,
            documents.BulletinOptions(masthead=True),
            admin,
            NOW,
        )
        stored, document = dict(issued.figures), bytes(issued.document)
        assert issued.number == 1 and issued.taken_on == date(Y, 7, 2)
    printed = {r["name"]: r["rank"] for r in stored["ranking"]}
    # Later reports for Q2 change the live figures of Q2 but not what was printed.
    file(plan, "2", 2, 100, date(Y, 7, 10), date(Y, 7, 11), completed=True)
    live = figures_of(plan, 2, date(Y, 9, 29))
    assert {r.name: r.rank for r in live.ranking} != printed
    with plan.reader() as session:
        again = session.get(type(issued), issued.id)
        assert again is not None and again.figures == stored and again.document == document
    # Q3's arrows compare with the printed Q2 ranks, not Q2's final figures.
    q3 = figures_of(plan, 3, date(Y, 10, 10))
    assert q3.previous is not None and q3.previous.source == "issued" and q3.previous.number == 1
    for row in q3.ranking:
        before = printed[row.name]
        assert row.arrow == ("up" if row.rank < before else "down" if row.rank > before else "same")
    with plan.writer() as session, pytest.raises(Conflict, match="已印发"):
        documents.issue(
            session, period_id(plan, 2), None, date(Y, 10, 1), False, documents.BulletinOptions(), admin, NOW
        )
