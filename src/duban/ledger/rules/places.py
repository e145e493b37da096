"""Place names inside unit names: ``县莱河新区建设指挥部`` and ``县沙河新区建设指挥部`` are 89 % alike as strings
but two different bodies of two different places. A name pair whose difference falls inside a place-name
part (the characters before 新区, 镇, 街道, 乡, 村, 县, 区…) is never offered as the same unit: not as a merge
suggestion on 单位, not as an alias suggestion on 导入. Pure: strings in, answers out."""

from __future__ import annotations

import re
from difflib import SequenceMatcher

# Longer markers first, so 新区 wins over 区 and 街道 is one marker.
PLACE_MARKERS = (
    "开发区",
    "高新区",
    "经济区",
    "示范区",
    "新区",
    "园区",
    "街道",
    "社区",
    "镇",
    "乡",
    "村",
    "县",
    "区",
    "市",
    "旗",
)
# The place name itself: one to four characters before a marker (a county's 金乡, a town's 王丕, 莱河).
_PLACE = re.compile("(.{1,4}?)(?:" + "|".join(PLACE_MARKERS) + ")")


def place_spans(name: str) -> list[tuple[int, int]]:
    """Where the place names are in ``name`` (start, end of the characters before each marker)."""
    return [match.span(1) for match in _PLACE.finditer(name)]


def _touches(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    if start == end:  # an insertion between two characters: inside a place if strictly within one
        return any(s < start < e for s, e in spans)
    return any(start < e and s < end for s, e in spans)


def differ_in_place(name_a: str, name_b: str) -> bool:
    """Whether the two names differ (also) inside a place-name part of either: then they are not the
    same unit however alike they look (``莱河新区…`` / ``沙河新区…``, ``王庄镇…`` / ``李庄镇…``)."""
    spans_a, spans_b = place_spans(name_a), place_spans(name_b)
    if not spans_a and not spans_b:
        return False
    for tag, a1, a2, b1, b2 in SequenceMatcher(None, name_a, name_b, autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        if _touches(spans_a, a1, a2) or _touches(spans_b, b1, b2):
            return True
    return False
