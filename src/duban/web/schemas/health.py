"""``/api/health``: liveness and readiness."""

from __future__ import annotations

from pydantic import Field

from duban.web.schemas.common import Shape


class Health(Shape):
    """``status`` ok or unavailable; readiness adds the database and schema (and the reason when not ready)."""

    status: str
    version: str
    database: str | None = None
    schema_: str | None = Field(default=None, alias="schema")
    expected_schema: str | None = None
    detail: str | None = None
