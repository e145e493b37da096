"""The FastAPI application: routers, error mapping, and the state (database, clock, limits) they share."""

from __future__ import annotations

import gc
import logging

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from duban import __version__
from duban.ledger.errors import Conflict, Forbidden, Invalid, LedgerError, NotFound
from duban.ledger.services import auth
from duban.ledger.store.db import Database, connect
from duban.ops.observability import RequestContext, allowed_networks
from duban.plan import Limits
from duban.settings import Settings
from duban.web import spa, validation
from duban.web.body_limit import BodyLimit
from duban.web.deps import AppState
from duban.web.guards import SecurityHeaders, security_headers
from duban.web.routers import (
    attachments,
    changes,
    chasing,
    drafts,
    health,
    jurisdictions,
    manage,
    outputs,
    overview,
    periods,
    plans,
    plans_nodes,
    reports,
    requests,
    session,
    standing,
    tasks,
    units,
    users,
    worklists,
)

log = logging.getLogger("duban.web")
STATUS_OF = {NotFound: 404, Forbidden: 403, Conflict: 409, Invalid: 422}


def create_app(settings: Settings | None = None, database: Database | None = None) -> FastAPI:
    settings = settings or Settings()
    allowed_networks(settings.metrics_allow)  # a mistyped address stops the start, not the first scrape
    database = database or connect(settings.database_url)
    app = FastAPI(
        title="督办 duban",
        version=__version__,
        description="责任分工台账：导入通知、收集进度、蓝黄红状态、排名。",
        openapi_url="/api/openapi.json",
        # Swagger UI loads its scripts from an internet CDN, which an intranet does not reach: no docs page.
        docs_url=None,
        redoc_url=None,
    )
    app.add_middleware(BodyLimit, upload_limit=settings.max_upload_bytes)
    app.add_middleware(RequestContext, settings=settings)  # request ids and metrics for all
    app.add_middleware(SecurityHeaders)  # outermost of ours: a 413 or 414 carries them too
    validation.install(app)
    app.state.duban = AppState(
        settings=settings,
        database=database,
        clock=settings.clock,
        throttle=auth.LoginThrottle(
            settings.login_max_failures, settings.login_window_seconds, settings.login_address_limit
        ),
        limits=Limits(max_bytes=settings.max_upload_bytes),
    )
    app.include_router(health.router)  # no login: the monitor and the proxy ask it
    app.include_router(health.metrics_router)
    for router in (session, users, plans, tasks, units, periods, reports, standing, changes, outputs):
        app.include_router(router.router)

    @app.exception_handler(LedgerError)
    async def ledger_error(request: Request, exc: LedgerError) -> JSONResponse:
        return JSONResponse({"detail": exc.message, **exc.extra}, status_code=STATUS_OF.get(type(exc), 400))

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unexpected error on %s %s", request.method, request.url.path)
        # Starlette answers this outside every middleware: the security headers are added here.
        return JSONResponse(
            {"detail": "服务器内部错误，请联系管理员 / internal error"},
            status_code=500,
            headers=security_headers(),
        )

    for router in (
        overview,
        worklists,
        manage,
        jurisdictions,
        chasing,
        requests,
        plans_nodes,
        attachments,
        drafts,
    ):
        app.include_router(router.router)
    spa.mount(app)  # last: the app fallback must not shadow any API route
    return app


def served_app() -> FastAPI:
    """The app of a ``duban serve`` worker process (uvicorn's factory): built from the environment, then
    the collector quietened. Not in ``create_app``: tests build many apps in one process."""
    app = create_app()
    quiet_collector()
    start_chasing(app)
    return app


def start_chasing(app: FastAPI) -> None:
    """The daily reminder run and the delivery of notices, in a background thread of a serving process
    (never of the apps tests build)."""
    from duban.ledger.services import chasing_daily

    state: AppState = app.state.duban
    chasing_daily.start(state.settings, state.database)


def quiet_collector() -> None:
    """Move what start-up allocated (modules, the app, the ORM's mappers) out of the collector's way and
    collect the youngest objects less often: a plan's figures allocate some 100,000 short-lived objects,
    and with the defaults every full collection walked the whole start-up heap again (p95 of the figures
    endpoints on a 3,000-task plan: about a third lower)."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(20_000, 20, 20)
