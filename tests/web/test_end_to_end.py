"""The supervision workflow of ``shared/spec/api.md`` against the real server, from a fresh database, on
SQLite and PostgreSQL: the project's acceptance walker ``shared/tools/api_check.py`` must pass every check."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import CORPUS, SHARED
from tests.web.server import DUBAN


def test_api_check_passes(database_url: str) -> None:
    done = subprocess.run(
        [sys.executable, str(SHARED / "tools" / "api_check.py"), str(DUBAN), str(CORPUS), database_url],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "22/22 checks pass" in done.stdout


def test_api_check_outputs_pass(database_url: str) -> None:
    """The ledger workbook and the bulletin (``api_check.py --outputs``)."""
    done = subprocess.run(
        [
            sys.executable,
            str(SHARED / "tools" / "api_check.py"),
            str(DUBAN),
            str(CORPUS),
            database_url,
            "--outputs",
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "15/15 checks pass" in done.stdout
