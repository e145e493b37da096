"""``/api/changes``: the change log."""

from __future__ import annotations

from typing import Any

from duban.web.schemas.common import PagedList, Shape


class ChangeEntry(Shape):
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
