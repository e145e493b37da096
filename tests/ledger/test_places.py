"""Merge suggestions never pair two places' bodies: names that differ inside a place-name part (the
characters before 新区, 镇, 街道…) are not suggested, however alike (县莱河新区 / 县沙河新区 at 89 %), while
renames of one body still are (县城投公司 / 县城投集团公司). SQLite and PostgreSQL for the directory."""

from __future__ import annotations

import pytest

from duban.ledger.rules.places import differ_in_place, place_spans
from duban.ledger.services import units
from duban.ledger.store.db import Database
from tests.ledger.conftest import NOW
from tests.ledger.helpers import NOTICE, imported


@pytest.mark.parametrize(
    ("a", "b", "differ"),
    [
        ("县莱河新区建设指挥部", "县沙河新区建设指挥部", True),
        ("王庄镇人民政府", "李庄镇人民政府", True),
        ("鸡黍镇人民政府", "金乡街道办事处", True),
        ("城关街道社区服务中心", "城西街道社区服务中心", True),
        ("王庄镇人民政府", "王庄镇政府", False),
        ("县城投公司", "县城投集团公司", False),
        ("县城投公司", "县城市投资公司", False),
        ("县财政局", "县财政管理局", False),
        ("县教育和体育局", "县教育体育局", False),
    ],
)
def test_differ_in_place(a: str, b: str, differ: bool) -> None:
    assert differ_in_place(units.match_key(a), units.match_key(b)) is differ
    assert differ_in_place(units.match_key(b), units.match_key(a)) is differ


def test_place_spans() -> None:
    assert place_spans("莱河新区建设指挥部") == [(0, 2)]
    assert place_spans("财政局") == []


def test_directory_does_not_suggest_two_places(database: Database) -> None:
    imported(database, NOTICE, NOW)
    with database.writer() as session:
        for name in ("县莱河新区建设指挥部", "县沙河新区建设指挥部", "县城投公司", "县城投集团公司"):
            units.resolve(session, name, NOW, None)
        pairs = {frozenset((s.keep_name, s.merge_name)) for s in units.suggestions(session)}
        assert units.similarity_of("莱河新区建设指挥部", "沙河新区建设指挥部") >= units.SUGGESTION_THRESHOLD
        assert frozenset(("县莱河新区建设指挥部", "县沙河新区建设指挥部")) not in pairs
        assert frozenset(("县城投公司", "县城投集团公司")) in pairs


def test_merge_preview_counts_what_moves(database: Database) -> None:
    imported(database, NOTICE, NOW)
    with database.writer() as session:
        keep = units.find(session, "县财政局")
        other = units.find(session, "县自然资源局")
        assert keep is not None and other is not None
        preview = units.merge_preview(session, keep.id, [other.id])
        assert preview.keep_name == "县财政局" and preview.merged == [(other.id, "县自然资源局")]
        assert preview.tasks >= 1 and preview.aliases >= 1 and preview.reports == 0
        assert units.find(session, "县自然资源局") is not None  # nothing changed
