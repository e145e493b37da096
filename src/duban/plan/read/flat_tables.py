"""Tables flattened one cell per line: what copying a table from a government web page gives (and what a page
gives when its table was pasted into the editor as paragraphs). No tab marks the cells; blank lines may or may
not come between them; a cell holding several lines (one unit a line) and a merged cell written once for
several rows (类别, 牵头领导) make rows of uneven height.

Recognised by shape, never by wording: a run of header cells of known labels with 序号 and a task column and a
unit or leader column, then the 序号 sequence (1, 2, 3… and 5.1, 5.2) marking where each row begins. The lines
between two numbers are set into the row's columns by an alignment that keeps their order, lets a cell hold
several lines and lets a cell be missing (a merged cell: it carries down, as a ``continued`` cell does), each
choice weighed by what the line looks like (a unit list, a person, a date, a sentence). The result is the same
``Table`` a .docx or a ``<table>`` gives, read by the one table reader (``tables``).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass

from duban.plan.clauses import UNIT_SUFFIX
from duban.plan.normalise import squeeze
from duban.plan.source import Block, Cell, Para, Run, Source, Table
from duban.plan.tables import label_kind

_NUMBER = re.compile(r"^(\d{1,3})(?:[.．\-－](\d{1,2}))?[.、．]?$")
_FULLWIDTH_DIGITS = str.maketrans({chr(0xFF10 + d): str(d) for d in range(10)})
_EXTRA_LABELS = ("备注",)  # columns a task table may have that hold nothing the parser reads
_GROUP = re.compile(r"^各(?:镇|乡|街|县|区|市|有关|相关|成员|园区|部门)")
_PERSON_TITLE = re.compile(r"(?:县长|区长|市长|书记|主任|部长|主席|秘书长|局长|同志)$")
_DUE = re.compile(
    r"^(?:\d{4}年)?(?:\d{1,2}月(?:\d{1,2}日)?|年底|年内|全年|长期|持续|常态|季度|上半年|下半年|\d{4}年)"
    r"|(?:底前|前完成|月底|年底|长期坚持|持续推进|全年)$"
)
_HEADING = re.compile(
    r"^(?:[一二三四五六七八九十]+[、.]|（[一二三四五六七八九十]+）|第[一二三四五六七八九十\d]+部分)"
)
_STOP = re.compile(
    r"^(?:抄送|抄报|主送|附件\s*\d*\s*[：:]?|附件$)|印发$|^\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日$"
)
_LABEL = re.compile(r"[\u4e00-\u9fa5（）()/]{2,20}")
MAX_ROW_LINES = 40  # a row taller than this is no row: the table has ended

# weights of the alignment (lower is better)
_OUTSIDE = 1.2  # a line left after the table's last row
_INF = float("inf")


@dataclass
class _Line:
    """A non-empty paragraph: its place in the source, its squeezed text and what it looks like."""

    at: int
    para: Para
    text: str

    @property
    def number(self) -> tuple[int, int | None] | None:
        match = _NUMBER.match(self.text.translate(_FULLWIDTH_DIGITS))
        if not match:
            return None
        return int(match.group(1)), int(match.group(2)) if match.group(2) else None


def _kind(text: str) -> str | None:
    if not _LABEL.fullmatch(text):
        return None  # a header cell is a bare label: ``三、重点工作`` is a heading
    if text in _EXTRA_LABELS:
        return "note"
    return label_kind(text)


def _is_unit_list(text: str) -> bool:
    """``县财政局、各镇街``; never a count (``新建幼儿园5所``, ``改造卫生院8处``)."""
    names = [n for n in re.split(r"[、，,；;\s]+", text.rstrip("。等")) if n]
    return bool(names) and all(
        len(n) <= 25
        and not any(ch.isdigit() or ch in "：:" for ch in n)
        and (UNIT_SUFFIX.search(n.rstrip("）)")) or _GROUP.match(n))
        for n in names
    )


# Common surnames: a leader's cell holds names (``王丹``), a 类别 cell a short word (``医疗``) of the same length.
_SURNAMES = set(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢"
    "姜崔钟谭陆汪范金石廖贾夏韦付傅方白邹孟熊秦邱江尹薛闫阎段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温"
    "康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成"
    "苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费"
    "卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝"
)


def _is_name(name: str) -> bool:
    return 2 <= len(name) <= 4 and name[0] in _SURNAMES and not UNIT_SUFFIX.search(name)


def _is_person_list(text: str) -> bool:
    text = re.sub(r"[（(][^）)]*[）)]", "", text)  # ``王丹（副县长）``
    names = [n for n in re.split(r"[、，,；;\s/]+", text) if n]
    return bool(names) and all(_is_name(n) or (len(n) <= 12 and _PERSON_TITLE.search(n)) for n in names)


def _is_due(text: str) -> bool:
    return len(text) <= 24 and bool(_DUE.search(text))


@functools.lru_cache(maxsize=4096)
def _looks(text: str) -> tuple[bool, bool, bool]:
    """(a unit list, a list of people, a deadline): asked once a line, for every column it might go to."""
    return _is_unit_list(text), _is_person_list(text), _is_due(text)


def _cost(text: str, kind: str) -> float:
    """How badly ``text`` fits a cell of the column ``kind``."""
    if kind == "no" or text.isdigit():
        return (0.0 if _NUMBER.match(text) else 5.0) if kind == "no" else 3.0
    unit, person, due = _looks(text)
    if kind == "content":
        return 3.0 if unit or person else 2.0 if due else 1.0 if len(text) < 8 else 0.0
    if kind == "name":
        return 3.0 if unit or person or due else 1.5 if len(text) > 40 else 0.0
    if kind in ("lead", "support", "responsible"):
        return 0.0 if unit else 2.0 if person else 4.0 if len(text) > 25 else 1.5
    if kind == "leader":
        return 0.0 if person else 2.0 if unit else 4.0 if len(text) > 25 else 1.5
    if kind == "due":
        return 0.0 if due else 3.0
    if kind == "category":
        return 0.3 if len(text) <= 12 and not (unit or due or person) else 3.0
    return 1.0 if len(text) <= 25 else 2.0  # note


_EXTRA_LINE = {"content": 0.3, "name": 1.0, "lead": 0.4, "support": 0.3, "responsible": 0.3, "leader": 0.3}
_SKIP = {
    "no": 2.0,
    "content": 5.0,
    "name": 1.0,
    "lead": 1.5,
    "responsible": 1.5,
    "support": 1.0,
    "leader": 1.0,
}


def _family(kind: str) -> str:
    return kind.split(":", 1)[0]


@dataclass
class _Header:
    lines: list[_Line]
    kinds: list[str]
    end: int  # index of the first line after the header

    @property
    def no(self) -> int:
        return self.kinds.index("no")

    def columns(self, before_no: bool) -> list[int]:
        """Indexes of the columns written before (``True``) or after the 序号 cell of a row."""
        return list(range(self.no)) if before_no else list(range(self.no + 1, len(self.kinds)))


def _header_at(lines: list[_Line], start: int) -> _Header | None:
    """The header whose 序号 cell is ``lines[start]``: the label cells around it, if they make a task table."""
    first = start
    while first > 0 and _kind(lines[first - 1].text) == "category" and start - first < 2:
        first -= 1  # a 类别 column before 序号 (any other label above 序号 is a heading or a caption)
    end = start + 1
    while end < len(lines) and _kind(lines[end].text) not in (None, "no") and end - first < 12:
        end += 1
    cells = lines[first:end]
    kinds = [_kind(c.text) or "" for c in cells]
    families = {_family(k) for k in kinds}
    if len({c.text for c in cells}) != len(cells) or len(cells) < 3:
        return None
    if not families & {"content", "name"} or not families & {"lead", "support", "responsible", "leader"}:
        return None
    return _Header(cells, kinds, end)


def _expected(last: tuple[int, int | None] | None) -> list[tuple[int, int | None]]:
    """The numbers the row after ``last`` may carry: the next, a sub-row, one further (a number the copy
    lost), or 1 again (numbering restarts under each 类别)."""
    if last is None:
        return [(1, None), (1, 1)]
    major, minor = last
    return [(major + 1, None), (major, (minor or 0) + 1), (major + 1, 1), (major + 2, None), (1, None)]


def _is_stop(text: str) -> bool:
    return bool(_STOP.search(text)) and len(text) <= 40


def _is_heading(text: str) -> bool:
    return bool(_HEADING.match(text)) and len(text) <= 40 and "：" not in text


def _align(
    lines: list[_Line], kinds: list[str], content_col: int | None, may_end: bool
) -> tuple[list[list[_Line]], int]:
    """Set ``lines`` into columns of ``kinds`` in order (several lines a cell, or none). With ``may_end`` the
    lines after some point may be left out (the table ended); returns the cells and how many lines were used."""
    k, w = len(lines), len(kinds)
    fam = [_family(kind) for kind in kinds]
    costs = [[_cost(line.text, f) for f in fam] for line in lines]
    # best[i][j]: least cost of setting lines[i:] into columns j.. (column j still empty); choice remembers how
    best = [[_INF] * (w + 1) for _ in range(k + 1)]
    choice: list[list[tuple[str, int]]] = [[("", 0)] * (w + 1) for _ in range(k + 1)]
    for i in range(k, -1, -1):
        for j in range(w, -1, -1):
            if j == w:
                best[i][j] = 0.0 if i == k else (_OUTSIDE * (k - i) if may_end else _INF)
                choice[i][j] = ("end", i)
                continue
            options: list[tuple[float, tuple[str, int]]] = [
                (_SKIP.get(fam[j], 0.8) + best[i][j + 1], ("skip", 0))
            ]
            if may_end and i < k and (content_col is None or j > content_col):
                rest = sum(_SKIP.get(f, 0.8) for f in fam[j:])
                options.append((rest + _OUTSIDE * (k - i), ("end", i)))
            run = 0.0
            for r in range(1, k - i + 1):
                run += costs[i + r - 1][j] + (_EXTRA_LINE.get(fam[j], 2.0) if r > 1 else 0.0)
                if run > 30:
                    break  # no alignment this bad is the best
                options.append((run + best[i + r][j + 1], ("take", r)))
            best[i][j], choice[i][j] = min(options, key=lambda o: o[0])
    cells: list[list[_Line]] = [[] for _ in range(w)]
    i = j = 0
    while j < w:
        what, n = choice[i][j]
        if what == "end":
            return cells, n
        if what == "take":
            cells[j] = lines[i : i + n]
            i += n
        j += 1
    return cells, i


class _Reader:
    """Reads the rows after one header; ``rows`` ends up as the ``Table``'s rows, ``end`` past its last line."""

    def __init__(self, lines: list[_Line], header: _Header, start: int) -> None:
        self.lines = lines
        self.header = header
        self.width = len(header.kinds)
        self.rows: list[list[Cell]] = [[Cell(paras=[c.para]) for c in header.lines]]
        self.pos = start
        self.end = start
        content = [i for i, k in enumerate(header.kinds) if _family(k) in ("content", "name")]
        self.content_col = content[-1] if content else None
        self.pending_before: list[list[_Line]] = []  # the next row's cells before its 序号 cell
        self.merges = merged_when_missing([line.text for line in header.lines])

    def _next_boundary(self, start: int, expected: list[tuple[int, int | None]]) -> int:
        """Index of the next line that starts a row or a heading row or ends the table (len if none)."""
        i = start
        while i < len(self.lines) and i - start <= MAX_ROW_LINES:
            line = self.lines[i]
            if line.number in expected or _is_heading(line.text) or _is_stop(line.text):
                return i
            if self._repeated_header(i):
                return i
            i += 1
        return i

    def _repeated_header(self, i: int) -> bool:
        n = len(self.header.lines)
        return [line.text for line in self.lines[i : i + n]] == [c.text for c in self.header.lines]

    def read(self) -> None:
        before_cols = self.header.columns(before_no=True)
        after_cols = self.header.columns(before_no=False)
        last: tuple[int, int | None] | None = None
        i = self.pos
        while i < len(self.lines):
            line = self.lines[i]
            if self._repeated_header(i):
                i += len(self.header.lines)
                continue
            if line.number is None or line.number not in _expected(last):
                if _is_heading(line.text) and self._row_follows(i + 1, last):
                    self.rows.append([Cell(paras=[line.para], span=self.width)])
                    self.end = i = i + 1
                    continue
                start = self._row_follows(i, last)
                if not start or start == i:
                    break
                # the first row's cells before its 序号 (a 类别 written above the number)
                self.pending_before = self._align(self.lines[i:start], before_cols, may_end=False)[0]
                i = start
                continue
            last = line.number
            boundary = self._next_boundary(i + 1, _expected(last))
            following = self.lines[boundary] if boundary < len(self.lines) else None
            continues = following is not None and following.number in _expected(last)
            heading_next = following is not None and _is_heading(following.text)
            body = self.lines[i + 1 : boundary]
            cols = after_cols + (before_cols if continues else [])
            cells, used = self._align(body, cols, may_end=not continues and not heading_next)
            parent = continues and following is not None and following.number == (last[0], 1)
            self._add_row(line, cells[: len(after_cols)], parent)
            self.pending_before = cells[len(after_cols) :]
            self.end = i + 1 + used
            if used < len(body):
                break
            i = boundary

    def _row_follows(self, i: int, last: tuple[int, int | None] | None) -> int:
        """Index of the row number that follows ``i`` after at most the cells a row writes before its 序号
        (none when 序号 is the first column), or 0."""
        room = 3 * len(self.header.columns(before_no=True))
        for j in range(i, min(i + room + 1, len(self.lines))):
            if self.lines[j].number in _expected(last):
                return j
            if _is_heading(self.lines[j].text) or _is_stop(self.lines[j].text):
                return 0
        return 0

    def _align(self, lines: list[_Line], cols: list[int], may_end: bool) -> tuple[list[list[_Line]], int]:
        return _align(lines, [self.header.kinds[c] for c in cols], self._content_in(cols), may_end)

    def _content_in(self, cols: list[int]) -> int | None:
        if self.content_col is None or self.content_col not in cols:
            return None
        return cols.index(self.content_col)

    def _add_row(self, number: _Line, after: list[list[_Line]], parent: bool) -> None:
        """One row of the grid: cells in header order, a missing cell ``continued`` (merged from above)
        unless the row only heads its sub-rows (5 over 5.1, 5.2) or the column lists supporting units."""
        by_col: dict[int, list[_Line]] = {self.header.no: [number]}
        for col, cell in zip(self.header.columns(before_no=True), self.pending_before, strict=False):
            by_col[col] = cell
        for col, cell in zip(self.header.columns(before_no=False), after, strict=False):
            by_col[col] = cell
        row = []
        for col, may_merge in enumerate(self.merges):
            found = by_col.get(col, [])
            row.append(
                Cell(paras=[line.para for line in found], continued=not found and not parent and may_merge)
            )
        self.rows.append(row)
        self.pending_before = []


