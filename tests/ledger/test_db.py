"""The session contract every module relies on: ``reader()`` never writes, ``writer()`` is all or nothing."""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import func, select

from duban.ledger.store.db import Database
from duban.ledger.store.models import Jurisdiction

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
