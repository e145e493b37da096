"""Normalise step: every paragraph becomes a ``Line`` whose text the later steps can match with one set of
patterns, whatever the source's habits were.

What changes and why:
- full-width Latin letters and digits become ASCII (``１２`` → ``12``), ``．`` becomes ``.``: numbers compare;
- half-width clause punctuation becomes full-width (``(责任单位:`` → ``（责任单位：``), except inside numbers
  (``5,000``, ``8:30``): one spelling of the punctuation the patterns look for;
- every kind of white space becomes one plain space, runs are folded, ends stripped: a space may still separate
  a livelihood project's name from its content (``防洪除涝工程 实施…``), so it is only removed by ``squeeze``
  when a field is finally written;
- conversion markup (``**``, a leading Markdown ``#``) disappears; lone page-number lines (``— 3 —``) go.

Bold survives as a per-character mask, so ``黑体为主办单位`` can be honoured after normalising.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from duban.plan.source import Para

_FULLWIDTH_ALNUM = {chr(c): chr(c - 0xFEE0) for c in range(0xFF10, 0xFF1A)}
_FULLWIDTH_ALNUM.update({chr(c): chr(c - 0xFEE0) for c in range(0xFF21, 0xFF3B)})
_FULLWIDTH_ALNUM.update({chr(c): chr(c - 0xFEE0) for c in range(0xFF41, 0xFF5B)})
_CHAR_MAP = {**_FULLWIDTH_ALNUM, "．": ".", "％": "%", "～": "~", "＋": "+", "﹪": "%"}
_TO_FULLWIDTH = {"(": "（", ")": "）", ":": "：", ";": "；", ",": "，", "?": "？", "!": "！"}
_SPACES = re.compile(r"[\s\u00a0\u1680\u2000-\u200b\u2028\u2029\u202f\u205f\u3000\ufeff]+")
_PAGE_NUMBER = re.compile(
    r"^(?:[—－\-–─]+\s*\d{1,4}\s*[—－\-–─]+|第\s*\d+\s*页(?:\s*共\s*\d+\s*页)?|\d+\s*/\s*\d+)$"
)
_MARKDOWN_HEADING = re.compile(r"^#{1,6}\s+")


@dataclass
class Line:
    """A normalised line: its text and, per character, whether it was bold."""

    text: str
    bold: list[bool] = field(default_factory=list)

    def __post_init__(self) -> None:
        if len(self.bold) != len(self.text):
            self.bold = [False] * len(self.text)

    def slice(self, start: int, end: int | None = None) -> Line:
        return Line(self.text[start:end], self.bold[start:end])

    def __add__(self, other: Line) -> Line:
        return Line(self.text + other.text, self.bold + other.bold)

    @property
    def any_bold(self) -> bool:
        return any(self.bold)


def _map_char(text: str, i: int) -> str:
    ch = text[i]
    ch = _CHAR_MAP.get(ch, ch)
    if ch in _TO_FULLWIDTH:
        before = text[i - 1] if i > 0 else ""
        after = text[i + 1] if i + 1 < len(text) else ""
        if ch in ",:" and before.isdigit() and after.isdigit():
            return ch
        return _TO_FULLWIDTH[ch]
    return ch


def normalise_text(text: str, bold: list[bool] | None = None) -> Line:
    """Map characters and fold white space, keeping the bold mask aligned with the text."""
    bold = bold if bold is not None and len(bold) == len(text) else [False] * len(text)
    text = text.replace("**", "\x00\x00")
    chars: list[str] = []
    flags: list[bool] = []
    for i, ch in enumerate(text):
        if ch == "\x00":
            continue
        if _SPACES.fullmatch(ch):
            if chars and chars[-1] != " ":
                chars.append(" ")
                flags.append(bold[i])
            continue
        chars.append(_map_char(text, i))
        flags.append(bold[i])
    while chars and chars[-1] == " ":
        chars.pop()
        flags.pop()
    line = Line("".join(chars), flags)
    heading = _MARKDOWN_HEADING.match(line.text)
    return line.slice(heading.end()) if heading else line


def is_page_number(text: str) -> bool:
    return bool(_PAGE_NUMBER.match(text))


def normalise_lines(paras: list[Para]) -> list[Line]:
    """Normalise paragraphs into lines (a line break inside a paragraph starts a new line), dropping
    empty lines and page numbers."""
    lines = []
    for para in paras:
        text, mask = para.text, para.bold_mask()
        start = 0
        for part in text.split("\n"):
            line = normalise_text(part, mask[start : start + len(part)])
            start += len(part) + 1
            if line.text and not is_page_number(line.text):
                lines.append(line)
    return lines


_KEEP_SPACE = re.compile(r"(?<=[A-Za-z0-9]) (?=[A-Za-z0-9])")


def squeeze(text: str) -> str:
    """The text as a field is written: spaces dropped except between two Latin letters or digits."""
    if " " not in text:
        return text
    return "\x01".join(part.replace(" ", "") for part in _KEEP_SPACE.split(text)).replace("\x01", " ")
