"""Reports (``/api/reports``, ``/api/tasks/{id}/reports``) and their attachments."""

from __future__ import annotations

from pydantic import Field

from duban.web.schemas.common import PagedList, Shape


class ReportValue(Shape):
    target: int
    value: float


class Report(Shape):
    """A report as every answer shows it (``ledger.services.reports.as_dict``)."""

    id: int
    task: int
    unit: int
    period: int
    revision: int
    state: str
    state_label: str
    progress: float
    text: str
    problems: str
    next_steps: str
    completed: bool
    values: list[ReportValue]
    late: bool | None
    submitted_at: str | None
    approved_at: str | None
    review_comment: str | None
    supersedes: int | None
    version: int
    period_name: str | None = Field(default=None, description="the previous approved report: its period")


class AttachmentInfo(Shape):
    id: int
    filename: str
    size: int


class ReportDetail(Report):
    attachments: list[AttachmentInfo]


class ReportList(PagedList[Report]):
    pass
