"""Task tables (民生实事 and 重点工作 tables): header columns recognised by their labels, one task per row and
one per sub-item ``（1）`` ``（2）`` of a row's content cell.

Merged cells: a horizontally merged cell is kept once (``span``); the lower parts of a vertically merged
cell arrive empty (``continued``) and repeat the cell above. An empty leader or lead-unit cell also continues
the cell above it (tables drawn without merging); any other empty unit cell, or ``——``, means none. A row whose one cell spans the table is a heading.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from duban.plan import clauses
from duban.plan.normalise import Line, NormalCell, NormalTable
from duban.plan.skeleton import RawItem, SkeletonBuilder

_METADATA_LABELS = ("索引号", "发布机构", "成文日期", "发文字号", "文号", "发布日期", "主题分类")
_SUB_ITEM = re.compile(r"(?:^|(?<=[。；;\s]))（(\d{1,2})）")


@dataclass
class Columns:
    """Which column holds what; the unit columns keep the keyword their label maps to."""

    no: int | None = None
    name: int | None = None
    content: int | None = None
    leader: int | None = None
    due: int | None = None
    category: int | None = None
    units: tuple[tuple[int, str], ...] = ()


def label_kind(label: str) -> str | None:
    """What a header label names (``no``, ``name``, ``content``, ``leader``, ``due``, ``category``, ``lead``,
    ``support:KEY``, ``responsible:KEY``), or None for a label that is not a task table's."""
    label = re.sub(r"\s", "", label)
    if (
        "（" in label or "(" in label
    ):  # ``责任单位（列第一位的为牵头单位）``: the note is no part of the label
        label = re.sub(r"[（(][^）)]*[）)]", "", label)
    if not label or len(label) > 16:
        return None
    if label in ("序号", "编号") or label.endswith("序号"):
        return "no"
    if "领导" in label:
        return "leader"
    if any(k in label for k in ("主办", "牵头", "主责")):
        return "lead"
    if any(k in label for k in ("协办", "配合", "参与", "协同", "协作")):
        return "support:" + ("协办单位" if "协办" in label else "配合单位")
    if any(
        k in label for k in ("责任单位", "承办", "责任部门", "落实单位", "责任主体", "负责单位", "实施单位")
    ):
        return "responsible:" + ("承办单位" if "承办" in label else "责任单位")
    if any(k in label for k in ("时限", "完成时间", "时间节点", "完成期限")):
        return "due"
    if label in ("分类", "分块", "类别", "板块", "领域", "类型", "工作类别", "任务类别"):
        return "category"
    if any(k in label for k in ("内容", "任务", "目标", "措施", "事项", "主要工作", "重点工作", "工作")):
        return "content"
    if "名称" in label or label in ("项目", "实事项目", "民生实事"):
        return "name"
    return None


def _expand(row: list[NormalCell]) -> list[NormalCell]:
    """Cells by grid column: a merged cell stands in its first column, the rest get an empty stand-in."""
    out: list[NormalCell] = []
    for cell in row:
        out.append(cell)
        out.extend(NormalCell("", []) for _ in range(cell.span - 1))
    return out


def find_columns(table: NormalTable) -> tuple[int, Columns] | None:
    """The header row (among the first three) and its columns, if this is a task table."""
    for index, row in enumerate(table.rows[:3]):
        kinds = [label_kind(cell.text) for cell in _expand(row)]
        cols = Columns()
        units: list[tuple[int, str]] = []
        for col, kind in enumerate(kinds):
            if kind in ("no", "name", "content", "leader", "due", "category") and getattr(cols, kind) is None:
                setattr(cols, kind, col)
            elif kind == "lead":
                units.append((col, "牵头单位"))
            elif kind and kind.startswith(("responsible:", "support:")):
                units.append((col, kind.split(":", 1)[1]))
        cols.units = tuple(units)
        if cols.content is None and cols.name is not None:
            cols.content, cols.name = cols.name, None
        if cols.content is not None and (units or cols.leader is not None):
            return index, cols
    return None


def is_metadata_table(table: NormalTable) -> bool:
    """A website's metadata table (``索引号 | 123 | 发布机构 | …``): two of its labels, at least."""
    cells = [cell.compact for row in table.rows for cell in row]
    return sum(1 for c in cells if c.rstrip("：:") in _METADATA_LABELS or c.startswith(_METADATA_LABELS)) >= 2


def metadata_from_table(table: NormalTable) -> dict[str, str]:
    """Label/value pairs: ``索引号 | 123 | 发布机构 | 金乡县人民政府 …`` or ``索引号：123`` in one cell."""
    found: dict[str, str] = {}
    for row in table.rows:
        texts = [cell.compact for cell in row]
        for i, text in enumerate(texts):
            label, sep, value = (
                re.split(r"([：:])", text, maxsplit=1) if re.search("[：:]", text) else (text, "", "")
            )
            label = label.strip()
            if label in _METADATA_LABELS or label in ("标题", "名称"):
                if not sep and i + 1 < len(texts):
                    value = texts[i + 1]
                found.setdefault(label, value.strip())
    return found


