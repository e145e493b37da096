"""What every ``duban`` command shares: saying no in Chinese, the ``--db`` option, the settings, and the
database opened for one command and always closed (``database_for``)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Annotated

import typer
from rich.console import Console
from sqlalchemy.exc import SQLAlchemyError

from duban.ledger.errors import LedgerError
from duban.ledger.store.db import Database, DatabaseUrlError, connect
from duban.settings import Settings

DbOption = Annotated[
    str | None, typer.Option("--db", help="数据库地址 sqlite:///… 或 postgresql://… / database URL")
]


def fail(message: str) -> typer.Exit:
    """Print a refusal to stderr and return the exit to raise (code 2 for bad input)."""
    Console(stderr=True, soft_wrap=True).print(f"[bold red]错误 / error:[/] {message}", highlight=False)
    return typer.Exit(2)


def settings_for(db: str | None) -> Settings:
    settings = Settings()
    if db:
        settings.database_url = db
    return settings


def open_database(settings: Settings, *, upgrade: bool = True) -> Database:
    """``upgrade=False``: as it is (backing up or restoring must not change the schema first)."""
    try:
        return connect(settings.database_url, upgrade=upgrade)
    except DatabaseUrlError as exc:
        raise fail(str(exc)) from None
    except Exception as exc:  # a server that is down, a file that cannot be created…
        raise fail(
            f"无法打开数据库 / cannot open the database: {type(exc).__name__}: {str(exc).splitlines()[0][:200]}"
        ) from None


def unreachable(exc: Exception) -> str:
    """A database that is down or refuses a statement, in one Chinese line."""
    detail = str(getattr(exc, "orig", None) or exc).splitlines()[0][:200]
    return f"无法连接数据库或数据库出错：{type(exc).__name__}: {detail}"


@contextmanager
def database_for(
    settings: Settings,
    refused: Callable[[LedgerError], typer.Exit] | None = None,
    *,
    upgrade: bool = True,
    failed: Callable[[Exception], str | None] | None = None,
) -> Iterator[Database]:
    """The database for one command, the one way every command opens it: a refusal of the ledger becomes a
    Chinese message and exit 2 (``refused`` words it when the command has more to say), a database that is
    down or fails says so, ``failed`` words the command's own errors (an archive, a file; None: not its
    own, raised on), and the connections are closed either way. ``upgrade=False`` opens the database as it
    is, without migrating it first (backup, restore, upgrade)."""
    database = open_database(settings, upgrade=upgrade)
    try:
        yield database
    except LedgerError as exc:
        raise (refused(exc) if refused is not None else fail(exc.message)) from None
    except SQLAlchemyError as exc:
        raise fail(unreachable(exc)) from None
    except typer.Exit:
        raise
    except Exception as exc:
        message = failed(exc) if failed is not None else None
        if message is None:
            raise
        raise fail(message) from None
    finally:
        database.dispose()
