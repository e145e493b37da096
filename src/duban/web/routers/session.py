"""``/api/session``: sign in with a password (cookie + CSRF token), sign out, who am I."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException, Request, Response
from pydantic import BaseModel, Field
from sqlalchemy import select

from duban.ledger import auth
from duban.ledger.access import ROLE_LABELS
from duban.ledger.models import User
from duban.web.deps import CurrentUser, State

router = APIRouter(prefix="/api/session", tags=["登录 session"])


class Login(BaseModel):
    username: str = Field(min_length=1, max_length=100)
    password: str = Field(min_length=1, max_length=1000)


def me_json(user: User) -> dict[str, Any]:
    return {
        "id": user.id,
        "username": user.username,
        "role": user.role,
        "role_label": ROLE_LABELS[user.role],
        "unit": user.unit_id,
    }


@router.post("")
def login(body: Login, request: Request, response: Response, state: State) -> dict[str, Any]:
    client = request.client.host if request.client else "?"
    keys = (f"user:{body.username}", f"ip:{client}")
    if state.throttle.blocked(*keys):
        raise HTTPException(429, "登录失败次数过多，请稍后再试 / too many failed logins, try later")
    with state.database.writer() as session:
        user = session.scalar(select(User).where(User.username == body.username, User.active.is_(True)))
        if user is None or not auth.verify_password(user, body.password):
            state.throttle.fail(*keys)
            raise HTTPException(401, "用户名或密码错误 / wrong username or password")
        state.throttle.succeed(keys[0])
        opened = auth.open_session(session, user, state.clock.now(), state.settings.session_hours)
        me = me_json(user)
    response.set_cookie(
        state.settings.cookie_name,
        opened.cookie,
        httponly=True,
        samesite="strict",
        secure=state.settings.cookie_secure,
        max_age=state.settings.session_hours * 3600,
        path="/",
    )
    return {**me, "csrf_token": opened.csrf}


@router.get("")
def whoami(request: Request, state: State, user: CurrentUser) -> dict[str, Any]:
    """The signed-in user; with a cookie session also its CSRF token, so a reloaded page can still write
    (readable only by the app's own origin: no CORS)."""
    cookie = request.cookies.get(state.settings.cookie_name)
    if cookie and not request.headers.get("Authorization"):
        with state.database.reader() as session:
            login = auth.session_for_cookie(session, cookie, state.clock.now())
            if login is not None:
                return {**me_json(user), "csrf_token": login.csrf_token}
    return me_json(user)


@router.delete("", status_code=204)
def logout(request: Request, response: Response, state: State, user: CurrentUser) -> None:
    cookie = request.cookies.get(state.settings.cookie_name)
    if cookie:
        with state.database.writer() as session:
            auth.close_session(session, cookie)
    response.delete_cookie(state.settings.cookie_name, path="/")
