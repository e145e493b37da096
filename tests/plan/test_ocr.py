"""Scans read by OCR: the first page of a gold notice, rendered in the test as an image (and as a PDF
without a text layer), is parsed with tasks_f1 ≥ 0.95 and units_f1 ≥ 0.9 on the tasks that page holds;
a blank page is refused clearly. OCR is slow on two cores, so one page each."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from PIL import Image, ImageDraw, ImageFont

from duban.plan import PlanError, parse
from tests.conftest import GOLD_NOTICES
from tests.plan.renderings import annotate
from tests.plan.scoring import score

FONT = Path("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc")
PX, PER_LINE, MARGIN, LINE_GAP = 34, 34, 70, 22
pytestmark = pytest.mark.skipif(not FONT.exists(), reason="fonts-noto-cjk is not installed (make system)")


def _wrapped(text: str) -> list[tuple[int, str]]:
    """A paragraph as printed: first line indented two characters, the rest flush left."""
    text = text.replace("**", "").strip()
    out, first, width = [], True, PER_LINE - 2
    while text:
        out.append((2 if first else 0, text[:width]))
        text, first, width = text[width:], False, PER_LINE
    return out


def _page(lines: list[str]) -> Image.Image:
    printed = [row for line in lines for row in _wrapped(line)]
    image = Image.new("L", (2 * MARGIN + PER_LINE * PX, 2 * MARGIN + len(printed) * (PX + LINE_GAP)), 255)
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(str(FONT), PX)
    for i, (indent, row) in enumerate(printed):
        draw.text((MARGIN + indent * PX, MARGIN + i * (PX + LINE_GAP)), row, font=font, fill=0)
    return image


def _first_page(notice: Path, lines: int = 24) -> tuple[Image.Image, dict[str, Any]]:
    gold = json.loads(notice.with_suffix(".plan.json").read_text(encoding="utf-8"))
    annotated = [line for line in annotate(notice.read_text(encoding="utf-8"), gold) if line.text.strip()]
    page = annotated[:lines]
    tasks = [line.task for line in page if line.task is not None]
    keys = {t["no"] for t in tasks}
    page_gold = {
        **gold,
        "tasks": [t for t in gold["tasks"] if t["no"] in keys][: len(tasks)],
        "indicators": [],
    }
    return _page([line.text for line in page]), page_gold


def _score(plan: Any, gold: dict[str, Any], tmp_path: Path) -> dict[str, float]:
    gold_file = tmp_path / "page.plan.json"
    gold_file.write_text(json.dumps(gold, ensure_ascii=False), encoding="utf-8")
    return score(gold_file, plan, tmp_path)


@pytest.mark.slow
def test_a_scanned_page_is_parsed(tmp_path: Path) -> None:
    image, gold = _first_page(GOLD_NOTICES[0])
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    plan = parse(buffer.getvalue(), filename="scan.png")
    assert plan.read_by_ocr
    metrics = _score(plan, gold, tmp_path)
    assert metrics["tasks_f1"] >= 0.95 and metrics["units_f1"] >= 0.9, metrics


@pytest.mark.slow
def test_a_pdf_without_text_layer_is_read_by_ocr(tmp_path: Path) -> None:
    image, gold = _first_page(GOLD_NOTICES[2], lines=14)
    buffer = io.BytesIO()
    image.convert("RGB").save(buffer, format="PDF", resolution=150)
    plan = parse(buffer.getvalue(), filename="scan.pdf")
    assert plan.read_by_ocr
    metrics = _score(plan, gold, tmp_path)
    assert metrics["tasks_f1"] >= 0.95 and metrics["units_f1"] >= 0.9, metrics


def test_a_blank_scan_is_refused_clearly() -> None:
    buffer = io.BytesIO()
    Image.new("L", (800, 1000), 200).save(buffer, format="PNG")
    with pytest.raises(PlanError, match="没有识别出文字"):
        parse(buffer.getvalue(), filename="blank.png")
