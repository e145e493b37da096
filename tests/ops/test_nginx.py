"""The shipped nginx site (deploy/nginx/duban.conf) with a self-signed certificate in front of two
``duban serve`` processes on one PostgreSQL: sessions, the login throttle, reports, uploads and downloads work
through it from any server; duban sees the real client address (the client connects from 127.0.0.2/3/4, nginx
from 127.0.0.1); caching headers and the upload limit are the site's; and stopping one server while units are
submitting loses no report that was acknowledged."""

from __future__ import annotations

import datetime as dt
import http.client
import ipaddress
import json
import os
import re
import shutil
import signal
import socket
import ssl
import subprocess
import threading
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from duban.ledger.store.db import connect
from tests.conftest import CORPUS
from tests.databases import fresh_postgres
from tests.ops.helpers import duban, multipart
from tests.web.server import DUBAN, REPO, free_port

pytestmark = pytest.mark.postgres
SITE = REPO / "deploy" / "nginx" / "duban.conf"
PASSWORD = "Unit-pass-2021"


def _certificate(folder: Path) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 and localhost."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "duban-test")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
            ),
            critical=False,
        )
        .sign(key, hashes.SHA256())
    )
    crt, pem = folder / "duban.crt", folder / "duban.key"
    crt.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    pem.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    return crt, pem


