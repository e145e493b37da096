"""``duban doctor``: a good production setup passes; each broken one exits non-zero naming what is wrong."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from duban.cli import app
from duban.ledger.store.db import connect, migrate
from duban.ops.schema import head_revision

HEAD = head_revision()  # the schema this release brings a database to

SETTINGS = ("DUBAN_DATABASE_URL", "DUBAN_COOKIE_SECURE", "DUBAN_TRUSTED_PROXIES", "DUBAN_DATA_DIR")


def production_env(url: str, data_dir: Path) -> dict[str, str | None]:
    data_dir.mkdir(exist_ok=True)
    return {
        "DUBAN_DATABASE_URL": url,
        "DUBAN_COOKIE_SECURE": "true",
        "DUBAN_TRUSTED_PROXIES": "127.0.0.1",
        "DUBAN_DATA_DIR": str(data_dir),
        "DUBAN_MIN_FREE_MB": "1",
    }


def doctor(env: dict[str, str | None]) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["doctor"], env=env)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.output


def test_good_setup_passes(database_url: str, tmp_path: Path) -> None:
    connect(database_url).dispose()
    code, out = doctor(production_env(database_url, tmp_path / "data"))
    assert code == 0, out
    assert "错误" not in out and "检查通过" in out
    assert f"数据库结构为最新版本（{HEAD}）" in out and "中文字体" in out and "LibreOffice" in out


def test_stale_migrations(database_url: str, tmp_path: Path) -> None:
    database = connect(database_url)
    migrate(database, "0004", downgrade=True)  # the previous release's database, not yet upgraded
    database.dispose()
    code, out = doctor(production_env(database_url, tmp_path / "data"))
    assert code == 1
    assert f"数据库结构 0004 不是最新（应为 {HEAD}），请运行 duban upgrade" in out


@pytest.mark.parametrize(
    ("url", "says"),
    [
        ("postgresql://nobody@127.0.0.1:1/duban", "无法连接数据库"),
        ("sqlite:///{tmp}/nothing-here.db", "不存在"),
        ("mysql://x@127.0.0.1/duban", "不支持的数据库地址"),
    ],
)
def test_no_database(url: str, says: str, tmp_path: Path) -> None:
    code, out = doctor(production_env(url.format(tmp=tmp_path), tmp_path / "data"))
    assert code == 1 and says in out
    assert not (tmp_path / "nothing-here.db").exists()  # the doctor only looks


def test_missing_fonts(database_url: str, tmp_path: Path) -> None:
    """fontconfig told to look in an empty folder stands for a server without Chinese fonts."""
    connect(database_url).dispose()
    empty = tmp_path / "no-fonts"
    empty.mkdir()
    conf = tmp_path / "fonts.conf"
    conf.write_text(
        f"<?xml version='1.0'?><fontconfig><dir>{empty}</dir><cachedir>{empty}</cachedir></fontconfig>"
    )
    env = production_env(database_url, tmp_path / "data") | {"FONTCONFIG_FILE": str(conf)}
    code, out = doctor(env)
    assert code == 1
    assert "未找到中文字体" in out and "fonts-noto-cjk" in out


def test_production_settings_missing(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'duban.db'}"
    connect(url).dispose()
    env: dict[str, str | None] = dict.fromkeys(SETTINGS)
    result = CliRunner().invoke(app, ["doctor", "--db", url], env=env)
    code, out = result.exit_code, result.output
    assert code == 1
    for says in ("DUBAN_COOKIE_SECURE 未开启", "未设置 DUBAN_TRUSTED_PROXIES", "未设置 DUBAN_DATA_DIR"):
        assert says in out
    assert "DUBAN_DATABASE_URL 已设置" in out  # --db counts as setting it
    typo = production_env(url, tmp_path / "data") | {"DUBAN_METRICS_ALLOW": "10.0.0.300"}
    code, out = doctor(typo)
    assert code == 1 and "DUBAN_METRICS_ALLOW 中的地址无效：10.0.0.300" in out
    low = production_env(url, tmp_path / "data") | {"DUBAN_MIN_FREE_MB": str(10**9)}
    code, out = doctor(low)
    assert code == 1 and "磁盘空间" in out and "下限 1000000000 MB" in out
