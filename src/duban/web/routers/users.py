"""``/api/users`` and ``/api/tokens``: the account operations an office needs, each written to the change log.

Everyone may change their own password and see or revoke their own tokens; the supervision office
(admin) lists accounts, resets passwords, disables and enables accounts, and revokes any token.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException, Request
from pydantic import Field
from sqlalchemy import select

from duban.ledger import access, auth
from duban.ledger.models import User
from duban.web.deps import CurrentUser, Db, Paging, State
from duban.web.validation import Body, PathId

router = APIRouter(prefix="/api", tags=["账号 accounts"])


class OwnPassword(Body):
    old_password: str = Field(min_length=1, max_length=1000)
    new_password: str = Field(min_length=1, max_length=1000)


class NewPassword(Body):
    new_password: str = Field(min_length=1, max_length=1000)


def user_json(user: User) -> dict[str, Any]:
    return {
        "id": user.id,
        "username": user.username,
        "role": user.role,
        "unit": user.unit_id,
        "active": user.active,
        "jurisdiction_id": user.jurisdiction_id,
        "created_at": user.created_at.isoformat(),
    }


@router.put("/session/password", status_code=204)
def change_own_password(body: OwnPassword, request: Request, state: State, db: Db, user: CurrentUser) -> None:
    """Change one's own password. The old password is a password guess like a login's: counted first by the
    same throttle (a stolen session cannot try passwords without bound), the count cleared when right. The
    account's API tokens are revoked (``auth.change_password``)."""
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
    with db.writer() as session:
        state.throttle.succeeded(session, user.username, address)
        auth.change_password(session, user, user.username, body.new_password, now)


@router.get("/users")
def list_users(db: Db, user: CurrentUser, paging: Paging) -> dict[str, Any]:
    access.require_admin(user)
    with db.reader() as session:
        query = access.visible_users(session, user, select(User).order_by(User.id))
        return paging.slice([user_json(u) for u in session.scalars(query)])


def _username(session: Any, actor: User, user_id: int) -> str:
    """The account's name, if the actor's jurisdiction is the account's own (a city reads, never writes)."""
    return str(access.user_for(session, actor, user_id, write=True).username)


@router.put("/users/{user_id}/password", status_code=204)
def reset_password(user_id: PathId, body: NewPassword, state: State, db: Db, user: CurrentUser) -> None:
    access.require_admin(user)
    with db.writer() as session:
        auth.change_password(
            session, user, _username(session, user, user_id), body.new_password, state.clock.now()
        )


@router.post("/users/{user_id}/disable")
def disable_user(user_id: PathId, state: State, db: Db, user: CurrentUser) -> dict[str, Any]:
    access.require_admin(user)
    with db.writer() as session:
        return user_json(
            auth.set_active(session, user, _username(session, user, user_id), False, state.clock.now())
        )


@router.post("/users/{user_id}/enable")
def enable_user(user_id: PathId, state: State, db: Db, user: CurrentUser) -> dict[str, Any]:
    access.require_admin(user)
    with db.writer() as session:
        return user_json(
            auth.set_active(session, user, _username(session, user, user_id), True, state.clock.now())
        )


@router.post("/users/{user_id}/unlock")
def unlock_user(user_id: PathId, state: State, db: Db, user: CurrentUser) -> dict[str, Any]:
    """Clear an account's login lock (wrong passwords counted at any address), for an account of the
    office's own county; logged."""
    access.require_admin(user)
    with db.writer() as session:
        cleared = auth.clear_lock(session, user, _username(session, user, user_id), state.clock.now())
        return {"cleared": cleared}


@router.get("/tokens")
def list_tokens(db: Db, user: CurrentUser, paging: Paging) -> dict[str, Any]:
    """An admin sees every token, anyone else their own; never the secret, only name and dates."""
    with db.reader() as session:
        tokens = auth.list_tokens(session, None if user.role == "admin" else user.username)
        if user.role == "admin" and user.jurisdiction_id is not None:
            own = {u.username for u in session.scalars(access.visible_users(session, user, select(User)))}
            tokens = [t for t in tokens if t.username in own]
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
