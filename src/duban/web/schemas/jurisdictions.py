"""``/api/jurisdictions``: the 行政区 an account reads and a city's comparison of its counties."""

from __future__ import annotations

from duban.web.schemas.common import ItemList, Shape


class Jurisdiction(Shape):
    id: int
    name: str
    path: str
    level: str
    parent_id: int | None
    plans: int
    own: bool


class JurisdictionList(ItemList[Jurisdiction]):
    pass


class CountyRow(Shape):
    jurisdiction_id: int
    name: str
    plans: int
    tasks: int
    colours: dict[str, int]
    reports_due: int
    reports_on_time: int
    on_time_rate: float | None
    score: float | None
    rank: int | None


class CountyComparison(Shape):
    jurisdiction: Jurisdiction
    on: str
    year: int | None
    items: list[CountyRow]
