"""Delivering notices beyond the bell: e-mail over SMTP and the group robots of DingTalk and WeCom.

Each delivery row is claimed by a compare-and-set (so two workers never send it twice), sent outside any
transaction (a slow mail server never holds a lock or a request), and its outcome written back: sent, or
the error kept and the next try set with back-off; after the last attempt it is recorded as failed and
waits for the 督办 page's resend. Every attempt also writes a change-log row with its outcome.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
import smtplib
import ssl
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage
from typing import Any

from sqlalchemy import select, update

from duban.ledger.rules import chasing as rules
from duban.ledger.store import changelog
from duban.ledger.store.db import Database
from duban.ledger.store.models import Delivery, Notice, Period, Plan, Task, Unit
from duban.settings import Settings

log = logging.getLogger("duban.delivery")
BACKOFF_MINUTES = (1, 5, 15, 60, 240)
LEASE = timedelta(minutes=10)  # a claimed delivery is not claimed again before this, even if its worker died


class DeliveryError(Exception):
    """A channel refused or could not be reached (the message is kept on the delivery row)."""


@dataclass(frozen=True)
class Message:
    subject: str
    text: str
    markdown: str


def message_for(session: Any, notice: Notice) -> Message:
    """The words of a notice, the same on every channel."""
    task = session.get(Task, notice.task_id)
    unit = session.get(Unit, notice.unit_id)
    plan = session.get(Plan, notice.plan_id)
    period = session.get(Period, notice.period_id)
    label = rules.KIND_LABELS[notice.kind]
    number = f"（督办〔{notice.year}〕{notice.number}号）" if notice.number else ""
    title = task.name or (task.text[:40] + ("…" if len(task.text) > 40 else "")) if task else ""
    subject = (
        f"【{label}】{unit.name if unit else ''}：{plan.title if plan else ''} 第{task.no if task else ''}项"
    )
    lines = [
        f"{unit.name if unit else ''}：",
        f"{label}{number}",
        f"计划：{plan.title if plan else ''}",
        f"任务：第{task.no if task else ''}项 {title}",
        f"报送期：{period.name if period else ''}",
        f"事由：{notice.reason}",
    ]
    if notice.respond_by:
        lines.append(f"请于{rules.chinese_day(notice.respond_by)}前报送进展情况作为答复。")
    if notice.leaders:
        lines.append(f"抄送：{'、'.join(notice.leaders)}")
    lines.append(f"督办系统 {rules.chinese_day(notice.day)}")
    markdown = f"### {subject}\n\n" + "\n\n".join(lines[1:])
    return Message(subject, "\n".join(lines), markdown)


def send_email(settings: Settings, target: str, message: Message) -> None:
    if not settings.smtp_host:
        raise DeliveryError("未配置邮件服务器 / no SMTP host configured")
    mail = EmailMessage()
    mail["Subject"] = message.subject
    mail["From"] = settings.smtp_sender
    mail["To"] = target
    mail.set_content(message.text)
    try:
        client: smtplib.SMTP
        if settings.smtp_security == "tls":
            client = smtplib.SMTP_SSL(
                settings.smtp_host,
                settings.smtp_port,
                timeout=settings.smtp_timeout,
                context=ssl.create_default_context(),
            )
        else:
            client = smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=settings.smtp_timeout)
        with client:
            if settings.smtp_security == "starttls":
                client.starttls(context=ssl.create_default_context())
            if settings.smtp_user:
                client.login(settings.smtp_user, settings.smtp_password)
            client.send_message(mail)
    except (OSError, smtplib.SMTPException) as exc:
        raise DeliveryError(f"邮件发送失败 / SMTP: {type(exc).__name__}: {exc}") from None


def dingtalk_signed(url: str, secret: str, now_ms: int | None = None) -> str:
    """DingTalk's signing: ``sign`` = base64(HMAC-SHA256(secret, "timestamp\\nsecret")), url-encoded,
    added with the timestamp to the robot's address."""
    stamp = str(now_ms if now_ms is not None else int(time.time() * 1000))
    digest = hmac.new(secret.encode(), f"{stamp}\n{secret}".encode(), hashlib.sha256).digest()
    sign = urllib.parse.quote_plus(base64.b64encode(digest))
    joiner = "&" if "?" in url else "?"
    return f"{url}{joiner}timestamp={stamp}&sign={sign}"


def robot_body(channel: str, message: Message) -> dict[str, Any]:
    """The markdown message of a DingTalk or a WeCom group robot."""
    if channel == "dingtalk":
        return {"msgtype": "markdown", "markdown": {"title": message.subject, "text": message.markdown}}
    return {"msgtype": "markdown", "markdown": {"content": message.markdown}}


