"""``duban backup`` → ``duban restore`` into an empty database, on SQLite and PostgreSQL: every row comes
back (attachments byte for byte), the restored installation serves and takes new writes, and a restored
initialised database passes the shared API check. ``duban upgrade`` from the previous release's schema
backs up first and keeps every report."""

from __future__ import annotations

import hashlib
import json
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import text

from duban.ledger.store.db import connect, migrate
from duban.ops.schema import head_revision
from tests.databases import fresh_postgres
from tests.ops.helpers import another_database, api_check, duban, multipart, request
from tests.web.server import running_server

HEAD = head_revision()  # the schema this release brings a database to

BINARY = bytes(range(256)) * 40 + "附件：进度说明".encode()


def _tables(archive: Path) -> dict[str, dict[str, object]]:
    with zipfile.ZipFile(archive) as z:
        return json.loads(z.read("duban-backup.json"))["tables"]


def _attachments(url: str) -> list[tuple[int, str]]:
    database = connect(url, upgrade=False)
    try:
        with database.reader() as session:
            rows = session.execute(text("SELECT id, data FROM attachments ORDER BY id")).all()
    finally:
        database.dispose()
    return [(row[0], hashlib.sha256(bytes(row[1])).hexdigest()) for row in rows]


def _attach(url: str) -> tuple[int, int]:
    """Attach a binary file to the first report through the API; (report id, attachment id)."""
    database = connect(url, upgrade=False)
    with database.reader() as session:
        report, unit_user = session.execute(
            text(
                "SELECT r.id, u.username FROM reports r JOIN users u ON u.unit_id = r.unit_id "
                "WHERE r.state <> 'approved' AND u.role = 'unit' ORDER BY r.id"
            )
        ).first()  # type: ignore[misc]
    database.dispose()
    token = duban("token", "create", unit_user, "--db", url).split()[-1]
    with running_server(url) as base:
        body, headers = multipart("file", "进度.bin", BINARY)
        status, answer = request(base, f"/api/reports/{report}/attachments", token, body, headers)
        assert status == 201, answer
        return report, json.loads(answer)["id"]


def test_backup_restore_round_trip(database_url: str, tmp_path: Path) -> None:
    api_check(database_url)  # a working installation: plans, units, reports, reviews, changes
    report, attachment = _attach(database_url)
    first = tmp_path / "first.zip"
    duban("backup", str(first), "--db", database_url)
    with another_database(database_url, tmp_path / "restored") as target:
        duban("restore", str(first), "--db", target)
        second = tmp_path / "second.zip"
        duban("backup", str(second), "--db", target)
        assert _tables(second) == _tables(first)  # every table, row for row (sha256 of its lines)
        assert _tables(first)["attachments"]["rows"] >= 1
        assert _attachments(target) == _attachments(database_url)
        # The restored installation serves the attachment and takes new rows (ids past the restored ones).
        token = duban("token", "create", "admin", "--db", target).split()[-1]
        duban(
            "user",
            "add",
            "新同事",
            "--role",
            "leader",
            "--password-stdin",
            "--db",
            target,
            stdin="Pw-12345678\n",
        )
        with running_server(target) as base:
            status, data = request(base, f"/api/reports/{report}/attachments/{attachment}", token)
            assert status == 200 and data == BINARY
        # Restoring again over a database with data is refused, and nothing is changed.
        refused = _run_failing("restore", str(first), "--db", target)
        assert "不是空的" in refused
        third = _tables_now(target, tmp_path / "third.zip")
        assert third["reports"] == _tables(second)["reports"]
        assert third["users"]["rows"] == _tables(second)["users"]["rows"] + 1


