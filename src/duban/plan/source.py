"""What the read step hands to the rest of the pipeline: a format-free list of blocks.

Every reader (text, docx, pdf, html) turns its input into ``Source``: paragraphs made of runs (so that bold,
the mark of ``黑体为主办单位``, survives) and tables made of cells. Nothing after the read step knows which
format a notice came in.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple


class Run(NamedTuple):
    """A stretch of text with one formatting; only bold matters to the parser. A named tuple, not a frozen
    dataclass: a notice makes one for every line, and a tuple is made several times faster."""

    text: str
    bold: bool = False


@dataclass
class Para:
    """One paragraph (or one line of a plain-text/PDF source)."""

    runs: list[Run] = field(default_factory=list)

    @classmethod
    def plain(cls, text: str) -> Para:
        return cls([Run(text)])

    @property
    def text(self) -> str:
        runs = self.runs
        return runs[0].text if len(runs) == 1 else "".join(r.text for r in runs)

    def bold_mask(self) -> list[bool]:
        """One flag per character of ``text``: is it bold."""
        mask: list[bool] = []
        for r in self.runs:
            mask.extend([r.bold] * len(r.text))
        return mask


@dataclass
class Cell:
    """A table cell. ``span`` > 1 for a horizontally merged cell (kept once);
    ``continued`` for the lower parts of a vertically merged cell (their text is empty)."""

    paras: list[Para] = field(default_factory=list)
    span: int = 1
    continued: bool = False

    @property
    def text(self) -> str:
        return "\n".join(p.text for p in self.paras)


@dataclass
class Table:
    rows: list[list[Cell]] = field(default_factory=list)


Block = Para | Table
Source = list[Block]


class ScannedSource(list[Block]):
    """A ``Source`` read by OCR from a scan: the plan built from it says so, for the admin to check."""

    ocr = True
