"""``/api/review`` (审核) and ``/api/my`` (我的任务)."""

from __future__ import annotations

from pydantic import Field

from duban.web.schemas.common import ItemList, NamedRef, PagedList, PeriodRef, Shape
from duban.web.schemas.reports import Report
from duban.web.schemas.tasks import TaskBrief, TaskBriefWithTargets


class ReviewItem(Shape):
    report: Report
    task: TaskBrief
    unit: NamedRef
    period: PeriodRef
    previous: Report | None = Field(description="the previous approved report of the same task and unit")
    returned_comment: str | None = Field(
        default=None, description="a resubmission: the 退回意见 it was returned with"
    )


class ReviewList(PagedList[ReviewItem]):
    pass


class MyItem(Shape):
    task: TaskBriefWithTargets
    role: str
    role_label: str
    reporting: bool
    reported_by: str
    reported_by_label: str = Field(
        description="由牵头单位某某报送 for a supporting unit; empty for the reporter"
    )
    period: PeriodRef | None = Field(description="the period the form writes")
    state: str
    state_label: str
    report: Report | None
    overdue_periods: list[PeriodRef]


class MyList(ItemList[MyItem]):
    period: PeriodRef | None
