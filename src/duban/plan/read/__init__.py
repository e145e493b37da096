"""Read step: bytes of any supported format → ``Source`` (paragraphs with bold runs, tables with cells).

The format is sniffed from the bytes first and the file name second, because offices rename files freely
(a ``.doc`` that is really a ``.docx``, a web page saved as ``.txt``). Every refusal is a ``PlanError`` with a
message a person can act on; nothing else escapes a reader.
"""

from __future__ import annotations

import zipfile

from duban.plan.errors import PlanError
from duban.plan.limits import Limits
from duban.plan.read.docx import read_docx
from duban.plan.read.html import looks_like_html, read_html
from duban.plan.read.legacy import legacy_to_docx
from duban.plan.read.pdf import read_pdf
from duban.plan.read.text import decode_text, read_text
from duban.plan.source import Source, Table

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _suffix(filename: str | None) -> str:
    if not filename or "." not in filename:
        return ""
    return filename.rsplit(".", 1)[1].lower()


def sniff(data: bytes, filename: str | None) -> str:
    """``docx``, ``pdf``, ``legacy`` (.doc/.wps), ``image`` (PNG/JPEG scan), ``html`` or ``text``; refuses
    formats the parser cannot read."""
    suffix = _suffix(filename)
    if data.startswith(b"PK\x03\x04"):
        return "docx"
    if data.lstrip()[:1024].find(b"%PDF-") >= 0:
        return "pdf"
    if data.startswith(_OLE_MAGIC):
        if suffix in ("xls", "ppt", "msg"):
            raise PlanError(
                f"不支持的文件类型 .{suffix}：请提供 doc、docx、wps、pdf、txt 或网页 / unsupported file type"
            )
        return "legacy"
    if suffix in ("docx", "docm", "wps"):
        raise PlanError("Word 文件已损坏或不完整，无法打开 / the .docx file is corrupt or truncated")
    if suffix == "pdf":
        raise PlanError("PDF 文件已损坏或不完整，无法打开 / the PDF file is corrupt or truncated")
    if data.startswith(b"\x89PNG\r\n\x1a\n") or data.startswith(b"\xff\xd8\xff"):
        return "image"
    if suffix in ("xlsx", "xls", "pptx", "ppt", "zip", "rar", "7z", "png", "jpg", "jpeg", "gif"):
        raise PlanError(f"不支持的文件类型 .{suffix}：请提供 txt、docx、pdf 或网页 / unsupported file type")
    return "text"


def read_source(data: bytes, filename: str | None = None, limits: Limits | None = None) -> Source:
    """Turn the bytes of a notice into a ``Source``."""
    limits = limits or Limits.from_env()
    if len(data) > limits.max_bytes:
        raise PlanError(
            f"文件过大（{len(data) / 1e6:.1f} MB，上限 {limits.max_bytes / 1e6:.0f} MB）/ file too large"
        )
    if not data.strip():
        raise PlanError("文件是空的 / the file is empty")
    kind = sniff(data, filename)
    try:
        if kind == "docx":
            return read_docx(data, limits)
        if kind == "pdf":
            return read_pdf(data, limits)
        if kind == "image":
            from duban.plan.read.ocr import read_image

            return read_image(data)
        if kind == "legacy":
            return read_docx(legacy_to_docx(data, _suffix(filename)), limits)
        text = decode_text(data)
        if not looks_like_html(text):
            refuse_long_text(len(text), limits)
        if _suffix(filename) in ("html", "htm", "shtml", "xhtml") or looks_like_html(text):
            return read_html(text)
        return read_text(text)
    except PlanError:
        raise
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, EOFError, RecursionError) as exc:
        raise PlanError(
            f"文件已损坏，无法读取 / the file is corrupt and cannot be read ({type(exc).__name__})"
        ) from exc


def refuse_long_text(chars: int, limits: Limits) -> None:
    """Refuse a notice with more text than the parse reads in seconds, before any work is done on it."""
    if chars > limits.max_text_chars:
        raise PlanError(
            f"通知过长（约 {chars / 10000:.0f} 万字，上限 {limits.max_text_chars / 10000:.0f} 万字），"
            "无法在合理时间内解析，请拆分为几个文件分别导入 / "
            f"notice too long: {chars} characters, the limit is {limits.max_text_chars}"
        )


def source_chars(source: Source) -> int:
    """Characters of text in a read notice, tables' cells included."""
    total = 0
    for block in source:
        if isinstance(block, Table):
            total += sum(len(cell.text) for row in block.rows for cell in row)
        else:
            total += len(block.text)
    return total


__all__ = ["read_source", "refuse_long_text", "sniff", "source_chars"]
