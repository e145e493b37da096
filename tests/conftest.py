"""Shared fixtures: where ``../shared`` is, and the gold notices in it."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("DUBAN_SHARED", REPO.parent / "shared"))
CORPUS = SHARED / "corpus"
GOLD_NOTICES = sorted(p.with_suffix("").with_suffix(".txt") for p in CORPUS.glob("*.plan.json"))
WORK_REPORT = next(iter(sorted(CORPUS.glob("002_*.txt"))), None)


@pytest.fixture(scope="session")
def shared() -> Path:
    if not SHARED.is_dir():
        pytest.fail(f"../shared is missing: expected it at {SHARED}")
    return SHARED


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh database for the test: an SQLite file, then a new PostgreSQL database (dropped after)."""
    from tests.databases import fresh_postgres, sqlite_url

    if request.param == "sqlite":
        yield sqlite_url(tmp_path)
        return
    with fresh_postgres() as url:
        yield url
