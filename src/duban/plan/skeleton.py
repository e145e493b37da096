"""The skeleton: the notice laid out as sections, raw items and paragraphs, and the one builder that makes it.

Both grammars write the skeleton through ``SkeletonBuilder``'s public methods and nothing else: the line
grammar (``structure``) for paragraphs, the table grammar (``tables``) for task tables. The builder keeps what
they share (the open section stack, the open item, whether the body has begun, the run of item numbers), so
neither grammar needs the other, and it squeezes a field (``squeeze``) where the field is set: a section's
title, the signature, a metadata value, a table item's name, deadline and category.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from duban.plan import clauses
from duban.plan.normalise import Line, squeeze

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
        """The body ends with a clause without brackets (``责任单位：县财政局、``), whose list may wrap on."""
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


def section_title(text: str) -> str:
    """A heading's text as the section's title: squeezed, without the punctuation it ended with."""
    return squeeze(text).rstrip("。.；;：: ")


class SkeletonBuilder:
    """The skeleton under construction, one per document, written by the line and the table grammar."""

    def __init__(self) -> None:
        self._sk = Skeleton()
        self._stack: list[SectionNode] = []
        self._item: RawItem | None = None
        self._children: dict[str | None, int] = {}
        self._body_begun = False
        self._front_lines: list[Line] = []
        self._last_number: tuple[int, str | None, int | None] = (0, None, None)

    def finish(self) -> Skeleton:
        """The skeleton as built (the steps after the grammars settle it: see ``resolve``)."""
        return self._sk

    # what was read ----------------------------------------------------------------------------------------
    def add_text_line(self, line: Line) -> None:
        """A line the line grammar is about to read: kept as the notice's text, and as its front matter
        while no heading or item has been met (the title, 文号 and issuer are looked for there)."""
        self._sk.lines.append(line.text)
        if not self._body_begun:
            self._sk.front.append(line.text)
            self._front_lines.append(line)

    def add_table_lines(self, lines: list[str]) -> None:
        """A table read as rows (a task or metadata table): its rows as the notice's text shows them."""
        self._sk.lines.extend(lines)

    def front_lines(self, count: int) -> list[Line]:
        """The first ``count`` lines of the front matter."""
        return self._front_lines[:count]

    @property
    def body_begun(self) -> bool:
        """A heading, an item or a task table has been met: lines are no longer front matter."""
        return self._body_begun

    def begin_body(self) -> None:
        self._body_begun = True

    def add_signature(self, text: str) -> None:
        """A signature line (issuer, date, ``（此件公开发布）``), squeezed."""
        self._sk.signature.append(squeeze(text))

    @property
    def has_signature(self) -> bool:
        return bool(self._sk.signature)

    def note_metadata(self, label: str, value: str) -> None:
        """A website's ``索引号：…`` line; the first value of a label stands."""
        self._sk.metadata.setdefault(label, squeeze(value))

    def take_metadata(self, found: dict[str, str]) -> None:
        """A website's metadata table: its values stand over any read from lines."""
        self._sk.metadata.update({label: squeeze(value) for label, value in found.items()})

    # sections ---------------------------------------------------------------------------------------------
    def open_section(self, kind: str, number: str | None, title: str) -> SectionNode:
        """Open a section of ``kind`` (a key of ``SECTION_RANK``) under the nearest open one of higher rank;
        it closes the open item. The title is squeezed and loses its closing punctuation."""
        rank = SECTION_RANK[kind]
        while self._stack and self._stack[-1].rank >= rank:
            self._stack.pop()
        parent = self._stack[-1] if self._stack else None
        parent_key = parent.key if parent else None
        self._children[parent_key] = self._children.get(parent_key, 0) + 1
        index = self._children[parent_key]
        key = f"{parent_key}.{index}" if parent_key else str(index)
        node = SectionNode(
            key, number, section_title(title), (parent.level + 1) if parent else 1, parent_key, rank
        )
        self._sk.sections.append(node)
        self._stack.append(node)
        self._item = None
        self._body_begun = True
        return node

    @property
    def section_key(self) -> str | None:
        """The key of the innermost open section (None before the first heading)."""
        return self._stack[-1].key if self._stack else None

    def heading_as_item(self, node: SectionNode, body: Line) -> RawItem | None:
        """Take back ``node``, the section opened last, and start an item of ``body`` in its place (a heading
        turned out to be a task whose clause stood on the next line). None if ``node`` is no longer the last
        section opened."""
        if not self._sk.sections or self._sk.sections[-1] is not node:
            return None
        self._sk.sections.pop()
        self._stack.pop()
        self._children[node.parent] -= 1
        if node.paragraphs:
            del self._sk.paragraphs[-len(node.paragraphs) :]
        item = self.start_item(node.number, body)
        if node.leaders:  # a leader line came first: it belongs to the item as well
            item.clause_lines.append(Line("牵头领导：" + "、".join(node.leaders)))
        return item

    # items ------------------------------------------------------------------------------------------------
    @property
    def item(self) -> RawItem | None:
        """The open item: the one further lines may still belong to."""
        return self._item

    @property
    def has_items(self) -> bool:
        return bool(self._sk.items)

    def start_item(self, no: str | None, body: Line) -> RawItem:
        """Open a new item in the current section (``no`` None: a number the source lost)."""
        self._item = RawItem(
            no=no, section=self.section_key, body=body, sections_before=len(self._sk.sections)
        )
        self._sk.items.append(self._item)
        self._body_begun = True
        return self._item

    def add_table_item(
        self,
        no: str,
        body: Line,
        parts: clauses.ClauseParts,
        *,
        name: str | None,
        due: str | None,
        category: str | None,
        livelihood: bool,
    ) -> RawItem:
        """An item read from a task table's row: its clause comes from the unit columns (``parts``), and its
        name, deadline and category cells are squeezed. It never stays open (a table row has no wrapped
        lines)."""
        item = RawItem(
            no=no,
            section=self.section_key,
            body=body,
            from_table=True,
            name=squeeze(name) if name is not None else None,
            table_parts=parts,
            table_due=squeeze(due) if due is not None else None,
            table_category=squeeze(category) if category is not None else None,
            livelihood_table=livelihood,
        )
        self._sk.items.append(item)
        return item

    def close_item(self) -> None:
        """No further line belongs to the open item."""
        self._item = None

    def last_number(self) -> int | None:
        """The number of the section's last numbered item (None after a table or in a new section).

        Remembered between calls and brought up to date from the items added since: scanning back over a
        long run of items whose numbers were lost, at every line, made the parse quadratic."""
        count, section, known = self._last_number
        key = self.section_key
        items = self._sk.items
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
        self._last_number = (len(self._sk.items), self.section_key, number)
        return number

    # paragraphs -------------------------------------------------------------------------------------------
    def add_paragraph(self, text: str) -> None:
        """A line that belongs to no task: kept under the open section and the notice."""
        if self._stack:
            self._stack[-1].paragraphs.append(text)
        self._sk.paragraphs.append(text)

    def add_notice_note(self, text: str) -> None:
        """Text that holds for the whole notice (a convention stated in a table's header cell), under no
        section."""
        self._sk.paragraphs.append(text)
