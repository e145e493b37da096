"""Run ``shared/tools/score_plan.py`` (the official scorer) on a parse, and the thresholds of issue 2."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

from duban.plan import Plan
from tests.conftest import SHARED

SCORER = SHARED / "tools" / "score_plan.py"
THRESHOLDS = {
    "tasks_f1": 1.0,
    "text_exact": 0.98,
    "units_f1": 0.99,
    "roles": 0.99,
    "leaders_f1": 1.0,
    "targets_f1": 0.98,
    "indicators_f1": 1.0,
    "document": 1.0,
    "section": 1.0,
    "kind": 1.0,
    "name": 1.0,
}
_METRIC = re.compile(r"^(\w+)\s+([0-9.]+)\s*$", re.MULTILINE)


def score(gold: Path, plan: Plan, tmp_path: Path) -> dict[str, float]:
    pred = tmp_path / f"{gold.stem}.pred.json"
    pred.write_text(plan.to_json(), encoding="utf-8")
    return score_file(gold, pred)


def score_file(gold: Path, pred: Path) -> dict[str, float]:
    done = subprocess.run(
        [sys.executable, str(SCORER), str(gold), str(pred)], capture_output=True, text=True, check=False
    )
    metrics = {name: float(value) for name, value in _METRIC.findall(done.stdout)}
    assert metrics, f"scorer printed nothing usable:\n{done.stdout}\n{done.stderr}"
    return metrics


def below(metrics: dict[str, float], tolerance: float = 0.0) -> dict[str, float]:
    """The metrics under their threshold (minus ``tolerance``): empty when the parse is good enough."""
    return {k: v for k, v in metrics.items() if k in THRESHOLDS and v < THRESHOLDS[k] - tolerance - 1e-9}


def gold_path(notice: Path) -> Path:
    return notice.with_suffix(".plan.json")


def load_gold(notice: Path) -> dict[str, object]:
    return json.loads(gold_path(notice).read_text(encoding="utf-8"))