def _is_heading_row(row: list[NormalCell], width: int) -> bool:
    texts = {c.compact for c in row if c.compact}
    return len(texts) == 1 and (len(row) == 1 or row[0].span >= width - 1 or (len(texts) == 1 and width > 2))


class _RowReader:
    """Reads data rows, carrying vertically merged cells down."""

    def __init__(self, builder: SkeletonBuilder, cols: Columns, width: int, livelihood: bool) -> None:
        self.livelihood = livelihood
        self.builder = builder
        self.cols = cols
        self.width = width
        self.carried: dict[int, Line] = {}
        self.last_no: str | None = None
        self.runs: list[tuple[str, list[RawItem]]] = []  # consecutive rows sharing a row number

    def cell(self, cells: list[NormalCell], col: int | None, carry: bool) -> Line:
        if col is None or col >= len(cells):
            return Line("")
        line = cells[col].line
        if line.text:
            self.carried[col] = line
            return line
        if carry or cells[col].continued:  # a merged cell, or an empty leader/lead cell meaning "as above"
            return self.carried.get(col, Line(""))
        return Line("")

    def read(self, row: list[NormalCell]) -> None:
        cells = _expand(row)
        cols = self.cols
        if _is_heading_row(row, self.width):
            self.builder.open_section("h2", None, cells[0].compact)
            self.carried.clear()
            return
        content = self.cell(cells, cols.content, carry=False)
        if not content.text:
            return
        no_text = self.cell(cells, cols.no, carry=False).compact.rstrip("、.")
        row_no = no_text if no_text else (self.last_no or "1")
        self.last_no = row_no
        name = self.cell(cells, cols.name, carry=True).compact.rstrip("：:") or None
        parts = clauses.ClauseParts()
        leaders = self.cell(cells, cols.leader, carry=True)
        parts.leaders = clauses.split_leaders(leaders.text)
        for col, key in cols.units:
            carry = key in clauses.LEAD_KEYS
            parts.lists.append((key, clauses.split_units(self.cell(cells, col, carry=carry))))
        due = self.cell(cells, cols.due, carry=True).compact or None
        category = self.cell(cells, cols.category, carry=True).compact or None
        for sub_no, body in _sub_items(content):
            self._add(row_no, sub_no, body, name, parts, due, category)

    def _add(
        self,
        row_no: str,
        sub_no: str | None,
        body: Line,
        name: str | None,
        parts: clauses.ClauseParts,
        due: str | None,
        category: str | None = None,
    ) -> None:
        no = f"{row_no}.{sub_no}" if sub_no else row_no
        item = self.builder.add_table_item(
            no, body, parts, name=name, due=due, category=category, livelihood=self.livelihood
        )
        if not self.runs or self.runs[-1][0] != row_no:
            self.runs.append((row_no, []))
        self.runs[-1][1].append(item)

    def finish(self) -> None:
        """A row number shared by several rows in a row (a merged 序号 cell): number them as sub-items. The
        same number further down is numbering that restarts (under a new 类别), not a merged cell."""
        for row_no, items in self.runs:
            if len(items) > 1 and all(item.no == row_no for item in items):
                for k, item in enumerate(items, 1):
                    item.no = f"{row_no}.{k}"


def _sub_items(content: Line) -> list[tuple[str | None, Line]]:
    """Split a content cell at ``（1）`` ``（2）`` markers; text before the first marker stays with no number."""
    text = content.text
    marks = list(_SUB_ITEM.finditer(text))
    if len(marks) == 1 and marks[0].start() == 0:
        # a sub-item in a row (or merged cell) of its own: its number is never part of its text
        return [(marks[0].group(1), _flatten(content.slice(marks[0].end())))]
    if len(marks) < 2:
        return [(None, _flatten(content))]
    out: list[tuple[str | None, Line]] = []
    for i, mark in enumerate(marks):
        end = marks[i + 1].start() if i + 1 < len(marks) else len(text)
        out.append((mark.group(1), _flatten(content.slice(mark.end(), end))))
    return out


def _flatten(line: Line) -> Line:
    """Line breaks inside a cell join like wrapped lines."""
    if not line.any_bold:
        return Line(line.text.replace("\n", ""))
    return Line(
        line.text.replace("\n", ""), [b for ch, b in zip(line.text, line.bold, strict=True) if ch != "\n"]
    )


def add_task_table(builder: SkeletonBuilder, table: NormalTable) -> bool:
    """Turn a task table into items; False when the table is not one (it is then read as text)."""
    found = find_columns(table)
    if found is None:
        return False
    header, cols = found
    # the rows above the header (a title: ``民生实事项目表``), only looked into for 民生
    title = "".join(cell.compact for row in table.rows[:header] for cell in row)
    width = max(len(_expand(row)) for row in table.rows)
    reader = _RowReader(builder, cols, width, livelihood=cols.name is not None or "民生" in title)
    labels = [cell.compact for cell in table.rows[header]]
    for label in labels:
        if clauses.find_convention(label):  # a convention stated in a header cell holds for the notice
            builder.add_notice_note(label)
    for row in table.rows[header + 1 :]:
        if [cell.compact for cell in row] == labels:
            continue  # the header row repeated where the table went on to a new page
        reader.read(row)
    reader.finish()
    builder.close_item()
    builder.begin_body()
    return True
