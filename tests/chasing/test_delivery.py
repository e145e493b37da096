"""Delivery against real receivers started by the test on loopback: an aiosmtpd SMTP server, an HTTP
receiver that checks DingTalk's signature, a WeCom receiver, and one that always answers 500 (retries with
back-off, then a recorded failure; the notice is never lost and nothing crashes)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import socket
import threading
import urllib.parse
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, ClassVar

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select

from duban.ledger.services import chasing, contacts, delivery, plan_rules
from duban.ledger.store.db import Database
from duban.ledger.store.models import Change, Delivery, Notice, User
from duban.settings import Settings
from tests.chasing.scripted import at, published

SECRET = "SEC-test-secret"


class Mailbox:
    def __init__(self) -> None:
        self.messages: list[Any] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(envelope)
        return "250 OK"


@pytest.fixture
def smtp() -> Iterator[tuple[Mailbox, int]]:
    box = Mailbox()
    with socket.socket() as probe:  # a free loopback port (aiosmtpd 1.4 cannot take port 0)
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(box, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield box, port
    finally:
        controller.stop()


class Receiver(BaseHTTPRequestHandler):
    """/ding checks the DingTalk signature; /wecom accepts; /broken answers 500."""

    received: ClassVar[list[tuple[str, dict[str, Any]]]] = []

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        url = urllib.parse.urlsplit(self.path)
        query = urllib.parse.parse_qs(url.query)
        if url.path == "/broken":
            self.send_response(500)
            self.end_headers()
            return
        if url.path == "/ding":
            stamp = query["timestamp"][0]
            expected = base64.b64encode(
                hmac.new(SECRET.encode(), f"{stamp}\n{SECRET}".encode(), hashlib.sha256).digest()
            ).decode()
            if query["sign"][0] != expected or query["access_token"][0] != "tok":
                self._answer({"errcode": 310000, "errmsg": "sign not match"})
                return
        self.received.append((url.path, body))
        self._answer({"errcode": 0, "errmsg": "ok"})

    def _answer(self, reply: dict[str, Any]) -> None:
        data = json.dumps(reply).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def receiver() -> Iterator[str]:
    Receiver.received = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_email_dingtalk_wecom_and_a_failing_robot(
    database: Database, smtp: tuple[Mailbox, int], receiver: str
) -> None:
    box, port = smtp
    sample = published(database)
    with database.writer() as session:
        admin = session.get(User, sample.admin_id)
        assert admin is not None
        contacts.set_contact(
            session,
            admin,
            sample.units["2"],
            contacts.ContactInput(
                person="张三",
                phone="0537-1234567",
                email="gxj@example.org",
                robot_kind="dingtalk",
                robot_url=f"{receiver}/ding?access_token=tok",
                robot_secret=SECRET,
            ),
            at(date(2021, 3, 1)),
        )
        contacts.set_contact(
            session,
            admin,
            sample.units["3"],
            contacts.ContactInput(robot_kind="wecom", robot_url=f"{receiver}/wecom?key=abc"),
            at(date(2021, 3, 1)),
        )
        plan_rules.set_chasing(
            session,
            sample.plan_id,
            {
                "copy_emails": ["leaders@example.org"],
                "robot_kind": "wecom",
                "robot_url": f"{receiver}/broken",
            },
            admin,
            at(date(2021, 3, 1)),
        )
        secret_logged = [
            c.after for c in session.scalars(select(Change).where(Change.object_type == "unit_contact"))
        ]
        assert all(SECRET not in json.dumps(a, ensure_ascii=False) for a in secret_logged)
    day = date(2021, 4, 1)
    with database.writer() as session:
        result = chasing.run(session, day, at(day, 8))
    assert {(i.kind, i.task_no) for i in result.issued} >= {("chase", "2"), ("yellow", "2")}
    settings = Settings(smtp_host="127.0.0.1", smtp_port=port, delivery_attempts=3, database_url=database.url)
    now = at(day, 9)
    summary = delivery.deliver_pending(database, settings, now)
    assert summary.sent > 0 and summary.retried > 0 and summary.failed == 0

    # E-mail: the unit's address for its 催报 and 督办单, the leaders' copy address for 催报/督办单.
    recipients = sorted(r for m in box.messages for r in m.rcpt_tos)
    assert recipients.count("gxj@example.org") == 2  # chase + yellow of task 2
    assert "leaders@example.org" in recipients
    texts = [m.content.decode("utf-8", "replace") for m in box.messages]
    assert any("催报" in t or "=E5=82=AC" in t or "5YKs" in t for t in texts)
    # DingTalk got the signed markdown messages of task 2; WeCom those of task 3.
    paths = [p for p, _ in Receiver.received]
    assert paths.count("/ding") == 2 and paths.count("/wecom") == 2
    ding = next(b for p, b in Receiver.received if p == "/ding")
    assert ding["msgtype"] == "markdown" and "督办" in ding["markdown"]["text"]

    # The plan's robot answers 500: retried with back-off, then recorded as failed, never lost.
    with database.reader() as session:
        broken = session.scalars(select(Delivery).where(Delivery.target.like("%/broken"))).all()
        assert broken and all(d.state == "pending" and d.attempts == 1 and d.last_error for d in broken)
        assert all(d.next_try_at == now + timedelta(minutes=1) for d in broken)
    assert delivery.deliver_pending(database, settings, now + timedelta(seconds=30)).retried == 0  # not yet
    later = now + timedelta(minutes=2)
    assert delivery.deliver_pending(database, settings, later).retried == len(broken)
    final = delivery.deliver_pending(database, settings, later + timedelta(minutes=10))
    assert final.failed == len(broken) and final.sent == 0
    with database.reader() as session:
        for d in session.scalars(select(Delivery).where(Delivery.target.like("%/broken"))):
            assert d.state == "failed" and d.attempts == 3 and "500" in (d.last_error or "")
        attempts = session.scalars(
            select(Change.action).where(Change.object_type == "delivery", Change.object_id == broken[0].id)
        ).all()
        assert attempts == ["attempt_failed"] * 3
        assert session.scalar(select(Notice).where(Notice.id == broken[0].notice_id)) is not None
    # Sending again later sends nothing twice.
    assert delivery.deliver_pending(database, settings, later + timedelta(days=1)).sent == 0
    assert len(box.messages) == len(recipients)


def test_dingtalk_signature_is_the_documented_one() -> None:
    signed = delivery.dingtalk_signed(
        "https://oapi.example/robot/send?access_token=x", "SECabc", 1600000000000
    )
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(signed).query)
    digest = hmac.new(b"SECabc", b"1600000000000\nSECabc", hashlib.sha256).digest()
    assert query["timestamp"] == ["1600000000000"]
    assert query["sign"] == [base64.b64encode(digest).decode()]
    assert datetime.now() > datetime(2020, 1, 1)
