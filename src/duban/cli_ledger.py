"""Ledger commands: ``serve``, ``user add``, ``token create``, ``import``, ``backup``.

Every command that uses the database first brings it to the current schema (``ledger.db.connect``).
"""

from __future__ import annotations

import os
import sqlite3
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from duban.cli_parse import fail
from duban.ledger import auth, importing
from duban.ledger.db import Database, DatabaseUrlError, connect, sqlite_path
from duban.ledger.errors import LedgerError
from duban.plan import Limits
from duban.settings import Settings

DbOption = Annotated[
    str | None, typer.Option("--db", help="数据库地址 sqlite:///… 或 postgresql://… / database URL")
]
user_app = typer.Typer(help="账号管理 / accounts", no_args_is_help=True)
token_app = typer.Typer(help="接口令牌 / API tokens", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)
    app.command("import")(import_command)
    app.command("backup")(backup)
    app.add_typer(user_app, name="user")
    app.add_typer(token_app, name="token")


def settings_for(db: str | None) -> Settings:
    settings = Settings()
    if db:
        settings.database_url = db
    return settings


def open_database(settings: Settings) -> Database:
    try:
        return connect(settings.database_url)
    except DatabaseUrlError as exc:
        raise fail(str(exc)) from None
    except Exception as exc:  # a server that is down, a file that cannot be created…
        raise fail(
            f"无法打开数据库 / cannot open the database: {type(exc).__name__}: {str(exc).splitlines()[0][:200]}"
        ) from None


def serve(
    host: Annotated[str, typer.Option(help="监听地址 / listen address")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="端口 / port")] = 8000,
    db: DbOption = None,
    demo: Annotated[
        bool, typer.Option("--demo", help="空库时载入示例计划和演示账号 / load demo data")
    ] = False,
    workers: Annotated[int, typer.Option(min=1, max=32, help="工作进程数 / worker processes")] = 1,
) -> None:
    """启动督办服务 / serve the web app and the API."""
    import uvicorn

    from duban.web.app import create_app

    settings = settings_for(db)
    database = open_database(settings)
    if demo:
        from duban.ledger.demo import load_demo

        for line in load_demo(database, settings.clock):
            Console(stderr=True).print(line)
    Console(stderr=True).print(
        f"督办已启动：http://{host}:{port}/  （数据库：{_display(settings.database_url)}）"
    )
    if workers > 1:  # each worker process builds its own app from the environment
        database.dispose()
        os.environ["DUBAN_DATABASE_URL"] = settings.database_url
        uvicorn.run(
            "duban.web.app:create_app",
            factory=True,
            host=host,
            port=port,
            workers=workers,
            log_level="warning",
            access_log=False,
        )
        return
    uvicorn.run(create_app(settings, database), host=host, port=port, log_level="warning", access_log=False)


def _display(url: str) -> str:
    return url.split("@")[-1] if "@" in url else url


@user_app.command("add")
def user_add(
    name: Annotated[str, typer.Argument(help="用户名 / username")],
    role: Annotated[str, typer.Option(help="admin | leader | unit")],
    unit: Annotated[
        str | None, typer.Option(help="责任单位名称（unit 角色必填）/ the unit of a unit account")
    ] = None,
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="从标准输入读取密码 / read password from stdin")
    ] = False,
    db: DbOption = None,
) -> None:
    """添加账号 / add an account."""
    settings = settings_for(db)
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = typer.prompt("密码 / password", hide_input=True, confirmation_prompt=True)
    database = open_database(settings)
    try:
        with database.writer() as session:
            user = auth.add_user(session, name, role, password, unit, settings.clock.now())
            Console(stderr=True).print(f"已添加账号 {user.username}（{role}）")
    except LedgerError as exc:
        raise fail(exc.message) from None
    finally:
        database.dispose()


@token_app.command("create")
def token_create(name: Annotated[str, typer.Argument(help="用户名 / username")], db: DbOption = None) -> None:
    """为账号生成接口令牌（只输出令牌）/ print a new API token for the user."""
    settings = settings_for(db)
    database = open_database(settings)
    try:
        with database.writer() as session:
            secret = auth.create_token(session, name, settings.clock.now())
    except LedgerError as exc:
        raise fail(exc.message) from None
    finally:
        database.dispose()
    typer.echo(secret)


def import_command(
    file: Annotated[Path, typer.Argument(help="通知文件 / the notice")],
    db: DbOption = None,
) -> None:
    """导入责任分工通知到台账 / import a notice into the ledger."""
    from duban.plan import PlanError, parse

    settings = settings_for(db)
    try:
        parsed = parse(file, limits=Limits(max_bytes=settings.max_upload_bytes))
        data = file.read_bytes()
    except PlanError as exc:
        raise fail(exc.message) from None
    except OSError as exc:
        raise fail(f"无法读取 / cannot read {file}: {exc.strerror}") from None
    database = open_database(settings)
    try:
        with database.writer() as session:
            result = importing.import_plan(
                session, parsed, importing.content_hash(data), None, settings.clock.now(), file.name
            )
            plan_id, title = result.plan.id, result.plan.title
    finally:
        database.dispose()
    console = Console()
    word = "已存在（未重复导入）" if result.existing else "已导入"
    console.print(f"{word}：#{plan_id} {title}，{result.tasks} 项任务，{result.units} 个单位")
    for name in result.unresolved:
        console.print(f"  待处理：{name}")


def backup(
    out: Annotated[Path, typer.Argument(help="备份文件 / where to write the copy")],
    db: DbOption = None,
) -> None:
    """备份数据库（SQLite 在运行中也可一致备份；PostgreSQL 给出 pg_dump 命令）/ back up the database."""
    settings = settings_for(db)
    url = settings.database_url
    if not url.startswith("sqlite"):
        from sqlalchemy.engine import make_url

        parsed = make_url(url.replace("postgresql+psycopg", "postgresql"))
        host = f" -h {parsed.host}" if parsed.host else ""
        port = f" -p {parsed.port}" if parsed.port else ""
        user = f" -U {parsed.username}" if parsed.username else ""
        typer.echo(f"pg_dump{host}{port}{user} -Fc -f {out} {parsed.database}")
        return
    path = sqlite_path(url)
    if path is None or not path.exists():
        raise fail(f"数据库文件不存在 / no database file: {path}")
    if out.resolve() == path.resolve():
        raise fail("备份文件不能是数据库本身 / the backup cannot overwrite the database")
    try:
        source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        target = sqlite3.connect(out)
        with target:
            source.backup(target)  # SQLite's online backup: consistent while the server writes
        source.close()
        target.close()
    except (sqlite3.Error, OSError) as exc:
        raise fail(f"备份失败 / backup failed: {exc}") from None
    Console(stderr=True).print(f"已备份到 {out}")