def _site(folder: Path, http_port: int, https_port: int, upstreams: list[int], crt: Path, key: Path) -> Path:
    """The shipped site file with this test's ports, certificate and servers; nothing else changed."""
    site = SITE.read_text()
    replacements = [
        ("listen 80;", f"listen 127.0.0.1:{http_port};"),
        ("listen 443 ssl http2;", f"listen 127.0.0.1:{https_port} ssl http2;"),
        ("/etc/nginx/tls/duban.crt", str(crt)),
        ("/etc/nginx/tls/duban.key", str(key)),
    ]
    for old, new in replacements:
        assert old in site, f"the site file no longer has {old!r}"
        site = site.replace(old, new)
    servers = "".join(f"    server 127.0.0.1:{port} max_fails=1 fail_timeout=10s;\n" for port in upstreams)
    site, count = re.subn(r"    server 127\.0\.0\.1:8000 [^\n]*\n", servers, site)
    assert count == 1
    (folder / "site.conf").write_text(site)
    user = "user root root;\n" if os.geteuid() == 0 else ""  # workers must reach the test's folders
    temps = "".join(
        f"{kind}_temp_path {folder / kind};\n"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    main = folder / "nginx.conf"
    main.write_text(
        f"{user}worker_processes 1;\ndaemon off;\npid {folder / 'nginx.pid'};\nerror_log {folder / 'error.log'} warn;\n"
        f"events {{ worker_connections 512; }}\nhttp {{\naccess_log {folder / 'access.log'};\n{temps}"
        f"include {folder / 'site.conf'};\n}}\n"
    )
    return main


def _wait_for(port: int, process: subprocess.Popen[bytes], what: str) -> None:
    deadline = time.monotonic() + 60
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(f"{what} did not start") from None
            time.sleep(0.1)


@contextmanager
def _process(
    args: list[str], log: Path, port: int, what: str, env: dict[str, str] | None = None
) -> Iterator[subprocess.Popen[bytes]]:
    with open(log, "wb") as out:
        process = subprocess.Popen(args, stdout=out, stderr=subprocess.STDOUT, env=env)
        try:
            _wait_for(port, process, what)
            yield process
        finally:
            if process.poll() is None:
                process.terminate()
                try:
                    process.wait(15)
                except subprocess.TimeoutExpired:
                    process.kill()


@dataclass
class Client:
    """One user's browser: HTTPS to nginx from its own loopback address, the session cookie, the CSRF token."""

    port: int
    cafile: Path
    source: str
    cookie: str | None = None
    csrf: str | None = None
    context: ssl.SSLContext = field(init=False)

    def __post_init__(self) -> None:
        self.context = ssl.create_default_context(cafile=str(self.cafile))

    def call(
        self,
        method: str,
        path: str,
        body: Any = None,
        raw: bytes | None = None,
        headers: dict[str, str] | None = None,
    ) -> tuple[int, http.client.HTTPMessage, bytes]:
        sent = dict(headers or {})
        data = raw
        if body is not None:
            data, sent["Content-Type"] = json.dumps(body).encode(), "application/json"
        if self.cookie:
            sent["Cookie"] = self.cookie
            if method != "GET" and self.csrf:
                sent["X-CSRF-Token"] = self.csrf
        conn = http.client.HTTPSConnection(
            "127.0.0.1", self.port, context=self.context, source_address=(self.source, 0), timeout=120
        )
        try:
            conn.request(method, path, body=data, headers=sent)
            answer = conn.getresponse()
            return answer.status, answer.headers, answer.read()
        finally:
            conn.close()

    def login(self, username: str, password: str) -> int:
        status, headers, body = self.call(
            "POST", "/api/session", {"username": username, "password": password}
        )
        if status == 200:
            jar = SimpleCookie(headers["Set-Cookie"])
            morsel = jar["duban_session"]
            assert morsel["secure"] and morsel["httponly"]
            self.cookie = f"duban_session={morsel.value}"
            self.csrf = json.loads(body)["csrf_token"]
        return status


def _served_by(logs: list[Path]) -> list[list[dict[str, Any]]]:
    """Each server's access records (its JSON log)."""
    out = []
    for log in logs:
        # A line still being written (no closing brace yet) is left for the next read.
        lines = [line for line in log.read_text().splitlines() if line.startswith("{") and line.endswith("}")]
        records = [json.loads(line) for line in lines]
        out.append([r for r in records if r.get("logger") == "duban.access"])
    return out


def _world(url: str) -> tuple[int, dict[str, list[int]], list[int]]:
    """A plan, three unit accounts (their tasks) and an admin; (plan id, tasks by username, period ids)."""
    duban("import", str(next(CORPUS.glob("000_*.txt"))), "--db", url)
    duban("user", "add", "admin", "--role", "admin", "--password-stdin", "--db", url, stdin=PASSWORD + "\n")
    database = connect(url, upgrade=False)
    with database.reader() as session:
        plan = session.execute(text("SELECT MIN(id) FROM plans")).scalar_one()
        rows = session.execute(
            text("SELECT t.id, u.name FROM tasks t JOIN units u ON u.id = t.reporting_unit_id ORDER BY t.id")
        ).all()
        periods = list(
            session.execute(
                text("SELECT id FROM periods WHERE plan_id = :p ORDER BY due"), {"p": plan}
            ).scalars()
        )
    database.dispose()
    by_unit: dict[str, list[int]] = {}
    for task, unit in rows:
        by_unit.setdefault(unit, []).append(task)
    tasks: dict[str, list[int]] = {}
    for n, (unit, ids) in enumerate(list(by_unit.items())[:3]):
        username = f"unit{n}"
        duban(
            "user",
            "add",
            username,
            "--role",
            "unit",
            "--unit",
            unit,
            "--password-stdin",
            "--db",
            url,
            stdin=PASSWORD + "\n",
        )
        tasks[username] = ids[:4]
    return plan, tasks, periods


def test_two_servers_behind_nginx(tmp_path: Path) -> None:
    nginx = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
    if nginx is None:
        pytest.fail("nginx is not installed: run `make system` (SYSTEM_PACKAGES in the Makefile lists it)")
    crt, key = _certificate(tmp_path)
    ports = [free_port(), free_port()]
    http_port, https_port = free_port(), free_port()
    main = _site(tmp_path, http_port, https_port, ports, crt, key)
    check = subprocess.run(
        [nginx, "-t", "-c", str(main), "-p", str(tmp_path)], capture_output=True, text=True, check=False
    )
    assert check.returncode == 0, check.stderr
    with fresh_postgres() as url, ExitStack() as stack:
        plan, unit_tasks, periods = _world(url)
        env = dict(
            os.environ,
            DUBAN_DATABASE_URL=url,
            DUBAN_TODAY="2021-07-15",
            DUBAN_TRUSTED_PROXIES="127.0.0.1",
            DUBAN_COOKIE_SECURE="true",
            DUBAN_LOG_FORMAT="json",
        )
        logs = [tmp_path / "server-a.log", tmp_path / "server-b.log"]
        servers = [
            stack.enter_context(
                _process(
                    [str(DUBAN), "serve", "--host", "127.0.0.1", "--port", str(port)],
                    log,
                    port,
                    "duban serve",
                    env,
                )
            )
            for port, log in zip(ports, logs, strict=True)
        ]
        stack.enter_context(
            _process(
                [nginx, "-c", str(main), "-p", str(tmp_path)], tmp_path / "nginx.out", https_port, "nginx"
            )
        )
        _headers_and_limits(Client(https_port, crt, "127.0.0.2"), http_port)
        _throttle_and_real_address(https_port, crt, logs)
        admin = Client(https_port, crt, "127.0.0.2")
        assert admin.login("admin", PASSWORD) == 200
        acknowledged = _submit_while_one_server_stops(https_port, crt, unit_tasks, periods, servers[0])
        _every_acknowledged_report_is_there(url, acknowledged)
        _downloads_through_the_survivor(admin, https_port, crt, plan, acknowledged)
        first, second = _served_by(logs)
        assert first and second, "nginx did not spread requests over both servers"
        print(f"requests answered: server A {len(first)} (stopped), server B {len(second)}")


def _headers_and_limits(client: Client, http_port: int) -> None:
    status, headers, _ = client.call("GET", "/api/health/ready")
    assert status == 200 and headers["Cache-Control"] == "no-store"
    assert re.fullmatch(r"[0-9a-f]{32}", headers["X-Request-ID"])  # nginx's $request_id, passed through
    status, _, page = client.call("GET", "/")
    assert status == 200
    asset = re.search(rb'/assets/[^"]+\.js', page)
    assert asset is not None
    status, headers, _ = client.call("GET", asset.group().decode())
    assert status == 200 and headers["Cache-Control"] == "public, max-age=31536000, immutable"
    plain = http.client.HTTPConnection("127.0.0.1", http_port, timeout=10)
    plain.request("GET", "/ledger")
    answer = plain.getresponse()
    assert answer.status == 301 and answer.headers["Location"].startswith("https://")
    plain.close()
    # Over the upload limit: refused by nginx from the headers alone, in Chinese, before any byte is sent.
    big = http.client.HTTPSConnection("127.0.0.1", client.port, context=client.context, timeout=30)
    big.putrequest("POST", "/api/plans")
    big.putheader("Content-Type", "multipart/form-data; boundary=x")
    big.putheader("Content-Length", str(60 * 1024 * 1024))
    big.endheaders()
    answer = big.getresponse()
    assert answer.status == 413 and "请求内容过大" in answer.read().decode()
    big.close()


def _throttle_and_real_address(port: int, crt: Path, logs: list[Path]) -> None:
    """Wrong passwords from 127.0.0.3 (claiming to be 6.6.6.6) go to both servers and are counted together;
    127.0.0.4 is a different client and still gets in."""
    guesser = Client(port, crt, "127.0.0.3")
    spoof = {"X-Forwarded-For": "6.6.6.6"}
    answers = [
        guesser.call("POST", "/api/session", {"username": "unit0", "password": "wrong"}, headers=spoof)[0]
        for _ in range(6)
    ]
    assert answers == [401] * 5 + [429]
    assert Client(port, crt, "127.0.0.4").login("unit0", PASSWORD) == 200
    clients: set[str] = set()
    deadline = time.monotonic() + 10
    while "127.0.0.4" not in clients and time.monotonic() < deadline:
        # A server writes its access record just after the answer has left, so the last one may lag a little.
        records = [r for server in _served_by(logs) for r in server if r["path"] == "/api/session"]
        clients = {r["client"] for r in records}
        time.sleep(0.05)
    assert {"127.0.0.3", "127.0.0.4"} <= clients and "6.6.6.6" not in clients and "127.0.0.1" not in clients


def _submit_while_one_server_stops(
    port: int,
    crt: Path,
    unit_tasks: dict[str, list[int]],
    periods: list[int],
    server: subprocess.Popen[bytes],
) -> dict[int, tuple[int, int, str]]:
    """Three units submit a report for each of their tasks and periods, in parallel; server A is stopped
    (SIGTERM, as systemctl stop) a third of the way through. Returns the acknowledged reports."""
    acknowledged: dict[int, tuple[int, int, str]] = {}
    failures: list[int] = []
    lock = threading.Lock()
    total = sum(len(t) for t in unit_tasks.values()) * len(periods)
    third = threading.Event()

    def unit(username: str, tasks: list[int], source: str) -> None:
        client = Client(port, crt, source)
        assert client.login(username, PASSWORD) == 200
        for task in tasks:
            for period in periods:
                words = f"{username} 第{task}项 第{period}期 进度说明"
                status, _, body = client.call(
                    "POST",
                    f"/api/tasks/{task}/reports",
                    {"period": period, "progress": 40, "text": words, "problems": "", "next_steps": "",
                     "completed": False, "values": [], "submit": True},
                )  # fmt: skip
                with lock:
                    if status in (200, 201):
                        acknowledged[json.loads(body)["id"]] = (task, period, words)
                    else:
                        failures.append(status)
                    if len(acknowledged) + len(failures) >= total // 3:
                        third.set()

    threads = [
        threading.Thread(target=unit, args=(name, tasks, f"127.0.0.{10 + n}"))
        for n, (name, tasks) in enumerate(unit_tasks.items())
    ]
    for thread in threads:
        thread.start()
    assert third.wait(120)
    server.send_signal(signal.SIGTERM)
    for thread in threads:
        thread.join(300)
    server.wait(30)
    assert len(acknowledged) + len(failures) == total
    assert len(failures) <= len(threads), failures  # at most the requests in flight on the stopped server
    assert len(acknowledged) >= total - len(threads)
    print(f"reports: {len(acknowledged)} acknowledged, {len(failures)} refused {failures}, of {total}")
    return acknowledged


def _every_acknowledged_report_is_there(url: str, acknowledged: dict[int, tuple[int, int, str]]) -> None:
    database = connect(url, upgrade=False)
    try:
        with database.reader() as session:
            rows = session.execute(text("SELECT id, task_id, period_id, text FROM reports")).all()
    finally:
        database.dispose()
    stored = {row[0]: (row[1], row[2], row[3]) for row in rows}
    assert {k: stored.get(k) for k in acknowledged} == acknowledged


def _downloads_through_the_survivor(
    admin: Client, port: int, crt: Path, plan: int, acknowledged: dict[int, tuple[int, int, str]]
) -> None:
    """Server A is gone: the admin's session (opened on either server) still works, and so do downloads."""
    for _ in range(4):
        status, _, body = admin.call("GET", "/api/session")
        assert status == 200 and json.loads(body)["username"] == "admin"
    status, _, workbook = admin.call("GET", f"/api/plans/{plan}/ledger.xlsx")
    assert status == 200 and workbook[:2] == b"PK"
    report = min(acknowledged)
    owner = Client(port, crt, "127.0.0.5")
    assert owner.login(_owner(acknowledged[report]), PASSWORD) == 200
    content = "附件".encode() + os.urandom(4096)
    data, headers_ = multipart("file", "说明.bin", content)
    status, _, body = owner.call("POST", f"/api/reports/{report}/attachments", raw=data, headers=headers_)
    assert status == 201, body
    attachment = json.loads(body)["id"]
    status, _, downloaded = admin.call("GET", f"/api/reports/{report}/attachments/{attachment}")
    assert status == 200 and downloaded == content


def _owner(report: tuple[int, int, str]) -> str:
    return report[2].split(" ")[0]
