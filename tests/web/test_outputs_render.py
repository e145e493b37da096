"""The documents as they print: rendered by LibreOffice to PDF and measured with pdfplumber — a full
bulletin page holds 22 body lines, and the ledger's body text prints at 9 pt or more."""

from __future__ import annotations

import itertools
import os
import re
import shutil
import subprocess
from collections import Counter
from datetime import date
from pathlib import Path

import pdfplumber
import pytest
from sqlalchemy import select

from duban.ledger.demo import load_demo
from duban.ledger.demo.activity import current_plan
from duban.ledger.store.db import connect
from duban.ledger.store.models import Period
from duban.outputs import documents
from duban.settings import Clock
from tests.conftest import CORPUS
from tests.databases import sqlite_url
from tests.web.conftest import World, bearer

SOFFICE = shutil.which("soffice")
pytestmark = pytest.mark.skipif(
    SOFFICE is None and not os.environ.get("DUBAN_REQUIRE_SOFFICE"),
    reason="LibreOffice (soffice) not installed",
)


def _pdf(tmp_path: Path, name: str, data: bytes) -> Path:
    source = tmp_path / name
    source.write_bytes(data)
    profile = f"file://{tmp_path / 'lo-profile'}"
    subprocess.run(
        [SOFFICE or "soffice", f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf",
         "--outdir", str(tmp_path), str(source)],
        check=True, timeout=180, capture_output=True,
    )  # fmt: skip
    return source.with_suffix(".pdf")


def _lines(page: pdfplumber.page.Page, size: float) -> list[float]:
    tops = Counter(round(c["top"]) for c in page.chars if abs(c["size"] - size) < 0.6)
    return sorted(tops)


def test_bulletin_page_holds_22_lines(world: World, tmp_path: Path) -> None:
    got = world.client.get(
        f"/api/periods/{world.period_id}/bulletin.docx?on=2021-07-15", headers=bearer(world, "admin")
    )
    assert got.status_code == 200
    with pdfplumber.open(_pdf(tmp_path, "bulletin.docx", got.content)) as pdf:
        page = pdf.pages[0]
        lines = _lines(page, 16)
        assert len(lines) >= 10
        # the line pitch: the commonest gap between neighbouring body lines (a chart or table may sit between)
        pitch = Counter(b - a for a, b in itertools.pairwise(lines)).most_common(1)[0][0]
        body_height = 225 / 25.4 * 72
        assert 21.5 <= body_height / pitch <= 22.5, pitch  # 22 lines in the 版心
        assert any("—" in c["text"] for c in page.chars if abs(c["size"] - 14) < 0.6)
        widest = max(_chinese_per_line(p) for p in pdf.pages)
        assert widest == 28, widest  # 28 characters of 3号 on a full line


MM = 72 / 25.4  # points per millimetre


def test_bulletin_record_sits_at_the_foot_of_the_last_page(world: World, tmp_path: Path) -> None:
    """GB/T 9704 §7.4: the 版记's last line is the 版心's last line, whatever length the body has; thick rules
    open and close it, a thin one parts 抄送 from the 印发 line."""
    got = world.client.get(
        f"/api/periods/{world.period_id}/bulletin.docx?on=2021-07-15&copy_to=县委办公室、县人大常委会办公室",
        headers=bearer(world, "admin"),
    )
    assert got.status_code == 200
    with pdfplumber.open(_pdf(tmp_path, "bulletin.docx", got.content)) as pdf:
        last = pdf.pages[-1]
        words = last.extract_words()
        printed = next(w for w in words if w["text"].endswith("印发"))
        copied = next(w for w in words if w["text"].startswith("抄送"))
        body_bottom = (37 + 225) * MM
        assert body_bottom - 8 * MM < printed["bottom"] <= body_bottom + 1, printed["bottom"] / MM
        assert copied["bottom"] < printed["top"]
        rules = sorted(
            (round(line["top"] / MM), line["linewidth"])
            for line in last.lines
            if line["x1"] - line["x0"] > 150 * MM and line["top"] > copied["top"] - 10 * MM
        )
        assert [width for _, width in rules] == [pytest.approx(1.0, abs=0.3), pytest.approx(0.5, abs=0.3),
                                                 pytest.approx(1.0, abs=0.3)], rules  # fmt: skip
        assert rules[-1][0] == pytest.approx(262, abs=2)  # the closing rule on the 版心's foot


