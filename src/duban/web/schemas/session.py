"""``/api/session``: who is signed in, and what the account may do (the menus and buttons follow it)."""

from __future__ import annotations

from pydantic import Field

from duban.web.schemas.common import Role, Shape


class Permission(Shape):
    """A workflow move the account's role may make (``ledger.store.transitions.MOVES``)."""

    kind: str
    action: str
    label: str
    scope: str


class Me(Shape):
    id: int
    username: str
    role: Role
    role_label: str
    unit: int | None
    jurisdiction_id: int | None = Field(description="the account's 行政区; null: the whole installation")
    permissions: list[Permission]
    pages: list[str] = Field(description="the pages the account opens (menu entries), in menu order")
    actions: list[str] = Field(description="the office actions the account may take (``plan.publish``, ...)")
    start_page: str = Field(
        description="the page the account starts on (and is sent to from a page not its own)"
    )
    must_change_password: bool = Field(description="an initial password: the app asks for a new one first")
    leader_name: str | None = Field(
        default=None, description="a leader account's own name: its 我分管的 view"
    )
    today: str = Field(
        description="the server's date (ISO): what 今天 means on every page (the figures' default 截至 day)"
    )
    csrf_token: str | None = Field(default=None, description="with a cookie session: the X-CSRF-Token value")
