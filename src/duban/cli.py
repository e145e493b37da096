"""The ``duban`` command. Thin: every command calls the parser or the ledger and prints the result."""

from __future__ import annotations

import typer

app = typer.Typer(
    name="duban",
    help="督办：把责任分工通知变成台账 / turn a responsibility-division notice into a live ledger.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


@app.callback()
def main() -> None:
    """督办：把责任分工通知变成台账。"""


def _register_commands() -> None:
    from duban import cli_parse

    cli_parse.register(app)
    from duban import cli_ledger

    cli_ledger.register(app)
    from duban import cli_outputs

    cli_outputs.register(app)
    from duban import cli_ops

    cli_ops.register(app)
    from duban import cli_chasing

    cli_chasing.register(app)


_register_commands()
