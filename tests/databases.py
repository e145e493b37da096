"""Real databases for the ledger and API tests: an SQLite file, and a fresh PostgreSQL database per test run on
the server at 127.0.0.1:5432 (``DUBAN_TEST_PG`` overrides the server URL). Nothing is mocked."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg

PG_SERVER = os.environ.get("DUBAN_TEST_PG", "postgresql://postgres@127.0.0.1:5432/test")


def _admin_url(server: str, database: str) -> str:
    return server.rsplit("/", 1)[0] + "/" + database


@contextmanager
def fresh_postgres() -> Iterator[str]:
    """Create an empty database, yield its URL, drop it afterwards."""
    name = f"duban_test_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(PG_SERVER, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield _admin_url(PG_SERVER, name)
    finally:
        with psycopg.connect(PG_SERVER, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def sqlite_url(folder: Path) -> str:
    return f"sqlite:///{folder / 'duban.db'}"
