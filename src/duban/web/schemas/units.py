"""``/api/units``: the unit directory."""

from __future__ import annotations

from pydantic import Field

from duban.web.schemas.common import ItemList, PagedList, Shape


class Unit(Shape):
    id: int
    name: str
    aliases: list[str]
    group: bool
    group_kind: str | None
    members: list[int]
    jurisdiction_id: int | None = Field(description="whose directory the unit is in")


class UnitList(PagedList[Unit]):
    pass


class UnitBrief(Shape):
    """A unit just made (新建单位)."""

    id: int
    name: str
    group: bool
    group_kind: str | None


class UnitWithAliases(UnitBrief):
    aliases: list[str]


class MergeSuggestion(Shape):
    keep: int
    merge: int
    keep_name: str
    merge_name: str
    similarity: float


class MergeSuggestionList(ItemList[MergeSuggestion]):
    pass
