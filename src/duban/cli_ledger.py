"""Ledger commands: ``serve``, ``user add|passwd|disable|enable``, ``token create|list|revoke``, ``import``
(``backup`` and ``restore`` are in ``cli_ops``).

Every command that uses the database first brings it to the current schema (``ledger.db.connect``).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

from duban.cli_common import DbOption, database_for, fail, open_database, settings_for
from duban.ledger.services import auth, importing, jurisdictions
from duban.ledger.store.models import Jurisdiction
from duban.plan import Limits
from duban.settings import Settings

JurisdictionOption = Annotated[
    str | None,
    typer.Option("--jurisdiction", help="所属行政区，如 金乡县 或 济宁市/兖州区 / the jurisdiction"),
]
user_app = typer.Typer(help="账号管理 / accounts", no_args_is_help=True)
jurisdiction_app = typer.Typer(help="行政区 / jurisdictions", no_args_is_help=True)
token_app = typer.Typer(help="接口令牌 / API tokens", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)
    app.command("import")(import_command)
    app.add_typer(user_app, name="user")
    app.add_typer(token_app, name="token")
    app.add_typer(jurisdiction_app, name="jurisdiction")


@jurisdiction_app.command("add")
def jurisdiction_add(
    path: Annotated[str, typer.Argument(help="如 济宁市/金乡县（上级/本级；已有的只补上级）")],
    db: DbOption = None,
) -> None:
    """添加行政区，或给已有的行政区指定上级 / add a jurisdiction or set its parent."""
    settings = settings_for(db)
    with database_for(settings) as database, database.writer() as session:
        row = jurisdictions.ensure_path(session, path, None, settings.clock.now())
        Console(stderr=True).print(f"行政区：{jurisdictions.path(session, row)}（{row.level}）")


@jurisdiction_app.command("list")
def jurisdiction_list(db: DbOption = None) -> None:
    """列出行政区 / list jurisdictions."""
    settings = settings_for(db)
    with database_for(settings) as database, database.reader() as session:
        for row in jurisdictions.all_of(session):
            Console().print(f"{row.id}\t{jurisdictions.path(session, row)}\t{row.level}")


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

    from duban.web.app import create_app, quiet_collector, start_chasing

    settings = settings_for(db)
    database = open_database(settings)
    if demo:
        from duban.ledger.demo import load_demo

        for line in load_demo(database, settings.clock):
            Console(stderr=True).print(line)
    _announce(settings, f"督办已启动：http://{host}:{port}/  （数据库：{_display(settings.database_url)}）")
    if workers > 1:  # each worker process builds its own app from the environment
        database.dispose()
        os.environ["DUBAN_DATABASE_URL"] = settings.database_url
        uvicorn.run(
            "duban.web.app:served_app",
            factory=True,
            host=host,
            port=port,
            workers=workers,
            log_level="warning",
            access_log=False,
            **_proxy_options(settings),
        )
        return
    app = create_app(settings, database)
    quiet_collector()
    start_chasing(app)
    uvicorn.run(
        app,
        host=host,
        port=port,
        log_level="warning",
        access_log=False,
        **_proxy_options(settings),
    )


def _announce(settings: Settings, line: str) -> None:
    """The start line: a JSON record when the logs are JSON (one object a line, nothing else)."""
    if settings.log_format == "json":
        import logging

        from duban.ops.observability import configure_logging

        configure_logging(settings)
        logging.getLogger("duban.serve").info(line)
        return
    Console(stderr=True).print(line)


def _proxy_options(settings: Settings) -> dict[str, Any]:
    """Forwarded headers are believed only from the proxies the administrator names: uvicorn would
    otherwise trust any client on loopback, and a throttled guesser could claim any address."""
    trusted = settings.trusted_proxies.strip()
    return {"proxy_headers": bool(trusted), "forwarded_allow_ips": trusted or ""}


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
    jurisdiction: JurisdictionOption = None,
    db: DbOption = None,
) -> None:
    """添加账号 / add an account."""
    settings = settings_for(db)
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = typer.prompt("密码 / password", hide_input=True, confirmation_prompt=True)
    with database_for(settings) as database, database.writer() as session:
        user = auth.add_user(
            session, name, role, password, unit, settings.clock.now(), jurisdiction=jurisdiction
        )
        home = session.get(Jurisdiction, user.jurisdiction_id) if user.jurisdiction_id else None
        where = jurisdictions.path(session, home) if home else "全系统"
        Console(stderr=True).print(f"已添加账号 {user.username}（{role}，{where}）")


@token_app.command("create")
def token_create(name: Annotated[str, typer.Argument(help="用户名 / username")], db: DbOption = None) -> None:
    """为账号生成接口令牌（只输出令牌）/ print a new API token for the user."""
    settings = settings_for(db)
    with database_for(settings) as database, database.writer() as session:
        secret = auth.create_token(session, name, settings.clock.now())
    typer.echo(secret)


def _account_change(db: str | None, change: Any) -> None:
    """Open the database, apply ``change(session, now)`` in one transaction, say no in Chinese."""
    settings = settings_for(db)
    with database_for(settings) as database, database.writer() as session:
        change(session, settings.clock.now())


@user_app.command("passwd")
def user_passwd(
    name: Annotated[str, typer.Argument(help="用户名 / username")],
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="从标准输入读取新密码 / read password from stdin")
    ] = False,
    db: DbOption = None,
) -> None:
    """修改账号密码（该账号的登录会话随之失效）/ set a new password."""
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = typer.prompt("新密码 / new password", hide_input=True, confirmation_prompt=True)
    _account_change(db, lambda session, now: auth.change_password(session, None, name, password, now))
    Console(stderr=True).print(f"已修改 {name} 的密码")


@user_app.command("disable")
def user_disable(name: Annotated[str, typer.Argument(help="用户名 / username")], db: DbOption = None) -> None:
    """停用账号：会话与令牌立即失效，已报送的内容不受影响 / disable an account."""
    _account_change(db, lambda session, now: auth.set_active(session, None, name, False, now))
    Console(stderr=True).print(f"已停用账号 {name}")


@user_app.command("enable")
def user_enable(name: Annotated[str, typer.Argument(help="用户名 / username")], db: DbOption = None) -> None:
    """重新启用账号 / enable an account again."""
    _account_change(db, lambda session, now: auth.set_active(session, None, name, True, now))
    Console(stderr=True).print(f"已启用账号 {name}")


@user_app.command("unlock")
def user_unlock(
    name: Annotated[str, typer.Argument(help="用户名 / username")],
    address: Annotated[
        str | None, typer.Option(help="同时清除该地址的登录计数 / also clear this client address's count")
    ] = None,
    db: DbOption = None,
) -> None:
    """解除账号因密码错误过多造成的登录限制 / clear an account's login lock."""
    _account_change(db, lambda session, now: auth.clear_lock(session, None, name, now, address))
    Console(stderr=True).print(f"已解除账号 {name} 的登录限制" + (f"（含地址 {address}）" if address else ""))


