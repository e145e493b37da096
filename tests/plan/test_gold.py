"""The gold notices parse to the issue's thresholds, through the real command line, as valid ``duban.plan/1``."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from tests.conftest import GOLD_NOTICES, SHARED
from tests.plan.scoring import below, score_file

SCHEMA = json.loads((SHARED / "spec" / "plan.schema.json").read_text(encoding="utf-8"))


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "duban", *args], capture_output=True, text=True, check=False, timeout=120
    )


def test_there_are_gold_notices() -> None:
    assert len(GOLD_NOTICES) >= 3


@pytest.mark.parametrize("notice", GOLD_NOTICES, ids=lambda p: p.name[:3])
def test_cli_json_meets_thresholds_and_schema(notice: Path, tmp_path: Path) -> None:
    done = run_cli("parse", str(notice), "--format", "json")
    assert done.returncode == 0, done.stderr
    document = json.loads(done.stdout)  # exactly one JSON object on stdout
    jsonschema.validate(document, SCHEMA)
    pred = tmp_path / "pred.json"
    pred.write_text(done.stdout, encoding="utf-8")
    metrics = score_file(notice.with_suffix(".plan.json"), pred)
    assert below(metrics) == {}, metrics
