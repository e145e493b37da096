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


_MAP_CHARS = str.maketrans(_CHAR_MAP)
_MAP_PUNCT = str.maketrans(_TO_FULLWIDTH)
_NUMBER_PUNCT = re.compile(r"(?<=\d)([,:])(?=\d)")  # ``5,000`` and ``8:30`` keep their half-width marks
_PROTECT = str.maketrans({",": "\x01", ":": "\x02"})
_RESTORE = str.maketrans({"\x01": ",", "\x02": ":"})
_MARKUP = re.compile(r"\*\*")


def _rewrite(
    text: str, mask: list[bool] | None, pattern: re.Pattern[str], repl: str
) -> tuple[str, list[bool] | None]:
    """``pattern.sub(repl, text)`` that also rewrites the bold mask (the first replaced character's flag
    goes to the replacement). Whole-string work: the speed of the parse depends on it."""
    if mask is None:
        return pattern.sub(repl, text), None
    parts: list[str] = []
    flags: list[bool] = []
    pos = 0
    for match in pattern.finditer(text):
        parts.append(text[pos : match.start()])
        flags.extend(mask[pos : match.start()])
        if repl:
            parts.append(repl)
            flags.extend([mask[match.start()]] * len(repl))
        pos = match.end()
    parts.append(text[pos:])
    flags.extend(mask[pos:])
    return "".join(parts), flags


def _map_chars(text: str) -> str:
    """One-to-one character mapping (lengths kept, so the bold mask stays aligned)."""
    text = text.translate(_MAP_CHARS)
    if not any(ch in text for ch in _TO_FULLWIDTH):
        return text
    text = _NUMBER_PUNCT.sub(lambda m: m.group(1).translate(_PROTECT), text)
    return text.translate(_MAP_PUNCT).translate(_RESTORE)


def normalise_text(text: str, bold: list[bool] | None = None) -> Line:
    """Map characters and fold white space, keeping the bold mask aligned with the text."""
    mask = bold if bold is not None and len(bold) == len(text) and any(bold) else None
    if "**" in text:
        text, mask = _rewrite(text, mask, _MARKUP, "")
    text, mask = _rewrite(text, mask, _SPACES, " ")
    start, end = 0, len(text)
    while start < end and text[start] == " ":
        start += 1
    while end > start and text[end - 1] == " ":
        end -= 1
    text = _map_chars(text[start:end])
    line = Line(text, mask[start:end] if mask is not None else [False] * len(text))
    heading = _MARKDOWN_HEADING.match(line.text)
    return line.slice(heading.end()) if heading else line


def is_page_number(text: str) -> bool:
    return bool(_PAGE_NUMBER.match(text))


def normalise_lines(paras: list[Para]) -> list[Line]:
    """Normalise paragraphs into lines (a line break inside a paragraph starts a new line), dropping
    empty lines and page numbers."""
    lines = []
    for para in paras:
        text = para.text
        if not text:
            continue
        # no mask where nothing is bold (every plain-text line): building one a character costs more than
        # the rest of the step
        mask = para.bold_mask() if any(run.bold for run in para.runs) else None
        start = 0
        for part in text.split("\n"):
            line = normalise_text(part, mask[start : start + len(part)] if mask is not None else None)
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
