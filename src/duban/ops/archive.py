"""The portable backup: every table of the ledger as JSON lines in one zip file, with a manifest.

Why not ``pg_dump`` or a copy of the SQLite file: one format for both databases, written and read by duban
itself through SQLAlchemy, so a backup needs no client tools matched to the server's version (an intranet
server often has none, or an older ``pg_dump`` than its PostgreSQL), restores into either database (an SQLite
county moving to a city's PostgreSQL restores its backup there), and works on PostgreSQL-compatible servers
whose dump tools differ. Attachments and issued bulletins are table rows, so they come along.

The archive holds ``duban-backup.json`` (format, duban version, schema revision, rows and sha256 of each
table file) and ``tables/NAME.jsonl`` (one row a line, ordered by primary key). A restore creates the schema
at the backup's revision, inserts the tables parents first, then upgrades to this release's schema: a
backup taken before an upgrade restores into the new release too.
"""

from __future__ import annotations

import base64
import hashlib
import json
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

from sqlalchemy import (
    JSON,
    Connection,
    MetaData,
    Table,
    Text,
    cast,
    func,
    insert,
    inspect,
    select,
    text,
    update,
)
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.sql import sqltypes

from duban import __version__
from duban.ledger.store.db import Database, migrate
from duban.ops.schema import all_revisions, schema_state

FORMAT = "duban-backup/1"
MANIFEST = "duban-backup.json"
VERSION_TABLE = "alembic_version"
BATCH = 500


class ArchiveError(Exception):
    """A backup or restore that cannot go ahead; the message is for the administrator (Chinese)."""


@dataclass
class Manifest:
    schema: str
    source: str
    version: str = __version__
    created: str = field(default_factory=lambda: datetime.now().isoformat(timespec="seconds"))
    tables: dict[str, dict[str, Any]] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        return {"format": FORMAT, **self.__dict__}


def _reflect(connection: Connection) -> MetaData:
    metadata = MetaData()
    metadata.reflect(connection)
    if VERSION_TABLE in metadata.tables:
        metadata.remove(metadata.tables[VERSION_TABLE])
    return metadata


def _kind(column: Any) -> str:
    """How a column's values are written: base64, ISO text, raw JSON text, or as they are."""
    kind = column.type
    if isinstance(kind, sqltypes.LargeBinary):
        return "bytes"
    if isinstance(kind, sqltypes.JSON):
        return "json"
    if isinstance(kind, sqltypes.DateTime):
        return "datetime"
    if isinstance(kind, sqltypes.Date):
        return "date"
    return "plain"


def _encode(value: Any, kind: str) -> Any:
    if value is None:
        return None
    if kind == "bytes":
        return base64.b64encode(bytes(value)).decode("ascii")
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _decode(value: Any, kind: str) -> Any:
    if value is None:
        return None
    if kind == "bytes":
        return base64.b64decode(value)
    if kind == "datetime":
        return datetime.fromisoformat(value)
    if kind == "date":
        return date.fromisoformat(value)
    if kind == "json":
        loaded = json.loads(value)
        return JSON.NULL if loaded is None else loaded  # JSON null stays JSON null, SQL NULL stays NULL
    return value


def _snapshot(database: Database) -> Connection:
    """One consistent view of every table while the server keeps writing."""
    if database.is_sqlite:
        return database.read_engine.connect()  # BEGIN (deferred): a WAL snapshot from the first read
    return database.write_engine.connect().execution_options(
        isolation_level="REPEATABLE READ", postgresql_readonly=True
    )


def _rows(connection: Connection, table: Table) -> Iterator[str]:
    """The table's rows as JSON lines, by primary key; JSON columns as their stored text."""
    kinds = {c.name: _kind(c) for c in table.columns}
    columns = [cast(c, Text).label(c.name) if kinds[c.name] == "json" else c for c in table.columns]
    order = list(table.primary_key.columns) or list(table.columns)
    result = connection.execution_options(yield_per=BATCH).execute(select(*columns).order_by(*order))
    for row in result.mappings():
        line = {name: _encode(row[name], kinds[name]) for name in kinds}
        yield json.dumps(line, ensure_ascii=False, separators=(",", ":")) + "\n"


def dump(database: Database, out: Path) -> Manifest:
    """Write the whole ledger to ``out`` (written beside, then renamed: a failed backup leaves no half file)."""
    partial = out.with_name(out.name + ".part")
    try:
        with _snapshot(database) as connection, connection.begin():
            state = schema_state_on(connection)
            if state is None:
                raise ArchiveError("数据库尚未初始化，没有可备份的内容")
            manifest = Manifest(schema=state, source="sqlite" if database.is_sqlite else "postgresql")
            with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
                for table in _reflect(connection).sorted_tables:
                    digest, count = hashlib.sha256(), 0
                    with archive.open(f"tables/{table.name}.jsonl", "w", force_zip64=True) as member:
                        for line in _rows(connection, table):
                            data = line.encode("utf-8")
                            digest.update(data)
                            member.write(data)
                            count += 1
                    manifest.tables[table.name] = {"rows": count, "sha256": digest.hexdigest()}
                archive.writestr(MANIFEST, json.dumps(manifest.as_json(), ensure_ascii=False, indent=2))
        partial.replace(out)
    finally:
        partial.unlink(missing_ok=True)
    return manifest