def _lines(source: Source) -> Iterator[list[_Line]]:
    """Runs of non-empty paragraphs between tables."""
    run: list[_Line] = []
    for at, block in enumerate(source):
        if isinstance(block, Table):
            if run:
                yield run
            run = []
            continue
        text = squeeze(block.text.strip())
        if text:
            run.append(_Line(at, block, text))
    if run:
        yield run


def _may_be_no_label(para: Para) -> bool:
    """A cheap first look for a 序号 header cell (most notices have none, and every paragraph is looked at)."""
    text = para.text
    if "号" not in text:
        return False
    return any(
        squeeze(part.strip()).endswith(("序号", "编号")) for part in text.split("\n") if len(part) < 40
    )


def _split_line_breaks(source: Source) -> Source:
    """Paragraphs holding line breaks (a web page's cells as ``<br>``-separated lines) as one paragraph a
    line, bold kept, so each line can be a cell."""
    out: Source = []
    for block in source:
        if isinstance(block, Table) or "\n" not in block.text:
            out.append(block)
            continue
        paras = [Para()]
        for run in block.runs:
            for k, piece in enumerate(run.text.split("\n")):
                if k:
                    paras.append(Para())
                if piece:
                    paras[-1].runs.append(Run(piece, run.bold))
        out.extend(paras)
    return out


