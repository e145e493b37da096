"""Running an installation: ``doctor``, ``backup``, ``restore``, ``upgrade``.

``backup`` writes the portable archive (``duban.ops.archive``) from SQLite or PostgreSQL; given a name
ending in ``.db`` on SQLite it still makes the plain online copy of the file. ``upgrade`` is the one command
to move an installation to this release: it backs up first, then migrates, and says what it did.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from duban.cli_common import DbOption, database_for, fail, settings_for
from duban.ledger.store.db import DatabaseUrlError, is_sqlite, migrate, sqlite_path
from duban.settings import data_directory

SQLITE_COPY_SUFFIXES = {".db", ".sqlite", ".sqlite3"}
MARK = {"正常": "[green]正常[/]", "警告": "[yellow]警告[/]", "错误": "[red]错误[/]"}


def register(app: typer.Typer) -> None:
    app.command("doctor")(doctor)
    app.command("backup")(backup)
    app.command("restore")(restore)
    app.command("upgrade")(upgrade)


def doctor(db: DbOption = None) -> None:
    """检查生产环境的设置、数据库、字体、LibreOffice 和磁盘空间 / check a production installation."""
    from duban.ops.doctor import Level, run_checks

    findings = run_checks(settings_for(db))
    console = Console(highlight=False, soft_wrap=True)
    for finding in findings:
        console.print(f"{MARK[finding.level.value]}  {finding.topic}：{finding.message}")
    faults = sum(f.level is Level.FAULT for f in findings)
    warnings = sum(f.level is Level.WARN for f in findings)
    if faults:
        console.print(f"发现 {faults} 个错误、{warnings} 个警告，请按上面的说明处理。")
        raise typer.Exit(1)
    console.print(f"检查通过（{warnings} 个警告）。")


def backup(
    out: Annotated[
        Path, typer.Argument(help="备份文件，如 duban-2026-12-06.zip / where to write the backup")
    ],
    db: DbOption = None,
) -> None:
    """备份整个台账（含附件和已印发的通报），运行中也可一致备份；SQLite 或 PostgreSQL / back up."""
    settings = settings_for(db)
    url = settings.database_url
    if _sqlite(url) and out.suffix.lower() in SQLITE_COPY_SUFFIXES:
        _sqlite_copy(url, out)
        return
    from duban.ops.archive import ArchiveError, dump

    def failed(exc: Exception) -> str | None:
        if isinstance(exc, ArchiveError):
            return str(exc)
        if isinstance(exc, OSError):
            return f"备份失败：无法写入 {out}：{exc.strerror}"
        return None

    with database_for(settings, upgrade=False, failed=failed) as database:
        manifest = dump(database, out)
    rows = sum(t["rows"] for t in manifest.tables.values())
    Console(stderr=True).print(
        f"已备份到 {out}（{len(manifest.tables)} 张表，{rows} 行，结构 {manifest.schema}）"
    )


def _archive_error(exc: Exception) -> str | None:
    from duban.ops.archive import ArchiveError

    return str(exc) if isinstance(exc, ArchiveError) else None


def _sqlite(url: str) -> bool:
    try:
        return is_sqlite(url)
    except DatabaseUrlError as exc:
        raise fail(str(exc)) from None


def _sqlite_copy(url: str, out: Path) -> None:
    """SQLite's online backup: a consistent copy of the file while the server writes."""
    path = sqlite_path(url)
    if path is None or not path.exists():
        raise fail(f"数据库文件不存在 / no database file: {path}")
    if out.resolve() == path.resolve():
        raise fail("备份文件不能是数据库本身 / the backup cannot overwrite the database")
    try:
        source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        target = sqlite3.connect(out)
        with target:
            source.backup(target)
        source.close()
        target.close()
    except (sqlite3.Error, OSError) as exc:
        raise fail(f"备份失败 / backup failed: {exc}") from None
    Console(stderr=True).print(f"已备份到 {out}")


def restore(
    archive: Annotated[Path, typer.Argument(help="duban backup 写出的备份文件 / the backup archive")],
    db: DbOption = None,
) -> None:
    """把备份恢复到一个空数据库，并升级到本版本的结构 / restore a backup into an empty database."""
    from duban.ops.archive import restore as restore_archive

    settings = settings_for(db)
    with database_for(settings, upgrade=False, failed=_archive_error) as database:
        counts = restore_archive(archive, database)
    rows = sum(counts.values())
    Console(stderr=True).print(f"已恢复 {archive}：{len(counts)} 张表，{rows} 行")


def upgrade(
    db: DbOption = None,
    backup_dir: Annotated[
        Path | None, typer.Option(help="升级前备份的存放目录（默认 数据目录/backups）/ where the backup goes")
    ] = None,
) -> None:
    """先自动备份，再把数据库升级到本版本的结构 / back up, then migrate the database to this release."""
    from duban.ops.archive import ArchiveError, dump, table_counts
    from duban.ops.schema import schema_state

    settings = settings_for(db)
    console = Console(stderr=True, highlight=False)

    def failed(exc: Exception) -> str | None:
        if isinstance(exc, ArchiveError):
            return str(exc)
        if isinstance(exc, OSError):
            return f"升级前备份失败：{exc.strerror}：{exc.filename}"
        return None

    with database_for(settings, upgrade=False, failed=failed) as database:
        state = schema_state(database)
        if state.is_current:
            console.print(state.describe() + "，无需升级")
            return
        if state.is_newer:
            raise fail(state.describe())
        if state.current is not None:
            folder = backup_dir or data_directory(settings) / "backups"
            folder.mkdir(parents=True, exist_ok=True)
            out = folder / f"duban-{state.current}-{datetime.now():%Y%m%d-%H%M%S}.zip"
            dump(database, out)
            console.print(f"升级前已备份到 {out}")
        before = table_counts(database) if state.current is not None else {}
        migrate(database, "head")
        after = table_counts(database)
    lost = {name: (n, after.get(name, 0)) for name, n in before.items() if after.get(name, 0) < n}
    if lost:
        raise fail(f"升级后行数减少，请用上面的备份恢复并联系开发者：{lost}")
    console.print(f"已升级：{state.current or '空库'} → {state.head}（报送 {after.get('reports', 0)} 条）")
