"""``duban doctor``: what a production installation must have, checked one by one, said in Chinese.

Each check gives one finding: 正常, 警告 (works, but something is missing or risky) or 错误 (a fault: the
command exits non-zero so an install script or a monitor stops there). The checks only read: they never
create, migrate or repair anything, so running the doctor against a live installation is safe.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

from sqlalchemy import text

from duban.ledger.store.db import Database, connect, is_sqlite, normalise_url, sqlite_path
from duban.ops.schema import schema_state
from duban.settings import Settings, data_directory


class Level(Enum):
    OK = "正常"
    WARN = "警告"
    FAULT = "错误"


@dataclass(frozen=True)
class Finding:
    topic: str
    level: Level
    message: str


def run_checks(settings: Settings) -> list[Finding]:
    """Every check, in the order an administrator would fix them."""
    findings = [*settings_findings(settings)]
    findings += database_findings(settings)
    findings += [fonts_finding(), office_finding(), web_app_finding()]
    findings += disk_findings(settings)
    return findings


def settings_findings(settings: Settings) -> Iterator[Finding]:
    """The settings a production install must set; the defaults suit a single desktop, not a server."""
    explicit = settings.model_fields_set
    if "database_url" not in explicit:
        yield Finding(
            "数据库地址", Level.FAULT, "未设置 DUBAN_DATABASE_URL（正在使用默认的个人目录 SQLite 文件）"
        )
    else:
        kind = "SQLite" if _is_sqlite(settings.database_url) else "PostgreSQL"
        yield Finding("数据库地址", Level.OK, f"DUBAN_DATABASE_URL 已设置（{kind}）")
    if settings.cookie_secure:
        yield Finding("安全 Cookie", Level.OK, "DUBAN_COOKIE_SECURE=true，登录 Cookie 只经 HTTPS 发送")
    else:
        yield Finding(
            "安全 Cookie", Level.FAULT, "DUBAN_COOKIE_SECURE 未开启：经 HTTPS 提供服务时必须设为 true"
        )
    if settings.trusted_proxies.strip():
        yield Finding("可信代理", Level.OK, f"DUBAN_TRUSTED_PROXIES={settings.trusted_proxies.strip()}")
    else:
        yield Finding(
            "可信代理",
            Level.FAULT,
            "未设置 DUBAN_TRUSTED_PROXIES：在 nginx 之后运行时，日志和登录限速只能看到代理的地址",
        )
    yield data_dir_finding(settings)
    yield metrics_finding(settings)


def metrics_finding(settings: Settings) -> Finding:
    from duban.ops.observability import allowed_networks

    try:
        networks = allowed_networks(settings.metrics_allow)
    except ValueError as exc:
        return Finding("监控指标", Level.FAULT, f"{exc}（服务将无法启动）")
    if not networks:
        return Finding("监控指标", Level.OK, "未开启（DUBAN_METRICS_ALLOW 为空，/metrics 不对任何地址开放）")
    return Finding("监控指标", Level.OK, f"/metrics 只对 {settings.metrics_allow.strip()} 开放")


def data_dir_finding(settings: Settings) -> Finding:
    if settings.data_dir is None:
        return Finding("数据目录", Level.FAULT, "未设置 DUBAN_DATA_DIR（升级前的自动备份存放在这里）")
    folder = settings.data_dir
    if not folder.is_dir():
        return Finding("数据目录", Level.FAULT, f"数据目录 {folder} 不存在")
    probe = folder / ".duban-doctor"
    try:
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as exc:
        return Finding("数据目录", Level.FAULT, f"数据目录 {folder} 不可写：{exc.strerror}")
    return Finding("数据目录", Level.OK, f"{folder}（可写）")


def _is_sqlite(url: str) -> bool:
    try:
        return is_sqlite(url)
    except ValueError:
        return False


def database_findings(settings: Settings) -> list[Finding]:
    """Reachable, then the schema at this release's migration; never migrates (that is ``upgrade``)."""
    url = settings.database_url
    try:
        normalise_url(url)
    except ValueError as exc:
        return [Finding("数据库连接", Level.FAULT, str(exc))]
    path = sqlite_path(url) if _is_sqlite(url) else None
    if _is_sqlite(url) and (path is None or not path.exists()):
        return [
            Finding("数据库连接", Level.FAULT, f"数据库文件 {path} 不存在（首次启动或 duban upgrade 会创建）")
        ]
    database: Database | None = None
    try:
        database = connect(url, upgrade=False)
        with database.reader() as session:
            session.execute(text("SELECT 1"))
        state = schema_state(database)
    except Exception as exc:
        first = str(exc).splitlines()[0][:200] if str(exc) else ""
        return [Finding("数据库连接", Level.FAULT, f"无法连接数据库：{type(exc).__name__}: {first}")]
    finally:
        if database is not None:
            database.dispose()
    found = [Finding("数据库连接", Level.OK, "可以连接")]
    found.append(Finding("数据库结构", Level.OK if state.is_current else Level.FAULT, state.describe()))
    return found


