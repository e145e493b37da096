"""``/api/health``: for the intranet's monitoring and the reverse proxy, without login.

Liveness (``GET /api/health``) answers as long as the process serves requests and touches nothing else, so a
slow database never gets a healthy server restarted. Readiness (``GET /api/health/ready`` or
``/api/health?ready=1``) also needs the database reachable and its schema at this release's migration; when it
is not, 503 with the reason in Chinese so the person reading the monitor knows what to do.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse

from duban import __version__
from duban.ops.schema import schema_state
from duban.web.deps import State

router = APIRouter(prefix="/api/health", tags=["运行状态 health"])


def readiness(state: State) -> tuple[bool, dict[str, Any]]:
    """Is the database reachable and its schema current? (The reason in Chinese when not.)"""
    try:
        schema = schema_state(state.database)
    except Exception as exc:
        reason = f"无法连接数据库：{type(exc).__name__}: {str(exc).splitlines()[0][:200] if str(exc) else ''}"
        return False, {"status": "unavailable", "database": "unreachable", "detail": reason}
    body = {"database": "ok", "schema": schema.current, "expected_schema": schema.head}
    if not schema.is_current:
        return False, {"status": "unavailable", **body, "detail": schema.describe()}
    return True, {"status": "ok", **body}


@router.get("")
def health(state: State, ready: Annotated[bool, Query()] = False) -> Any:
    """Liveness; with ``?ready=1`` the readiness check below."""
    if ready:
        return ready_check(state)
    return {"status": "ok", "version": __version__}


@router.get("/ready")
def ready_check(state: State) -> Any:
    ok, body = readiness(state)
    body["version"] = __version__
    return body if ok else JSONResponse(body, status_code=503, headers={"Cache-Control": "no-store"})
