"""Each ledger test runs on SQLite and on PostgreSQL, each time on a fresh, migrated database."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

import pytest

from duban.ledger.store.db import Database, connect
from duban.settings import Clock
from tests.databases import fresh_postgres, sqlite_url


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    if request.param == "sqlite":
        db = connect(sqlite_url(tmp_path))
        yield db
        db.dispose()
        return
    with fresh_postgres() as url:
        db = connect(url)
        yield db
        db.dispose()


@pytest.fixture
def clock() -> Clock:
    return Clock(date(2021, 7, 15))


NOW = datetime(2021, 7, 15, 10, 0)
