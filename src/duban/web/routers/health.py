"""``/api/health``: for the intranet's monitoring and the reverse proxy, without login.

Liveness (``GET /api/health``) answers as long as the process serves requests and touches nothing else, so a
slow database never gets a healthy server restarted. Readiness (``GET /api/health/ready`` or
``/api/health?ready=1``) also needs the database reachable and its schema at this release's migration; when it
is not, 503 with the reason in Chinese so the person reading the monitor knows what to do.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse, Response

from duban import __version__
from duban.ops.observability import allowed_networks, may_read_metrics
from duban.ops.schema import schema_state
from duban.web.deps import State
from duban.web.schemas import health as health_shapes

router = APIRouter(prefix="/api/health", tags=["运行状态 health"])
metrics_router = APIRouter(tags=["运行状态 health"])


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


@router.get("", response_model=health_shapes.Health, response_model_exclude_unset=True)
def health(state: State, ready: Annotated[bool, Query()] = False) -> Any:
    """Liveness; with ``?ready=1`` the readiness check below."""
    if ready:
        return ready_check(state)
    return {"status": "ok", "version": __version__}


@router.get("/ready", response_model=health_shapes.Health, response_model_exclude_unset=True)
def ready_check(state: State) -> Any:
    ok, body = readiness(state)
    body["version"] = __version__
    return body if ok else JSONResponse(body, status_code=503, headers={"Cache-Control": "no-store"})


@metrics_router.get("/metrics", include_in_schema=False)
def metrics(request: Request, state: State) -> Response:
    """Prometheus text format, only to the addresses ``DUBAN_METRICS_ALLOW`` names (404 when unset: the
    endpoint does not exist for anyone else, so it tells a scanner nothing)."""
    import os

    from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, CollectorRegistry, generate_latest

    networks = allowed_networks(state.settings.metrics_allow)
    if not networks:
        return JSONResponse({"detail": "未开启监控指标（DUBAN_METRICS_ALLOW）"}, status_code=404)
    client = request.client.host if request.client else None
    if not may_read_metrics(client, networks):
        return JSONResponse({"detail": f"此地址无权读取监控指标：{client}"}, status_code=403)
    registry = REGISTRY
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):  # several worker processes: add up their files
        from prometheus_client import multiprocess

        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
    return Response(generate_latest(registry), media_type=CONTENT_TYPE_LATEST)
