"""签收提醒 (issue 16 × issue 21) on SQLite and PostgreSQL: a unit that has not confirmed a task of a published
plan ``receipt_days`` working days after publication gets one reminder per task, in the app only, never
twice; its 签收 answers it; a unit that confirmed in time gets none; the switch turns it off."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import func, select

from duban.ledger.services import auth, chasing, contacts, plan_rules, requests
from duban.ledger.store.db import Database
from duban.ledger.store.models import Delivery, Notice, Unit, User
from duban.ledger.views import notices
from tests.chasing.scripted import at, published


def _run(database: Database, day: date) -> set[tuple[int, int]]:
    with database.writer() as session:
        return {
            (i.task_id, i.unit_id)
            for i in chasing.run(session, day, at(day, 8)).issued
            if i.kind == "receipt"
        }


def test_receipt_reminders(database: Database) -> None:
    sample = published(database, receipt_reminders=True)  # published Wednesday 2021-02-10
    with database.writer() as session:
        names = dict(session.execute(select(Unit.id, Unit.name)).all())
        lead1 = auth.add_user(
            session, "lead1", "unit", "password-1", names[sample.units["1"]], at(date(2021, 2, 10))
        )
        lead2 = auth.add_user(
            session, "lead2", "unit", "password-1", names[sample.units["2"]], at(date(2021, 2, 10))
        )
        admin = session.get(User, sample.admin_id)
        assert admin is not None
        contacts.set_contact(
            session,
            admin,
            sample.units["2"],
            contacts.ContactInput(email="gxj@example.org"),
            at(date(2021, 2, 10)),
        )
        assigned = requests.assignees(session, sample.tasks.values())
        lead1_id, lead2_id = lead1.id, lead2.id
    owed = {(task_id, unit_id) for task_id, units in assigned.items() for unit_id in units}
    owed.discard((sample.tasks["1"], sample.units["1"]))  # confirmed on the first working day below
    assert (sample.tasks["2"], sample.units["2"]) in owed and len(owed) > 3

    by_day: dict[date, set[tuple[int, int]]] = {}
    day = date(2021, 2, 10)
    while day <= date(2021, 2, 24):
        by_day[day] = _run(database, day)
        if day == date(2021, 2, 18):  # first working day after 春节 (02-11..02-17)
            with database.writer() as session:
                user = session.get(User, lead1_id)
                assert user is not None
                requests.confirm(session, user, sample.tasks["1"], at(day, 9))
        day += timedelta(days=1)
    # Three working days after 02-10: 02-18, 02-19 and Saturday 02-20 (调休 working day) → reminders then,
    # once each, for every assignment not confirmed; nothing on the other days.
    assert by_day[date(2021, 2, 20)] == owed
    assert all(not issued for d, issued in by_day.items() if d != date(2021, 2, 20)), by_day

    with database.writer() as session:
        user = session.get(User, lead2_id)
        assert user is not None
        bell = notices.bell(session, user)
        mine = [n for n in bell["items"] if n.kind == "receipt"]
        assert [(n.task_id, n.unit_id) for n in mine] == [(sample.tasks["2"], sample.units["2"])]
        assert mine[0].label == "签收提醒" and mine[0].link == "/my" and "仍未签收" in mine[0].reason
        # In the app only: the unit's e-mail address gets nothing for it.
        sent = session.scalar(
            select(func.count()).select_from(Delivery).join(Notice).where(Notice.kind == "receipt")
        )
        assert sent == 0
        requests.confirm(session, user, sample.tasks["2"], at(date(2021, 2, 24), 15))
    _run(database, date(2021, 2, 25))
    with database.reader() as session:
        states = dict(
            session.execute(
                select(Notice.task_id, Notice.state).where(
                    Notice.kind == "receipt", Notice.unit_id.in_((sample.units["2"], sample.units["3"]))
                )
            ).all()
        )
        assert states == {sample.tasks["2"]: "answered", sample.tasks["3"]: "issued"}


def test_receipt_reminders_switched_off(database: Database) -> None:
    sample = published(database, receipt_reminders=True)
    with database.writer() as session:
        admin = session.get(User, sample.admin_id)
        assert admin is not None
        plan_rules.set_chasing(session, sample.plan_id, {"receipt": False}, admin, at(date(2021, 2, 10)))
    assert _run(database, date(2021, 2, 22)) == set()
    with database.writer() as session:
        admin = session.get(User, sample.admin_id)
        assert admin is not None
        plan_rules.set_chasing(
            session, sample.plan_id, {"receipt": True, "receipt_days": 6}, admin, at(date(2021, 2, 22))
        )
    assert _run(database, date(2021, 2, 23)) == set()  # 02-18, 19, 20 (调休), 22, 23: five working days
    assert _run(database, date(2021, 2, 24))
