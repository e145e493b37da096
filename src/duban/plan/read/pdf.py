"""PDF with a text layer (pdfplumber): lines rebuilt into paragraphs, page furniture dropped.

A printed notice wraps every paragraph at the right margin, so lines are joined back when a line runs to the
margin and the next one does not start indented; a paragraph that ends short of the margin ends there.
Page numbers (``— 3 —``, ``－3－``) and running headers/footers (the same short line at the top or bottom of
most pages) are dropped. A PDF with no text layer (a scan) is refused: it needs OCR first.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from io import BytesIO
from typing import Any

import pdfplumber

from duban.plan.errors import PlanError
from duban.plan.limits import Limits
from duban.plan.normalise import is_page_number, normalise_text
from duban.plan.source import Para, Run, Source

_BOLD_FONT = re.compile(r"bold|black|heavy|hei|黑", re.IGNORECASE)
_DIGITS = re.compile(r"\d+")


@dataclass(eq=False)
class _Line:
    text: str
    bold: list[bool]
    x0: float
    x1: float
    top: float
    size: float


def _lines(page: Any) -> list[_Line]:
    out = []
    for raw in page.extract_text_lines(return_chars=True, strip=True):
        chars = [c for c in raw["chars"] if c.get("text")]
        if not chars:
            continue
        text = raw["text"]
        sizes = sorted(c.get("size", 0.0) for c in chars)
        out.append(
            _Line(
                text,
                _bold_mask(text, chars),
                raw["x0"],
                raw["x1"],
                raw["top"],
                sizes[len(sizes) // 2] or 12.0,
            )
        )
    return out


def _bold_mask(text: str, chars: list[dict[str, Any]]) -> list[bool]:
    """A bold flag per character of the line's text. pdfplumber's text has spaces where glyphs stand apart
    (``防洪除涝工程 实施…``) that are not glyphs themselves; they take the flag of the glyph before."""
    mask: list[bool] = []
    j = 0
    for ch in text:
        if j < len(chars) and chars[j]["text"].startswith(ch):
            mask.append(bool(_BOLD_FONT.search(chars[j].get("fontname", ""))))
            j += 1
        else:
            mask.append(mask[-1] if mask else False)
    return mask


def _furniture_key(line: _Line) -> str:
    """Running headers differ only in their page number: compare them with digits masked."""
    return _DIGITS.sub("#", normalise_text(line.text).text)


def _drop_furniture(pages: list[list[_Line]]) -> list[list[_Line]]:
    edge_keys: Counter[str] = Counter()
    for lines in pages:
        for line in {*lines[:2], *lines[-2:]} if len(lines) > 4 else set():
            edge_keys[_furniture_key(line)] += 1
    repeated = {
        k for k, n in edge_keys.items() if len(pages) >= 3 and n >= max(3, len(pages) * 0.6) and len(k) < 60
    }
    kept = []
    for lines in pages:
        edges = {id(line) for line in (lines[:2] + lines[-2:])}
        kept.append(
            [
                line
                for line in lines
                if not is_page_number(normalise_text(line.text).text)
                and not (id(line) in edges and _furniture_key(line) in repeated)
            ]
        )
    return kept


def _paragraphs(lines: list[_Line], right: float, left: float) -> list[Para]:
    paras: list[Para] = []
    current: list[Run] = []
    for i, line in enumerate(lines):
        runs = _runs(line)
        indented = line.x0 > left + line.size * 1.2
        if current and indented:
            paras.append(Para(current))
            current = []
        current.extend(runs)
        reaches_margin = line.x1 >= right - line.size * 1.5
        nxt = lines[i + 1] if i + 1 < len(lines) else None
        if not reaches_margin or nxt is None or abs(nxt.size - line.size) > 1.0:
            paras.append(Para(current))
            current = []
    if current:
        paras.append(Para(current))
    return paras


def _runs(line: _Line) -> list[Run]:
    runs: list[Run] = []
    for ch, bold in zip(line.text, line.bold, strict=True):
        if runs and runs[-1].bold == bold:
            runs[-1] = Run(runs[-1].text + ch, bold)
        else:
            runs.append(Run(ch, bold))
    return runs


def read_pdf(data: bytes, limits: Limits) -> Source:
    try:
        with pdfplumber.open(BytesIO(data)) as pdf:
            if len(pdf.pages) > limits.max_pages:
                raise PlanError(
                    f"PDF 页数过多（{len(pdf.pages)} 页，上限 {limits.max_pages} 页）/ too many pages in the PDF"
                )
            pages = [_lines(page) for page in pdf.pages]
    except PlanError:
        raise
    except Exception as exc:  # pdfminer raises many types (PDFSyntaxError, PSEOF, …) for a broken file
        raise PlanError("PDF 文件已损坏或不完整，无法读取 / the PDF file is corrupt or truncated") from exc
    if not any(pages):
        raise PlanError(
            "这个 PDF 没有文字层（可能是扫描件），需要先进行文字识别（OCR）/ "
            "this PDF has no text layer (a scan?): run OCR on it first"
        )
    pages = _drop_furniture(pages)
    all_lines = [line for lines in pages for line in lines]
    if not all_lines:
        raise PlanError("PDF 中没有可读的正文 / no readable text in the PDF")
    right = _margin([line.x1 for line in all_lines], high=True)
    left = _margin([line.x0 for line in all_lines], high=False)
    return list(_paragraphs(all_lines, right, left))


def _margin(values: list[float], high: bool) -> float:
    """The text block's edge: the value most lines reach (robust to a few outliers)."""
    ordered = sorted(values, reverse=high)
    return ordered[min(len(ordered) - 1, len(ordered) // 10)]
