"""Start the real ``duban serve`` in a subprocess on a free loopback port, for end-to-end and load tests."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
DUBAN = Path(sys.executable).with_name("duban")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def running_server(database_url: str, today: str = "2021-07-15", workers: int = 1) -> Iterator[str]:
    port = free_port()
    env = dict(os.environ, DUBAN_TODAY=today, DUBAN_DATABASE_URL=database_url)
    # A test server does not chase by itself at 08:30 (the chasing tests run the engine when they mean to).
    env.setdefault("DUBAN_REMIND_IN_SERVE", "false")
    log = open(os.environ.get("DUBAN_TEST_SERVER_LOG", os.devnull), "wb")  # noqa: SIM115 - closed below
    process = subprocess.Popen(
        [str(DUBAN), "serve", "--host", "127.0.0.1", "--port", str(port), "--workers", str(workers)],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                break
            except OSError:
                if process.poll() is not None:
                    raise RuntimeError("duban serve exited at start") from None
                time.sleep(0.1)
        yield f"http://127.0.0.1:{port}"
        assert process.poll() is None, "the server died during the test"
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()
