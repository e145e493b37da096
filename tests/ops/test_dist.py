"""``make dist`` → the offline bundle installs with pip's network off and the installed duban passes the
shared API check on a fresh SQLite database. Slow (about a minute): one test that builds the bundle once."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tarfile
import time
import urllib.request
from pathlib import Path

import pytest

from tests.ops.helpers import api_check
from tests.web.server import REPO, free_port

pytestmark = pytest.mark.dist


def _offline_env() -> dict[str, str]:
    """No pip configuration, no index, no find-links from this machine: only what the bundle holds."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PIP_")}
    env["PIP_CONFIG_FILE"] = os.devnull
    env["PYTHON"] = str(
        Path(sys.base_prefix) / "bin" / f"python{sys.version_info.major}.{sys.version_info.minor}"
    )
    return env


def _no_network() -> list[str]:
    """Run the install in a network namespace of its own when the system allows (as root it does)."""
    unshare = shutil.which("unshare")
    if unshare and subprocess.run([unshare, "-n", "true"], capture_output=True, check=False).returncode == 0:
        return [unshare, "-n"]
    return []


def test_bundle_installs_offline_and_serves(tmp_path: Path) -> None:
    built = subprocess.run(
        [sys.executable, str(REPO / "deploy" / "build_dist.py"), "--out", str(tmp_path / "dist")],
        capture_output=True,
        text=True,
        timeout=1200,
        check=False,
    )
    assert built.returncode == 0, built.stderr[-3000:]
    tarball = Path(built.stdout.strip().splitlines()[-1])
    assert tarball.name == "duban-0.1.0-linux-x86_64-py311.tar.gz"
    with tarfile.open(tarball) as tar:
        tar.extractall(tmp_path / "unpacked", filter="data")
    bundle = next((tmp_path / "unpacked").iterdir())
    names = {p.name for p in (bundle / "wheelhouse").iterdir()}
    assert any(n.startswith("duban-0.1.0-") for n in names)
    assert len(names) == len((bundle / "requirements.lock").read_text().split()) + 1
    manifest = (bundle / "MANIFEST.sha256").read_text()
    assert "install.sh" in manifest and "deploy/nginx/duban.conf" in manifest

    prefix = tmp_path / "opt-duban"
    installed = subprocess.run(
        [*_no_network(), "sh", str(bundle / "install.sh"), str(prefix)],
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
        env=_offline_env(),
    )
    assert installed.returncode == 0, installed.stdout + installed.stderr[-3000:]
    duban = prefix / "venv" / "bin" / "duban"

    api_check(f"sqlite:///{tmp_path / 'fresh.db'}", duban=duban)
    _serves_the_web_app(duban, f"sqlite:///{tmp_path / 'web.db'}")


def _serves_the_web_app(duban: Path, url: str) -> None:
    port = free_port()
    server = subprocess.Popen(
        [str(duban), "serve", "--port", str(port), "--db", url],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/health/ready", timeout=2) as answer:
                    assert answer.status == 200
                    break
            except OSError:
                assert time.monotonic() < deadline and server.poll() is None, (
                    "the installed server did not start"
                )
                time.sleep(0.3)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=10) as page:
            assert b'<div id="app"' in page.read()
    finally:
        server.terminate()
        server.wait(10)
