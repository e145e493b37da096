"""``/api/tasks``: the ledger's rows."""

from __future__ import annotations

from pydantic import Field

from duban.web.schemas.common import PagedList, Shape


class TaskUnit(Shape):
    unit_id: int
    name: str
    role: str


class Target(Shape):
    index: int
    value: float
    unit: str | None
    op: str | None


class Task(Shape):
    id: int
    plan: int
    no: str | None
    section: str | None
    kind: str
    name: str | None
    text: str
    leaders: list[str]
    units: list[TaskUnit]
    reporting_unit_id: int | None
    due: str | None
    assessed: bool = Field(
        description="false: 不考核 (kept in the ledger, left out of colours, counts, ranks)"
    )


class TaskDetail(Task):
    targets: list[Target]


class TaskList(PagedList[Task]):
    pass


class TaskBrief(Shape):
    """A task where a work list names it."""

    id: int
    plan: int
    no: str | None
    name: str | None
    text: str
    due: str | None
    section: str | None = Field(default=None, description="the key of the task's section (板块)")


class TaskBriefWithTargets(TaskBrief):
    targets: list[Target]
