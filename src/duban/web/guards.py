"""Headers every answer carries, and a bound on the query string, applied before any route runs.

- **No framing** (``X-Frame-Options: DENY`` and CSP ``frame-ancestors 'none'``): a page on another port of the
  same host cannot frame 总览 with the office's session and trick a click on 通过/退回.
- **CSP**: scripts only from the app's own origin (the built app has no inline script); styles from the
  origin plus ``'unsafe-inline'``, because Element Plus and ECharts set ``style`` attributes at run time;
  images also as ``data:``/``blob:`` (icons, chart export). No plugin, no ``<base>``, forms post only here.
- ``X-Content-Type-Options: nosniff``, ``Referrer-Policy: same-origin``.
- A query string over ``MAX_QUERY_BYTES`` is refused with 414 before routing (each parameter also has its own
  bound in ``validation``); a search word of 60,000 characters once reached SQLite's LIKE and answered 500.
"""

from __future__ import annotations

import json

from starlette.types import ASGIApp, Message, Receive, Scope, Send

MAX_QUERY_BYTES = 4096
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; object-src 'none'; "
    "base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)
SECURITY_HEADERS: tuple[tuple[bytes, bytes], ...] = (
    (b"x-frame-options", b"DENY"),
    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
)
_NAMES = {name for name, _ in SECURITY_HEADERS}


def security_headers() -> dict[str, str]:
    """The headers as a dict, for an answer made outside the middleware (the 500 handler)."""
    return {name.decode(): value.decode() for name, value in SECURITY_HEADERS}


class SecurityHeaders:
    """ASGI middleware: the headers above on every HTTP answer (pages, API, files, errors alike)."""

    def __init__(self, app: ASGIApp, max_query_bytes: int = MAX_QUERY_BYTES) -> None:
        self.app = app
        self.max_query_bytes = max_query_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                kept = [(k, v) for k, v in message.get("headers", []) if k.lower() not in _NAMES]
                message = {**message, "headers": kept + list(SECURITY_HEADERS)}
            await send(message)

        if len(scope.get("query_string", b"")) > self.max_query_bytes:
            await _refuse_query(send_with_headers, self.max_query_bytes)
            return
        await self.app(scope, receive, send_with_headers)


async def _refuse_query(send: Send, limit: int) -> None:
    body = json.dumps({"detail": f"查询参数过长（上限 {limit} 字节）"}, ensure_ascii=False).encode()
    await send(
        {
            "type": "http.response.start",
            "status": 414,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
