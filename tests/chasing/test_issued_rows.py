"""What the engine stores with every notice it issues, written by the database itself (INSERT … SELECT from
the notices just inserted): one change-log row, one ``notice.issued`` event, and the deliveries the unit's
contact and the plan's copy rules call for, each address once. Both databases."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import delete, insert, select
from sqlalchemy.exc import IntegrityError

from duban.ledger.services import chasing, contacts, plan_rules
from duban.ledger.store.db import Database
from duban.ledger.store.models import Change, Delivery, Event, Notice, Task, User
from tests.chasing.scripted import at, published, published_copies


def test_each_notice_has_its_log_event_and_deliveries(database: Database) -> None:
    sample = published(database, receipt_reminders=True)
    with database.writer() as session:
        admin = session.get(User, sample.admin_id)
        assert admin is not None
        contacts.set_contact(  # task 2's unit: its own address is also the plan's copy address
            session,
            admin,
            sample.units["2"],
            contacts.ContactInput(
                email="shared@example.org", robot_kind="dingtalk", robot_url="http://127.0.0.1:9/d"
            ),
            at(date(2021, 3, 1)),
        )
        plan_rules.set_chasing(
            session,
            sample.plan_id,
            {"copy_emails": ["shared@example.org", "leaders@example.org"]},
            admin,
            at(date(2021, 3, 1)),
        )
    day = date(2021, 4, 1)
    with database.writer() as session:
        result = chasing.run(session, day, at(day, 8))
    kinds = {i.kind for i in result.issued}
    assert {"chase", "receipt"} <= kinds

    with database.reader() as session:
        notices = session.scalars(select(Notice)).all()
        assert len(notices) == len(result.issued)
        logged = {
            c.object_id: c for c in session.scalars(select(Change).where(Change.object_type == "notice"))
        }
        raised = {e.object_id: e for e in session.scalars(select(Event).where(Event.kind == "notice.issued"))}
        deliveries = session.scalars(select(Delivery)).all()
    assert set(logged) == set(raised) == {n.id for n in notices}
    for notice in notices:
        change, event = logged[notice.id], raised[notice.id]
        after = {"state": "issued", "kind": notice.kind, "task_id": notice.task_id, "number": notice.number}
        assert (change.action, change.actor, change.user_id, change.before) == ("issue", "system", None, None)
        assert change.after == after and event.payload == after
        assert change.at == event.created_at == at(day, 8)
        assert (event.plan_id, event.unit_id, event.period_id) == (
            notice.plan_id,
            notice.unit_id,
            notice.period_id,
        )
        assert event.handled_at is None
    assert any(n.number is not None for n in notices)  # a 督办单's number is in its log row

    targets: dict[int, list[tuple[str, str, bool]]] = {}
    for d in deliveries:
        targets.setdefault(d.notice_id, []).append((d.channel, d.target, d.copy))
        assert (d.state, d.attempts, d.last_error, d.sent_at) == ("pending", 0, None, None)
        assert d.next_try_at == d.created_at == at(day, 8) and d.secret is None
    assert result.deliveries == len(deliveries)
    for notice in notices:
        got = sorted(targets.get(notice.id, []))
        if notice.kind == "receipt":  # in the app only
            assert got == []
            continue
        own = notice.unit_id == sample.units["2"]
        expected = (
            [("dingtalk", "http://127.0.0.1:9/d", False), ("email", "shared@example.org", False)]
            if own
            else []
        )
        if notice.kind in ("chase", "yellow", "red"):
            expected.append(("email", "leaders@example.org", True))
            if not own:
                expected.append(("email", "shared@example.org", True))
        assert got == sorted(expected), (notice.kind, notice.unit_id)

    # A second run the same day issues nothing and writes no row.
    with database.writer() as session:
        again = chasing.run(session, day, at(day, 9))
    assert again.issued == [] and again.deliveries == 0
    with database.reader() as session:
        assert len(session.scalars(select(Delivery)).all()) == len(deliveries)
        assert len(session.scalars(select(Change).where(Change.object_type == "notice")).all()) == len(
            notices
        )


def test_a_notice_belongs_to_its_tasks_plan(database: Database) -> None:
    """One key on (task, plan) (migration 0015): a notice naming another plan than its task's is refused, and
    removing the task removes its notices with their deliveries."""
    sample = published(database)
    [other] = published_copies(database, sample, 1)
    day = date(2021, 4, 1)
    with database.writer() as session:
        issued = chasing.run(session, day, at(day, 8)).issued
    first = issued[0]
    with pytest.raises(IntegrityError), database.writer() as session:
        session.execute(
            insert(Notice).values(
                kind="remind", state="issued", plan_id=other, task_id=first.task_id, unit_id=first.unit_id,
                period_id=first.period_id, day=day, year=2021, reason="", leaders=[], created_at=at(day),
                version=1,
            )
        )  # fmt: skip
    with database.writer() as session:
        session.execute(delete(Task).where(Task.id == first.task_id))
    with database.reader() as session:
        left = session.scalars(select(Notice.task_id)).all()
        assert left and first.task_id not in left and sample.plan_id != other
        assert len(left) == len([i for i in issued if i.task_id != first.task_id])
        kept = set(session.scalars(select(Notice.id)).all())
        assert set(session.scalars(select(Delivery.notice_id)).all()) <= kept
