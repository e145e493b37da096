"""``/api/periods``: a plan's reporting periods."""

from __future__ import annotations

from duban.web.schemas.common import PagedList, Shape


class Period(Shape):
    id: int
    plan: int
    name: str
    due: str


class PeriodList(PagedList[Period]):
    pass
