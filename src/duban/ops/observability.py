"""Logs an intranet's log platform can read, and metrics for its Prometheus.

Every request gets an id: the ``X-Request-ID`` the reverse proxy sent (nginx's ``$request_id``, so the proxy's
log line and duban's share it) or a new one; it is answered in the ``X-Request-ID`` header and stamped on
every log record written while the request runs, worker threads included (a context variable). With
``DUBAN_LOG_FORMAT=json`` each record is one JSON object a line and each request writes one access record.

Metrics (``prometheus-client``) are counted always, cheaply, but served at ``/metrics`` only when
``DUBAN_METRICS_ALLOW`` names the addresses allowed to read them; otherwise ``/metrics`` is a 404.
"""

from __future__ import annotations

import ipaddress
import json
import logging
import re
import sys
import time
import uuid
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any

from prometheus_client import Counter, Histogram
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from duban.settings import Settings

request_id: ContextVar[str | None] = ContextVar("duban_request_id", default=None)
access_log = logging.getLogger("duban.access")
_INCOMING_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")
_HANDLER_MARK = "_duban_handler"

REQUESTS = Counter("duban_http_requests_total", "HTTP requests answered", ["method", "route", "status"])
LATENCY = Histogram(
    "duban_http_request_duration_seconds",
    "Time to answer a request",
    ["method", "route"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60),
)
IMPORTS = Counter("duban_imports_total", "Notices and report workbooks imported", ["kind", "result"])
DOCUMENTS = Counter("duban_documents_built_total", "Ledger workbooks and bulletins built", ["kind"])
REMINDERS = Counter(
    "duban_reminders_sent_total", "Reminders sent to units (by the reminder job)", ["channel"]
)

# Routes whose success is an import or a document built: counted here so the routers stay as they are.
IMPORT_ROUTES = {
    ("POST", "/api/plans"): "notice",
    ("POST", "/api/periods/{period_id}/import-reports"): "reports",
}
DOCUMENT_ROUTES = {
    ("GET", "/api/plans/{plan_id}/ledger.xlsx"): "ledger",
    ("GET", "/api/periods/{period_id}/bulletin.docx"): "bulletin",
}


class JsonFormatter(logging.Formatter):
    """One JSON object a line: time (UTC), level, logger, message, request id, extras, exception."""

    PLAIN = set(vars(logging.makeLogRecord({}))) | {"message", "asctime", "taskName"}

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        rid = getattr(record, "request_id", None) or request_id.get()
        if rid:
            entry["request_id"] = rid
        entry.update({k: v for k, v in vars(record).items() if k not in self.PLAIN and k != "request_id"})
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


def configure_logging(settings: Settings) -> None:
    """Send duban's loggers (and uvicorn's) to stderr in the configured format; safe to call again."""
    if settings.log_format != "json":
        return
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter())
    setattr(handler, _HANDLER_MARK, True)
    for name in ("duban", "uvicorn", "uvicorn.error"):
        logger = logging.getLogger(name)
        logger.handlers = [h for h in logger.handlers if not getattr(h, _HANDLER_MARK, False)]
        if name != "uvicorn.error":  # uvicorn.error reaches "uvicorn" by propagation
            logger.addHandler(handler)
        if name == "uvicorn":
            logger.handlers = [handler]
        logger.propagate = name == "uvicorn.error"
    logging.getLogger("duban").setLevel(settings.log_level.upper())


class RequestContext:
    """ASGI middleware: the request id, the access record and the request metrics."""

    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self.settings = settings
        self.access = settings.log_format == "json"

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            configure_logging(self.settings)  # after uvicorn set its own logging up
            await self.app(scope, receive, send)
            return
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        incoming = dict(scope["headers"]).get(b"x-request-id", b"").decode("latin-1")
        rid = incoming if _INCOMING_ID.match(incoming) else uuid.uuid4().hex
        request_id.set(rid)  # not reset: the error handler outside this middleware still logs with it
        started = time.perf_counter()
        status = 500

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message.setdefault("headers", [])
                message["headers"] = [*message["headers"], (b"x-request-id", rid.encode())]
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            self._record(scope, status, time.perf_counter() - started)

    def _record(self, scope: Scope, status: int, seconds: float) -> None:
        method = scope["method"]
        route = getattr(scope.get("route"), "path", None) or "other"
        REQUESTS.labels(method, route, str(status)).inc()
        LATENCY.labels(method, route).observe(seconds)
        if (method, route) in IMPORT_ROUTES:
            result = "ok" if status < 300 else "refused" if status < 500 else "failed"
            IMPORTS.labels(IMPORT_ROUTES[method, route], result).inc()
        if (method, route) in DOCUMENT_ROUTES and status == 200:
            DOCUMENTS.labels(DOCUMENT_ROUTES[method, route]).inc()
        if self.access:
            client = scope.get("client")
            access_log.info(
                "%s %s %s",
                method,
                scope["path"],
                status,
                extra={
                    "method": method,
                    "path": scope["path"],
                    "route": route,
                    "status": status,
                    "duration_ms": round(seconds * 1000, 1),
                    "client": client[0] if client else None,
                },
            )


def allowed_networks(setting: str) -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    """``DUBAN_METRICS_ALLOW``: addresses or networks, comma-separated; empty means metrics are off."""
    networks = []
    for part in (p.strip() for p in setting.split(",")):
        if not part:
            continue
        try:
            networks.append(ipaddress.ip_network(part, strict=False))
        except ValueError:
            raise ValueError(f"DUBAN_METRICS_ALLOW 中的地址无效：{part}") from None
    return networks


def may_read_metrics(
    client: str | None, networks: list[ipaddress.IPv4Network | ipaddress.IPv6Network]
) -> bool:
    if not client:
        return False
    try:
        address = ipaddress.ip_address(client)
    except ValueError:
        return False
    return any(address in network for network in networks)
