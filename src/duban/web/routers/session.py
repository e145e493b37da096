"""``/api/session``: sign in with a password (cookie + CSRF token), sign out, who am I."""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter, HTTPException, Request, Response
from pydantic import Field
from sqlalchemy.orm import Session

from duban.ledger.services import auth
from duban.ledger.services.permissions import capabilities
from duban.ledger.store import transitions
from duban.ledger.store.models import User
from duban.settings import Settings
from duban.web.deps import CurrentUser, State
from duban.web.schemas import session as session_shapes
from duban.web.validation import Body

router = APIRouter(prefix="/api/session", tags=["登录 session"])


class Login(Body):
    username: str = Field(min_length=1, max_length=100)
    password: str = Field(min_length=1, max_length=1000)


def me_json(session: Session, user: User, today: date) -> dict[str, Any]:
    can = capabilities(session, user)
    return {
        "id": user.id,
        "username": user.username,
        "role": user.role,
        "role_label": can.role_label,
        "unit": user.unit_id,
        "jurisdiction_id": user.jurisdiction_id,  # None: the whole installation
        # The workflow moves this account's role may make (ledger.transitions.MOVES), for the buttons.
        "permissions": transitions.permissions(user.role),
        # The pages (menu, in order) and office actions (buttons) it may use (ledger.services.permissions).
        "pages": can.pages,
        "actions": can.actions,
        "start_page": can.start_page,
        # An initial password from the office: the web app asks for a new one before anything else.
        "must_change_password": user.must_change_password,
        "leader_name": user.leader_name,  # a leader account's own name: its 我分管的 view
        # The server's day: 今天 in the pages is the day the figures are taken, not the browser's clock
        # (which may be wrong, or a day behind in UTC before 8 a.m. in China).
        "today": today.isoformat(),
    }


@router.post("", response_model=session_shapes.Me, response_model_exclude_unset=True)
def login(body: Login, request: Request, response: Response, state: State) -> dict[str, Any]:
    """Sign in. The attempt is counted before the password is checked (see ``auth.LoginThrottle``); the
    client address is the socket's, or the forwarded one only behind a proxy named in
    ``DUBAN_TRUSTED_PROXIES`` (uvicorn applies that rule before the request reaches us)."""
    address = request.client.host if request.client else "?"
    now = state.clock.now()
    with state.database.writer() as session:
        admitted = state.throttle.admit(session, body.username, address, now)
    if not admitted:
        raise HTTPException(
            429,
            "登录尝试次数过多，请稍后再试",
            headers={"Retry-After": str(int(state.throttle.window.total_seconds()))},
        )
    with state.database.reader() as session:
        user = auth.check_login(session, body.username, body.password)
    if user is None:
        raise HTTPException(401, "用户名或密码错误")
    with state.database.writer() as session:
        state.throttle.succeeded(session, body.username, address)
        opened = auth.open_session(
            session,
            session.merge(user),
            now,
            state.settings.session_hours,
            user_agent=request.headers.get("User-Agent"),
            address=address,
        )
        me = me_json(session, opened.user, state.clock.today())
    set_session_cookie(response, state.settings, opened.cookie)
    return {**me, "csrf_token": opened.csrf}


def set_session_cookie(response: Response, settings: Settings, cookie: str) -> None:
    """The browser's session cookie, set the one way (login, and a password change that keeps it signed in)."""
    response.set_cookie(
        settings.cookie_name,
        cookie,
        httponly=True,
        samesite="strict",
        secure=settings.cookie_secure,
        max_age=settings.session_hours * 3600,
        path="/",
    )


@router.get("", response_model=session_shapes.Me, response_model_exclude_unset=True)
def whoami(request: Request, state: State, user: CurrentUser) -> dict[str, Any]:
    """The signed-in user; with a cookie session also its CSRF token, so a reloaded page can still write
    (readable only by the app's own origin: no CORS)."""
    cookie = request.cookies.get(state.settings.cookie_name)
    with state.database.reader() as session:
        me = me_json(session, user, state.clock.today())
        if cookie and not request.headers.get("Authorization"):
            login = auth.session_for_cookie(session, cookie, state.clock.now())
            if login is not None:
                return {**me, "csrf_token": login.csrf_token}
        return me


@router.delete("", status_code=204)
def logout(request: Request, response: Response, state: State, user: CurrentUser) -> None:
    cookie = request.cookies.get(state.settings.cookie_name)
    if cookie:
        with state.database.writer() as session:
            auth.close_session(session, cookie)
    response.delete_cookie(state.settings.cookie_name, path="/")
