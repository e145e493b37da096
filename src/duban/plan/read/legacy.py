"""Legacy Word and WPS files (.doc, .wps: OLE compound documents) converted to .docx by LibreOffice.

Offices still receive notices as .doc and .wps. LibreOffice (Debian's ``libreoffice-writer-nogui``) reads
both; it runs headless, in a temporary folder of its own with its own profile (parallel conversions never
share one), with a time limit, and is given the file by path in an argument list — never through a shell
string built from the uploaded name. Without LibreOffice the message says what to install.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from duban.plan.errors import PlanError

CONVERT_SECONDS = 90
_CANDIDATES = ("soffice", "libreoffice")


def find_office() -> str | None:
    """Path of the LibreOffice program, or None."""
    return next((path for name in _CANDIDATES if (path := shutil.which(name))), None)


def legacy_to_docx(data: bytes, suffix: str = "doc") -> bytes:
    """The .docx LibreOffice makes of a .doc or .wps file."""
    office = find_office()
    if office is None:
        raise PlanError(
            "读取 .doc/.wps 文件需要 LibreOffice：请安装 libreoffice-writer-nogui（sudo apt-get install "
            "libreoffice-writer-nogui），或将文件另存为 .docx 后再导入 / LibreOffice is needed for .doc/.wps"
        )
    with tempfile.TemporaryDirectory(prefix="duban-office-") as folder:
        work = Path(folder)
        source = work / f"notice.{suffix if suffix in ('doc', 'wps') else 'doc'}"
        source.write_bytes(data)
        command = [
            office,
            "--headless",
            "--norestore",
            "--nolockcheck",
            f"-env:UserInstallation={(work / 'profile').as_uri()}",
            "--convert-to",
            "docx:MS Word 2007 XML",
            "--outdir",
            str(work / "out"),
            str(source),
        ]
        try:
            subprocess.run(command, capture_output=True, timeout=CONVERT_SECONDS, check=False, cwd=work)
        except subprocess.TimeoutExpired:
            raise PlanError(
                f"转换 .doc/.wps 文件超时（{CONVERT_SECONDS} 秒），请另存为 .docx 后再导入 / conversion timed out"
            ) from None
        result = work / "out" / "notice.docx"
        if not result.is_file() or result.stat().st_size == 0:
            raise PlanError(
                "无法转换该 .doc/.wps 文件（文件可能已损坏或加密），请另存为 .docx 后再导入 / "
                "LibreOffice could not convert the file"
            )
        return result.read_bytes()
