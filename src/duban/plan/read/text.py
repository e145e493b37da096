"""Plain text: detect the encoding, split lines, turn balanced ``**…**`` conversion markup into bold runs."""

from __future__ import annotations

import codecs
import re
import unicodedata

import charset_normalizer

from duban.plan.errors import PlanError
from duban.plan.read.text_tables import split_pipe_tables, split_tab_rows, split_text_tables
from duban.plan.source import Para, Run, Source, Table

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_ALLOWED_CONTROLS = set("\t\n\r\f\v")


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 saved without a BOM shows as a NUL in every other byte of ASCII text."""
    sample = data[:4000]
    if len(sample) < 4:
        return None
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    if max(even, odd) < len(sample) // 8:
        return None
    encoding = "utf-16-le" if odd > even else "utf-16-be"
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        return None


def _decode(data: bytes) -> str | None:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data.decode(encoding, errors="replace")
    text = _utf16_without_bom(data)
    if text is not None:
        return text
    for encoding in ("utf-8", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    best = charset_normalizer.from_bytes(data).best()
    return str(best) if best is not None else None


# Runs of characters that are never odd (printable ASCII, white space, CJK ideographs and punctuation,
# full-width forms): taken out first, so only the rest is examined character by character.
_COMMON = re.compile("[\t\n\r\x20-\x7e\u3000-\u303f\u4e00-\u9fff\uff01-\uffee\u2010-\u2027]+")


def _looks_binary(text: str) -> bool:
    sample = text[:20000]
    if not sample:
        return True
    odd = sum(
        1
        for ch in _COMMON.sub("", sample)
        if (unicodedata.category(ch) in ("Cc", "Co", "Cs", "Cn") and ch not in _ALLOWED_CONTROLS)
        or ch == "\ufffd"
    )
    return odd > max(2, len(sample) // 100)


def decode_text(data: bytes) -> str:
    """Bytes → str in UTF-8 (BOM or not), UTF-16/32, GB18030/GBK, or whatever charset-normalizer finds."""
    text = _decode(data)
    if text is None or _looks_binary(text):
        raise PlanError(
            "无法识别的文件：既不是文本，也不是 docx、pdf 或网页 / "
            "unrecognised file: not text, docx, pdf or html"
        )
    return text.replace("\r\n", "\n").replace("\r", "\n")


def read_text(text: str) -> Source:
    """One paragraph per line; a table pasted as text becomes a ``Table``. ``**`` toggles bold across lines
    when the markers pair up."""
    bold_markup = text.count("**") % 2 == 0
    source: Source = []
    bold = False
    lines = text.split("\n")
    pieces: list[str | Table] = split_tab_rows(split_text_tables(lines)) if "\t" in text else list(lines)
    if "|" in text or "｜" in text:
        pieces = split_pipe_tables(pieces)
    for line in pieces:
        if isinstance(line, Table):
            source.append(line)
            continue
        runs: list[Run] = []
        parts = line.split("**") if bold_markup else [line]
        for i, part in enumerate(parts):
            if i > 0:
                bold = not bold
            if part:
                runs.append(Run(part, bold))
        source.append(Para(runs))
    return source