def _run_failing(*args: str) -> str:
    import subprocess

    from tests.web.server import DUBAN

    done = subprocess.run([str(DUBAN), *args], capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode != 0
    assert "Traceback" not in done.stderr
    return done.stderr


def _tables_now(url: str, out: Path) -> dict[str, dict[str, object]]:
    duban("backup", str(out), "--db", url)
    return _tables(out)


def test_restored_empty_installation_passes_the_api_check(database_url: str, tmp_path: Path) -> None:
    connect(database_url).dispose()  # an installed, initialised, empty database
    archive = tmp_path / "empty.zip"
    duban("backup", str(archive), "--db", database_url)
    with another_database(database_url, tmp_path / "restored") as target:
        duban("restore", str(archive), "--db", target)
        api_check(target)


def test_restore_refuses_bad_archives(tmp_path: Path) -> None:
    target = f"sqlite:///{tmp_path / 'new.db'}"
    not_zip = tmp_path / "notes.zip"
    not_zip.write_text("不是备份")
    assert "无法读取备份文件" in _run_failing("restore", str(not_zip), "--db", target)
    assert "备份文件不存在" in _run_failing("restore", str(tmp_path / "missing.zip"), "--db", target)
    source = f"sqlite:///{tmp_path / 'source.db'}"
    connect(source).dispose()
    good = tmp_path / "good.zip"
    duban("backup", str(good), "--db", source)
    damaged = tmp_path / "damaged.zip"
    with zipfile.ZipFile(good) as z, zipfile.ZipFile(damaged, "w") as out:
        for item in z.infolist():
            data = z.read(item)
            if item.filename == "tables/settings.jsonl":
                data += b'{"key":"x","value":"1"}\n'
            out.writestr(item, data)
    assert "已损坏" in _run_failing("restore", str(damaged), "--db", f"sqlite:///{tmp_path / 'other.db'}")


def test_upgrade_from_the_previous_release_keeps_every_report(database_url: str, tmp_path: Path) -> None:
    api_check(database_url)
    database = connect(database_url)
    with database.reader() as session:
        reports = session.execute(
            text("SELECT id, task_id, unit_id, progress FROM reports ORDER BY id")
        ).all()
    migrate(database, "0004", downgrade=True)  # the previous release's schema, with its data
    database.dispose()
    assert len(reports) > 0
    data_dir = tmp_path / "data"
    out = duban("upgrade", "--db", database_url, env={"DUBAN_DATA_DIR": str(data_dir)})
    assert f"已升级：0004 → {HEAD}" in out
    backups = list((data_dir / "backups").glob("duban-0004-*.zip"))
    assert len(backups) == 1 and _tables(backups[0])["reports"]["rows"] == len(reports)
    database = connect(database_url, upgrade=False)
    try:
        with database.reader() as session:
            version = session.execute(text("SELECT version_num FROM alembic_version")).scalar_one()
            after = session.execute(
                text("SELECT id, task_id, unit_id, progress FROM reports ORDER BY id")
            ).all()
    finally:
        database.dispose()
    assert version == HEAD and after == reports
    assert "无需升级" in duban("upgrade", "--db", database_url, env={"DUBAN_DATA_DIR": str(data_dir)})
    # The 0004 backup restores into this release (brought to the head on the way).
    with another_database(database_url, tmp_path / "old") as target:
        duban("restore", str(backups[0]), "--db", target)
        assert _tables_now(target, tmp_path / "check.zip")["reports"]["rows"] == len(reports)


@pytest.mark.postgres
def test_sqlite_installation_moves_to_postgres_and_back(tmp_path: Path) -> None:
    """A county outgrowing its SQLite file: the same archive restores into PostgreSQL, row for row, and a
    backup of that restores into SQLite again."""
    source = f"sqlite:///{tmp_path / 'county.db'}"
    api_check(source)
    first = tmp_path / "county.zip"
    duban("backup", str(first), "--db", source)
    with fresh_postgres() as city:
        duban("restore", str(first), "--db", city)
        assert _tables_now(city, tmp_path / "city.zip") == _tables(first)
    back = f"sqlite:///{tmp_path / 'back.db'}"
    duban("restore", str(tmp_path / "city.zip"), "--db", back)
    assert _tables_now(back, tmp_path / "back.zip") == _tables(first)
