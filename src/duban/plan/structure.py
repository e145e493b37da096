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

import itertools
import re
from dataclasses import dataclass, field

from duban.plan import clauses
from duban.plan.normalise import Line, normalise_lines, squeeze
from duban.plan.source import Para, Source, Table

CN_NUM = "一二三四五六七八九十百零〇○两"
H_PART = re.compile(rf"^(第[{CN_NUM}\d]+(?:部分|章|篇))\s*[、：:.]?\s*(.*)$")
H1 = re.compile(rf"^([{CN_NUM}]+)\s*[、.]\s*(.+)$")
H2 = re.compile(rf"^(（[{CN_NUM}]+）)\s*[、.]?\s*(.+)$")
ITEM = re.compile(r"^(\d{1,3})\s*(?:[、.](?!\d)|）|\)(?!\d))\s*(.*)$")
GLUED_ITEM = re.compile(r"^(\d{1,3})\.(\d.*)$")
SUB_ITEM = re.compile(r"^（(\d{1,2})）\s*(.*)$")
ANNEX = re.compile(r"^附\s*件\s*(\d*)\s*[：:]?\s*(.*)$")
ANNEX_LIST_ENTRY = re.compile(r"^\d{1,2}\s*[.、]\s*\S")
TRAILER = re.compile(r"^(?:抄送|抄报|主送|主题词|关键词|分送)\s*[：:]|印发$|^[—─━_\-=－]{4,}$")
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
SECTION_RANK = {"annex": 0, "part": 1, "h1": 2, "h2": 3, "h3": 4}


@dataclass
class SectionNode:
    key: str
    number: str | None
    title: str
    level: int
    parent: str | None
    rank: int
    paragraphs: list[str] = field(default_factory=list)
    leaders: list[str] = field(default_factory=list)  # named in the heading: lead every task under it


@dataclass
class RawItem:
    """One task as found, before its text, clause and quantities are worked out."""

    no: str | None
    section: str | None
    body: Line
    clause_lines: list[Line] = field(default_factory=list)
    from_table: bool = False
    livelihood_table: bool = False
    name: str | None = None
    table_parts: clauses.ClauseParts | None = None
    table_due: str | None = None
    table_category: str | None = None  # a 分类/分块 cell (``发展目标``, ``民生实事``…)
    marker: Line | None = None  # the ``（1）`` a sub-item's line began with
    parent: RawItem | None = None  # the ``1.`` item a ``（1）`` sub-item was found under
    sections_before: int = 0  # how many sections preceded the item (where it goes if it becomes a heading)
    # Length of the body's beginning known to hold no clause keyword: an open item grows a line at a time,
    # and searching its whole text again after every line made a long one cost its length squared.
    clause_free: int = field(default=0, repr=False, compare=False)

    def _may_hold_clause(self) -> bool:
        text = self.body.text
        start = max(0, min(self.clause_free, len(text)) - clauses.KEY_WINDOW)
        if clauses.has_clause_from(text, start):
            return True
        self.clause_free = len(text)
        return False

    @property
    def closed(self) -> bool:
        """The item is finished: its clause is complete, so a further plain line cannot belong to its text."""
        if self.clause_lines:
            return True
        text = self.body.text
        if self._may_hold_clause() and (
            clauses.ends_with_closed_clause(text) or clauses.ends_with_bare_clause(text)
        ):
            return True
        return clauses.find_verb_clause(text) is not None  # ``…（县发改局牵头，县财政局配合）``

    def ends_with_bare_clause(self) -> bool:
        return self._may_hold_clause() and clauses.ends_with_bare_clause(self.body.text)

    @property
    def has_own_clause(self) -> bool:
        return bool(self.clause_lines) or clauses.has_clause(self.body.text)


@dataclass
class Skeleton:
    """The notice laid out: ``front`` holds every line before the first heading or item, ``paragraphs``
    every line that belongs to no task (where deadlines and the supervising office are stated)."""

    front: list[str] = field(default_factory=list)
    signature: list[str] = field(default_factory=list)
    metadata: dict[str, str] = field(default_factory=dict)
    sections: list[SectionNode] = field(default_factory=list)
    items: list[RawItem] = field(default_factory=list)
    paragraphs: list[str] = field(default_factory=list)
    bold_in_clauses: bool = False
    lines: list[str] = field(default_factory=list)  # the notice's text as read (a table's row a line)


