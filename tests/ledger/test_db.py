"""The session contract every module relies on: ``reader()`` never writes, ``writer()`` is all or nothing."""

from __future__ import annotations

from datetime import date, datetime
from typing import cast

import pytest
from sqlalchemy import Table, func, select

from duban.ledger.store.db import Database, insert_rows
from duban.ledger.store.models import CalendarDay, Change, Jurisdiction

NOW = datetime(2021, 7, 15, 9)


def _count(database: Database) -> int:
    with database.reader() as session:
        return int(session.scalar(select(func.count(Jurisdiction.id))) or 0)


def test_a_reader_refuses_to_write_and_stores_nothing(database: Database) -> None:
    """On PostgreSQL readers run in autocommit, where a write would stick at once: they must refuse it."""
    with pytest.raises(RuntimeError, match="read-only"), database.reader() as session:
        session.add(Jurisdiction(name="某县", level="县"))
        session.flush()
    assert _count(database) == 0


def test_a_writer_that_fails_stores_nothing(database: Database) -> None:
    with pytest.raises(ValueError), database.writer() as session:
        session.add(Jurisdiction(name="某县", level="县"))
        session.flush()
        raise ValueError("half way")
    assert _count(database) == 0
    with database.writer() as session:
        session.add(Jurisdiction(name="某县", level="县"))
    assert _count(database) == 1


def test_insert_rows_stores_what_an_orm_insert_would_and_rolls_back_with_the_writer(
    database: Database,
) -> None:
    """``insert_rows`` (COPY on PostgreSQL, executemany on SQLite) writes in the writer's transaction: JSON
    values (None as JSON null), dates and text read back as given, and a failing writer keeps none."""
    rows = [
        {"at": NOW, "user_id": None, "actor": "system", "object_type": "notice", "object_id": n,
         "action": "issue", "before": None, "after": {"state": "issued", "说明": f"第{n}条\t含制表符\n换行"}}
        for n in range(1, 4)
    ]  # fmt: skip
    table = cast(Table, Change.__table__)
    with pytest.raises(ValueError), database.writer() as session:
        insert_rows(session.connection(), table, rows)
        raise ValueError("half way")
    with database.writer() as session:
        insert_rows(session.connection(), table, rows)
        insert_rows(session.connection(), table, [])
    with database.reader() as session:
        stored = list(session.scalars(select(Change).order_by(Change.object_id)))
    assert [(c.object_id, c.actor, c.at, c.before, c.after) for c in stored] == [
        (r["object_id"], "system", NOW, None, r["after"]) for r in rows
    ]


def test_insert_rows_skips_duplicates_of_a_key_on_sqlite_and_refuses_on_postgresql(
    database: Database,
) -> None:
    """The engine drops notices already issued by their unique key: SQLite does it in the executemany;
    COPY cannot, so on PostgreSQL the call is refused (the engine stages the rows there instead)."""
    table = cast(Table, CalendarDay.__table__)
    first = [{"day": date(2021, 10, 1), "workday": False, "note": "国庆"}]
    again = [{"day": date(2021, 10, 1), "workday": True, "note": "重复"}, {"day": date(2021, 10, 9), "workday": True, "note": "调休"}]  # fmt: skip
    if not database.is_sqlite:
        with pytest.raises(ValueError, match="COPY"), database.writer() as session:
            insert_rows(session.connection(), table, first, skip_conflicts_on=("day",))
        return
    with database.writer() as session:
        insert_rows(session.connection(), table, first, skip_conflicts_on=("day",))
        insert_rows(session.connection(), table, again, skip_conflicts_on=("day",))
    with database.reader() as session:
        stored = session.execute(
            select(CalendarDay.day, CalendarDay.workday, CalendarDay.note).order_by(CalendarDay.day)
        ).all()
    assert [tuple(row) for row in stored] == [
        (date(2021, 10, 1), False, "国庆"),
        (date(2021, 10, 9), True, "调休"),
    ]
