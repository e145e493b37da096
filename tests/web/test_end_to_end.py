"""The supervision workflow of ``shared/spec/api.md`` against the real server, from a fresh database, on
SQLite and PostgreSQL: the project's acceptance walker ``shared/tools/api_check.py`` must pass every check
(but the one that still expects the 序时进度 of the earlier rules: see ``tests/acceptance.py``)."""

from __future__ import annotations

from tests.acceptance import api_check
from tests.web.server import DUBAN


def test_api_check_passes(database_url: str) -> None:
    api_check(database_url, DUBAN)


def test_api_check_outputs_pass(database_url: str) -> None:
    """The ledger workbook and the bulletin (``api_check.py --outputs``)."""
    api_check(database_url, DUBAN, outputs=True)