class _Builder:
    """The state machine over lines; one instance per document."""

    def __init__(self) -> None:
        self.sk = Skeleton()
        self.stack: list[SectionNode] = []
        self.item: RawItem | None = None
        self.annex_list = False
        self.awaiting_annex_title: str | None = None
        self.unnumbered_annex = False  # the awaited title follows a ``附件：`` with no number
        self.children: dict[str | None, int] = {}
        self.seen_body = False
        self._last_number: tuple[int, str | None, int | None] = (0, None, None)
        # the ``（一）`` heading opened by the line before, and its text (see ``_heading_to_item``)
        self.heading_line: tuple[SectionNode, Line] | None = None
        self.just_after_heading: tuple[SectionNode, Line] | None = None

    # sections -------------------------------------------------------------------------------------------
    def open_section(self, kind: str, number: str | None, title: str) -> SectionNode:
        rank = SECTION_RANK[kind]
        while self.stack and self.stack[-1].rank >= rank:
            self.stack.pop()
        parent = self.stack[-1] if self.stack else None
        parent_key = parent.key if parent else None
        self.children[parent_key] = self.children.get(parent_key, 0) + 1
        index = self.children[parent_key]
        key = f"{parent_key}.{index}" if parent_key else str(index)
        node = SectionNode(key, number, _title(title), (parent.level + 1) if parent else 1, parent_key, rank)
        self.sk.sections.append(node)
        self.stack.append(node)
        self.item = None
        self.seen_body = True
        return node

    @property
    def section_key(self) -> str | None:
        return self.stack[-1].key if self.stack else None

    # items ----------------------------------------------------------------------------------------------
    def start_item(self, no: str | None, body: Line) -> RawItem:
        self.item = RawItem(no=no, section=self.section_key, body=body, sections_before=len(self.sk.sections))
        self.sk.items.append(self.item)
        self.seen_body = True
        return self.item

    def add_paragraph(self, text: str) -> None:
        if self.stack:
            self.stack[-1].paragraphs.append(text)
        self.sk.paragraphs.append(text)

    def last_number(self) -> int | None:
        """The number of the section's last numbered item (None after a table or in a new section).

        Remembered between calls and brought up to date from the items added since: scanning back over a
        long run of items whose numbers were lost, at every line, made the parse quadratic."""
        count, section, known = self._last_number
        key = self.section_key
        items = self.sk.items
        if count == len(items) and section == key:
            return known
        for index in range(len(items) - 1, count - 1, -1):
            item = items[index]
            if item.parent is not None:
                continue  # a ``（1）`` sub-item numbers within its ``1.`` item, not in the section's run
            if item.section != key or item.from_table:
                return self._remember(None)
            if item.no and item.no.isdigit():
                return self._remember(int(item.no))
        if section != key and count:
            # not met since a new section opened: the items before belong to other sections
            known = None
        return self._remember(known)

    def _remember(self, number: int | None) -> int | None:
        self._last_number = (len(self.sk.items), self.section_key, number)
        return number

    # the rules ------------------------------------------------------------------------------------------
    def feed(self, line: Line) -> None:
        text = line.text
        self.just_after_heading, self.heading_line = self.heading_line, None
        if not self.seen_body:
            self.sk.front.append(text)
        for rule in (
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
        ):
            if rule(line, text):
                return
        self._continuation(line, text)

    def _trailer(self, line: Line, text: str) -> bool:
        if TRAILER.search(text) and len(text) < 120:
            self.item = None
            return True
        return False

    def _signature(self, line: Line, text: str) -> bool:
        compact = squeeze(text)
        if DATE_LINE.match(compact) or PUBLIC_NOTE.match(compact):
            self.sk.signature.append(compact)
            self.item = None
            return True
        if (
            ISSUER_LINE.match(compact)
            and not compact.startswith("各")  # ``各县（市、区）人民政府`` names units, never the issuer
            and (self.item is None or self.item.closed or self.item.no is None)
            and not self._wrapped_unit(compact)
        ):
            self.sk.signature.append(compact)
            self.item = None
            return True
        return False

    def _wrapped_unit(self, compact: str) -> bool:
        """An issuer-like name right after a unit list (``北岭市人民政府`` under ``配合单位：南湖区政府``) carries
        the list on when the notice printed a different issuer above its title; with no issuer printed there
        is nothing to tell them apart by, and the line is taken as the signature."""
        item = self.item
        if item is None or not (item.clause_lines or item.ends_with_bare_clause()):
            return False
        printed = {squeeze(t) for t in self.sk.front[:8] if ISSUER_LINE.match(squeeze(t))}
        return bool(printed) and compact not in printed

    def _metadata(self, line: Line, text: str) -> bool:
        if text[:1] not in _METADATA_FIRST or ("：" not in text and ":" not in text):
            return False
        match = METADATA.match(squeeze(text))  # ``名 称：`` as well as ``名称：``
        if match and not self.sk.items:
            self.sk.metadata.setdefault(match.group(1), squeeze(match.group(2)))
            return True
        return False

    def _annex(self, line: Line, text: str) -> bool:
        match = ANNEX.match(squeeze(text)) if text.startswith("附") else None
        if not match:
            return False
        rest = match.group(2)
        if not rest or (match.group(1) and self.sk.signature and not ANNEX_LIST_ENTRY.match(rest)):
            self.awaiting_annex_title = rest or ""
            self.unnumbered_annex = not match.group(1)
            if rest:
                self._open_annex(rest)
            return True
        self.annex_list = True  # the notice's own list of its annexes: titles, not tasks
        self.item = None
        return True

    def _open_annex(self, title: str) -> None:
        self.awaiting_annex_title = None
        self.open_section("annex", None, title)

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
                node = self.open_section(kind, number, title)
                node.leaders = leaders or clauses.leaders_in_heading(node.title)
                if rest:
                    self.add_paragraph(rest)
                self.heading_line = (node, line.slice(match.start(2)))
                return True
        return False

    def _heading_to_item(self) -> RawItem | None:
        """``（一）推进园区建设`` with ``牵头单位：…`` on the next line: a task whose clause went onto a line of
        its own, not a heading (a heading is followed by items, never by a clause)."""
        if self.just_after_heading is None or self.just_after_heading[0].rank != SECTION_RANK["h2"]:
            return None
        node, body = self.just_after_heading
        if not self.sk.sections or self.sk.sections[-1] is not node:
            return None
        self.sk.sections.pop()
        self.stack.pop()
        self.children[node.parent] -= 1
        if node.paragraphs:
            del self.sk.paragraphs[-len(node.paragraphs) :]
        item = self.start_item(node.number, body)
        if node.leaders:  # a leader line came first: it belongs to the item as well
            item.clause_lines.append(Line("牵头领导：" + "、".join(node.leaders)))
        return item

    def _sub_heading_item(self, line: Line, text: str) -> bool:
        """``（一）…（牵头单位：…）``: numbered like a heading but carrying its own responsibility clause, so a
        task (a heading has no clause and is followed by items)."""
        match = H2.match(text)
        if not match or not clauses.has_clause(text):
            return False
        self.start_item(match.group(1).replace(" ", ""), line.slice(match.start(2)))
        return True

    def _clause_line(self, line: Line, text: str) -> bool:
        if not clauses.CLAUSE_LINE_RE.match(text):
            return False
        if self.item is None and self.just_after_heading is not None:
            leaders = clauses.leader_only_clause(line)
            if leaders is not None:  # ``一、经济发展`` / ``牵头领导：王丹``: the heading's leaders
                self.just_after_heading[0].leaders = leaders
                self.heading_line = self.just_after_heading  # a unit line may still follow
                return True
        item = self.item or self._heading_to_item()
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
        current = self.item
        host = current.parent if current is not None and current.parent is not None else current
        if host is not None and (host.closed or host.from_table):
            if host.marker is None:
                return False  # a ``（1）`` after a finished task: text, as before
            host = None  # the previous ``（1）`` item stood on its own
        item = self.start_item(match.group(1), line.slice(match.start(2)))
        item.marker = line.slice(0, match.start(2))
        item.parent = host
        return True

    def _numbered_item(self, line: Line, text: str) -> bool:
        match = ITEM.match(text) or self._glued_item(text)
        if not match:
            return False
        number = int(match.group(1))
        last = self.last_number()
        plausible = number == 1 or last is None or last < number <= last + 5
        if not plausible and self.item is not None and not self.item.closed:
            return False
        body = line.slice(match.start(2))
        self.start_item(str(number), body)
        return True

    def _glued_item(self, text: str) -> re.Match[str] | None:
        """``135.65岁及以上…``: a conversion dropped the space after the number. Read as item 135 only when
        135 is the very next number, so a decimal (``10.4万亩``) at a line start never becomes an item."""
        match = GLUED_ITEM.match(text)
        last = self.last_number()
        if match and last is not None and int(match.group(1)) == last + 1:
            return match
        return None

    def _continuation(self, line: Line, text: str) -> None:
        item = self.item
        if item is None:
            self.add_paragraph(text)
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
        if self.last_number() is None:
            self.add_paragraph(text)
            self.item = None
            return
        self.start_item(None, line)  # a number the source lost; kept only if it brings its own clause


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
    names = [squeeze(n.text).rstrip("等") for n in clauses.split_list(Line(text.rstrip("。）)")))]
    return all(n and len(n) <= 20 and _UNIT_SUFFIX.search(n) for n in names)


