"""Engines, sessions and schema upgrades for SQLite (embedded default) and PostgreSQL.

SQLite: WAL journal, foreign keys on, ``busy_timeout`` so a second process (the CLI while the server runs)
waits instead of failing. Two engines share the file: readers begin a plain deferred transaction, writers
``BEGIN IMMEDIATE`` through a one-connection pool, so in-process writers queue for the lock instead of
deadlocking on a lock upgrade. PostgreSQL: one engine (one pool); readers run in autocommit, writers in a
transaction.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from operator import itemgetter
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import (
    JSON,
    ColumnElement,
    Connection,
    Engine,
    Select,
    String,
    Table,
    cast,
    create_engine,
    event,
    func,
    insert,
    literal,
    literal_column,
)
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.sql._typing import ColumnExpressionArgument

MIGRATIONS = Path(__file__).parent / "migrations"
BUSY_TIMEOUT_MS = 30_000


class DatabaseUrlError(ValueError):
    """A database URL duban cannot use."""


def normalise_url(url: str) -> str:
    """``postgresql://`` and ``postgres://`` mean psycopg 3; ``sqlite:`` is kept; anything else is refused."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://") :]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    if not (url.startswith("sqlite:") or url.startswith("postgresql+psycopg://")):
        raise DatabaseUrlError(f"不支持的数据库地址 / unsupported database URL: {url.split(':')[0]}:…")
    return url


def is_sqlite(url: str) -> bool:
    return normalise_url(url).startswith("sqlite")


def sqlite_path(url: str) -> Path | None:
    """The file behind an SQLite URL (``None`` for an in-memory database)."""
    database = make_url(normalise_url(url)).database
    return Path(database) if database and database != ":memory:" else None


