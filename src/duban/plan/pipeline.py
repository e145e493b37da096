"""The parser as a pipeline of small stages over one ``ParseState`` (like Python-Markdown's processors): each
stage reads what the stages before it left and adds its own part, and none reaches back into another's.

``STAGES``: read (bytes → ``Source``) → flat tables (tables copied as one cell a line become ``Table``) →
normalise (paragraphs and cells → ``Line``; the only stage that normalises text) → structure (the line and the
table grammar write the skeleton through ``SkeletonBuilder``) → sub-items → stray lines → bold (``resolve``)
→ document facts → tasks (clauses/units, quantities; fields squeezed as they are set) → plan (numbers,
indicators, warnings; a notice without tasks refused).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from duban.plan import clauses, quantities, resolve
from duban.plan.document import document_info
from duban.plan.errors import PlanError
from duban.plan.limits import Limits
from duban.plan.model import DocumentInfo, Indicator, Plan, Section, Task
from duban.plan.normalise import Line, NormalBlock, normalise_source, squeeze
from duban.plan.read import read_source, refuse_long_text, source_chars
from duban.plan.read.flat_tables import gather_flat_tables
from duban.plan.skeleton import RawItem, SectionNode, Skeleton, SkeletonBuilder
from duban.plan.source import Source
from duban.plan.structure import read_lines

INDICATOR_SECTION_RE = re.compile(r"预期目标|主要目标|主要指标|预期指标|发展目标|目标指标")
LIVELIHOOD_SECTION_RE = re.compile(r"民生实事|民生实项目|为民办实事|民生工程|惠民实事")
_COOPERATING_KEY = re.compile(r"协办(?:单位|部门)\s*[：:]")
_NAME_COLON = re.compile(r"^(?P<name>[^：。；，！？]{2,40}?)：(?P<text>.+)$")
_NAME_SPACE = re.compile(r"^(?P<name>[\u4e00-\u9fa5“”（）《》·、]{4,30}) (?P<text>[\u4e00-\u9fa5“].+)$")


def _load(
    path_or_bytes: str | Path | bytes, filename: str | None, limits: Limits
) -> tuple[bytes, str | None]:
    if isinstance(path_or_bytes, bytes):
        return path_or_bytes, filename
    path = Path(path_or_bytes)
    try:
        size = path.stat().st_size
        if size > limits.max_bytes:
            raise PlanError(
                f"文件过大（{size / 1e6:.1f} MB，上限 {limits.max_bytes / 1e6:.0f} MB）/ file too large"
            )
        return path.read_bytes(), filename or path.name
    except FileNotFoundError as exc:
        raise PlanError(f"找不到文件 / file not found: {path}") from exc
    except IsADirectoryError as exc:
        raise PlanError(f"这是一个目录，不是文件 / not a file: {path}") from exc
    except OSError as exc:
        raise PlanError(f"无法读取文件 / cannot read {path}: {exc.strerror}") from exc


@dataclass
class ParseState:
    """What the stages hand on: each stage fills in its own field from those before it."""

    data: bytes
    filename: str | None
    limits: Limits
    source: Source = field(default_factory=list)
    ocr: bool = False  # the source was read by OCR from a scan
    blocks: list[NormalBlock] = field(default_factory=list)
    skeleton: Skeleton = field(default_factory=Skeleton)
    document: DocumentInfo = field(default_factory=DocumentInfo)
    tasks: list[Task] = field(default_factory=list)
    unread: list[RawItem] = field(default_factory=list)  # items no task could be made of
    plan: Plan | None = None


def read_stage(state: ParseState) -> None:
    """Bytes → ``Source`` (text, docx, pdf, html, scans by OCR); a text over the limits is refused."""
    state.source = read_source(state.data, state.filename, state.limits)
    state.ocr = bool(getattr(state.source, "ocr", False))
    refuse_long_text(source_chars(state.source), state.limits)


def flat_tables_stage(state: ParseState) -> None:
    """Tables copied from a web page as one cell a line become ``Table`` blocks."""
    state.source = gather_flat_tables(state.source)


def normalise_stage(state: ParseState) -> None:
    """Every paragraph and table cell normalised into ``Line``s (see ``normalise``)."""
    state.blocks = normalise_source(state.source)


def structure_stage(state: ParseState) -> None:
    """The line grammar and the table grammar lay the notice out as a skeleton."""
    builder = SkeletonBuilder()
    read_lines(builder, state.blocks)
    state.skeleton = builder.finish()


def sub_items_stage(state: ParseState) -> None:
    resolve.resolve_sub_items(state.skeleton)


def stray_lines_stage(state: ParseState) -> None:
    resolve.demote_clauseless(state.skeleton)


def bold_stage(state: ParseState) -> None:
    resolve.mark_bold(state.skeleton)


def document_stage(state: ParseState) -> None:
    """Title, 文号, issuer, date, year, report deadlines and supervising office."""
    state.document = document_info(state.skeleton)


def tasks_stage(state: ParseState) -> None:
    """A task from every item that names its responsible units or leaders; the rest are kept as unread."""
    maker = _TaskMaker(state.skeleton, state.document.year)
    for item in state.skeleton.items:
        task = maker.make(item)
        if task is None:
            state.unread.append(item)
        else:
            state.tasks.append(task)


def plan_stage(state: ParseState) -> None:
    state.plan = _assemble(state.skeleton, state.document, state.tasks, state.unread)
    state.plan._read_by_ocr = state.ocr


Stage = Callable[[ParseState], None]
SKELETON_STAGES: tuple[Stage, ...] = (
    normalise_stage,
    structure_stage,
    sub_items_stage,
    stray_lines_stage,
    bold_stage,
)
STAGES: tuple[Stage, ...] = (
    read_stage,
    flat_tables_stage,
    *SKELETON_STAGES,
    document_stage,
    tasks_stage,
    plan_stage,
)


def parse(
    path_or_bytes: str | Path | bytes, filename: str | None = None, limits: Limits | None = None
) -> Plan:
    """Parse a notice (path or bytes; ``filename`` hints the format) into a ``Plan``.

    Raises ``PlanError`` for anything that is not a readable responsibility-division notice.
    """
    limits = limits or Limits.from_env()
    data, name = _load(path_or_bytes, filename, limits)
    state = ParseState(data, name, limits)
    for stage in STAGES:
        stage(state)
    assert state.plan is not None
    return state.plan


def skeleton_of(source: Source) -> Skeleton:
    """The skeleton of an already read source (the stages from normalise to bold): for tests and tools."""
    state = ParseState(b"", None, Limits())
    state.source = source
    for stage in SKELETON_STAGES:
        stage(state)
    return state.skeleton


def _sections(sk: Skeleton) -> list[Section]:
    return [
        Section(key=s.key, number=s.number, title=s.title, level=s.level, parent=s.parent)
        for s in sk.sections
    ]


def _ancestors(node_by_key: dict[str, SectionNode], key: str | None) -> list[SectionNode]:
    chain = []
    while key is not None and key in node_by_key:
        chain.append(node_by_key[key])
        key = node_by_key[key].parent
    return chain


class _TaskMaker:
    """Turns raw items into tasks with one set of document-wide facts (conventions, year)."""

    def __init__(self, sk: Skeleton, year: int | None) -> None:
        self.sk = sk
        self.year = year
        self.nodes = {s.key: s for s in sk.sections}
        self._title_kinds: dict[tuple[str | None, str | None], tuple[bool, bool]] = {}
        all_text = "\n".join(
            [
                *sk.front,
                *sk.paragraphs,
                *(s.title for s in sk.sections),
                *(self._clause_text(i) for i in sk.items),
            ]
        )
        self.ctx = clauses.RoleContext(
            cooperating_scheme=bool(_COOPERATING_KEY.search(clauses.strip_convention_text(all_text)))
            or self._table_has_support(),
            convention=clauses.find_convention(all_text),
            bold_survived=sk.bold_in_clauses,
        )

    def _table_has_support(self) -> bool:
        return any(
            key in ("协办单位", "协办部门")
            for i in self.sk.items
            if i.table_parts
            for key, _ in i.table_parts.lists
        )

    @staticmethod
    def _clause_text(item: RawItem) -> str:
        return item.body.text + "".join(line.text for line in item.clause_lines)

    def heading_leaders(self, item: RawItem) -> list[str]:
        """Leaders named in the nearest heading above the item that names any (``一、王丹县长牵头重点工作``)."""
        for node in _ancestors(self.nodes, item.section):
            if node.leaders:
                return list(node.leaders)
        return []

    def kind(self, item: RawItem, text: str) -> str:
        livelihood, indicator = self._titles_say(item.section, item.table_category)
        if item.livelihood_table or livelihood:
            return "livelihood"
        if indicator or quantities.is_macro_indicator_text(text):
            return "indicator"
        return "task"

    def _titles_say(self, section: str | None, category: str | None) -> tuple[bool, bool]:
        """Do the titles above an item (and its category cell) name livelihood projects, and indicators?
        Worked out once per section and category, not again for every item under them."""
        key = (section, category)
        if key not in self._title_kinds:
            chain = _ancestors(self.nodes, section)
            titles = [s.title for s in chain] + ([category] if category else [])
            self._title_kinds[key] = (
                any(LIVELIHOOD_SECTION_RE.search(t) for t in titles),
                any(INDICATOR_SECTION_RE.search(t) for t in titles),
            )
        return self._title_kinds[key]

    def make(self, item: RawItem) -> Task | None:
        body, found = clauses.split_clauses(item.body)
        if item.table_parts is not None:
            parts, convention = item.table_parts, None
        else:
            parts, convention = clauses.parse_clause_parts(found + item.clause_lines)
        ctx = self.ctx
        if convention and not ctx.convention:
            ctx = clauses.RoleContext(ctx.cooperating_scheme, convention, ctx.bold_survived)
        units = clauses.assign_roles(parts, ctx)
        leaders = parts.leaders or self.heading_leaders(item)
        if not units and not parts.leaders:
            return None
        name, text = item.name, squeeze(body.text)
        kind = self.kind(item, text)
        if kind == "livelihood" and name is None:
            name, text_line = _split_name(body)
            text = squeeze(text_line.text)
        due_text = item.table_due or text
        # one plain dict validated in one call into pydantic's core (units and targets included): faster than
        # keyword arguments, and three times faster than building each UnitRef and Target with
        # ``model_construct``
        return Task.model_validate(
            {
                "no": item.no or "",
                "section": item.section,
                "kind": kind,
                "name": name,
                "text": text,
                "leaders": leaders,
                "units": [{"name": n, "role": r} for n, r in units],
                "targets": [
                    {"value": q.value, "unit": q.unit, "op": q.op} for q in quantities.find_targets(text)
                ],
                "due": (quantities.due_from_cell(item.table_due, self.year) if item.table_due else None)
                or quantities.find_due(due_text, self.year),
            }
        )


def _split_name(body: Line) -> tuple[str | None, Line]:
    """``公共安全智慧建设工程：实施…`` or ``防洪除涝工程 实施…`` → (name, content)."""
    for regex in (_NAME_COLON, _NAME_SPACE):
        match = regex.match(body.text)
        if match and not re.search(r"\d\s*$", match.group("name")[-1:]):
            return squeeze(match.group("name")), body.slice(match.start("text"))
    return None, body


def _implied_numbers(tasks: list[Task]) -> None:
    """An item whose number the source lost takes the number its predecessor implies."""
    previous: Task | None = None
    for task in tasks:
        if not task.no:
            prev_no = (
                int(previous.no)
                if previous and previous.no.isdigit() and previous.section == task.section
                else 0
            )
            task.no = str(prev_no + 1)
        previous = task


def _indicators(sk: Skeleton, tasks: list[Task]) -> list[Indicator]:
    texts: list[str] = []
    for node in sk.sections:
        if INDICATOR_SECTION_RE.search(node.title):
            texts.extend(node.paragraphs)
    seen_texts = set(texts)
    texts.extend(p for p in sk.paragraphs if "预期目标" in p and p not in seen_texts)
    texts.extend(t.text for t in tasks if t.kind == "indicator")
    seen: set[tuple[str, float]] = set()
    out = []
    for text in texts:
        for ind in quantities.find_indicators(text):
            if (ind.name, float(ind.value)) in seen:
                continue
            seen.add((ind.name, float(ind.value)))
            out.append(Indicator(name=ind.name, value=ind.value, unit=ind.unit, op=ind.op))  # type: ignore[arg-type]
    return out


def _assemble(sk: Skeleton, info: DocumentInfo, tasks: list[Task], unread: list[RawItem]) -> Plan:
    """The plan; a notice with a title and numbered lines is never refused whole: what was read comes back,
    with a warning (``Plan.warnings``) for each part that was not, for the office to finish by hand."""
    warnings = _unread_parts(sk, unread, tasks)
    if tasks:
        _implied_numbers(tasks)
        plan = Plan(document=info, indicators=_indicators(sk, tasks), sections=_sections(sk), tasks=tasks)
    else:
        plan = Plan(document=info, indicators=[], sections=_sections(sk), tasks=[])
        if info.title is None or not _has_numbered_lines(sk):
            read = f"已读出标题《{info.title}》" if info.title else "未读出标题"
            raise PlanError(
                f"这不是责任分工通知：没有找到任何带有责任单位的任务（{read}，{len(plan.sections)} 个章节），"
                "请检查文件或责任单位的写法 / "
                "not a responsibility-division notice: no task with responsible units was found",
                partial=plan,
            )
        warnings.insert(0, "未读出任何带有责任单位的任务：请对照原文逐项添加任务和责任单位")
    plan._warnings = warnings
    plan._text = "\n".join(sk.lines)
    return plan


_NUMBERED_LINE = re.compile(
    r"^(?:\d{1,3}\s*[、.）)]|（\d{1,2}）|（[一二三四五六七八九十]+）|[一二三四五六七八九十]+、)"
)


def _has_numbered_lines(sk: Skeleton) -> bool:
    """Items, headings or numbered paragraphs: the body of a notice, as a work report or a table of figures
    has none (those are refused)."""
    return bool(sk.items or sk.sections) or any(_NUMBERED_LINE.match(p) for p in sk.paragraphs)


def _part_name(nodes: dict[str, SectionNode], key: str | None) -> str:
    node = nodes.get(key) if key else None
    if node is None:
        return "正文"
    return f"{node.number}、{node.title}" if node.number and node.number[0] not in "（第" else node.title


def _unread_parts(sk: Skeleton, unread: list[RawItem], tasks: list[Task]) -> list[str]:
    """One warning for each part of the notice where numbered lines were found but not read as tasks: items
    without a responsibility clause, and sections whose numbered lines matched no layout the parser knows."""
    by_part: dict[str | None, list[str]] = {}
    for item in unread:
        by_part.setdefault(item.section, []).append(item.no or "?")
    warnings = []
    nodes = {s.key: s for s in sk.sections}
    for key, numbers in by_part.items():
        shown = "、".join(numbers[:10]) + ("等" if len(numbers) > 10 else "")
        warnings.append(
            f"「{_part_name(nodes, key)}」中第 {shown} 项（共 {len(numbers)} 项）未读出责任单位或牵头领导，"
            "请对照原文补充"
        )
    with_tasks = {t.section for t in tasks} | set(by_part)
    parents = {s.parent for s in sk.sections}
    for node in sk.sections:
        if node.key in with_tasks or node.key in parents:
            continue
        numbered = sum(1 for p in node.paragraphs if _NUMBERED_LINE.match(p))
        if numbered >= 2:
            warnings.append(
                f"「{_part_name(nodes, node.key)}」中有 {numbered} 行编号内容，格式无法识别，未读成任务，请对照原文补充"
            )
    return warnings