def schema_state_on(connection: Connection) -> str | None:
    from alembic.runtime.migration import MigrationContext

    return MigrationContext.configure(connection).get_current_revision()


def read_manifest(archive: zipfile.ZipFile) -> dict[str, Any]:
    try:
        manifest: dict[str, Any] = json.loads(archive.read(MANIFEST))
    except KeyError:
        raise ArchiveError("不是督办的备份文件（缺少 duban-backup.json）") from None
    if manifest.get("format") != FORMAT:
        raise ArchiveError(f"不认识的备份格式：{manifest.get('format')}")
    if manifest.get("schema") not in all_revisions():
        raise ArchiveError(
            f"备份的数据库结构 {manifest.get('schema')} 来自更新版本的督办，请先安装该版本再恢复"
        )
    return manifest


def open_archive(path: Path) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(path)
    except FileNotFoundError:
        raise ArchiveError(f"备份文件不存在：{path}") from None
    except (zipfile.BadZipFile, OSError) as exc:
        raise ArchiveError(f"无法读取备份文件 {path}：{exc}") from None


def require_empty(database: Database) -> None:
    with database.read_engine.connect() as connection:
        names = [n for n in inspect(connection).get_table_names()]
    if names:
        raise ArchiveError(
            f"目标数据库不是空的（已有 {len(names)} 张表）：请新建一个空数据库再恢复，以免覆盖现有数据"
        )


def restore(path: Path, database: Database) -> dict[str, int]:
    """Restore ``path`` into an empty ``database``, then bring it to this release's schema.

    Every table file is checked against its sha256 before its rows are kept; the rows go in one
    transaction, so a damaged archive leaves the new database without data rather than with part of it."""
    with open_archive(path) as archive:
        manifest = read_manifest(archive)
        require_empty(database)
        migrate(database, manifest["schema"])
        try:
            counts = _load_tables(archive, manifest, database)
        except (ArchiveError, KeyError, ValueError, SQLAlchemyError) as exc:
            reason = str(exc) if isinstance(exc, ArchiveError) else f"{type(exc).__name__}: {str(exc)[:200]}"
            raise ArchiveError(
                f"{reason}。目标数据库中只建立了表结构、没有写入任何数据：请删除并重新创建空数据库后再恢复"
            ) from None
    migrate(database, "head")
    return counts


def _load_tables(archive: zipfile.ZipFile, manifest: dict[str, Any], database: Database) -> dict[str, int]:
    """Every table of the archive, parents first, in one transaction."""
    counts: dict[str, int] = {}
    with database.write_engine.connect() as connection, connection.begin():
        for table in _reflect(connection).sorted_tables:
            expected = manifest["tables"].get(table.name)
            if expected is None:
                continue
            with archive.open(f"tables/{table.name}.jsonl") as member:
                counts[table.name] = _load_table(connection, table, member, expected)
        if not database.is_sqlite:
            _reset_sequences(connection)
    return counts


def _load_table(connection: Connection, table: Table, member: IO[bytes], expected: dict[str, Any]) -> int:
    """Insert one table's rows in batches; a column naming another row of the same table is set after
    every row is in (a 行政区 can be given a parent created after it)."""
    kinds = {c.name: _kind(c) for c in table.columns}
    for column in table.columns:
        if kinds[column.name] == "json":
            column.type = JSON(none_as_null=True)
    own = [fk.parent.name for fk in table.foreign_keys if fk.column.table is table]
    keys = [c.name for c in table.primary_key.columns]
    digest, count, batch, later = hashlib.sha256(), 0, [], []
    for raw in member:
        digest.update(raw)
        record = json.loads(raw)
        row = {name: _decode(record.get(name), kind) for name, kind in kinds.items()}
        if own and any(row[name] is not None for name in own):
            later.append(({k: row[k] for k in keys}, {name: row[name] for name in own}))
            row.update(dict.fromkeys(own))
        batch.append(row)
        count += 1
        if len(batch) >= BATCH:
            connection.execute(insert(table), batch)
            batch = []
    if digest.hexdigest() != expected["sha256"] or count != expected["rows"]:
        raise ArchiveError(f"备份文件已损坏：表 {table.name} 的内容与校验值不符")
    if batch:
        connection.execute(insert(table), batch)
    for key, values in later:
        where = [table.c[k] == v for k, v in key.items()]
        connection.execute(update(table).where(*where).values(values))
    return count


def _reset_sequences(connection: Connection) -> None:
    """Rows came with their ids: move each PostgreSQL sequence past them so new rows do not collide."""
    for table in _reflect(connection).sorted_tables:
        for column in table.primary_key.columns:
            if not isinstance(column.type, sqltypes.Integer):
                continue
            connection.execute(
                text(
                    "SELECT setval(pg_get_serial_sequence(:t, :c), COALESCE(MAX(t.id_), 0) + 1, false) FROM (SELECT "
                    f'"{column.name}" AS id_ FROM "{table.name}") t'
                ),
                {"t": table.name, "c": column.name},
            )


def table_counts(database: Database) -> dict[str, int]:
    """Rows in every table (what ``upgrade`` compares before and after)."""
    with database.read_engine.connect() as connection:
        return {
            table.name: int(connection.execute(select(func.count()).select_from(table)).scalar_one())
            for table in _reflect(connection).sorted_tables
        }


__all__ = ["ArchiveError", "dump", "restore", "schema_state", "table_counts"]
