"""The schema comes only from the Alembic migrations, and they match the models exactly, on both databases."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from duban.ledger.store.db import Database, upgrade_schema
from duban.ledger.store.models import Base


def test_migrations_match_the_models(database: Database) -> None:
    with database.write_engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, Base.metadata)
    assert differences == []


def test_upgrade_is_repeatable(database: Database) -> None:
    upgrade_schema(database)  # a second start must be a no-op
    tables = set(inspect(database.read_engine).get_table_names())
    assert {"plans", "tasks", "reports", "changes", "alembic_version"} <= tables