def gather_flat_tables(source: Source) -> Source:
    """The source with every flattened task table replaced by a ``Table``; unchanged when there is none."""
    if not any(isinstance(b, Para) and _may_be_no_label(b) for b in source):
        return source
    source = _split_line_breaks(source)
    replaced: list[tuple[int, int, Table]] = []  # (first block, last block, table)
    for lines in _lines(source):
        i = 0
        while i < len(lines):
            header = _header_at(lines, i) if _kind(lines[i].text) == "no" else None
            if header is None:
                i += 1
                continue
            reader = _Reader(lines, header, header.end)
            reader.read()
            if not any(len(row) > 1 for row in reader.rows[1:]):  # a header and no row: not a table
                i += 1
                continue
            first, last = header.lines[0].at, lines[reader.end - 1].at
            replaced.append((first, last, Table(rows=reader.rows)))
            i = reader.end
    if not replaced:
        return source
    out: list[Block] = []
    position = 0
    for first, last, table in replaced:
        out.extend(source[position:first])
        out.append(table)
        position = last + 1
    out.extend(source[position:])
    return out


def merged_when_missing(labels: list[str]) -> list[bool]:
    """For each column: does a cell missing (or empty) in a copied table stand for a cell merged from above?
    Yes but for supporting units and notes, often empty, and for responsible units beside a lead column
    (they support, and a task may have none)."""
    families = [_family(_kind(squeeze(label)) or "note") for label in labels]
    optional = {"support", "note"} | ({"responsible"} if "lead" in families else set())
    return [family not in optional for family in families]


