"""Steps run on the skeleton once both grammars have read the whole notice, when it is known where the
clauses stand: ``（1）`` sub-items resolved, clauseless stray items made paragraphs again, and whether bold
marks anything in the clauses."""

from __future__ import annotations

from duban.plan import clauses
from duban.plan.normalise import Line
from duban.plan.skeleton import SECTION_RANK, RawItem, SectionNode, Skeleton, section_title


def demote_clauseless(sk: Skeleton) -> None:
    """A line that followed a finished item was taken as an item whose number was lost (or a ``（1）`` line as
    an item); if it never got a clause of its own it was ordinary notice text (``请各责任单位于6月30日前…报县政府督查室``): make it a
    paragraph again, where the document step looks for deadlines and the supervising office."""
    kept = []
    nodes = {n.key: n for n in sk.sections}
    for item in sk.items:
        if (
            (item.no is None or item.marker is not None)
            and not item.from_table
            and not item.closed
            and not clauses.has_clause(item.body.text)
        ):
            text = item.body.text
            sk.paragraphs.append(text)
            node = nodes.get(item.section) if item.section is not None else None
            if node is not None:
                node.paragraphs.append(text)
            continue
        kept.append(item)
    sk.items = kept


def resolve_sub_items(sk: Skeleton) -> None:
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
        section_title(host.body.text),
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
    """Wrapped lines joined at once (joining them one by one copied the growing text each time): no space
    between CJK text, one between Latin words."""
    text: list[str] = []
    bold: list[bool] = []
    keep_bold = any(piece.any_bold for piece in pieces)  # most notices have none: no mask to build
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
        if keep_bold:
            bold.extend(piece.bold)
        previous = piece.text or previous
    return Line("".join(text), bold if keep_bold else None)


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


def _unit_bold_flags(item: RawItem) -> list[bool]:
    if item.table_parts is not None:
        return [bold for _, units in item.table_parts.lists for _, bold in units]
    _, found = clauses.split_clauses(item.body)
    parts, _ = clauses.parse_clause_parts(found + item.clause_lines)
    return [bold for _, units in parts.lists for _, bold in units]


def mark_bold(sk: Skeleton) -> None:
    """Bold survived as a mark only if some unit names are bold and others are not: a document set entirely
    in a bold-looking face (or a font whose name merely says "Hei") marks nothing."""
    if not any(_has_bold(item) for item in sk.items):
        sk.bold_in_clauses = False  # the usual case for text: nothing bold, nothing to parse twice
        return
    flags = [flag for item in sk.items for flag in _unit_bold_flags(item)]
    sk.bold_in_clauses = any(flags) and not all(flags)


def _has_bold(item: RawItem) -> bool:
    if item.table_parts is not None:
        return any(bold for _, units in item.table_parts.lists for _, bold in units)
    return item.body.any_bold or any(line.any_bold for line in item.clause_lines)
