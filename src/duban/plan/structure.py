"""Structure step: walk the normalised lines and build the notice's skeleton.

Each line is recognised by the first rule that fits, in this order (like Python-Markdown's block processors):
trailer (``抄送：``, ``…印发``) → signature (issuer, date, ``（此件公开发布）``) → website metadata
(``索引号：``…) → annex marker (``附件1：`` + title line; the notice's own ``附件：1. …`` list is skipped) →
heading (``第一部分``, ``一、``, ``（一）``) → clause line (``牵头领导：…``) → numbered item (``1.`` ``1、``)
→ continuation. A continuation extends the open item; after an item whose responsibility clause is complete it
starts an item whose number the source lost, kept only if it brings its own clause.

Tables are handed to ``tables``; a table that is not a task table is read as lines.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from duban.plan import clauses, tables
from duban.plan.normalise import Line, NormalBlock, NormalTable
from duban.plan.skeleton import SECTION_RANK, RawItem, SectionNode, SkeletonBuilder

CN_NUM = "一二三四五六七八九十百零〇○两"
H_PART = re.compile(rf"^(第[{CN_NUM}\d]+(?:部分|章|篇))\s*[、：:.]?\s*(.*)$")
H1 = re.compile(rf"^([{CN_NUM}]+)\s*[、.]\s*(.+)$")
H2 = re.compile(rf"^(（[{CN_NUM}]+）)\s*[、.]?\s*(.+)$")
ITEM = re.compile(r"^(\d{1,3})\s*(?:[、.](?!\d)|）|\)(?!\d))\s*(.*)$")
GLUED_ITEM = re.compile(r"^(\d{1,3})\.(\d.*)$")
SUB_ITEM = re.compile(r"^（(\d{1,2})）\s*(.*)$")
ANNEX = re.compile(r"^附\s*件\s*(\d*)\s*[：:]?\s*(.*)$")
ANNEX_LIST_ENTRY = re.compile(r"^\d{1,2}\s*[.、]\s*\S")
# at a line's start (with ``…印发`` at its end, see ``_trailer``)
TRAILER = re.compile(r"(?:抄送|抄报|主送|主题词|关键词|分送)\s*[：:]|[—─━_\-=－]{4,}$")
DATE_LINE = re.compile(rf"^[\d{CN_NUM}]{{4}}\s*年\s*[\d{CN_NUM}]{{1,3}}\s*月\s*[\d{CN_NUM}]{{1,3}}\s*日$")
PUBLIC_NOTE = re.compile(r"^（此件[^）]*）$")
ISSUER_LINE = re.compile(r"^[^\s：:]{2,30}(?:人民政府|办公室|委员会|办公厅|管委会|指挥部|领导小组)$")
METADATA = re.compile(
    r"^(索引号|发布机构|发文机关|成文日期|发布日期|文号|发文字号|主题分类|公文种类|标题|名称|主题词|有效性)\s*[：:]\s*(.*)$"
)
# No task runs to this many characters (the longest in real notices are well under 2,000): text beyond it
# is kept as the notice's paragraphs rather than joined to one open item, so no item grows without end.
MAX_ITEM_CHARS = 4000
_METADATA_FIRST = set("索发成文主公标名有")  # first characters of the METADATA labels
_SIGNATURE_LAST = set("日）府室会厅部组")  # last characters of DATE_LINE, PUBLIC_NOTE and ISSUER_LINE


class LineGrammar:
    """The rules over lines; one instance per document, writing into the shared ``SkeletonBuilder``."""

    def __init__(self, builder: SkeletonBuilder) -> None:
        self.builder = builder
        self.annex_list = False
        self.awaiting_annex_title: str | None = None
        self.unnumbered_annex = False  # the awaited title follows a ``附件：`` with no number
        # the ``（一）`` heading opened by the line before, and its text (see ``_heading_to_item``)
        self.heading_line: tuple[SectionNode, Line] | None = None
        self.just_after_heading: tuple[SectionNode, Line] | None = None
        self.rules: tuple[Callable[[Line, str], bool], ...] = (
            self._trailer,
            self._signature,
            self._metadata,
            self._annex,
            self._annex_title,
            self._annex_list,
            self._sub_heading_item,
            self._heading,
            self._clause_line,
            self._sub_item,
            self._numbered_item,
        )

    # the rules ------------------------------------------------------------------------------------------
    def feed(self, line: Line) -> None:
        """Read one line: the first rule that fits it decides what it is."""
        text = line.text
        self.just_after_heading, self.heading_line = self.heading_line, None
        self.builder.add_text_line(line)
        for rule in self.rules:
            if rule(line, text):
                return
        self._continuation(line, text)

    def _trailer(self, line: Line, text: str) -> bool:
        # matched at the start and the end only: searching every position of every line cost more than this
        if len(text) < 120 and (TRAILER.match(text) or text.endswith("印发")):
            self.builder.close_item()
            return True
        return False

    def _signature(self, line: Line, text: str) -> bool:
        if text[-1:] not in _SIGNATURE_LAST:
            return False
        compact = line.compact
        if DATE_LINE.match(compact) or PUBLIC_NOTE.match(compact):
            self.builder.add_signature(compact)
            self.builder.close_item()
            return True
        item = self.builder.item
        if (
            ISSUER_LINE.match(compact)
            and not compact.startswith("各")  # ``各县（市、区）人民政府`` names units, never the issuer
            and (item is None or item.closed or item.no is None)
            and not self._wrapped_unit(compact)
        ):
            self.builder.add_signature(compact)
            self.builder.close_item()
            return True
        return False

    def _wrapped_unit(self, compact: str) -> bool:
        """An issuer-like name right after a unit list (``北岭市人民政府`` under ``配合单位：南湖区政府``) carries
        the list on when the notice printed a different issuer above its title; with no issuer printed there
        is nothing to tell them apart by, and the line is taken as the signature."""
        item = self.builder.item
        if item is None or not (item.clause_lines or item.ends_with_bare_clause()):
            return False
        printed = {f.compact for f in self.builder.front_lines(8) if ISSUER_LINE.match(f.compact)}
        return bool(printed) and compact not in printed

    def _metadata(self, line: Line, text: str) -> bool:
        if text[:1] not in _METADATA_FIRST or ("：" not in text and ":" not in text):
            return False
        match = METADATA.match(line.compact)  # ``名 称：`` as well as ``名称：``
        if match and not self.builder.has_items:
            self.builder.note_metadata(match.group(1), match.group(2))
            return True
        return False

    def _annex(self, line: Line, text: str) -> bool:
        match = ANNEX.match(line.compact) if text.startswith("附") else None
        if not match:
            return False
        rest = match.group(2)
        if not rest or (match.group(1) and self.builder.has_signature and not ANNEX_LIST_ENTRY.match(rest)):
            self.awaiting_annex_title = rest or ""
            self.unnumbered_annex = not match.group(1)
            if rest:
                self._open_annex(rest)
            return True
        self.annex_list = True  # the notice's own list of its annexes: titles, not tasks
        self.builder.close_item()
        return True

    def _open_annex(self, title: str) -> None:
        self.awaiting_annex_title = None
        self.builder.open_section("annex", None, title)

    def _annex_title(self, line: Line, text: str) -> bool:
        if self.awaiting_annex_title is None:
            return False
        if self.unnumbered_annex and not self.awaiting_annex_title and _is_annex_list_entry(text):
            # ``附件：`` alone, then ``1.…`` ``2.…``: the notice's list of its annexes, not an annex's title
            self.awaiting_annex_title = None
            self.annex_list = True
            return True
        if H1.match(text) or H2.match(text) or ITEM.match(text) or len(text) > 80:
            self._open_annex("附件")
            return False
        self._open_annex(text)
        return True

    def _annex_list(self, line: Line, text: str) -> bool:
        if not self.annex_list:
            return False
        if _is_annex_list_entry(text):
            return True
        self.annex_list = False
        return False

    def _heading(self, line: Line, text: str) -> bool:
        for regex, kind in ((H_PART, "part"), (H2, "h2"), (H1, "h1")):
            match = regex.match(text)
            leaders = clauses.leader_only_clause(line) if match and kind != "h2" else None
            if match and (leaders is not None or not clauses.has_clause(text)):
                number = match.group(1).replace(" ", "")
                heading = match.group(2)
                if leaders is not None:  # ``一、经济发展（牵头领导：王丹）``: the clause is not the title's
                    heading = clauses.split_clauses(line.slice(match.start(2)))[0].text
                title, rest = _split_heading(heading)
                node = self.builder.open_section(kind, number, title)
                node.leaders = leaders or clauses.leaders_in_heading(node.title)
                if rest:
                    self.builder.add_paragraph(rest)
                self.heading_line = (node, line.slice(match.start(2)))
                return True
        return False

    def _heading_to_item(self) -> RawItem | None:
        """``（一）推进园区建设`` with ``牵头单位：…`` on the next line: a task whose clause went onto a line of
        its own, not a heading (a heading is followed by items, never by a clause)."""
        if self.just_after_heading is None or self.just_after_heading[0].rank != SECTION_RANK["h2"]:
            return None
        node, body = self.just_after_heading
        return self.builder.heading_as_item(node, body)

    def _sub_heading_item(self, line: Line, text: str) -> bool:
        """``（一）…（牵头单位：…）``: numbered like a heading but carrying its own responsibility clause, so a
        task (a heading has no clause and is followed by items)."""
        match = H2.match(text)
        if not match or not clauses.has_clause(text):
            return False
        self.builder.start_item(match.group(1).replace(" ", ""), line.slice(match.start(2)))
        return True

    def _clause_line(self, line: Line, text: str) -> bool:
        if not clauses.CLAUSE_LINE_RE.match(text):
            return False
        if self.builder.item is None and self.just_after_heading is not None:
            leaders = clauses.leader_only_clause(line)
            if leaders is not None:  # ``一、经济发展`` / ``牵头领导：王丹``: the heading's leaders
                self.just_after_heading[0].leaders = leaders
                self.heading_line = self.just_after_heading  # a unit line may still follow
                return True
        item = self.builder.item or self._heading_to_item()
        if item is None:
            return False
        item.clause_lines.append(line)
        return True

    def _sub_item(self, line: Line, text: str) -> bool:
        """``（1）…`` at a line start: a sub-item of the open ``1.`` item, or an item of its own right after a
        heading. Whether the ``1.`` line is a heading over tasks or one task with sub-points is decided once
        the whole notice is read (``_resolve_sub_items``), when it is known where the clauses stand."""
        match = SUB_ITEM.match(text)
        if not match:
            return False
        current = self.builder.item
        host = current.parent if current is not None and current.parent is not None else current
        if host is not None and (host.closed or host.from_table):
            if host.marker is None:
                return False  # a ``（1）`` after a finished task: text, as before
            host = None  # the previous ``（1）`` item stood on its own
        item = self.builder.start_item(match.group(1), line.slice(match.start(2)))
        item.marker = line.slice(0, match.start(2))
        item.parent = host
        return True

    def _numbered_item(self, line: Line, text: str) -> bool:
        match = ITEM.match(text) or self._glued_item(text)
        if not match:
            return False
        number = int(match.group(1))
        last = self.builder.last_number()
        plausible = number == 1 or last is None or last < number <= last + 5
        item = self.builder.item
        if not plausible and item is not None and not item.closed:
            return False
        body = line.slice(match.start(2))
        self.builder.start_item(str(number), body)
        return True

    def _glued_item(self, text: str) -> re.Match[str] | None:
        """``135.65岁及以上…``: a conversion dropped the space after the number. Read as item 135 only when
        135 is the very next number, so a decimal (``10.4万亩``) at a line start never becomes an item."""
        match = GLUED_ITEM.match(text)
        last = self.builder.last_number()
        if match and last is not None and int(match.group(1)) == last + 1:
            return match
        return None

    def _continuation(self, line: Line, text: str) -> None:
        item = self.builder.item
        if item is None:
            self.builder.add_paragraph(text)
            return
        if item.clause_lines:
            if _continues_unit_list(item.clause_lines[-1].text, text):
                item.clause_lines[-1] = _extend_list(item.clause_lines[-1], line)
                return
        elif item.ends_with_bare_clause():
            if _continues_unit_list(item.body.text, text):  # a bare clause's list wrapped onto a new line
                item.body = _extend_list(item.body, line)
                return
        elif len(item.body.text) + len(text) <= MAX_ITEM_CHARS and not item.closed:
            item.body = _join(item.body, line)
            return
        if self.builder.last_number() is None:
            self.builder.add_paragraph(text)
            self.builder.close_item()
            return
        self.builder.start_item(None, line)  # a number the source lost; kept only if it brings its own clause


def _is_annex_list_entry(text: str) -> bool:
    """``1.2025年…任务分解表``: a short numbered title without a full stop or a clause."""
    return bool(
        ANNEX_LIST_ENTRY.match(text) and len(text) < 60 and "。" not in text and not clauses.has_clause(text)
    )


def _join(a: Line, b: Line) -> Line:
    """Join a wrapped line to the one before: no space between CJK text, one between Latin words."""
    if a.text and b.text and a.text[-1].isascii() and a.text[-1].isalnum() and b.text[0].isascii():
        return a + Line(" ", [False]) + b
    return a + b


_UNIT_SUFFIX = clauses.UNIT_SUFFIX


def _continues_unit_list(previous: str, text: str) -> bool:
    """Does ``text`` carry on a unit list that wrapped onto a new line (rather than start a new item)?"""
    if previous.rstrip().endswith(("、", "，", "；", "：")):
        return True
    if "。" in text.rstrip("。"):
        return False
    names = [n.compact.rstrip("等") for n in clauses.split_list(Line(text.rstrip("。）)")))]
    return all(n and len(n) <= 20 and _UNIT_SUFFIX.search(n) for n in names)


def _extend_list(previous: Line, line: Line) -> Line:
    """Carry a unit list on to its next line: after a complete name (``市财政局``) the line break stood for a
    separator; after a separator, or inside a name cut by the line end, the two just join."""
    last = previous.compact.rstrip("。）)")
    if last.endswith(("、", "，", "；", "：")) or not _UNIT_SUFFIX.search(last):
        return previous + line
    return previous + Line("、", [False]) + line


def _split_heading(text: str) -> tuple[str, str]:
    """A heading line may run on into a paragraph (``一、主要预期目标：地区生产总值增长…``, ``二、严格督导考核。
    请于6月25日前…报县政府督查室``): the paragraph is where deadlines and the supervising office are stated."""
    stop = text.find("。")
    if 0 < stop < min(len(text) - 1, 40):
        return text[:stop], text[stop + 1 :]
    if len(text) <= 40:
        return text, ""
    for mark in ("：", "。"):
        cut = text.find(mark)
        if 0 < cut < 40:
            return text[:cut], text[cut + 1 :]
    return text, ""


def read_lines(builder: SkeletonBuilder, blocks: list[NormalBlock]) -> None:
    """The structure stage: the line rules over the normalised blocks; task tables go to the table grammar
    (``tables``), and a table that holds no tasks is read as lines."""
    grammar = LineGrammar(builder)
    for block in blocks:
        if isinstance(block, NormalTable):
            if tables.is_metadata_table(block):
                builder.take_metadata(tables.metadata_from_table(block))
            elif not tables.add_task_table(builder, block):
                for line in block.as_lines():
                    grammar.feed(line)
                continue
            builder.add_table_lines(block.lines)
            continue
        for line in block:
            grammar.feed(line)