def place_cells(labels: list[str], cells: list[str]) -> list[str | None]:
    """A row with fewer cells than its header (a copied web table leaves out the cells merged from above):
    each cell set into the column it fits best, in order; None where a column's cell was left out (merged
    from above), "" for a supporting-unit or note column left out (an empty cell)."""
    columns = place_indexes(labels, cells)
    return [
        cells[c] if c is not None else (None if merged else "")
        for c, merged in zip(columns, merged_when_missing(labels), strict=True)
    ]


def place_indexes(labels: list[str], cells: list[str]) -> list[int | None]:
    """``place_cells`` as the index of the cell each column takes (None: none)."""
    kinds = [_family(_kind(squeeze(label)) or "note") for label in labels]
    k, w = len(cells), len(kinds)
    # best[i][j]: least cost of placing cells[i:] into columns j..; a column takes one cell or none
    best = [[_INF] * (w + 1) for _ in range(k + 1)]
    best[k] = [sum(_SKIP.get(f, 0.8) for f in kinds[j:]) for j in range(w + 1)]
    for i in range(k - 1, -1, -1):
        for j in range(w - 1, -1, -1):
            take = _cost(squeeze(cells[i]), kinds[j]) + best[i + 1][j + 1]
            best[i][j] = min(take, _SKIP.get(kinds[j], 0.8) + best[i][j + 1])
    columns: list[int | None] = [None] * w
    i = j = 0
    while i < k and j < w:
        if _cost(squeeze(cells[i]), kinds[j]) + best[i + 1][j + 1] <= best[i][j]:
            columns[j] = i
            i += 1
        j += 1
    return columns


def is_heading_row(text: str) -> bool:
    """A heading across a table (``一、稳定经济增长``, ``（二）社会民生``)."""
    return "\t" not in text.strip() and _is_heading(squeeze(text.strip()))