def _chinese_per_line(page: pdfplumber.page.Page) -> int:
    """The most characters on one 3号 line made of Chinese characters and full-width punctuation only."""
    rows: dict[int, list[str]] = {}
    for char in page.chars:
        if abs(char["size"] - 16) < 0.6:
            rows.setdefault(round(char["top"]), []).append(char["text"])
    full = [len(r) for r in rows.values() if all(ord(c) >= 0x2E80 for c in r)]
    return max(full, default=0)


def _demo_q3_bulletin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> bytes:
    """The demo 2026 plan's 第三季度 bulletin, with masthead and 抄送, drafted on 2026-12-06."""
    monkeypatch.setitem(os.environ, "DUBAN_DEMO_CORPUS", str(CORPUS))
    database = connect(sqlite_url(tmp_path))
    try:
        list(load_demo(database, Clock(date(2026, 12, 6))))
        with database.reader() as session:
            plan = current_plan(session, date(2026, 12, 6))
            assert plan is not None
            q3 = session.scalar(
                select(Period).where(Period.plan_id == plan.id, Period.due == date(2026, 9, 30))
            )
            assert q3 is not None
            options = documents.BulletinOptions(masthead=True, copy_to="县委办公室、县人大常委会办公室")
            _, data = documents.bulletin_for(session, q3.id, None, date(2026, 12, 6), False, options)
    finally:
        database.dispose()
    return data


def test_demo_bulletin_is_at_most_six_pages_before_its_attachments(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 22: the 2026 demo plan's Q3 bulletin runs to 6 pages or fewer before 附件1 (it ran to 23); the
    title sits two lines below the red rule and breaks between words; the 附件 line precedes the signature."""
    data = _demo_q3_bulletin(tmp_path, monkeypatch)
    with pdfplumber.open(_pdf(tmp_path, "bulletin.docx", data)) as pdf:
        texts = [page.extract_text() or "" for page in pdf.pages]
        first = next(i for i, text in enumerate(texts) if re.match(r"附件\s*1\n", text))
        assert first <= 6, first  # pages 1..first hold the body
        assert re.search(r"附件：1\.", texts[first - 1].replace(" ", "")), texts[first - 1][-300:]
        page = pdf.pages[0]
        red = [r for r in page.rects + page.lines if r.get("stroking_color") or r.get("non_stroking_color")]
        rule = max((r for r in red if r["x1"] - r["x0"] > 150 * MM and _is_red(r)), key=lambda r: r["top"])
        titles = sorted({round(c["top"]) for c in page.chars if abs(c["size"] - 22) < 0.6})
        assert len(titles) == 2, titles  # the title on two lines
        assert titles[0] - rule["bottom"] > 2 * 28, (titles[0], rule["bottom"])  # two blank lines between
        title_lines = ["".join(c["text"] for c in page.chars if abs(c["size"] - 22) < 0.6 and round(c["top"]) == top)
                       for top in titles]  # fmt: skip
        assert title_lines[1].startswith("第三季度"), title_lines
        assert texts[-1].count("印发") == 1 and "抄送" in texts[-1]


def _is_red(shape: dict[str, object]) -> bool:
    colours = [shape.get("stroking_color"), shape.get("non_stroking_color")]
    return any(isinstance(c, (tuple, list)) and len(c) == 3 and c[0] > 0.9 and c[1] < 0.2 for c in colours)


def test_ledger_prints_at_9pt_or_more(world: World, tmp_path: Path) -> None:
    got = world.client.get(f"/api/plans/{world.plan_id}/ledger.xlsx", headers=bearer(world, "admin"))
    assert got.status_code == 200
    with pdfplumber.open(_pdf(tmp_path, "ledger.xlsx", got.content)) as pdf:
        sizes = [c["size"] for c in pdf.pages[0].chars if c["text"].strip()]
        body = Counter(round(s, 1) for s in sizes).most_common(1)[0][0]
        assert body >= 9, body
        assert pdf.pages[0].width > pdf.pages[0].height  # landscape
        assert "第 1 页" in pdf.pages[0].extract_text()