def _extend_list(previous: Line, line: Line) -> Line:
    """Carry a unit list on to its next line: after a complete name (``市财政局``) the line break stood for a
    separator; after a separator, or inside a name cut by the line end, the two just join."""
    last = squeeze(previous.text).rstrip("。）)")
    if last.endswith(("、", "，", "；", "：")) or not _UNIT_SUFFIX.search(last):
        return previous + line
    return previous + Line("、", [False]) + line


def _title(text: str) -> str:
    return squeeze(text).rstrip("。.；;：: ")


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


def build_skeleton(source: Source) -> Skeleton:
    """Run the line rules over the whole source; tables become items or lines (see ``tables``)."""
    from duban.plan import tables

    builder = _Builder()
    for block in source:
        if isinstance(block, Table):
            if tables.is_metadata_table(block):
                builder.sk.metadata.update(tables.metadata_from_table(block))
            elif not tables.add_task_table(builder, block):
                _feed_paras(builder, tables.table_as_paras(block))
                continue
            builder.sk.lines.extend(_row_lines(block))
            continue
        _feed_paras(builder, [block])
    _resolve_sub_items(builder.sk)
    _demote_clauseless(builder)
    builder.sk.bold_in_clauses = _bold_distinguishes(builder.sk.items)
    return builder.sk


