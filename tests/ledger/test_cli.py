"""The ledger's command line: user add, token create, import, backup; refusals without tracebacks."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from typer.testing import CliRunner

from duban.cli import app
from tests.ledger.helpers import NOTICE

runner = CliRunner()


def test_import_user_token_and_backup(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'd.db'}"
    notice = tmp_path / "notice.txt"
    notice.write_text(NOTICE, encoding="utf-8")
    first = runner.invoke(app, ["import", str(notice), "--db", url])
    assert first.exit_code == 0 and "已导入" in first.stdout and "3 项任务" in first.stdout
    again = runner.invoke(app, ["import", str(notice), "--db", url])
    assert again.exit_code == 0 and "已存在" in again.stdout
    added = runner.invoke(
        app,
        ["user", "add", "fgj", "--role", "unit", "--unit", "县发展和改革局", "--password-stdin", "--db", url],
        input="secret-123\n",
    )
    assert added.exit_code == 0, added.output
    token = runner.invoke(app, ["token", "create", "fgj", "--db", url])
    assert token.exit_code == 0 and token.stdout.strip().startswith("dbn_") and len(token.stdout.split()) == 1
    copy = tmp_path / "copy.db"
    backup = runner.invoke(app, ["backup", str(copy), "--db", url])
    assert backup.exit_code == 0
    with sqlite3.connect(copy) as conn:
        assert conn.execute("select count(*) from tasks").fetchone() == (3,)
        assert conn.execute("select username from users").fetchall() == [("fgj",)]


def test_refusals(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'd.db'}"
    cases = [
        (["user", "add", "x", "--role", "boss", "--password-stdin", "--db", url], "secret-123\n", "角色"),
        (
            ["user", "add", "x", "--role", "unit", "--unit", "无此单位", "--password-stdin", "--db", url],
            "secret-123\n",
            "单位不存在",
        ),
        (["user", "add", "x", "--role", "admin", "--password-stdin", "--db", url], "short\n", "密码"),
        (["token", "create", "nobody", "--db", url], None, "用户不存在"),
        (["import", str(tmp_path / "none.txt"), "--db", url], None, "找不到文件"),
        (["serve", "--db", "mysql://x"], None, "不支持的数据库"),
    ]
    for args, stdin, fragment in cases:
        result = runner.invoke(app, args, input=stdin)
        assert result.exit_code == 2, (args, result.output)
        assert fragment in result.output and "Traceback" not in result.output


def test_backup_of_an_unreachable_postgres_says_so(tmp_path: Path) -> None:
    """PostgreSQL is backed up by duban itself (tests/ops/test_backup_restore.py); a server that is down
    is a Chinese message and no half-written file."""
    out = tmp_path / "x.zip"
    result = runner.invoke(app, ["backup", str(out), "--db", "postgresql://postgres@127.0.0.1:1/test"])
    assert result.exit_code == 2 and "无法连接数据库" in result.output
    assert not out.exists() and "Traceback" not in result.output
