"""``/api/status``, ``/api/rankings`` and ``/api/overview``: one period's figures taken on one day, each with
its 口径 (``basis``)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from duban.web.schemas.common import Arrow, Colour, Counts, PagedList, PeriodName, PeriodRef, Shape


class PreviousBasis(Shape):
    """What the arrows compare with: the previous period's issued bulletin or final figures."""

    period: PeriodName
    source: Literal["issued", "final"]
    label: str
    number: int | None


class IssuedRef(Shape):
    id: int
    number: int
    issued_on: str
    taken_on: str


class Basis(Shape):
    """口径: which period's figures, taken on which day, and what the arrows compare with."""

    period: PeriodRef | None
    asked: str
    on: str
    final: bool
    label: str
    previous: PreviousBasis | None
    issued: IssuedRef | None


class StatusItem(Shape):
    task: int
    no: str | None
    colour: Colour
    colour_label: str
    arrow: Arrow
    progress: float
    schedule: float
    reported: bool = Field(description="false: no approved report yet (未报送 / 暂无报告, never 0%)")
    missing_periods: list[int]
    missing: bool = Field(description="this period is missing for the reporting unit")
    late: bool
    submitted_on: str | None
    state: str = Field(description="the state in words: 未报送 / 逾期（10月10日报送） / empty")
    assessed: bool = Field(description="false: 不考核")
    reporting_unit_id: int | None
    reason: str
    excused: bool = Field(
        default=False, description="a granted 申诉 set this period's case aside (已申诉免责)"
    )


class StatusList(PagedList[StatusItem]):
    on: str
    basis: Basis


class Ranking(Shape):
    unit: int
    name: str
    score: float | None
    rank: int | None
    arrow: Arrow
    tasks: int
    late: int
    missing: int
    overdue_rectifications: int = Field(
        default=0, description="整改 open past their deadline on the day (each costs the plan's penalty)"
    )


class RankingList(PagedList[Ranking]):
    units_ranked: int
    on: str
    basis: Basis


class ArrowCounts(Shape):
    up: int
    down: int
    same: int


class SectionCounts(Shape):
    key: str
    title: str
    counts: Counts


class LeaderCounts(Shape):
    name: str
    counts: Counts


class UnitCounts(Shape):
    unit_id: int
    name: str
    counts: Counts


class OverviewTaskRef(Shape):
    """A task whose reporting unit is missing or late for the period."""

    task: int
    no: str | None
    name: str
    unit_id: int | None
    unit: str
    colour: Colour
    state: str = Field(description="未报送 / 逾期（10月10日报送）")
    submitted_on: str | None = Field(default=None, description="a late report: the day it came")


class RecentChange(Shape):
    text: str = Field(description="the entry in one Chinese sentence")
    id: int
    at: str
    actor: str
    object_type: str
    object_id: int | None
    action: str


class Overview(Shape):
    plan: int
    on: str
    basis: Basis
    leader: str | None
    counts: Counts
    arrows: ArrowCounts
    excluded: int = Field(description="不考核 tasks, left out of every count")
    by_section: list[SectionCounts]
    by_leader: list[LeaderCounts]
    by_unit: list[UnitCounts]
    period: PeriodRef | None
    missing: list[OverviewTaskRef]
    late: list[OverviewTaskRef]
    changes: list[RecentChange]
