"""``/api/users`` and ``/api/tokens``: the account operations an office needs, each written to the change log.

Everyone may change their own password and see or revoke their own tokens; the supervision office
(admin) lists accounts, resets passwords, disables and enables accounts, and revokes any token.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException, Request, Response
from pydantic import BaseModel, Field

from duban.ledger.errors import NotFound
from duban.ledger.rules.agents import browser_name
from duban.ledger.services import access, accounts, auth
from duban.ledger.store.models import User
from duban.web.deps import CurrentUser, Db, Paging, State
from duban.web.routers.session import set_session_cookie
from duban.web.schemas import accounts as accounts_shapes
from duban.web.validation import Body, Id, PathId

router = APIRouter(prefix="/api", tags=["账号 accounts"])


class OwnPassword(Body):
    old_password: str = Field(min_length=1, max_length=1000)
    new_password: str = Field(min_length=1, max_length=1000)


class NewPassword(Body):
    """Without ``new_password`` the server makes a readable random one and answers it once."""

    new_password: str | None = Field(default=None, min_length=1, max_length=1000)


class NewAccount(Body):
    username: str = Field(min_length=1, max_length=100)
    role: str = Field(min_length=1, max_length=10)
    unit_id: Id | None = None
    jurisdiction_id: Id | None = None


class UnitAccounts(Body):
    jurisdiction_id: Id | None = None


def user_json(user: User) -> dict[str, Any]:
    return {
        "id": user.id,
        "username": user.username,
        "role": user.role,
        "unit": user.unit_id,
        "active": user.active,
        "jurisdiction_id": user.jurisdiction_id,
        "created_at": user.created_at.isoformat(),
        "must_change_password": user.must_change_password,
        "leader_name": user.leader_name,
    }


@router.put("/session/password", status_code=204)
def change_own_password(
    body: OwnPassword, request: Request, response: Response, state: State, db: Db, user: CurrentUser
) -> None:
    """Change one's own password. The old password is a password guess like a login's: counted first by the
    same throttle (a stolen session cannot try passwords without bound), the count cleared when right. The
    account's API tokens and other sessions end (``auth.change_password``); a browser signed in with a
    cookie gets a fresh session, so the page it is on goes on working (it reads its new CSRF token from
    ``GET /api/session``)."""
    address = request.client.host if request.client else "?"
    now = state.clock.now()
    with db.writer() as session:
        admitted = state.throttle.admit(session, user.username, address, now)
    if not admitted:
        raise HTTPException(
            429,
            "原密码错误次数过多，请稍后再试",
            headers={"Retry-After": str(int(state.throttle.window.total_seconds()))},
        )
    with db.reader() as session:
        right = auth.check_login(session, user.username, body.old_password) is not None
    if not right:
        raise HTTPException(422, "原密码不正确")
    cookie_login = bool(request.cookies.get(state.settings.cookie_name)) and not request.headers.get(
        "Authorization"
    )
    with db.writer() as session:
        state.throttle.succeeded(session, user.username, address)
        changed = auth.change_password(session, user, user.username, body.new_password, now)
        if cookie_login:
            opened = auth.open_session(
                session,
                changed,
                now,
                state.settings.session_hours,
                user_agent=request.headers.get("User-Agent"),
                address=address,
            )
            set_session_cookie(response, state.settings, opened.cookie)


@router.get("/users", response_model=accounts_shapes.AccountList)
def list_users(db: Db, user: CurrentUser, paging: Paging) -> dict[str, Any]:
    with db.reader() as session:
        return paging.slice([user_json(u) for u in accounts.accounts_of(session, user)])


def _username(session: Any, actor: User, user_id: int) -> str:
    """The account's name, if the actor's jurisdiction is the account's own (a city reads, never writes)."""
    return str(access.user_for(session, actor, user_id, write=True).username)


@router.post(
    "/users",
    status_code=201,
    response_model=accounts_shapes.AccountWithPassword,
    response_model_exclude_unset=True,
)
def create_user(body: NewAccount, state: State, db: Db, user: CurrentUser) -> dict[str, Any]:
    """A unit, leader or office account of the office's own county, with a random initial password answered
    once (``initial_password``) and to be changed at the first login (``accounts.open_account``); logged."""
    with db.writer() as session:
        opened = accounts.open_account(
            session, user, body.username, body.role, body.unit_id, body.jurisdiction_id, state.clock.now()
        )
        return {**user_json(opened.account), "initial_password": opened.password}