def cjk_font_families(runner: Callable[..., subprocess.CompletedProcess[str]] = subprocess.run) -> list[str]:
    """The Chinese font families fontconfig (and so LibreOffice) sees; empty without fontconfig."""
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return []
    try:
        done = runner(
            [fc_list, ":lang=zh", "family"], capture_output=True, text=True, timeout=30, check=False
        )
    except (OSError, subprocess.TimeoutExpired):
        return []
    return sorted({line.split(",")[0].strip() for line in done.stdout.splitlines() if line.strip()})


def fonts_finding() -> Finding:
    families = cjk_font_families()
    if not families:
        return Finding(
            "中文字体",
            Level.FAULT,
            "未找到中文字体（fc-list :lang=zh 为空）：生成的 PDF 通报中汉字无法显示。"
            "请安装 fonts-noto-cjk 或单位的仿宋/黑体/宋体字体",
        )
    shown = "、".join(families[:4]) + ("等" if len(families) > 4 else "")
    return Finding("中文字体", Level.OK, f"{len(families)} 种：{shown}")


def office_finding() -> Finding:
    from duban.plan.read.legacy import find_office

    office = find_office()
    if office is None:
        return Finding(
            "LibreOffice",
            Level.FAULT,
            "未安装 LibreOffice（soffice）：无法导入 .doc/.wps 通知，也无法把通报转成 PDF；"
            ".docx/.pdf/.txt 导入和 Word/Excel 导出不受影响",
        )
    return Finding("LibreOffice", Level.OK, office)


def web_app_finding() -> Finding:
    from duban.web.spa import APP_DIR

    if (APP_DIR / "index.html").is_file():
        return Finding("网页界面", Level.OK, "已包含在安装包中")
    return Finding("网页界面", Level.FAULT, f"网页界面未构建（{APP_DIR} 中没有 index.html），只能使用接口")


def disk_findings(settings: Settings) -> list[Finding]:
    """Free space where the database file and the data directory live (each filesystem once)."""
    folders: list[Path] = [data_directory(settings)]
    path = sqlite_path(settings.database_url) if _is_sqlite(settings.database_url) else None
    if path is not None:
        folders.append(path.parent)
    seen: set[int] = set()
    found = []
    for folder in folders:
        existing = next((p for p in (folder, *folder.parents) if p.exists()), Path("/"))
        device = existing.stat().st_dev
        if device in seen:
            continue
        seen.add(device)
        free_mb = shutil.disk_usage(existing).free // (1024 * 1024)
        level = Level.OK
        if free_mb < settings.min_free_mb:
            level = Level.FAULT
        elif free_mb < settings.min_free_mb * 5:
            level = Level.WARN
        found.append(
            Finding("磁盘空间", level, f"{existing}：剩余 {free_mb} MB（下限 {settings.min_free_mb} MB）")
        )
    return found