def _demote_clauseless(builder: _Builder) -> None:
    """A line that followed a finished item was taken as an item whose number was lost (or a ``（1）`` line as
    an item); if it never got a clause of its own it was ordinary notice text (``请各责任单位于6月30日前…报县政府督查室``): make it a
    paragraph again, where the document step looks for deadlines and the supervising office."""
    kept = []
    nodes = {n.key: n for n in builder.sk.sections}
    for item in builder.sk.items:
        if (
            (item.no is None or item.marker is not None)
            and not item.from_table
            and not item.closed
            and not clauses.has_clause(item.body.text)
        ):
            text = item.body.text
            builder.sk.paragraphs.append(text)
            node = nodes.get(item.section) if item.section is not None else None
            if node is not None:
                node.paragraphs.append(text)
            continue
        kept.append(item)
    builder.sk.items = kept


def _resolve_sub_items(sk: Skeleton) -> None:
    """``1.`` followed by ``（1）`` ``（2）`` lines is one of two layouts. When the first ``（1）`` carries its own
    clause (and the ``1.`` line none), the ``（1）`` items are the tasks and the ``1.`` line is a heading over
    them; otherwise the clause that follows belongs to the whole ``1.`` item and the ``（1）`` lines are its
    text."""
    groups: dict[int, list[RawItem]] = {}
    for item in sk.items:
        if item.parent is not None:
            groups.setdefault(id(item.parent), []).append(item)
    if not groups:
        return
    hosts = [item for item in sk.items if id(item) in groups]
    dropped: set[int] = set()  # items taken out, removed in one pass (one by one was quadratic)
    nodes = {n.key: n for n in sk.sections}
    headings: list[tuple[int, SectionNode]] = []
    for host in hosts:
        subs = groups[id(host)]
        if subs[0].has_own_clause and not host.has_own_clause:
            headings.append((host.sections_before, _promote_to_heading(nodes, host, subs, len(headings))))
            dropped.add(id(host))
        else:
            _merge_into_host(host, subs)
            dropped.update(id(sub) for sub in subs)
    sk.items = [item for item in sk.items if id(item) not in dropped]
    sk.sections = _with_headings(sk.sections, headings)
    _rekey_sections(sk)


def _with_headings(sections: list[SectionNode], headings: list[tuple[int, SectionNode]]) -> list[SectionNode]:
    """The sections with each new heading placed before the section that stood at its position."""
    out: list[SectionNode] = []
    pending = iter(headings)  # in document order, so positions never decrease
    upcoming = next(pending, None)
    for index in range(len(sections) + 1):
        while upcoming is not None and upcoming[0] <= index:
            out.append(upcoming[1])
            upcoming = next(pending, None)
        if index < len(sections):
            out.append(sections[index])
    return out


def _promote_to_heading(
    nodes: dict[str, SectionNode], host: RawItem, subs: list[RawItem], index: int
) -> SectionNode:
    """The ``1.`` item becomes a heading where it stood, and its ``（1）`` items the tasks under it."""
    parent = nodes.get(host.section) if host.section is not None else None
    key = f"~{index}"  # provisional: ``_rekey_sections`` numbers it in document order
    node = SectionNode(
        key,
        host.no,
        _title(host.body.text),
        parent.level + 1 if parent else 1,
        host.section,
        SECTION_RANK["h3"],
    )
    for sub in subs:
        sub.section, sub.parent = key, None
    return node


