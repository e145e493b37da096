"""``/api/users`` and ``/api/tokens``: accounts as the office's 账号 page lists them, and API tokens."""

from __future__ import annotations

from pydantic import Field

from duban.web.schemas.common import ItemList, PagedList, Role, Shape


class Account(Shape):
    id: int
    username: str
    role: Role
    unit: int | None
    active: bool
    jurisdiction_id: int | None
    created_at: str
    must_change_password: bool
    leader_name: str | None = Field(
        default=None, description="a leader account: the 领导 it is (its 我分管的)"
    )


class AccountWithPassword(Account):
    """A new account or a reset: the initial password, answered once."""

    unit_name: str = Field(default="", description="opened for a unit: the unit's name (else absent)")
    initial_password: str


class AccountList(PagedList[Account]):
    pass


class NewAccountList(ItemList[AccountWithPassword]):
    pass


class Unlocked(Shape):
    cleared: int = Field(description="how many counted failed attempts were forgotten")


class ApiTokenInfo(Shape):
    id: int
    username: str
    name: str
    created_at: str
    revoked_at: str | None


class ApiTokenList(PagedList[ApiTokenInfo]):
    pass
