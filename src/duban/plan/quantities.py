"""Quantities step: numeric targets in a task's text, the plan's main indicators, and dates.

Targets follow ``plan-format.md``: Arabic numbers with a unit from the fixed list (after an optional
multiplier 万/亿/千/百, with 余/多 between them dropped), outside quotation marks, not dates, not joined to a
Latin letter (``G105``, ``5G``, ``PM2.5``); a range gives its upper bound; a qualifier after it gives ``op``.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass

UNITS = sorted(
    [
        "%",
        "个",
        "家",
        "人",
        "名",
        "位",
        "元",
        "美元",
        "亩",
        "公里",
        "千米",
        "米",
        "平方米",
        "座",
        "处",
        "所",
        "场",
        "场次",
        "次",
        "人次",
        "户",
        "套",
        "项",
        "批",
        "条",
        "台",
        "辆",
        "张",
        "支",
        "部",
        "间",
        "栋",
        "株",
        "棵",
        "吨",
        "斤",
        "千瓦",
        "千伏安",
        "兆瓦",
        "口",
        "轮次",
        "件",
        "宗",
        "块",
        "种",
        "类",
        "篇",
        "期",
        "床",
        "个百分点",
    ],
    key=len,
    reverse=True,
)
_UNIT_ALT = "|".join(re.escape(u) for u in UNITS)
_NUM = r"\d+(?:\.\d+)?"
TARGET_RE = re.compile(
    rf"(?<![A-Za-z0-9.\d])(?P<low>{_NUM})(?:\s*[-—–~～至到]\s*(?P<high>{_NUM}))?\s*(?:余|多)?\s*"
    rf"(?P<mult>[万亿千百])?\s*(?:余|多)?\s*(?P<unit>{_UNIT_ALT})(?![A-Za-z])"
)
_LATIN_AFTER = re.compile(r"^\s*[A-Za-z]")
_DIGIT = re.compile(r"\d")
_QUOTED = re.compile(r"“[^”]*”|\"[^\"]*\"|「[^」]*」|『[^』]*』|‘[^’]*’")
_QUOTE_OPENERS = ("“", '"', "「", "『", "‘")  # every quoted span begins with one of them
OPS_AFTER = (
    ("以上", ">="),
    ("及以上", ">="),
    ("以下", "<="),
    ("以内", "<="),
    ("左右", "~"),
)
_OP_AFTER_RE = re.compile(r"\s*(及以上|以上|以下|以内|左右)")  # matched at a position: no slice of the rest
_OP_BY_WORD = dict(OPS_AFTER)


@dataclass(frozen=True)
class Quantity:
    value: float | int
    unit: str
    op: str | None
    start: int
    end: int


def _number(text: str) -> float | int:
    value = float(text)
    return int(value) if value.is_integer() else value


def _mask_quotes(text: str) -> str:
    """Quoted spans become blanks of the same length, so positions still line up."""
    if not any(mark in text for mark in _QUOTE_OPENERS):
        return text
    return _QUOTED.sub(lambda m: " " * len(m.group(0)), text)


def op_after(text: str, pos: int = 0) -> str | None:
    """The comparison a quantity ending at ``pos`` states after it (``50亩以上`` → ``>=``), or None."""
    match = _OP_AFTER_RE.match(text, pos)
    return _OP_BY_WORD[match.group(1)] if match else None


def find_targets(text: str) -> list[Quantity]:
    """Every target in ``text`` in order."""
    first = _DIGIT.search(text)  # every target begins with a digit: the search starts at the first one
    if first is None:
        return []
    masked = _mask_quotes(text)
    found = []
    for match in TARGET_RE.finditer(masked, first.start()):
        if _LATIN_AFTER.match(masked[match.end("low") : match.end("low") + 1] or ""):
            continue
        value = _number(match.group("high") or match.group("low"))
        unit = (match.group("mult") or "") + match.group("unit")
        found.append(Quantity(value, unit, op_after(masked, match.end()), match.start(), match.end()))
    return found


# --- indicators ---------------------------------------------------------------------------------------------

_VERBS = "分别增长|分别达到|分别提高|分别下降|均增长|均达到|均提高|增长|达到|控制在|下降|降低|提高到|提高|突破|完成|实现|超过"
_INDICATOR_RE = re.compile(rf"^(?P<name>.+?)(?P<verb>{_VERBS})(?P<rest>.*)$")
_INDICATOR_VALUE = re.compile(
    rf"(?P<pre>不低于|不少于|超过|高于|低于|不超过)?\s*(?P<low>{_NUM})(?:\s*[-—~～至]\s*(?P<high>{_NUM}))?\s*"
    rf"(?P<unit>个百分点|%|[万亿]?(?:{_UNIT_ALT}))?(?P<post>\s*(?:及以上|以上|以下|以内|左右))?"
)
MACRO_WORDS = (
    "生产总值",
    "公共预算收入",
    "固定资产投资",
    "工业增加值",
    "社会消费品零售总额",
    "可支配收入",
    "进出口",
    "实际利用外资",
    "外贸",
    "失业率",
    "居民消费价格",
    "单位生产总值能耗",
)


@dataclass(frozen=True)
class IndicatorValue:
    name: str
    value: float | int
    unit: str
    op: str


def _op(pre: str | None, post: str | None, verb: str) -> str:
    post = (post or "").strip()
    if post in ("以上", "及以上") or pre in ("不低于", "不少于", "超过", "高于"):
        return ">="
    if post in ("以下", "以内") or pre in ("不超过", "低于"):
        return "<="
    if post == "左右":
        return "~"
    return "="


def _split_names(name: str, count: int) -> list[str]:
    """``城镇和农村居民人均可支配收入`` → 城镇居民…, 农村居民…; ``城乡居民…`` → 城镇居民…, 农村居民…."""
    if count < 2:
        return [name]
    if name.startswith("城乡") and count == 2:
        return ["城镇" + name[2:], "农村" + name[2:]]
    parts = re.split(r"和|、|及|与", name)
    if len(parts) == count:
        last = parts[-1]
        heads = parts[:-1]
        return [h + last[len(h) :] if len(h) <= 3 < len(last) else h for h in heads] + [last]
    return [name] * count


def _clean_indicator_name(name: str) -> str:
    name = re.split(r"[：:]", name)[-1]
    name = re.sub(r"^(?:主要预期目标(?:是|为)?|预期目标(?:是|为)?|其中|全年|力争|确保)", "", name)
    return name.strip("，。；、 ")


# ``努力实现地区生产总值增长6.2%左右``: a lead-in verb before the indicator's name is not part of it.
_LEAD_IN = re.compile(r"^(?:努力|力争|确保|争取|全力|预计|计划|要)?(?:实现|完成|达到|保持|推动)")


def _indicator_match(clause: str) -> re.Match[str] | None:
    lead_in = _LEAD_IN.match(clause)
    if lead_in:
        match = _INDICATOR_RE.match(clause[lead_in.end() :])
        if match and len(_clean_indicator_name(match.group("name"))) >= 2:
            return match
    return _INDICATOR_RE.match(clause)


def find_indicators(text: str) -> list[IndicatorValue]:
    """The indicators in a sentence list such as ``地区生产总值增长7%以上，一般公共预算收入增长6%以上``."""
    found: list[IndicatorValue] = []
    for clause in re.split(r"[，；。,;]", _mask_quotes(text)):
        match = _indicator_match(clause.strip())
        if not match:
            continue
        name = _clean_indicator_name(match.group("name"))
        values = [v for v in _INDICATOR_VALUE.finditer(match.group("rest")) if v.group("unit")]
        if not name or not values:
            continue
        names = (
            _split_names(name, len(values))
            if match.group("verb").startswith("分别")
            else [name] * len(values)
        )
        if len(values) > 1 and not match.group("verb").startswith("分别"):
            values = values[:1]
            names = names[:1]
        if len(values) == 1 and "、" in name and not match.group("verb").startswith("分别"):
            # ``地区生产总值、固定资产投资均增长6%``: two indicators, one target each
            names = [n for n in name.split("、") if len(n) >= 2]
            values = values * len(names)
        ops = [_op(v.group("pre"), v.group("post"), "") for v in values]
        if ops[-1] != "=":  # ``分别增长6%、7%以上``: the closing qualifier covers the whole list
            ops = [op if op != "=" else ops[-1] for op in ops]
        for nm, v, op in zip(names, values, ops, strict=False):
            value = _number(v.group("high") or v.group("low"))
            found.append(IndicatorValue(nm, value, v.group("unit"), op))
    return found


def is_macro_indicator_text(text: str) -> bool:
    """An item made of macro-indicator growth targets (``地区生产总值增长6%，一般公共预算收入增长3%…``)."""
    if "主要预期目标" in text:
        return True
    hits = sum(1 for w in MACRO_WORDS if w in text)
    if hits < 2:
        return False
    clauses = [c for c in re.split(r"[，；。,;]", _mask_quotes(text)) if c.strip()]
    with_indicator = sum(1 for c in clauses if find_indicators(c))
    return hits >= 2 and with_indicator >= 2 and with_indicator * 2 >= len(clauses)


# --- dates --------------------------------------------------------------------------------------------------

_CN_DIGITS = {
    "〇": 0,
    "零": 0,
    "○": 0,
    "O": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}


def cn_to_int(text: str) -> int | None:
    """``2021`` or ``二〇二一`` or ``十二`` or ``三十一`` as an int."""
    text = text.strip()
    if text.isdigit():
        return int(text)
    if all(ch in _CN_DIGITS for ch in text) and len(text) >= 3:
        return int("".join(str(_CN_DIGITS[ch]) for ch in text))
    if "十" in text:
        tens, _, ones = text.partition("十")
        t = _CN_DIGITS.get(tens, 0) if tens else 1
        o = _CN_DIGITS.get(ones, 0) if ones else 0
        return t * 10 + o
    if len(text) == 1 and text in _CN_DIGITS:
        return _CN_DIGITS[text]
    return None


def iso_date(year: int | None, month: int | None, day: int | None) -> str | None:
    if not year or not month or not 1 <= month <= 12 or not 1900 <= year <= 2200:
        return None
    last = calendar.monthrange(year, month)[1]
    day = last if day is None else day
    if not 1 <= day <= last:
        return None
    return f"{year:04d}-{month:02d}-{day:02d}"


_CN = "〇零○一二两三四五六七八九十"
FULL_DATE_RE = re.compile(rf"([\d{_CN}]{{4}})\s*年\s*([\d{_CN}]{{1,3}})\s*月\s*([\d{_CN}]{{1,3}})\s*日")


def parse_full_date(text: str) -> str | None:
    match = FULL_DATE_RE.search(text)
    if not match:
        return None
    return iso_date(*(cn_to_int(g) for g in match.groups()))


_DUE_RE = re.compile(
    r"(?:(?P<y>\d{4})\s*年\s*)?(?:(?P<m>\d{1,2})\s*月\s*(?:(?P<d>\d{1,2})\s*日)?\s*(?:底|末)?|(?P<end>底|末|年底|年末))"
    r"\s*(?:前|之前|以前)?\s*(?:全面|全部|基本|如期|顺利|全部)?\s*(?:完成|建成|竣工|投用|投入使用|完工|到位|实现)"
)
_BY_YEAR_END = re.compile(r"(?:到|至|于|在)\s*(?P<y>\d{4})\s*年\s*(?:底|末)")


def find_due(text: str, plan_year: int | None) -> str | None:
    """The latest completion date an item states (``2023年8月全面完成``, ``到2021年底``), or None."""
    found: list[str] = []
    # each date the patterns find has a 月, a 底 or a 末: a text with none is not searched (most tasks)
    if "月" not in text and "底" not in text and "末" not in text:
        return None
    for match in _DUE_RE.finditer(text):
        year = int(match.group("y")) if match.group("y") else plan_year
        if match.group("end"):
            if match.group("y"):
                found.append(iso_date(year, 12, 31) or "")
            continue
        month = int(match.group("m")) if match.group("m") else None
        day = int(match.group("d")) if match.group("d") else None
        found.append(iso_date(year, month, day) or "")
    for match in _BY_YEAR_END.finditer(text):
        found.append(iso_date(int(match.group("y")), 12, 31) or "")
    found = [d for d in found if d]
    return max(found) if found else None


_CELL_DATE = re.compile(
    r"(?:(?P<y>\d{4})\s*年\s*)?(?P<m>\d{1,2})\s*月\s*(?:(?P<d>\d{1,2})\s*日)?"
    r"|(?:(?P<ey>\d{4})\s*)?年\s*(?:底|末)"
    r"|(?:(?P<qy>\d{4})\s*年\s*)?第?(?P<q>[一二三四1-4])季度"
    r"|(?:(?P<hy>\d{4})\s*年\s*)?(?P<half>上|下)半年"
)
_QUARTER_END = {"一": 3, "二": 6, "三": 9, "四": 12, "1": 3, "2": 6, "3": 9, "4": 12}


def _cell_date(match: re.Match[str], plan_year: int | None) -> str | None:
    """One date a 完成时限 cell states: a month (its last day unless a day is given), the year's end, a
    quarter's end or a half-year's end; without a year, the plan's year."""

    def year(group: str) -> int | None:
        return int(match.group(group)) if match.group(group) else plan_year

    if match.group("m"):
        day = int(match.group("d")) if match.group("d") else None
        return iso_date(year("y"), int(match.group("m")), day)
    if match.group("q"):
        return iso_date(year("qy"), _QUARTER_END[match.group("q")], None)
    if match.group("half"):
        return iso_date(year("hy"), 6 if match.group("half") == "上" else 12, None)
    return iso_date(year("ey"), 12, None)


def due_from_cell(text: str, plan_year: int | None) -> str | None:
    """The latest date in a 完成时限 cell, which states a date and no verb (``2024年9月底``, ``6月30日前``,
    ``年底前``, ``二季度末``); a cell names the date itself, so ``年底`` there is the plan year's end.
    ``长期坚持``, ``持续推进`` and the like give None."""
    found = [d for m in _CELL_DATE.finditer(text) if (d := _cell_date(m, plan_year))]
    return max(found) if found else None