def _merge_into_host(host: RawItem, subs: list[RawItem]) -> None:
    """The ``（1）`` lines were sub-points of one task: back into its text, their clause lines into its clause."""
    pieces = [host.body]
    for sub in subs:
        pieces.append((sub.marker or Line("")) + sub.body)
        host.clause_lines.extend(sub.clause_lines)
    host.body = _join_all(pieces)


def _join_all(pieces: list[Line]) -> Line:
    """``_join`` over many lines at once (joining them one by one copied the growing text each time)."""
    text: list[str] = []
    bold: list[bool] = []
    previous = ""
    for piece in pieces:
        if (
            previous
            and piece.text
            and previous[-1].isascii()
            and previous[-1].isalnum()
            and piece.text[0].isascii()
        ):
            text.append(" ")
            bold.append(False)
        text.append(piece.text)
        bold.extend(piece.bold)
        previous = piece.text or previous
    return Line("".join(text), bold)


def _rekey_sections(sk: Skeleton) -> None:
    """Give every section the key its place in the document implies (``2.1.3``), after headings were added."""
    new: dict[str | None, str | None] = {None: None}
    counts: dict[str | None, int] = {}
    for node in sk.sections:
        parent = new.get(node.parent)
        counts[parent] = counts.get(parent, 0) + 1
        key = f"{parent}.{counts[parent]}" if parent else str(counts[parent])
        new[node.key] = key
        node.key, node.parent = key, parent
    for item in sk.items:
        item.section = new.get(item.section, item.section)


def _row_lines(table: Table) -> list[str]:
    """A table as text to show beside the tasks: a row a line, its cells apart by tabs."""
    return ["\t".join(squeeze(cell.text).replace("\n", " ") for cell in row) for row in table.rows]


def _feed_paras(builder: _Builder, paras: list[Para]) -> None:
    for whole in normalise_lines(paras):
        if len(whole.text) > RUN_ON_MIN and _RUN_ON_GATE.search(whole.text):
            for line in split_run_on(whole):
                builder.sk.lines.append(line.text)
                builder.feed(line)
            continue
        builder.sk.lines.append(whole.text)
        builder.feed(whole)


# A whole body on one line (``一、产业发展 1.推进…。（牵头单位：…） 2.新建…``), as some copies arrive: the line
# is cut before each heading or item number that starts a new part after a space, a full stop or a clause's
# closing bracket, where the numbers run in sequence; an ordinary paragraph never has two such numbers.
RUN_ON_MIN = 40
_RUN_ON_MARK = re.compile(
    rf"(?P<arabic>\d{{1,3}})\s*[、.](?!\d)|（(?P<paren>[{CN_NUM}]{{1,3}})）|(?P<cn>[{CN_NUM}]{{1,3}})、"
)
_RUN_ON_AFTER = set("。；！？）) ")  # what a part that a number cuts off ends with
# a quick first look: two numbers after such an end, at least (most long lines have none)
_RUN_ON_GATE = re.compile(
    rf"[。；！？）) ]\s?(?:\d{{1,3}}\s*[、.](?!\d)|（[{CN_NUM}]{{1,3}}）|[{CN_NUM}]{{1,3}}、)"
)


def split_run_on(line: Line) -> list[Line]:
    """The line cut into its parts when it runs several numbered parts together, else ``[line]``."""
    from duban.plan.quantities import cn_to_int

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


def _unit_bold_flags(item: RawItem) -> list[bool]:
    if item.table_parts is not None:
        return [bold for _, units in item.table_parts.lists for _, bold in units]
    _, found = clauses.split_clauses(item.body)
    parts, _ = clauses.parse_clause_parts(found + item.clause_lines)
    return [bold for _, units in parts.lists for _, bold in units]


def _bold_distinguishes(items: list[RawItem]) -> bool:
    """Bold survived as a mark only if some unit names are bold and others are not: a document set entirely
    in a bold-looking face (or a font whose name merely says "Hei") marks nothing."""
    if not any(_has_bold(item) for item in items):
        return False  # the usual case for text: nothing bold, nothing to parse twice
    flags = [flag for item in items for flag in _unit_bold_flags(item)]
    return any(flags) and not all(flags)


def _has_bold(item: RawItem) -> bool:
    if item.table_parts is not None:
        return any(bold for _, units in item.table_parts.lists for _, bold in units)
    return item.body.any_bold or any(line.any_bold for line in item.clause_lines)
