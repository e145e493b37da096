"""``/api/changes``: the change log."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from duban.web.schemas.common import PagedList, Shape


class ChangeEntry(Shape):
    text: str = Field(
        description="the entry in one Chinese sentence (县财政局 报送了 第2项「…」第三季度进展)"
    )
    id: int
    at: str
    actor: str
    object: str
    object_id: int | None
    action: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None


class ChangeList(PagedList[ChangeEntry]):
    pass
