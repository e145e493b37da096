"""The chasing tests run on SQLite and PostgreSQL like the ledger's (same fixtures)."""

from tests.ledger.conftest import database

__all__ = ["database"]
