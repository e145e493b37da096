"""The engine over a scripted year: every day of 2021 in order (the ``--on`` day moving through the sample
plan's quarterly periods), the units acting after the morning's run. Checks the notices of each key day,
that nothing is ever issued twice, and that escalation follows the rules (issue 16)."""

from __future__ import annotations

import threading
from collections import Counter
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from duban.ledger.services import chasing
from duban.ledger.store.db import Database, connect
from duban.ledger.store.models import Change, Event, Notice, Period
from tests.chasing.scripted import Sample, at, published, published_copies, review, submit
from tests.databases import fresh_postgres

Q1, Q2, Q3 = date(2021, 3, 31), date(2021, 6, 30), date(2021, 9, 30)


def _actions(database: Database, sample: Sample, day: date) -> None:
    """What the units and the office do on ``day`` (after the engine's morning run)."""
    if day == date(2021, 3, 30):  # task 1 reports Q1 on time, approved
        review(database, sample, submit(database, sample, "1", Q1, 30, day), True, day)
    if day == date(2021, 4, 6):  # task 3 reports Q1 late and is returned the same day
        review(database, sample, submit(database, sample, "3", Q1, 20, day), False, day)
    if day == date(2021, 6, 21):  # task 1 reports Q2 early
        review(database, sample, submit(database, sample, "1", Q2, 60, day), True, day)


def _run(database: Database, day: date) -> chasing.RunResult:
    with database.writer() as session:
        return chasing.run(session, day, at(day, 8))


def test_scripted_year(database: Database) -> None:
    sample = published(database)
    task_of = {v: k for k, v in sample.tasks.items()}
    by_day: dict[date, set[tuple[str, str]]] = {}
    day = date(2021, 2, 10)
    while day <= date(2021, 10, 15):
        result = _run(database, day)
        by_day[day] = {(i.kind, task_of[i.task_id]) for i in result.issued}
        if result.issued:  # a second run the same day issues nothing again
            assert not _run(database, day).issued, f"second run on {day} issued again"
        _actions(database, sample, day)
        day += timedelta(days=1)

    # 临近提醒: three working days before 2021-03-31 is Friday 03-26; nobody had reported yet.
    assert by_day[date(2021, 3, 25)] == set()
    assert by_day[date(2021, 3, 26)] == {("remind", "1"), ("remind", "2"), ("remind", "3")}
    assert by_day[date(2021, 3, 27)] == set()  # Saturday: the engine does not chase on rest days
    # 催报 the next working day after the due date, and the task yellow (latest period missing).
    assert by_day[date(2021, 4, 1)] == {("chase", "2"), ("yellow", "2"), ("chase", "3"), ("yellow", "3")}
    # 清明 (04-03..04-05) is not counted: five working days after 04-01 is 04-09 → 红色督办单 for task 2;
    # task 3's report, returned on 04-06 and not resubmitted for three working days, is chased again.
    for quiet in (date(2021, 4, 2), date(2021, 4, 6), date(2021, 4, 7), date(2021, 4, 8)):
        assert by_day[quiet] == set(), quiet
    assert by_day[date(2021, 4, 9)] == {("red", "2"), ("returned", "3")}
    # Q2: task 1 reported on time; tasks 2 and 3 get the reminder, then on 07-01 the 催报; task 2 has
    # two missing periods in a row and task 3 no approved report (p 0 < s 43.2 − 30): both red, and each
    # gets a 红色督办单 for Q2.
    assert ("remind", "1") not in by_day[date(2021, 6, 25)]
    assert {("remind", "2"), ("remind", "3")} <= by_day[date(2021, 6, 25)]
    assert by_day[date(2021, 7, 1)] == {("chase", "2"), ("red", "2"), ("chase", "3"), ("red", "3")}
    # Q3: task 1 did not report → chase and yellow the next working day.
    assert {("chase", "1"), ("yellow", "1")} <= by_day[date(2021, 10, 8)]  # after 国庆 (10-01..10-07)
    assert all(("chase", "1") not in by_day[d] for d in by_day if date(2021, 10, 1) <= d < date(2021, 10, 8))

    with database.reader() as session:
        keys = session.execute(select(Notice.kind, Notice.task_id, Notice.unit_id, Notice.period_id)).all()
        assert len(keys) == len(set(keys))
        notices = {(n.kind, task_of[n.task_id], n.period_id): n for n in session.scalars(select(Notice))}
        # Task 3's 催报 for Q1 was answered by its (returned) report; task 2's was not.
        assert notices[("chase", "3", sample.periods[Q1])].state == "answered"
        assert notices[("chase", "2", sample.periods[Q1])].state == "issued"
        # 督办单 are numbered in the year without gaps; reminders are not.
        numbers = sorted(n.number for n in notices.values() if n.kind in ("yellow", "red"))
        assert numbers == list(range(1, len(numbers) + 1))
        assert all(n.number is None for n in notices.values() if n.kind not in ("yellow", "red"))
        red = notices[("red", "2", sample.periods[Q1])]
        assert "催报后5个工作日仍未报送" in red.reason and red.respond_by is not None
        # Every notice issued and answered went through transitions: a change-log row and an event each.
        issued_events = session.scalar(select(func.count()).where(Event.kind == "notice.issued"))
        assert issued_events == len(notices)
        logged = Counter(
            session.execute(select(Change.action).where(Change.object_type == "notice")).scalars()
        )
        assert logged["issue"] == len(notices)
        assert logged["answer"] == sum(n.state == "answered" for n in notices.values())


