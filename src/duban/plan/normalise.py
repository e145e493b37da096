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

import functools
import itertools
import re
from dataclasses import dataclass

from duban.plan.quantities import cn_to_int
from duban.plan.source import Cell, Para, Source, Table

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


class Line:
    """A normalised line: its text and which of its characters were bold.

    Most notices have no bold at all, so a line without any keeps no mask (``None``) instead of one flag a
    character: lines are sliced and joined tens of thousands of times a notice, and copying those lists was
    the largest cost of the parse that bold did not need. ``bold`` still answers one flag a character."""

    __slots__ = ("_mask", "text")

    def __init__(self, text: str, bold: list[bool] | None = None) -> None:
        self.text = text
        self._mask = bold if bold is not None and len(bold) == len(text) and any(bold) else None

    @property
    def bold(self) -> list[bool]:
        return self._mask if self._mask is not None else [False] * len(self.text)

    def slice(self, start: int, end: int | None = None) -> Line:
        mask = self._mask
        return _aligned(self.text[start:end], mask[start:end] if mask is not None else None)

    def __add__(self, other: Line) -> Line:
        if self._mask is None and other._mask is None:
            return _aligned(self.text + other.text, None)
        return _aligned(self.text + other.text, self.bold + other.bold)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Line) and self.text == other.text and self.bold == other.bold

    __hash__ = None  # type: ignore[assignment]  # mutable, compared by value

    def __repr__(self) -> str:
        return f"Line({self.text!r}, bold={self.any_bold})"

    @property
    def any_bold(self) -> bool:
        return self._mask is not None and any(self._mask)

    @property
    def compact(self) -> str:
        """The text squeezed (see ``squeeze``): what a rule matches when a space inside a label or a name
        (``名 称：``, ``县 财政局``) must not count."""
        return squeeze(self.text)


def _aligned(text: str, mask: list[bool] | None) -> Line:
    """A ``Line`` from a text and a mask known to be aligned (a slice or a sum of lines): made without
    ``__init__``'s check, as lines are sliced and joined tens of thousands of times a notice."""
    line = object.__new__(Line)
    line.text = text
    line._mask = mask
    return line


_MAP_CHARS = str.maketrans(_CHAR_MAP)
_TO_MAP = re.compile("[" + re.escape("".join(_CHAR_MAP)) + "]")
_TO_WIDEN = re.compile("[" + re.escape("".join(_TO_FULLWIDTH)) + "]")
_NUMBER_PUNCT = re.compile(r"(?<=\d)([,:])(?=\d)")  # ``5,000`` and ``8:30`` keep their half-width marks
_PROTECT = str.maketrans({",": "\x01", ":": "\x02"})
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
    if _TO_MAP.search(text):  # a mapping is looked up character by character: only where one applies
        text = text.translate(_MAP_CHARS)
    if not _TO_WIDEN.search(text):
        return text
    text = _NUMBER_PUNCT.sub(lambda m: m.group(1).translate(_PROTECT), text)
    # one ``replace`` a mark (a scan in C) rather than ``translate`` (a lookup for every character)
    for half, full in _TO_FULLWIDTH.items():
        text = text.replace(half, full)
    return text.replace("\x01", ",").replace("\x02", ":")


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
    line = Line(text, mask[start:end] if mask is not None else None)
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


# A whole body on one line (``一、产业发展 1.推进…。（牵头单位：…） 2.新建…``), as some copies arrive: the line
# is cut before each heading or item number that starts a new part after a space, a full stop or a clause's
# closing bracket, where the numbers run in sequence; an ordinary paragraph never has two such numbers.
RUN_ON_MIN = 40
_CN_NUM = "一二三四五六七八九十百零〇○两"
_RUN_ON_MARK = re.compile(
    rf"(?P<arabic>\d{{1,3}})\s*[、.](?!\d)|（(?P<paren>[{_CN_NUM}]{{1,3}})）|(?P<cn>[{_CN_NUM}]{{1,3}})、"
)
_RUN_ON_AFTER = set("。；！？）) ")  # what a part that a number cuts off ends with
# a quick first look: two numbers after such an end, at least (most long lines have none)
_RUN_ON_GATE = re.compile(
    rf"[。；！？）) ]\s?(?:\d{{1,3}}\s*[、.](?!\d)|（[{_CN_NUM}]{{1,3}}）|[{_CN_NUM}]{{1,3}}、)"
)