@token_app.command("list")
def token_list(
    name: Annotated[str | None, typer.Argument(help="只列出该用户的令牌 / one user's tokens")] = None,
    db: DbOption = None,
) -> None:
    """列出接口令牌（不显示令牌本身）/ list API tokens."""
    from rich.table import Table

    settings = settings_for(db)
    with database_for(settings) as database, database.reader() as session:
        tokens = auth.list_tokens(session, name)
    table = Table("编号", "用户", "名称", "创建时间", "状态")
    for t in tokens:
        status = f"已吊销 {t.revoked_at:%Y-%m-%d %H:%M}" if t.revoked_at else "有效"
        table.add_row(str(t.id), t.username, t.name, f"{t.created_at:%Y-%m-%d %H:%M}", status)
    Console().print(table)


@token_app.command("revoke")
def token_revoke(
    token_id: Annotated[int, typer.Argument(help="令牌编号（见 token list）")], db: DbOption = None
) -> None:
    """吊销接口令牌 / revoke an API token."""
    _account_change(db, lambda session, now: auth.revoke_token(session, None, token_id, now))
    Console(stderr=True).print(f"已吊销令牌 {token_id}")


def import_command(
    file: Annotated[Path, typer.Argument(help="通知文件 / the notice")],
    jurisdiction: JurisdictionOption = None,
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
    with database_for(settings) as database, database.writer() as session:
        now = settings.clock.now()
        home = jurisdictions.ensure_path(session, jurisdiction, None, now).id if jurisdiction else None
        result = importing.import_plan(
            session, parsed, importing.content_hash(data), None, now, file.name, home
        )
        plan_id, title = result.plan.id, result.plan.title
    console = Console()
    word = "已存在（未重复导入）" if result.existing else "已导入"
    console.print(f"{word}：#{plan_id} {title}，{result.tasks} 项任务，{result.units} 个单位")
    for name in result.unresolved:
        console.print(f"  待处理：{name}")
