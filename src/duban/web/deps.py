"""Dependencies every router shares: the database session, the clock, the signed-in user."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import Annotated, Any, TypeVar

import anyio
import anyio.to_thread
from fastapi import Depends, HTTPException, Query, Request

from duban.ledger.services import auth
from duban.ledger.store.db import Database
from duban.ledger.store.models import User
from duban.plan import Limits
from duban.settings import Clock, Settings

T = TypeVar("T")
CSRF_HEADER = "X-CSRF-Token"
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


@dataclass
class AppState:
    settings: Settings
    database: Database
    clock: Clock
    throttle: auth.LoginThrottle
    limits: Limits
    heavy_work_slots: int = 2
    _limiter: anyio.CapacityLimiter | None = field(default=None, init=False, repr=False)

    async def run_heavy(self, func: Callable[..., T], *args: Any) -> T:
        """Run parsing or document building in a worker thread, at most ``heavy_work_slots`` at once:
        the event loop keeps answering everyone else while a large notice is read, and a burst of imports
        queues instead of taking every thread and all memory."""
        if self._limiter is None:
            self._limiter = anyio.CapacityLimiter(self.heavy_work_slots)
        return await anyio.to_thread.run_sync(partial(func, *args), limiter=self._limiter)


def app_state(request: Request) -> AppState:
    state: AppState = request.app.state.duban
    return state


State = Annotated[AppState, Depends(app_state)]


def _unauthorised() -> HTTPException:
    return HTTPException(401, "请先登录 / authentication required", headers={"WWW-Authenticate": "Bearer"})


def current_user(request: Request, state: State) -> User:
    header = request.headers.get("Authorization", "")
    with state.database.reader() as session:
        if header.lower().startswith("bearer "):
            user = auth.user_for_token(session, header[7:].strip())
            if user is None:
                raise _unauthorised()
            session.expunge(user)
            return user
        cookie = request.cookies.get(state.settings.cookie_name)
        if not cookie:
            raise _unauthorised()
        login = auth.session_for_cookie(session, cookie, state.clock.now())
        if login is None:
            raise _unauthorised()
        if request.method not in SAFE_METHODS and request.headers.get(CSRF_HEADER) != login.csrf_token:
            raise HTTPException(403, "缺少或错误的 CSRF 令牌 / missing or wrong CSRF token")
        user = session.get(User, login.user_id)
        if user is None or not user.active:
            raise _unauthorised()
        session.expunge(user)
        now, stale = state.clock.now(), login.last_seen_at
    if stale is None or now - stale > auth.SEEN_EVERY:
        with state.database.writer() as session:
            auth.mark_seen(session, login.id, now)
    return user


CurrentUser = Annotated[User, Depends(current_user)]


def database(state: State, user: CurrentUser) -> Database:
    """The database, for a handler to open its own transaction in its own thread (``with db.writer() as
    session:``). Not a session dependency on purpose: a session held open by a dependency outlives the
    handler's thread and keeps its pooled connection while waiting for another thread to commit, so under
    load (150 units submitting at once) requests starve each other of connections. Depending on
    ``CurrentUser`` makes authentication come first."""
    return state.database


Db = Annotated[Database, Depends(database)]


@dataclass
class Page:
    page: int
    size: int

    def slice(self, items: list[Any]) -> dict[str, Any]:
        start = (self.page - 1) * self.size
        return {
            "items": items[start : start + self.size],
            "total": len(items),
            "page": self.page,
            "size": self.size,
        }


def page_params(
    page: Annotated[int, Query(ge=1, le=2**31 - 1)] = 1, size: Annotated[int, Query(ge=1, le=1000)] = 50
) -> Page:
    return Page(page, size)


Paging = Annotated[Page, Depends(page_params)]
