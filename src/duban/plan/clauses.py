"""Clauses/units step: find an item's responsibility clause and turn it into leaders and units with roles.

A clause is written either in parentheses at the end of the item (``（牵头单位：…；责任单位：…）``,
``（牵头领导：…。承办单位：…）``) or as separate lines after it (``牵头领导：…`` / ``承办单位：…``); both
reach ``parse_clause`` as text. Roles follow ``plan-format.md``: the clause's keywords decide, and where a list
is undifferentiated, a convention the notice states (``黑体为主办单位``, ``列第一位的为牵头单位``) decides
when its mark survived in the input.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from typing import Literal

from duban.plan.normalise import Line, squeeze

_LEADER_ROLES = ("牵头", "责任", "分管", "联系", "包保", "主抓")
_LEVELS = ("市", "县", "区", "省", "镇", "")
LEADER_KEYS = (
    *(f"{role}{level}领导" for role in _LEADER_ROLES for level in _LEVELS),
    *(f"{level}级领导" for level in ("市", "县", "区")),
    *(
        f"{role}{post}"
        for role in ("分管", "牵头", "责任")
        for post in ("副县长", "副区长", "副市长", "县长", "区长", "市长")
    ),
)
LEAD_KEYS = ("牵头单位", "主办单位", "牵头部门", "主责单位", "主办部门", "主责部门", "牵头责任单位")
SUPPORT_KEYS = (
    "协办单位", "配合单位", "参与单位", "配合部门", "协办部门", "参与部门", "协同单位", "协同部门", "协作单位",
    "配合责任单位", "支持单位",
)  # fmt: skip
RESPONSIBLE_KEYS = (
    "责任单位",
    "责任部门",
    "承办单位",
    "承办部门",
    "落实单位",
    "责任主体",
    "负责单位",
    "实施单位",
)
ALL_KEYS = LEADER_KEYS + LEAD_KEYS + SUPPORT_KEYS + RESPONSIBLE_KEYS
_KEY_ALT = "|".join(sorted(ALL_KEYS, key=len, reverse=True))
KEY_RE = re.compile(rf"({_KEY_ALT})\s*[：:]")
CLAUSE_LINE_RE = re.compile(rf"^\s*({_KEY_ALT})\s*[：:]")
# A clause opens with a parenthesis, or a square bracket where unit names themselves hold parentheses.
PAREN_CLAUSE_START_RE = re.compile(rf"[（【\[［]\s*({_KEY_ALT})\s*[：:]")
_CLOSERS = {"（": "）", "【": "】", "[": "]", "［": "］"}
_BARE_CLAUSE_RE = re.compile(rf"(?:^|(?<=[。；！？，,\s]))({_KEY_ALT})\s*[：:]")


def _bare_clause(text: str, start: int = 0) -> re.Match[str] | None:
    """``_BARE_CLAUSE_RE.search``, not run where no colon follows ``start``: the pattern may begin at any
    character, and most texts it is asked about (an item's body once its bracketed clause is cut out) have
    no colon at all."""
    if text.find("：", start) < 0 and text.find(":", start) < 0:
        return None
    return _BARE_CLAUSE_RE.search(text, start)


CONVENTION_BOLD_RE = re.compile(
    r"[，。；、]?\s*(?:以|用)?(?:黑体|粗体|加粗|字体加粗)(?:字)?(?:的|标注的?|显示的?)?(?:单位|部门)?(?:为|是)"
    r"(?:主办|牵头|主责|责任)(?:单位|部门)[^。；）]*"
)
CONVENTION_FIRST_RE = re.compile(
    r"[，。；、]?\s*(?:(?:列|排|排列)(?:在)?(?:第一位|首位|第一)|首位|第一位|排名第一|排名首位)的?(?:单位|部门)?"
    r"[^，。；）]{0,6}?(?:为|是)(?:工作)?(?:牵头|主办|主责)(?:或[^，。；）]{1,6}?)?(?:单位|部门)[^。；）]*"
)
_TRAILING_ETC = re.compile(r"(?:等(?:相关|有关)?(?:单位|部门)?)$")
_UNIT_SPLIT = re.compile(r"[、，,；;\n]")
_LEADER_SPLIT = re.compile(r"[、，,；;/\n]")

Convention = Literal["bold", "first"] | None

# How a unit's name ends (``县发改局``, ``各镇街``'s 镇街, ``县住建中心``): tells a unit list from other text.
UNIT_SUFFIX = re.compile(
    r"(?:局|办|委|会|中心|院|所|部|处|站|队|镇|街道|街|乡|园|区|公司|集团|银行|部门|单位|镇街|指挥部|小组|社|馆|厅|室"
    r"|行|台|团|校|分局|支队|大队|政府|专班|办事处)$"
)


@dataclass
class ClauseParts:
    """What a clause names, before roles are decided: leaders, and unit lists keyed by their keyword."""

    leaders: list[str] = field(default_factory=list)
    lists: list[tuple[str, list[tuple[str, bool]]]] = field(default_factory=list)  # (key, [(name, bold)])


def _close_paren(text: str, start: int) -> int:
    """Index just past the bracket closing the one at ``start`` (nested pairs allowed), or len(text).

    Only the brackets are visited (found by a pattern, not character by character): an unclosed clause
    in a long item is searched again as the item grows."""
    opener = text[start]
    closer = _CLOSERS.get(opener, "）")
    depth = 0
    for match in _bracket_pattern(opener, closer).finditer(text, start):
        depth += 1 if match.group() == opener else -1
        if depth == 0:
            return match.end()
    return len(text)


@functools.cache
def _bracket_pattern(opener: str, closer: str) -> re.Pattern[str]:
    return re.compile(f"[{re.escape(opener)}{re.escape(closer)}]")


def split_clauses(body: Line) -> tuple[Line, list[Line]]:
    """Separate an item's text from its responsibility clauses.

    Returns the text without the clauses and the clauses (without their parentheses). A clause written
    without parentheses after a sentence (``…。牵头单位：…``) runs to the end of the item.
    """
    text, clauses = body, []
    while True:
        match = PAREN_CLAUSE_START_RE.search(text.text)
        if not match:
            break
        start = match.start()
        end = _close_paren(text.text, start)
        closer = _CLOSERS.get(text.text[start], "）")
        inner_end = end - 1 if end <= len(text.text) and text.text[end - 1 : end] == closer else end
        clauses.append(text.slice(start + 1, inner_end))
        text = text.slice(0, start) + text.slice(end)
    bare = _bare_clause(text.text)
    if bare:
        clauses.append(text.slice(bare.start()))
        text = text.slice(0, bare.start())
    elif not clauses and (verb := find_verb_clause(text.text)):
        start, end, keyed = verb
        clauses.append(Line(keyed))
        rest = text.slice(end)
        if end == len(text.text) and text.text.endswith("。") and not text.text[:start].endswith("。"):
            rest = Line("。")  # ``…建设，县发改局牵头。``: the sentence keeps its full stop
        text = text.slice(0, start) + rest
    return _strip_line(text), clauses


def _strip_line(line: Line) -> Line:
    text = line.text
    if not text or (text[0] != " " and text[-1] not in " ；;，,"):
        return line  # nothing to strip (most lines): no copy
    start, end = 0, len(text)
    while start < end and text[start] == " ":
        start += 1
    while end > start and text[end - 1] in " ；;，,":
        end -= 1
    return line.slice(start, end)


def ends_with_closed_clause(text: str) -> bool:
    """True when ``text`` ends with a complete parenthesised clause: the item it belongs to is finished."""
    stripped = text.rstrip(" 。；")
    if not stripped.endswith(tuple(_CLOSERS.values())):
        return False
    for match in PAREN_CLAUSE_START_RE.finditer(stripped):
        if _close_paren(stripped, match.start()) == len(stripped):
            return True
    return False


def ends_with_bare_clause(text: str) -> bool:
    """True when ``text`` ends with a clause written without parentheses after the item's full stop
    (``…。责任单位：县发改局、县财政局``) and its list does not break off at a separator: a bare clause runs
    to the end of its item, so the item is finished."""
    while match := PAREN_CLAUSE_START_RE.search(text):  # a key inside brackets is not a bare clause
        text = text[: match.start()] + text[_close_paren(text, match.start()) :]
    if _bare_clause(text) is None:
        return False
    return not text.rstrip().endswith(("、", "，", "；", "：", ":"))


def has_clause(text: str) -> bool:
    return bool(PAREN_CLAUSE_START_RE.search(text) or _bare_clause(text)) or (
        find_verb_clause(text) is not None
    )


# Roles given by verbs instead of labels: ``（县发改局牵头，县财政局、县住建局配合）``, ``由X负责，Y参与``,
# ``X牵头、Y落实``. Each verb stands for the label it replaces; 负责 leads where others support, and is an
# undifferentiated 责任单位 where it stands alone.
_ROLE_VERBS = {
    "牵头": "牵头单位",
    "主抓": "牵头单位",
    "负责": "负责",
    "配合": "配合单位",
    "参与": "参与单位",
    "协助": "配合单位",
    "协办": "协办单位",
    "落实": "责任单位",
    "承办": "责任单位",
}
_VERB_ALT = "|".join(_ROLE_VERBS)
_VERB_SEGMENT = re.compile(
    rf"^(?:由|请)?(?P<units>[^，；,;。：:]+?)(?:共同|具体|分别|按职责)?(?P<verb>{_VERB_ALT})"
    r"(?:实施|推进|落实|办理|完成)?$"
)
_AFTER_VERB = re.compile(rf"(?<={_VERB_ALT})[、和及]")  # ``X牵头、Y落实``: the list ends at the verb
_SEGMENT_SEP = re.compile(r"[，；,;]")
_VERB_END = re.compile(rf"(?:{_VERB_ALT})(?:实施|推进|落实|办理|完成)?$")
_VERB_TAIL = 300  # a verb clause closes its item: only the item's end is searched


def _is_unit_list(text: str) -> bool:
    names = [name for name, _ in split_units(Line(text))]
    return bool(names) and all(UNIT_SUFFIX.search(n) or n.startswith("各") for n in names)


def _verb_segments(text: str) -> list[tuple[str, str]] | None:
    """``县发改局牵头，县财政局、县住建局配合`` → [(牵头, 县发改局), (配合, 县财政局、县住建局)], or None
    when any part of ``text`` is not a unit list with its verb."""
    segments = []
    for a, b in _piece_bounds(text, _SEGMENT_SEP):
        for piece in _AFTER_VERB.split(text[a:b]):
            match = _VERB_SEGMENT.match(piece.strip())
            if not match or not _is_unit_list(match.group("units")):
                return None
            segments.append((match.group("verb"), match.group("units")))
    return segments or None


def _keyed(segments: list[tuple[str, str]]) -> str:
    """The verb clause written with labels, as every later step reads clauses."""
    others = {_ROLE_VERBS[verb] for verb, _ in segments} - {"负责", "牵头单位"}
    parts = []
    for verb, units in segments:
        key = _ROLE_VERBS[verb]
        if key == "负责":
            key = "牵头单位" if others else "责任单位"
        parts.append(f"{key}：{units}")
    return "；".join(parts)


_ROUND_BRACKET = re.compile(r"[（()）]")


def _open_of_last_paren(text: str) -> int | None:
    """Index of the bracket opening the one that ends ``text`` (within its last ``_VERB_TAIL`` characters).
    Only the brackets are visited, found by a pattern, not every character."""
    depth = 0
    for match in reversed(list(_ROUND_BRACKET.finditer(text, max(0, len(text) - _VERB_TAIL)))):
        if match.group() in "）)":
            depth += 1
        else:
            depth -= 1
            if depth == 0:
                return match.start()
    return None


def find_verb_clause(text: str) -> tuple[int, int, str] | None:
    """A clause giving roles by verbs at the end of ``text``, in brackets or as its last sentence's last
    parts: (start, end, the clause written with labels), or None."""
    end = len(text.rstrip(" 。；;，,"))
    tail = text[:end]
    if tail.endswith(("）", ")")):
        start = _open_of_last_paren(tail)
        if start is None or "：" in tail[start:] or ":" in tail[start:]:
            return None  # a clause with labels, read as such
        segments = _verb_segments(tail[start + 1 : -1])
        return (start, end, _keyed(segments)) if segments else None
    if not _VERB_END.search(tail[-6:]):
        return None
    sentence = max(tail.rfind("。"), tail.rfind("！"), tail.rfind("；"), len(tail) - _VERB_TAIL) + 1
    bounds = _piece_bounds(tail[sentence:], _SEGMENT_SEP)
    found: list[tuple[str, str]] = []
    start = None
    for a, _ in reversed(bounds):  # the longest run of verb parts that ends the sentence
        segments = _verb_segments(tail[sentence + a :])
        if segments is None:
            break
        found, start = segments, sentence + a
    if start is None or start == 0:
        return None  # a line that is nothing but units and verbs is no task
    cut = len(tail[:start].rstrip("，,；; "))
    return cut, len(text), _keyed(found)


# How far before a position a clause keyword found from there may begin: the longest key, its colon and
# the bracket or stop before it.
KEY_WINDOW = max(len(k) for k in ALL_KEYS) + 4


def has_clause_from(text: str, start: int) -> bool:
    """``has_clause`` for a keyword beginning at or after ``start`` (the text before it already searched)."""
    return bool(PAREN_CLAUSE_START_RE.search(text, start) or _bare_clause(text, start))


# Words every convention sentence of each kind contains: a text without them is not searched (the patterns
# may start at any character, and a notice is tens of thousands of them).
_CONVENTION_WORDS: tuple[tuple[re.Pattern[str], str, tuple[str, ...]], ...] = (
    (CONVENTION_BOLD_RE, "bold", ("黑体", "粗体", "加粗")),
    (
        CONVENTION_FIRST_RE,
        "first",
        ("列第", "排第", "列在", "排在", "列首", "排首", "首位", "第一位", "排名第一"),
    ),
)


_CONVENTION_HINTS = tuple(
    (regex, kind, re.compile("|".join(words))) for regex, kind, words in _CONVENTION_WORDS
)


def _conventions_in(text: str) -> list[tuple[re.Pattern[str], str]]:
    """The convention patterns that could match ``text``."""
    return [(regex, kind) for regex, kind, hint in _CONVENTION_HINTS if hint.search(text)]


def remove_conventions(line: Line) -> tuple[Line, Convention]:
    """Drop a convention sentence (``黑体为主办单位，其他为协办单位，下同``) from a clause; say which it was."""
    found: Convention = None
    for regex, kind in _conventions_in(line.text):
        while match := regex.search(line.text):
            found = kind  # type: ignore[assignment]
            start, end = match.start(), match.end()
            if line.text[start - 1 : start] in ("（", "(") and line.text[end : end + 1] in ("）", ")"):
                start, end = (
                    start - 1,
                    end + 1,
                )  # ``县发改局（首位单位为牵头单位，下同）``: the brackets go too
            line = line.slice(0, start) + line.slice(end)
    return line, found


def strip_convention_text(text: str) -> str:
    """The text without its convention sentences (their ``其他为协办单位`` names no unit)."""
    for regex, _ in _conventions_in(text):
        text = regex.sub("", text)
    return text


def find_convention(text: str) -> Convention:
    for regex, kind in _conventions_in(text):
        if regex.search(text):
            return kind  # type: ignore[return-value]
    return None


def _piece_bounds(text: str, splitter: re.Pattern[str]) -> list[tuple[int, int]]:
    """(start, end) of each piece of ``text`` split on ``splitter``, never inside parentheses
    (``县大气（水）污染防治指挥部``)."""
    if "（" not in text and "(" not in text:
        pieces, start = [], 0
        for match in splitter.finditer(text):
            at = match.start()
            pieces.append((start, at))
            start = at + 1
        pieces.append((start, len(text)))
        return pieces
    pieces, depth, start = [], 0, 0
    for match in _with_brackets(splitter).finditer(text):  # only brackets and separators are visited
        ch, i = match.group(), match.start()
        if ch in "（(":
            depth += 1
        elif ch in "）)":
            depth = max(0, depth - 1)
        elif depth == 0:
            pieces.append((start, i))
            start = i + 1
    pieces.append((start, len(text)))
    return pieces


@functools.cache
def _with_brackets(splitter: re.Pattern[str]) -> re.Pattern[str]:
    """One character at a time: a round bracket, or a separator ``splitter`` (a character class) matches."""
    return re.compile(rf"[（()）]|{splitter.pattern}")


def _pieces(line: Line, splitter: re.Pattern[str]) -> list[Line]:
    """Split a list on its separators, but never inside parentheses."""
    return [line.slice(a, b) for a, b in _piece_bounds(line.text, splitter)]


def split_list(line: Line) -> list[Line]:
    """The pieces of a unit list, split on its separators outside parentheses (``各县（市、区）人民政府``)."""
    return _pieces(line, _UNIT_SPLIT)


def clean_unit_name(name: str) -> str:
    name = squeeze(name).strip("。.：:；;，,、 ▲★☆")
    if "等" in name:  # the only way ``_TRAILING_ETC`` can match
        name = _TRAILING_ETC.sub("", name).strip("。.：:；;，,、 ")
    return name


def split_units(line: Line) -> list[tuple[str, bool]]:
    """Unit names in a list with, for each, whether it was (mostly) bold. ``——`` or ``无`` means none."""
    units = []
    text, any_bold = line.text, line.any_bold
    bold = line.bold if any_bold else []
    for a, b in _piece_bounds(text, _UNIT_SPLIT):
        name = clean_unit_name(text[a:b])
        if not name.strip(_NO_UNIT_STRIP) or name == "暂无":  # ``——``, ``/``, ``无``: no unit
            continue
        bold_chars = sum(1 for i in range(a, b) if bold[i] and not text[i].isspace()) if any_bold else 0
        units.append((name, bold_chars * 2 > len(name)))
    return units


_NO_UNIT_STRIP = "—－-–─/无"
_NO_LEADER_CHARS = frozenset("—－-–─/")


def split_leaders(text: str) -> list[str]:
    names = []
    for part in _LEADER_SPLIT.split(text):
        name = squeeze(part).strip("。.：:；;，,、 ")
        name = _TRAILING_ETC.sub("", name)
        if name and not set(name) <= _NO_LEADER_CHARS:
            names.append(name)
    return names


def parse_clause_parts(clauses: list[Line]) -> tuple[ClauseParts, Convention]:
    """Cut each clause at its keywords (``牵头领导：`` … ``承办单位：`` …) into leader and unit lists."""
    parts, convention = ClauseParts(), None
    for clause in clauses:
        clause, found = remove_conventions(clause)
        convention = convention or found
        keys = list(KEY_RE.finditer(clause.text))
        for i, key in enumerate(keys):
            end = keys[i + 1].start() if i + 1 < len(keys) else len(clause.text)
            content = _strip_line(clause.slice(key.end(), end))
            _add_list(parts, key.group(1), content)
    return parts, convention


EACH_LEADS = "分别牵头"
LEAD_MARKS = "▲★☆"


def _add_list(parts: ClauseParts, key: str, content: Line) -> None:
    if key in LEADER_KEYS:
        parts.leaders.extend(split_leaders(content.text))
    elif EACH_LEADS in content.text:
        # ``A、B分别牵头，C、D`` (an exception a notice announces with ``除标注“分别牵头”外``): each named
        # unit before the words leads; the words are not part of a name.
        at = content.text.index(EACH_LEADS)
        parts.lists.append((LEAD_KEYS[0], split_units(content.slice(0, at))))
        _add_list(parts, key, _strip_line(content.slice(at + len(EACH_LEADS))))
    elif "▲" in content.text or "★" in content.text or "☆" in content.text:  # LEAD_MARKS
        # ``▲X、Y``: the marked unit leads, the others support; order kept as written.
        for piece in _pieces(content, _UNIT_SPLIT):
            marked = piece.text.strip()[:1] in LEAD_MARKS
            units = split_units(piece)
            if units:
                parts.lists.append((LEAD_KEYS[0] if marked else SUPPORT_KEYS[0], units))
    else:
        parts.lists.append((key, split_units(content)))


@dataclass(frozen=True)
class RoleContext:
    """Document-wide facts that decide roles: the 承办/协办 scheme, and a stated convention with whether
    its mark (bold) survived in this input."""

    cooperating_scheme: bool = False
    convention: Convention = None
    bold_survived: bool = False


def assign_roles(parts: ClauseParts, ctx: RoleContext) -> list[tuple[str, str]]:
    """(name, role) for every unit, in the order written."""
    keys = {key for key, units in parts.lists if units}
    has_lead = not _LEAD_KEY_SET.isdisjoint(keys) or (
        ctx.cooperating_scheme and bool(keys & {"承办单位", "承办部门"})
    )
    roles: dict[str, str] = {}
    for key, units in parts.lists:
        for name, role in _roles_for_list(key, units, has_lead, ctx):
            # a unit named in both the lead and the responsible list is listed once, as lead
            if name not in roles or role == "lead":
                roles[name] = role
    return list(roles.items())


_LEAD_KEY_SET = frozenset(LEAD_KEYS)
_SUPPORT_KEY_SET = frozenset(SUPPORT_KEYS)


def _roles_for_list(
    key: str, units: list[tuple[str, bool]], has_lead: bool, ctx: RoleContext
) -> list[tuple[str, str]]:
    if key in _LEAD_KEY_SET:
        return [(n, "lead") for n, _ in units]
    if key in _SUPPORT_KEY_SET:
        return [(n, "support") for n, _ in units]
    if has_lead and key not in ("承办单位", "承办部门"):
        return [(n, "support") for n, _ in units]
    if _convention_marks(ctx):  # a stated, surviving mark decides within a single list
        return undifferentiated_roles(units, ctx)
    if key in ("承办单位", "承办部门") and ctx.cooperating_scheme:
        return [(n, "lead") for n, _ in units]
    if has_lead:
        return [(n, "support") for n, _ in units]
    return undifferentiated_roles(units, ctx)


def _convention_marks(ctx: RoleContext) -> bool:
    return ctx.convention == "first" or (ctx.convention == "bold" and ctx.bold_survived)


def undifferentiated_roles(units: list[tuple[str, bool]], ctx: RoleContext) -> list[tuple[str, str]]:
    """A single list with no keyword that separates lead from support: the convention decides, if any."""
    if ctx.convention == "first" and units:
        return [(n, "lead" if i == 0 else "support") for i, (n, _) in enumerate(units)]
    if ctx.convention == "bold" and ctx.bold_survived:
        return [(n, "lead" if bold else "support") for n, bold in units]
    return [(n, "responsible") for n, _ in units]


# ``王丹县长牵头``, ``王丹同志分管``, ``副县长王丹负责``: a leader named in a section heading.
_POST = r"(?:常务)?副?(?:县|区|市|镇|乡)长|(?:副)?书记|(?:副)?主任|(?:副)?部长|(?:副)?主席"
_HEADING_LEADER = re.compile(
    rf"(?:(?P<name1>[\u4e00-\u9fa5]{{2,3}}?)(?:同志|{_POST})|(?:{_POST})(?P<name2>[\u4e00-\u9fa5]{{2,3}}?)(?:同志)?)"
    r"(?:牵头|负责|分管|联系|主抓|包保)"
)


def leaders_in_heading(title: str) -> list[str]:
    """The leaders a section heading names by post and verb (``一、王丹县长牵头重点工作`` → 王丹)."""
    return [m.group("name1") or m.group("name2") for m in _HEADING_LEADER.finditer(title)]


def leader_only_clause(line: Line) -> list[str] | None:
    """The leaders of a clause that names leaders and no unit (``（牵头领导：王丹）``), or None."""
    if not KEY_RE.search(line.text):
        return None
    _, found = split_clauses(line)
    if not found:
        return None
    parts, _ = parse_clause_parts(found)
    if not parts.leaders or any(units for _, units in parts.lists):
        return None
    return parts.leaders
