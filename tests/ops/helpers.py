"""What the operations tests share: the shared API check, a fresh second database, a token from the CLI."""

from __future__ import annotations

import os
import subprocess
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests import acceptance
from tests.databases import fresh_postgres, sqlite_url
from tests.web.server import DUBAN


def api_check(database_url: str, duban: Path = DUBAN, extra_env: dict[str, str] | None = None) -> str:
    """Run ``shared/tools/api_check.py`` on a from-scratch database; its output, after asserting it passed."""
    return acceptance.api_check(database_url, duban, extra_env)


@contextmanager
def another_database(like: str, folder: Path) -> Iterator[str]:
    """An empty database of the same kind as ``like``."""
    if like.startswith("sqlite"):
        folder.mkdir(parents=True, exist_ok=True)
        yield sqlite_url(folder)
        return
    with fresh_postgres() as url:
        yield url


def duban(*args: str, stdin: str | None = None, env: dict[str, str] | None = None) -> str:
    """The real command line; fails the test with its Chinese message when it exits non-zero."""
    done = subprocess.run(
        [str(DUBAN), *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        env=dict(os.environ, **(env or {})),
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout + done.stderr


def request(
    base: str, path: str, token: str, data: bytes | None = None, headers: dict[str, str] | None = None
) -> tuple[int, bytes]:
    """(status, body bytes) of one call to the running server."""
    req = urllib.request.Request(
        base + path, data=data, headers={"Authorization": f"Bearer {token}", **(headers or {})}
    )
    try:
        with urllib.request.urlopen(req, timeout=30) as answer:
            return answer.status, answer.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def multipart(name: str, filename: str, content: bytes) -> tuple[bytes, dict[str, str]]:
    boundary = "duban-test-boundary-7f3a"
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
            "Content-Type: application/octet-stream\r\n\r\n"
        ).encode()
        + content
        + f"\r\n--{boundary}--\r\n".encode()
    )
    return body, {"Content-Type": f"multipart/form-data; boundary={boundary}"}
