"""What every ``duban`` command shares: saying no in Chinese, the ``--db`` option, the settings, and the
database opened for one command and always closed (``database_for``)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Annotated

import typer
from rich.console import Console

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


def open_database(settings: Settings) -> Database:
    try:
        return connect(settings.database_url)
    except DatabaseUrlError as exc:
        raise fail(str(exc)) from None
    except Exception as exc:  # a server that is down, a file that cannot be created…
        raise fail(
            f"无法打开数据库 / cannot open the database: {type(exc).__name__}: {str(exc).splitlines()[0][:200]}"
        ) from None


@contextmanager
def database_for(
    settings: Settings, refused: Callable[[LedgerError], typer.Exit] | None = None
) -> Iterator[Database]:
    """The database for one command: a refusal of the ledger becomes a Chinese message and exit 2
    (``refused`` words it when the command has more to say), and the connections are closed either way."""
    database = open_database(settings)
    try:
        yield database
    except LedgerError as exc:
        raise (refused(exc) if refused is not None else fail(exc.message)) from None
    finally:
        database.dispose()
