"""Issued bulletins and a filled workbook taken back in (the documents themselves are downloads)."""

from __future__ import annotations

from duban.web.schemas.common import ItemList, PeriodName, Shape


class Bulletin(Shape):
    id: int
    plan: int
    period: PeriodName
    year: int
    number: int
    issued_on: str
    taken_on: str
    label: str
    counts: dict[str, int]
    copy_to: str | None
    masthead: bool
    filename: str


class BulletinList(ItemList[Bulletin]):
    pass


class ImportedReports(Shape):
    stored: int
    reports: list[int]
