"""The session contract every module relies on: ``reader()`` never writes, ``writer()`` is all or nothing."""

from __future__ import annotations

from datetime import datetime
from typing import cast

import pytest
from sqlalchemy import Table, func, select

from duban.ledger.store.db import Database, insert_rows
from duban.ledger.store.models import Change, Jurisdiction

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