def split_run_on(line: Line) -> list[Line]:
    """The line cut into its parts when it runs several numbered parts together, else ``[line]``."""
    text = line.text
    gate = _RUN_ON_GATE.search(text)
    if gate is None or _RUN_ON_GATE.search(text, gate.end()) is None:
        return [line]
    counters = {"arabic": 0, "paren": 0, "cn": 0}
    cuts = []
    for match in _RUN_ON_MARK.finditer(text):
        start = match.start()
        if start and (text[start - 1] not in _RUN_ON_AFTER or (text[start - 1].isdigit())):
            continue
        kind = next(k for k in ("arabic", "paren", "cn") if match.group(k))
        number = cn_to_int(match.group(kind)) if kind != "arabic" else int(match.group(kind))
        if number is None or number not in (1, counters[kind] + 1):
            continue
        counters[kind] = number
        if kind != "arabic":
            counters["arabic"] = 0  # a heading restarts the items under it
            if kind == "cn":
                counters["paren"] = 0
        if start:
            cuts.append(start)
    if len(cuts) < 2:
        return [line]
    bounds = [0, *cuts, len(text)]
    pieces = [line.slice(a, b) for a, b in itertools.pairwise(bounds)]
    return [_strip_spaces(p) for p in pieces if p.text.strip()]


def _strip_spaces(line: Line) -> Line:
    start, end = 0, len(line.text)
    while start < end and line.text[start] == " ":
        start += 1
    while end > start and line.text[end - 1] == " ":
        end -= 1
    return line.slice(start, end)


def body_lines(lines: list[Line]) -> list[Line]:
    """Normalised lines as the line grammar reads them: a run-on body cut into its parts."""
    out: list[Line] = []
    for whole in lines:
        if len(whole.text) > RUN_ON_MIN and _RUN_ON_GATE.search(whole.text):
            out.extend(split_run_on(whole))
        else:
            out.append(whole)
    return out


# the normalised source ------------------------------------------------------------------------------------


@dataclass
class NormalCell:
    """A table cell after normalising. ``text`` is the cell as read (header labels and the table's row
    lines are taken from it), ``lines`` its paragraphs normalised, ``line`` those joined by line breaks."""

    text: str
    lines: list[Line]
    span: int = 1
    continued: bool = False

    @classmethod
    def of(cls, cell: Cell) -> NormalCell:
        return cls(cell.text, normalise_lines(cell.paras), cell.span, cell.continued)

    @functools.cached_property
    def compact(self) -> str:
        """The cell's text as read, squeezed: how labels and heading rows are compared."""
        return squeeze(self.text)

    @functools.cached_property
    def line(self) -> Line:
        if len(self.lines) == 1:
            return self.lines[0]
        out = Line("")
        for line in self.lines:
            out = out + line if not out.text else out + Line("\n", [False]) + line
        return out


@dataclass
class NormalTable:
    """A table whose cells are normalised; ``lines`` is the table as the notice's text shows it (a row a
    line, cells apart by tabs)."""

    rows: list[list[NormalCell]]

    @classmethod
    def of(cls, table: Table) -> NormalTable:
        return cls([[NormalCell.of(cell) for cell in row] for row in table.rows])

    @property
    def lines(self) -> list[str]:
        return ["\t".join(cell.compact.replace("\n", " ") for cell in row) for row in self.rows]

    def as_lines(self) -> list[Line]:
        """A table that holds no tasks, read as text: each cell's lines, row by row."""
        return body_lines([line for row in self.rows for cell in row for line in cell.lines])


NormalBlock = list[Line] | NormalTable


def normalise_source(source: Source) -> list[NormalBlock]:
    """The normalise stage: every paragraph run into lines (a run of paragraphs is one block), every table's
    cells normalised. Nothing after this stage normalises text again."""
    blocks: list[NormalBlock] = []
    paras: list[Para] = []
    for block in source:
        if isinstance(block, Table):
            if paras:
                blocks.append(body_lines(normalise_lines(paras)))
                paras = []
            blocks.append(NormalTable.of(block))
        else:
            paras.append(block)
    if paras:
        blocks.append(body_lines(normalise_lines(paras)))
    return blocks
