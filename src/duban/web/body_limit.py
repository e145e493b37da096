"""A bound on request bodies, enforced while the body is read, before any handler or login check runs.

Without it an anonymous client could stream a gigabyte into the temporary folder, or a 300 MB JSON body
into memory, before learning it is not signed in. A declared ``Content-Length`` over the bound is refused
at once; a body sent without one (chunked) is counted as it arrives and refused when it passes the bound.
JSON bodies get a much smaller bound than file uploads: no form of duban needs more than a few hundred KB.
"""

from __future__ import annotations

import json
from typing import Any

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

MULTIPART_OVERHEAD = 1024 * 1024


def _too_large_message(limit: int) -> str:
    return f"请求内容过大（上限 {limit / 1024 / 1024:.0f} MB）"


class BodyLimit:
    """ASGI middleware: 413 for a body over ``upload_limit`` (multipart) or ``json_limit`` (anything else)."""

    def __init__(self, app: ASGIApp, upload_limit: int, json_limit: int = 2 * 1024 * 1024) -> None:
        self.app = app
        self.upload_limit = upload_limit + MULTIPART_OVERHEAD
        self.json_limit = json_limit

    def _limit_for(self, scope: Scope) -> int:
        headers = dict(scope.get("headers") or [])
        content_type = headers.get(b"content-type", b"").decode("latin-1").lower()
        return self.upload_limit if content_type.startswith("multipart/") else self.json_limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self._limit_for(scope)
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None:
            try:
                too_large = int(declared) > limit
            except ValueError:
                too_large = False
            if too_large:
                await _refuse(send, limit)
                return
        received = 0

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise HTTPException(413, _too_large_message(limit))
            return message

        await self.app(scope, counting_receive, send)


async def _refuse(send: Send, limit: int) -> None:
    body: Any = json.dumps({"detail": _too_large_message(limit)}, ensure_ascii=False).encode()
    await send(
        {
            "type": "http.response.start",
            "status": 413,
            "headers": [
                (b"content-type", b"application/json; charset=utf-8"),
                (b"content-length", str(len(body)).encode()),
                (b"connection", b"close"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
