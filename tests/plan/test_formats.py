"""The gold notices rendered to docx (paragraphs with bold leads; tables), PDF and a web page score within 0.02
of the issue's thresholds, i.e. the read step loses nothing the text parse had."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from duban.plan import parse
from tests.conftest import GOLD_NOTICES
from tests.plan import renderings
from tests.plan.scoring import below, score

Renderer = Callable[[str, dict[str, Any]], bytes]

RENDERERS: dict[str, tuple[str, Renderer]] = {
    "docx-paragraphs": ("notice.docx", renderings.docx_paragraphs),
    "docx-tables": ("notice.docx", renderings.docx_tables),
    "pdf": ("notice.pdf", lambda text, gold: renderings.pdf(text)),
    "pdf-tables": ("notice.pdf", renderings.pdf_tables),
    "pdf-flush-left": ("notice.pdf", lambda text, gold: renderings.pdf(text, indent=False)),
    "html": ("notice.html", lambda text, gold: renderings.web_page(text)),
}


@pytest.mark.slow
@pytest.mark.parametrize("rendering", sorted(RENDERERS))
@pytest.mark.parametrize("notice", GOLD_NOTICES, ids=lambda p: p.name[:3])
def test_rendered_notice_scores_like_text(notice: Path, rendering: str, tmp_path: Path) -> None:
    filename, render = RENDERERS[rendering]
    gold = json.loads(notice.with_suffix(".plan.json").read_text(encoding="utf-8"))
    data = render(notice.read_text(encoding="utf-8"), gold)
    plan = parse(data, filename=filename)
    metrics = score(notice.with_suffix(".plan.json"), plan, tmp_path)
    assert below(metrics, tolerance=0.02) == {}, metrics