@router.post(
    "/users/unit-accounts",
    status_code=201,
    response_model=accounts_shapes.NewAccountList,
    response_model_exclude_unset=True,
)
def open_unit_accounts(body: UnitAccounts, state: State, db: Db, user: CurrentUser) -> dict[str, Any]:
    """One account for every unit of the office's directory (or the chosen county's) that has none, named
    after the unit, each with a random initial password answered once: the sheet the office prints."""
    with db.writer() as session:
        opened = accounts.open_unit_accounts(session, user, body.jurisdiction_id, state.clock.now())
        made = [
            {**user_json(o.account), "unit_name": o.unit_name, "initial_password": o.password} for o in opened
        ]
        return {"items": made, "total": len(made)}


@router.put(
    "/users/{user_id}/password",
    response_model=accounts_shapes.AccountWithPassword,
    response_model_exclude_unset=True,
)
def reset_password(
    user_id: PathId, body: NewPassword, state: State, db: Db, user: CurrentUser
) -> dict[str, Any]:
    """The office sets a new password (a random readable one unless given), answered once; the user must
    change it at the next login, and the account's sessions and tokens end. Logged."""
    access.require_admin(user)
    password = body.new_password or auth.initial_password()
    with db.writer() as session:
        changed = auth.change_password(
            session,
            user,
            _username(session, user, user_id),
            password,
            state.clock.now(),
            must_change=True,
        )
        return {**user_json(changed), "initial_password": password}


@router.post("/users/{user_id}/disable", response_model=accounts_shapes.Account)
def disable_user(user_id: PathId, state: State, db: Db, user: CurrentUser) -> dict[str, Any]:
    access.require_admin(user)
    with db.writer() as session:
        return user_json(
            auth.set_active(session, user, _username(session, user, user_id), False, state.clock.now())
        )


@router.post("/users/{user_id}/enable", response_model=accounts_shapes.Account)
def enable_user(user_id: PathId, state: State, db: Db, user: CurrentUser) -> dict[str, Any]:
    access.require_admin(user)
    with db.writer() as session:
        return user_json(
            auth.set_active(session, user, _username(session, user, user_id), True, state.clock.now())
        )


@router.post("/users/{user_id}/unlock", response_model=accounts_shapes.Unlocked)
def unlock_user(user_id: PathId, state: State, db: Db, user: CurrentUser) -> dict[str, Any]:
    """Clear an account's login lock (wrong passwords counted at any address), for an account of the
    office's own county; logged."""
    access.require_admin(user)
    with db.writer() as session:
        cleared = auth.clear_lock(session, user, _username(session, user, user_id), state.clock.now())
        return {"cleared": cleared}


@router.get("/tokens", response_model=accounts_shapes.ApiTokenList)
def list_tokens(db: Db, user: CurrentUser, paging: Paging) -> dict[str, Any]:
    """An admin sees every token, anyone else their own; never the secret, only name and dates."""
    with db.reader() as session:
        tokens = accounts.tokens_of(session, user)
        return paging.slice(
            [
                {
                    "id": t.id,
                    "username": t.username,
                    "name": t.name,
                    "created_at": t.created_at.isoformat(),
                    "revoked_at": t.revoked_at.isoformat() if t.revoked_at else None,
                }
                for t in tokens
            ]
        )


@router.delete("/tokens/{token_id}", status_code=204)
def revoke_token(token_id: PathId, state: State, db: Db, user: CurrentUser) -> None:
    with db.writer() as session:
        auth.revoke_token(session, user, token_id, state.clock.now())


class SessionOut(BaseModel):
    """A browser session as the 账号 page lists it: never its cookie or CSRF token."""

    id: int
    username: str
    created_at: str
    last_seen_at: str | None
    expires_at: str
    browser: str | None
    address: str | None


class SessionList(BaseModel):
    items: list[SessionOut]
    total: int


@router.get("/users/{user_id}/sessions", response_model=SessionList)
def list_sessions(user_id: PathId, state: State, db: Db, user: CurrentUser) -> SessionList:
    """An account's open browser sessions: the office any account of its county (read: the counties it
    reads), anyone else their own."""
    with db.reader() as session:
        if user.role != "admin" and user_id != user.id:
            raise NotFound("用户不存在")
        if user.role == "admin":
            access.user_for(session, user, user_id)
        found = auth.list_sessions(session, user_id, state.clock.now())
        items = [
            SessionOut(
                id=s.id,
                username=s.username,
                created_at=s.created_at.isoformat(),
                last_seen_at=s.last_seen_at.isoformat() if s.last_seen_at else None,
                expires_at=s.expires_at.isoformat(),
                browser=browser_name(s.user_agent),
                address=s.address,
            )
            for s in found
        ]
        return SessionList(items=items, total=len(items))


@router.delete("/sessions/{session_id}", status_code=204)
def end_session(session_id: PathId, state: State, db: Db, user: CurrentUser) -> None:
    """End one browser session (its cookie is refused from the next request on); logged."""
    with db.writer() as session:
        auth.end_session(session, user, session_id, state.clock.now())