def test_rules_switched_off_and_rest_day(database: Database) -> None:
    from duban.ledger.services import plan_rules
    from duban.ledger.store.models import User

    sample = published(database)
    with database.writer() as session:
        admin = session.get(User, sample.admin_id)
        assert admin is not None
        plan_rules.set_chasing(session, sample.plan_id, {"yellow": False, "remind_days": 1}, admin, at(Q1))
    assert {i.kind for i in _run(database, date(2021, 3, 26)).issued} == set()  # 3 working days: off now
    assert {i.kind for i in _run(database, date(2021, 3, 30)).issued} == {"remind"}
    assert {i.kind for i in _run(database, date(2021, 4, 1)).issued} == {"chase"}


def test_a_plan_over_for_a_month_is_no_longer_chased(database: Database) -> None:
    """A past year's plan kept in the database gets no burst of 督办单 years later; its last period is still
    chased in the January after it."""
    sample = published(database)
    with database.reader() as session:
        last_due = session.scalar(select(func.max(Period.due)).where(Period.plan_id == sample.plan_id))
        assert last_due is not None and last_due.year == 2021
        assert chasing.chased_plans(session, last_due + timedelta(days=31)) == [sample.plan_id]
        assert chasing.chased_plans(session, last_due + timedelta(days=32)) == []
    later = _run(database, date(2023, 3, 1))
    assert later.workday and later.plans == 0 and not later.issued
    january = _run(database, date(2022, 1, 4))  # the next working day after the last period
    assert january.plans == 1 and {"chase", "red"} <= {i.kind for i in january.issued}


@pytest.mark.postgres
def test_two_engines_at_once_on_postgres(monkeypatch: pytest.MonkeyPatch) -> None:
    """Two engines (two threads, their own connections and sessions) started together on one PostgreSQL
    database, each as ``duban remind`` runs it (working out the next batch of plans in a thread of its own;
    one plan a batch here): each notice exists once and only one of them reports having issued it."""
    monkeypatch.setattr(chasing, "PLANS_PER_BATCH", 1)
    with fresh_postgres() as url:
        database = connect(url)
        try:
            sample = published(database)
            published_copies(database, sample, 2)
            day = date(2021, 4, 1)
            results: list[chasing.RunResult] = []
            errors: list[BaseException] = []
            barrier = threading.Barrier(2)

            def engine() -> None:
                other = connect(url, upgrade=False)
                try:
                    barrier.wait()
                    with other.writer() as session:
                        results.append(chasing.run(session, day, at(day, 8), reads=other.reader))
                except BaseException as exc:  # reported below, never lost in the thread
                    errors.append(exc)
                finally:
                    other.dispose()

            threads = [threading.Thread(target=engine) for _ in range(2)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(60)
            assert not errors
            issued = sorted(len(r.issued) for r in results)
            assert issued == [0, 18]  # 催报 and 黄色督办单 for each of the three tasks of three plans
            with database.reader() as session:
                assert session.scalar(select(func.count()).select_from(Notice)) == 18
            del sample
        finally:
            database.dispose()


def test_working_days_of_the_chinese_calendar_and_the_office() -> None:
    from duban.ledger.rules.workdays import Workdays

    plain = Workdays()
    # 清明 2021: 04-03..04-05 off; 2021-09-18 (Saturday) a make-up working day before 中秋.
    assert plain.between(date(2021, 4, 1), date(2021, 4, 9)) == 5
    assert plain.is_workday(date(2021, 9, 18)) and not plain.is_workday(date(2021, 9, 20))
    office = Workdays({date(2021, 4, 2): False, date(2021, 4, 3): True})
    assert office.between(date(2021, 4, 1), date(2021, 4, 9)) == 5  # one day off, one day on
    assert office.next_workday(date(2021, 4, 1)) == date(2021, 4, 3)
    assert Workdays().add(date(2021, 4, 1), 5) == date(2021, 4, 9)