def send_robot(settings: Settings, channel: str, url: str, secret: str | None, message: Message) -> None:
    address = dingtalk_signed(url, secret) if channel == "dingtalk" and secret else url
    request = urllib.request.Request(
        address,
        data=json.dumps(robot_body(channel, message), ensure_ascii=False).encode(),
        headers={"Content-Type": "application/json; charset=utf-8"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=settings.webhook_timeout) as answer:
            raw = answer.read()
    except (OSError, urllib.error.URLError) as exc:
        raise DeliveryError(f"机器人推送失败 / webhook: {type(exc).__name__}: {exc}") from None
    try:
        reply = json.loads(raw or b"{}")
    except ValueError:
        reply = {}
    if isinstance(reply, dict) and reply.get("errcode", 0) != 0:
        raise DeliveryError(f"机器人拒绝 / robot refused: {reply.get('errcode')} {reply.get('errmsg', '')}")


def send(settings: Settings, delivery: Delivery, message: Message) -> None:
    if delivery.channel == "email":
        send_email(settings, delivery.target, message)
    elif delivery.channel in ("dingtalk", "wecom"):
        send_robot(settings, delivery.channel, delivery.target, delivery.secret, message)
    else:
        raise DeliveryError(f"未知的渠道 / unknown channel {delivery.channel}")


@dataclass
class DeliverySummary:
    sent: int = 0
    retried: int = 0
    failed: int = 0


def _claim(database: Database, delivery_id: int, seen_try: datetime, now: datetime) -> bool:
    with database.writer() as session:
        done = session.execute(
            update(Delivery)
            .where(Delivery.id == delivery_id, Delivery.state == "pending", Delivery.next_try_at == seen_try)
            .values(next_try_at=now + LEASE, attempts=Delivery.attempts + 1)
            .execution_options(synchronize_session=False)
        )
        return done.rowcount == 1  # type: ignore[attr-defined]


def deliver_pending(
    database: Database, settings: Settings, now: datetime, *, limit: int = 200
) -> DeliverySummary:
    """Send what is due now (pending, next try reached), at most ``limit`` of them; never raises for a
    channel's failure (it is recorded)."""
    summary = DeliverySummary()
    with database.reader() as session:
        due = session.execute(
            select(Delivery.id, Delivery.next_try_at)
            .where(Delivery.state == "pending", Delivery.next_try_at <= now)
            .order_by(Delivery.next_try_at, Delivery.id)
            .limit(limit)
        ).all()
    for delivery_id, seen_try in due:
        if not _claim(database, delivery_id, seen_try, now):
            continue  # another worker has it
        with database.reader() as session:
            delivery = session.get(Delivery, delivery_id)
            assert delivery is not None
            notice = session.get(Notice, delivery.notice_id)
            assert notice is not None
            message = message_for(session, notice)
            session.expunge(delivery)
        error: str | None = None
        try:
            send(settings, delivery, message)
        except DeliveryError as exc:
            error = str(exc)[:1000]
        except Exception as exc:  # a channel bug must not stop the others or lose the notice
            log.exception("delivery %s failed unexpectedly", delivery_id)
            error = f"{type(exc).__name__}: {exc}"[:1000]
        _record(database, settings, delivery_id, error, now, summary)
    return summary


def _record(
    database: Database,
    settings: Settings,
    delivery_id: int,
    error: str | None,
    now: datetime,
    summary: DeliverySummary,
) -> None:
    with database.writer() as session:
        delivery = session.get(Delivery, delivery_id)
        assert delivery is not None
        if error is None:
            delivery.state = "sent"
            delivery.sent_at = now
            delivery.last_error = None
            summary.sent += 1
        elif delivery.attempts >= settings.delivery_attempts:
            delivery.state = "failed"
            delivery.last_error = error
            summary.failed += 1
        else:
            delivery.last_error = error
            wait = BACKOFF_MINUTES[min(delivery.attempts - 1, len(BACKOFF_MINUTES) - 1)]
            delivery.next_try_at = now + timedelta(minutes=wait)
            summary.retried += 1
        # Not a transition: a delivery attempt is a record of the channel, not a move of the notice.
        changelog.record(
            session,
            None,
            "delivery",
            delivery.id,
            "sent" if error is None else "attempt_failed",
            None,
            {
                "notice_id": delivery.notice_id,
                "channel": delivery.channel,
                "attempt": delivery.attempts,
                "state": delivery.state,
                "error": error,
            },
            now,
        )