def _sqlite_engine(url: str, *, immediate: bool, pool_size: int) -> Engine:
    path = sqlite_path(url)
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(
        url,
        connect_args={"check_same_thread": False, "timeout": BUSY_TIMEOUT_MS / 1000},
        pool_size=pool_size,
        max_overflow=0,
        pool_timeout=60,
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # we issue BEGIN ourselves (below)
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    begin = "BEGIN IMMEDIATE" if immediate else "BEGIN"

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        connection.exec_driver_sql(begin)

    return engine


def _refuse_write(session: Session, *_: Any) -> None:
    """A reader never writes: on PostgreSQL it runs in autocommit, where a write would stick at once."""
    raise RuntimeError("reader sessions are read-only; use Database.writer()")


@dataclass
class Database:
    """The engines and session factories of one database. ``reader()``/``writer()`` are the only way the
    rest of the code opens a transaction."""

    url: str
    read_engine: Engine
    write_engine: Engine

    def __post_init__(self) -> None:
        self._read = sessionmaker(self.read_engine, expire_on_commit=False)
        self._write = sessionmaker(self.write_engine, expire_on_commit=False)
        event.listen(self._read, "before_flush", _refuse_write)

    @property
    def is_sqlite(self) -> bool:
        return self.url.startswith("sqlite")

    def read_session(self) -> Session:
        return self._read()

    def write_session(self) -> Session:
        return self._write()

    @contextmanager
    def reader(self) -> Iterator[Session]:
        with self._read() as session:
            yield session

    @contextmanager
    def writer(self) -> Iterator[Session]:
        """A transaction that commits on success and rolls back on any exception."""
        with self._write() as session, session.begin():
            yield session

    def dispose(self) -> None:
        self.read_engine.dispose()
        if self.write_engine is not self.read_engine:
            self.write_engine.dispose()


def connect(url: str, *, upgrade: bool = True) -> Database:
    """Open a database and (by default) bring it to the current schema first."""
    url = normalise_url(url)
    if url.startswith("sqlite"):
        database = Database(
            url,
            read_engine=_sqlite_engine(url, immediate=False, pool_size=20),
            write_engine=_sqlite_engine(url, immediate=True, pool_size=1),
        )
    else:
        engine = create_engine(url, pool_size=20, max_overflow=20, pool_recycle=1800)
        # Readers in autocommit: under PostgreSQL's READ COMMITTED every statement takes its own snapshot
        # anyway, so a read transaction adds nothing but its BEGIN and ROLLBACK round trips (a third of a
        # report submission's). Same pool; writers keep their transaction.
        reads = engine.execution_options(isolation_level="AUTOCOMMIT")
        database = Database(url, read_engine=reads, write_engine=engine)
    if upgrade:
        upgrade_schema(database)
    return database


def alembic_config(database: Database) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", database.url.replace("%", "%%"))
    return config


def upgrade_schema(database: Database) -> None:
    """Run every pending Alembic migration (a fresh empty database included)."""
    migrate(database, "head")


def migrate(database: Database, target: str, *, downgrade: bool = False) -> None:
    """Move the schema to ``target`` in one transaction.

    On SQLite, foreign keys are switched off for the migration and checked afterwards: a batch migration
    rebuilds a table by copying it and dropping the original, and with the checks on, dropping ``units``
    would fail for every task that names a unit. A violation found afterwards undoes the whole migration."""
    config = alembic_config(database)
    step = command.downgrade if downgrade else command.upgrade
    with database.write_engine.connect() as connection:
        raw = connection.connection.dbapi_connection if database.is_sqlite else None
        if raw is not None:
            raw.execute("PRAGMA foreign_keys=OFF")
        try:
            with connection.begin():
                config.attributes["connection"] = connection
                step(config, target)
                if raw is not None:
                    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                    if broken:
                        raise RuntimeError(f"schema migration left broken references: {broken[:5]}")
        finally:
            if raw is not None:
                raw.execute("PRAGMA foreign_keys=ON")


def insert_rows(
    connection: Connection,
    table: Table,
    rows: list[dict[str, Any]],
    *,
    into: str | None = None,
    skip_conflicts_on: tuple[str, ...] = (),
) -> None:
    """Many rows into one table, in the connection's transaction (the reminder engine writes tens of thousands
    on a province's heaviest day). Every row names the same columns; a column left out gets the database's
    default, not a Python-side default of the model (neither COPY nor the driver's executemany runs those).

    PostgreSQL: an executemany sends one INSERT a row through psycopg's pipeline; COPY streams them all in one
    command, several times faster. ``into``: another table with those columns (a staging table), the value
    types still those of ``table``. COPY knows no ON CONFLICT: stage the rows and move them with SQL instead.

    SQLite: one executemany on the driver's cursor (a loop in C), the values converted by the columns' own
    SQLAlchemy bind processors, so they are stored exactly as the ORM stores them; about a sixth less time
    than SQLAlchemy's executemany for 51,000 change-log rows (interleaved runs).
    ``skip_conflicts_on``: a unique key whose duplicates are dropped (ON CONFLICT … DO NOTHING)."""
    if not rows:
        return
    if connection.dialect.name != "postgresql":
        if into is not None:
            raise ValueError("a staging table is for PostgreSQL's COPY only")
        _sqlite_insert_rows(connection, table, rows, skip_conflicts_on)
        return
    if skip_conflicts_on:
        raise ValueError("COPY cannot skip conflicts: stage the rows (into=) and move them with SQL")
    _copy_rows(connection, table, rows, into)


def json_object(dialect: str, **fields: ColumnExpressionArgument[Any] | str) -> ColumnElement[Any]:
    """A JSON object built by the database from column expressions or strings (``json_object`` on SQLite,
    ``json_build_object`` on PostgreSQL), for rows written by INSERT … SELECT without a trip through Python.
    The keys are the caller's own names, written into the SQL as constants."""
    build = func.json_build_object if dialect == "postgresql" else func.json_object
    arguments: list[ColumnExpressionArgument[Any]] = []
    for key, value in fields.items():
        if not key.isidentifier():
            raise ValueError(f"not a key: {key!r}")
        arguments += [
            literal_column(f"'{key}'"),
            cast(literal(value), String) if isinstance(value, str) else value,
        ]
    return build(*arguments)


def insert_selected(connection: Connection, table: Table, source: Select[Any]) -> None:
    """INSERT … SELECT into ``table``, each column named by the label of the value selected for it, so a
    column and its value are written side by side, once."""
    connection.execute(insert(table).from_select(list(source.selected_columns.keys()), source))


def _sqlite_insert_rows(
    connection: Connection, table: Table, rows: list[dict[str, Any]], skip_conflicts_on: tuple[str, ...]
) -> None:
    dialect = connection.dialect
    quote = dialect.identifier_preparer.quote
    columns = list(rows[0])
    statement = (
        f"INSERT INTO {quote(table.name)} ({', '.join(map(quote, columns))}) "
        f"VALUES ({', '.join('?' for _ in columns)})"
    )
    if skip_conflicts_on:
        statement += f" ON CONFLICT ({', '.join(map(quote, skip_conflicts_on))}) DO NOTHING"
    raw = connection.connection.driver_connection  # the same connection, so the same transaction
    assert raw is not None
    cursor = raw.cursor()
    try:
        bound = [_bound_column(table, dialect, name, rows) for name in columns]
        cursor.executemany(statement, zip(*bound, strict=True))
    finally:
        cursor.close()


def _bound_column(table: Table, dialect: Any, name: str, rows: list[dict[str, Any]]) -> list[Any]:
    """One column's values as the driver takes them, converted by the column's own bind processor: once for
    a value every row shares (the run's time, its day), once per distinct object for JSON (rows that share a
    list share its text), without a call per value for a column that needs no conversion."""
    values = list(map(itemgetter(name), rows))
    convert = table.c[name].type.dialect_impl(dialect).bind_processor(dialect)
    if convert is None:
        return values
    first = values[0]
    if values.count(first) == len(values):
        return [convert(first)] * len(values)
    if isinstance(table.c[name].type, JSON):
        return _once_per_object(values, convert)
    return list(map(convert, values))


def _once_per_object(values: list[Any], convert: Callable[[Any], Any]) -> list[Any]:
    """``convert`` applied once per distinct object of ``values`` (rows that share a list share its text)."""
    done: dict[int, Any] = {}
    for value in values:
        if id(value) not in done:
            done[id(value)] = convert(value)
    return [done[id(value)] for value in values]


def _copy_rows(connection: Connection, table: Table, rows: list[dict[str, Any]], into: str | None) -> None:
    from psycopg import sql

    columns = list(rows[0])
    command = sql.SQL("COPY {} ({}) FROM STDIN").format(
        sql.Identifier(into or table.name), sql.SQL(", ").join(map(sql.Identifier, columns))
    )
    values = []
    for name in columns:
        column = list(map(itemgetter(name), rows))
        if isinstance(table.c[name].type, JSON):  # JSON as text, None as JSON null as SQLAlchemy's JSON does
            column = _once_per_object(column, json.dumps)
        values.append(column)
    raw = connection.connection.driver_connection  # the same connection, so the same transaction
    assert raw is not None
    with raw.cursor() as cursor, cursor.copy(command) as copy:
        for row in zip(*values, strict=True):
            copy.write_row(row)
