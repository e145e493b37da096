"""Tables pasted as text: copying a Word or web table into a text file gives one cell per line, each cell's
first line starting with a tab (an empty cell is a bare tab), a cell's further lines without the tab, and
rows set apart by blank lines (or, from some programs, every cell set apart by one).

Such a table is recognised by its shape — a header of known column labels (序号 / 项目名称 / 主要工作 /
牵头单位 / 责任单位 / 完成时限 …) followed by rows of the same width — never by a notice's wording, and
becomes the same ``Table`` a .docx table gives, so the table step reads both alike.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from duban.plan.source import Cell, Para, Table
from duban.plan.tables import label_kind

MIN_COLUMNS = 3


@dataclass
class _TabCell:
    lines: list[str] = field(default_factory=list)
    blank_before: bool = False  # a blank line came between this cell and the one before
    at: int = 0  # index of the cell's first line in the text

    @property
    def label(self) -> str:
        return self.lines[0].strip() if self.lines else ""

    def to_cell(self) -> Cell:
        return Cell(paras=[Para.plain(line.strip()) for line in self.lines if line.strip()])


def _is_header(cells: list[_TabCell]) -> bool:
    kinds = [label_kind(c.label) for c in cells]
    has_content = "content" in kinds or "name" in kinds
    has_people = any(k and (k in ("lead", "leader") or ":" in k) for k in kinds)
    return len(cells) >= MIN_COLUMNS and None not in kinds and has_content and has_people


def _cells_from(lines: list[str], start: int) -> tuple[list[_TabCell], int]:
    """Tab cells from ``start`` until a line that is neither a cell nor a cell's continuation; returns the
    cells and the index of the first line after them."""
    cells: list[_TabCell] = []
    blank = False
    i = start
    while i < len(lines):
        line = lines[i]
        if not line.strip() and not line.startswith("\t"):
            blank = True
        elif line.startswith("\t"):
            cells.append(_TabCell([line[1:]], blank_before=blank and bool(cells), at=i))
            blank = False
        elif cells and not blank:
            cells[-1].lines.append(line)  # a cell's further line
        else:
            break  # plain text after a blank line: the table has ended
        i += 1
    while i > start and not lines[i - 1].strip() and not lines[i - 1].startswith("\t"):
        i -= 1  # leave trailing blank lines to the text
    return cells, i


def _rows(header: list[_TabCell], body: list[_TabCell]) -> list[list[Cell]]:
    from duban.plan.read.flat_tables import merged_when_missing, place_indexes

    width = len(header)
    rows: list[list[Cell]] = [[c.to_cell() for c in header]]
    blank_rows = not any(c.blank_before for c in header) and any(c.blank_before for c in body)
    groups: list[list[_TabCell]] = []
    if blank_rows:  # rows set apart by blank lines: a group of one cell is a heading across the table
        for cell in body:
            if cell.blank_before or not groups:
                groups.append([])
            groups[-1].append(cell)
    else:
        groups = [body[i : i + width] for i in range(0, len(body), width)]
    labels = [c.label for c in header]
    merged = merged_when_missing(labels)
    for group in groups:
        if len(group) == 1 and width > 1:
            rows.append([group[0].to_cell()])
            rows[-1][0].span = width
            continue
        cells: list[Cell]
        if len(group) < width:  # cells merged from above left out: each cell to the column it fits
            columns = place_indexes(labels, ["\n".join(c.lines) for c in group])
            cells = [group[i].to_cell() if i is not None else Cell() for i in columns]
        else:
            cells = [c.to_cell() for c in group[:width]]
        for col, made in enumerate(cells):
            # a copy cannot tell an empty cell from one merged from above; a task row's lead or responsible
            # unit, leader, deadline or 类别 left empty is the one above (supporting units may be empty)
            made.continued = not made.paras and merged[col]
        rows.append(cells)
    return rows


def split_text_tables(lines: list[str]) -> list[str | Table]:
    """The lines, with every table pasted as text replaced by a ``Table``.

    Each run of tab cells is read once and a header looked for at each of its cells in turn: reading the
    run again from every tab line made a long run without a header cost its length squared."""
    out: list[str | Table] = []
    i = 0
    while i < len(lines):
        if lines[i].startswith("\t") and lines[i].strip():
            cells, end = _cells_from(lines, i)
            found = _first_header(cells)
            if found is None:
                out.extend(lines[i:end])
                i = max(end, i + 1)
                continue
            start, width = found
            out.extend(lines[i : cells[start].at])
            header = cells[start : start + width]
            header[0].blank_before = False  # as when the run is read from the header on
            out.append(Table(rows=_rows(header, cells[start + width :])))
            i = end
            continue
        out.append(lines[i])
        i += 1
    return out


def _first_header(cells: list[_TabCell]) -> tuple[int, int] | None:
    """(index, width) of the first header of known labels followed by at least one cell, or None."""
    for start in range(len(cells)):
        width = _header_width(cells, start)
        if width and len(cells) - start > width:
            return start, width
    return None


def _header_width(cells: list[_TabCell], start: int) -> int:
    """How many cells from ``start`` form a header of known labels (the longest such run), or 0."""
    labels: set[str] = set()
    end = start
    while end < len(cells):
        label = cells[end].label
        if label_kind(label) is None or label in labels:
            break
        labels.add(label)
        end += 1
    return end - start if _is_header(cells[start:end]) else 0


_PIPE_RULE = re.compile(r"^[\s|｜:：\-－—]+$")


def split_pipe_tables(pieces: list[str | Table]) -> list[str | Table]:
    """Tables written with pipes (``| 序号 | 主要工作 | 责任单位 |``, as converters to Markdown write them),
    two rows or more, become ``Table``; the ``|---|`` rule under the header is dropped."""
    out: list[str | Table] = []
    run: list[str] = []

    def flush() -> None:
        rows = [_pipe_cells(line) for line in run if not _PIPE_RULE.match(line)]
        if len(run) >= 2 and rows:
            out.append(Table(rows=rows))
        else:
            out.extend(run)
        run.clear()

    for piece in pieces:
        if isinstance(piece, str) and piece.strip().startswith(("|", "｜")):
            run.append(piece)
            continue
        flush()
        out.append(piece)
    flush()
    return out


def _pipe_cells(line: str) -> list[Cell]:
    cells = re.split(r"[|｜]", line.strip().strip("|｜"))
    return [Cell(paras=[Para.plain(c.strip())] if c.strip() else []) for c in cells]


def split_tab_rows(pieces: list[str | Table]) -> list[str | Table]:
    """Tables copied from a web page as rows of tab-separated cells (``序号\t主要工作\t责任单位``, one row a
    line), found by a header row of known labels, become ``Table``. A row with fewer cells than the header
    lost its cells merged from above: they are placed by what they hold and the rest carry down. A line
    without a tab inside the table carries on the row before (a cell of several lines)."""
    out: list[str | Table] = []
    i = 0
    while i < len(pieces):
        piece = pieces[i]
        header = _tab_header(piece)
        if header is None:
            out.append(piece)
            i += 1
            continue
        rows, i = _tab_body(pieces, i + 1, header)
        if rows:
            out.append(Table(rows=[[Cell(paras=[Para.plain(label)]) for label in header], *rows]))
        else:
            out.append(piece)
    return out


def _tab_header(piece: str | Table) -> list[str] | None:
    if not isinstance(piece, str) or "\t" not in piece.strip():
        return None
    labels = [cell.strip() for cell in piece.strip().split("\t")]
    return labels if _is_header([_TabCell([label]) for label in labels]) else None


def _tab_body(pieces: list[str | Table], start: int, header: list[str]) -> tuple[list[list[Cell]], int]:
    """The rows after a tab header, and the index of the first piece after them."""
    from duban.plan.read.flat_tables import is_heading_row, place_cells

    width = len(header)
    logical, i = _logical_rows(pieces, start, "序号" in header or "编号" in header)
    rows: list[list[Cell]] = []
    for text in logical:
        if is_heading_row(text):
            rows.append([Cell(paras=[Para.plain(text)], span=width)])
            continue
        found = [c.strip() for c in text.split("\t")][:width]
        placed = place_cells(header, [c for c in found if c]) if len(found) < width else list(found)
        rows.append([_tab_cell(c) for c in placed])
    return rows, i


def _logical_rows(pieces: list[str | Table], start: int, numbered: bool) -> tuple[list[str], int]:
    """The table's rows as text (a cell's further lines joined to it), and the index after the table. With a
    序号 column a row starts at a line whose first or second cell is a number (or at a heading row); any
    other line carries on the row before, as a copied cell of several lines does."""
    from duban.plan.read.flat_tables import is_heading_row

    rows: list[str] = []
    i = start
    while i < len(pieces):
        piece = pieces[i]
        if not isinstance(piece, str):
            break
        text = piece.strip()
        if not text:
            i += 1
            continue
        starts = is_heading_row(text) or ("\t" in text and (not numbered or _numbered_row(text)))
        if starts or not rows:
            if "\t" not in text and not is_heading_row(text):
                break
            rows.append(text)
        elif "\t" in text or (len(text) <= 30 and "。" not in text[:-1]):
            rows[-1] = f"{rows[-1]}\n{text}"
        else:
            break
        i += 1
    return rows, i


def _numbered_row(text: str) -> bool:
    cells = [c.strip() for c in text.split("\t")][:2]
    return any(_ROW_NUMBER.match(c) for c in cells)


_ROW_NUMBER = re.compile(r"^\d{1,3}(?:[.．\-－]\d{1,2})?[.、．]?$")


def _tab_cell(text: str | None) -> Cell:
    if text is None:
        return Cell(continued=True)  # merged from the row above
    return Cell(paras=[Para.plain(line) for line in text.split("\n") if line.strip()])
