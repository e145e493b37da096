"""Serving the built single-page app (``static/app/``, produced by ``make setup`` from ``frontend/``).

The app uses history-mode routes (``/ledger``, ``/tasks/12``…) so addresses can be bookmarked and sent to a
leader: every GET that is not under ``/api`` and is not a built file gets ``index.html``, and the app's
router shows the page (or its own not-found page). Hashed files under ``/assets`` never change, so they are
cached for a year; ``index.html`` is never cached so a new build is picked up on the next visit. When the app
has not been built, a short page says how to build it instead of a bare 404.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI, HTTPException, Request
from fastapi.responses import FileResponse, HTMLResponse, Response

APP_DIR = Path(__file__).resolve().parent / "static" / "app"
IMMUTABLE = "public, max-age=31536000, immutable"
NO_CACHE = "no-cache"

NOT_BUILT = """<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>督办</title></head>
<body style="font-family:sans-serif;max-width:40em;margin:4em auto">
<h1>督办 duban</h1>
<p>网页界面尚未构建。请在项目目录运行 <code>make setup</code>（需要 Node.js 和 npm），然后重新启动服务。</p>
<p>接口仍可使用：<a href="/api/docs">接口文档</a></p>
</body></html>
"""


def _inside(root: Path, relative: str) -> Path | None:
    """The file ``relative`` under ``root``, or ``None`` if it is missing or escapes ``root``."""
    candidate = (root / relative).resolve()
    if not candidate.is_relative_to(root.resolve()) or not candidate.is_file():
        return None
    return candidate


def mount(app: FastAPI, app_dir: Path = APP_DIR) -> None:
    """Add the asset and fallback routes; call after every API router so ``/api`` keeps precedence."""

    def index() -> Response:
        page = app_dir / "index.html"
        if not page.is_file():
            return HTMLResponse(NOT_BUILT, status_code=503, headers={"Cache-Control": NO_CACHE})
        return FileResponse(page, media_type="text/html", headers={"Cache-Control": NO_CACHE})

    @app.get("/assets/{path:path}", include_in_schema=False)
    def asset(path: str) -> Response:
        found = _inside(app_dir / "assets", path)
        if found is None:
            raise HTTPException(404, "文件不存在 / not found")
        return FileResponse(found, headers={"Cache-Control": IMMUTABLE})

    @app.get("/{path:path}", include_in_schema=False)
    def fallback(path: str, request: Request) -> Response:
        if path == "api" or path.startswith("api/"):
            raise HTTPException(404, "接口不存在 / no such endpoint")
        found = _inside(app_dir, path) if path else None
        if found is not None and found.name != "index.html":
            return FileResponse(found, headers={"Cache-Control": NO_CACHE})
        return index()
