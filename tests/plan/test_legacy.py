"""A notice as a legacy .doc (made in the test by LibreOffice from a generated .docx) parses exactly as the
.docx does; without LibreOffice the refusal says what to install."""

from __future__ import annotations

import json
import os
import subprocess
import tempfile
from pathlib import Path

import pytest

from duban.plan import PlanError, parse
from duban.plan.read import legacy
from tests.conftest import GOLD_NOTICES
from tests.plan import renderings
from tests.plan.scoring import score

needs_office = pytest.mark.skipif(
    legacy.find_office() is None and not os.environ.get("DUBAN_REQUIRE_SOFFICE"),
    reason="LibreOffice is not installed (make system installs it)",
)


def _docx_to_doc(docx: bytes) -> bytes:
    office = legacy.find_office()
    assert office is not None, "LibreOffice is required here (DUBAN_REQUIRE_SOFFICE is set)"
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        (work / "notice.docx").write_bytes(docx)
        subprocess.run(
            [
                office,
                "--headless",
                f"-env:UserInstallation={(work / 'profile').as_uri()}",
                "--convert-to",
                "doc:MS Word 97",
                "--outdir",
                str(work),
                str(work / "notice.docx"),
            ],
            check=True,
            capture_output=True,
            timeout=120,
        )
        return (work / "notice.doc").read_bytes()


@pytest.mark.slow
@needs_office
def test_a_doc_notice_scores_as_its_docx(tmp_path: Path) -> None:
    notice = GOLD_NOTICES[0]
    gold_file = notice.with_suffix(".plan.json")
    gold = json.loads(gold_file.read_text(encoding="utf-8"))
    docx = renderings.docx_paragraphs(notice.read_text(encoding="utf-8"), gold)
    doc = _docx_to_doc(docx)
    assert doc.startswith(b"\xd0\xcf\x11\xe0")
    (tmp_path / "docx").mkdir()
    (tmp_path / "doc").mkdir()
    from_docx = score(gold_file, parse(docx, filename="notice.docx"), tmp_path / "docx")
    from_doc = score(gold_file, parse(doc, filename="通知.doc"), tmp_path / "doc")
    assert from_doc == from_docx
    assert from_doc["tasks_f1"] >= 0.99


def test_without_libreoffice_the_message_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(legacy, "find_office", lambda: None)
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600
    with pytest.raises(PlanError, match="libreoffice-writer-nogui"):
        parse(ole, filename="通知.wps")


@needs_office
def test_a_broken_doc_is_refused_clearly() -> None:
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x13" * 4000
    with pytest.raises(PlanError, match=r"无法转换|不是责任分工通知"):
        parse(ole, filename="坏文件.doc")
