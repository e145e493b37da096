"""Unit contacts for chasing (联系人, phone, e-mail, group robot) and the administrator's calendar days:
writes with one change-log row each (the secret of a robot is never written to the log)."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from duban.ledger.errors import Conflict, Forbidden, Invalid, NotFound
from duban.ledger.rules.workdays import Workdays
from duban.ledger.services import access, permissions
from duban.ledger.store import changelog
from duban.ledger.store.models import CalendarDay, Delivery, Notice, NoticeRead, UnitContact, User
from duban.ledger.views import notices

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
ROBOT_KINDS = ("dingtalk", "wecom")


@dataclass(frozen=True)
class ContactInput:
    person: str = ""
    phone: str = ""
    email: str = ""
    robot_kind: str | None = None
    robot_url: str = ""
    robot_secret: str | None = None  # None: keep the stored secret (the API never sends it back)


def contact_json(unit_id: int, contact: UnitContact | None) -> dict[str, Any]:
    if contact is None:
        return {
            "unit_id": unit_id,
            "person": "",
            "phone": "",
            "email": "",
            "robot_kind": None,
            "robot_url": "",
            "has_secret": False,
        }
    return {
        "unit_id": unit_id,
        "person": contact.person,
        "phone": contact.phone,
        "email": contact.email,
        "robot_kind": contact.robot_kind,
        "robot_url": contact.robot_url,
        "has_secret": bool(contact.robot_secret),
    }


def get_contact(session: Session, user: User, unit_id: int) -> dict[str, Any]:
    """A unit's contact: the office for the units it reads, a unit account for its own."""
    if user.role == "unit" and user.unit_id != unit_id:
        access.require_admin(user)
    access.unit_for(session, user, unit_id)
    return contact_json(unit_id, session.get(UnitContact, unit_id))


def set_contact(
    session: Session, user: User, unit_id: int, data: ContactInput, now: datetime
) -> dict[str, Any]:
    access.require_admin(user)
    access.unit_for(session, user, unit_id, write=True)
    email = data.email.strip()
    if email and not EMAIL.match(email):
        raise Invalid("邮箱格式不正确 / not an e-mail address")
    if data.robot_kind not in (None, *ROBOT_KINDS):
        raise Invalid("机器人类型应为钉钉或企业微信 / robot_kind must be dingtalk or wecom")
    url = data.robot_url.strip()
    if url and not url.startswith(("http://", "https://")):
        raise Invalid("机器人地址应以 http:// 或 https:// 开头 / the robot address must be http(s)")
    if url and data.robot_kind is None:
        raise Invalid("请选择机器人类型（钉钉或企业微信） / choose the robot's kind")
    if len(data.person) > 100 or len(data.phone) > 50 or len(email) > 200 or len(url) > 500:
        raise Invalid("联系人信息过长 / contact fields too long")
    contact = session.get(UnitContact, unit_id)
    before = contact_json(unit_id, contact)
    if contact is None:
        contact = UnitContact(unit_id=unit_id, robot_secret="", updated_at=now)
        session.add(contact)
    contact.person = data.person.strip()
    contact.phone = data.phone.strip()
    contact.email = email
    contact.robot_kind = data.robot_kind if url else None
    contact.robot_url = url
    if data.robot_secret is not None:
        contact.robot_secret = data.robot_secret.strip()
    contact.updated_at = now
    session.flush()
    after = contact_json(unit_id, contact)
    old, new = changelog.changed_fields(before, after)
    # Not a transition: a unit's contacts are directory data, with no workflow state.
    changelog.record(session, user, "unit_contact", unit_id, "update", old, new, now)
    return after


def calendar_days(session: Session) -> list[dict[str, Any]]:
    return [
        {"day": row.day.isoformat(), "workday": row.workday, "note": row.note}
        for row in session.scalars(select(CalendarDay).order_by(CalendarDay.day))
    ]


def calendar_day(session: Session, day: date) -> dict[str, Any]:
    """What ``day`` is: by the Chinese calendar alone (``national_workday``), and with the office's entry
    over it (``workday``; ``office`` is that entry, if any) — what removing the entry would change."""
    row = session.get(CalendarDay, day)
    national = Workdays().is_workday(day)
    return {
        "day": day.isoformat(),
        "national_workday": national,
        "workday": row.workday if row is not None else national,
        "office": {"day": day.isoformat(), "workday": row.workday, "note": row.note}
        if row is not None
        else None,
    }


def set_calendar_day(
    session: Session, user: User, day: date, workday: bool, note: str, now: datetime
) -> None:
    """Declare ``day`` a holiday (``workday`` False) or a make-up working day (True). Taking an entry back is
    ``remove_calendar_day`` (one way to do it, with its own confirmation in the browser)."""
    _require_calendar_write(session, user)
    row = session.get(CalendarDay, day)
    before = {"workday": row.workday, "note": row.note} if row is not None else None
    if row is None:
        row = CalendarDay(day=day, workday=workday, note=note[:200])
        session.add(row)
    else:
        row.workday, row.note = workday, note[:200]
    after = asdict(_Day(workday, note[:200]))
    session.flush()
    key = {"day": day.isoformat()}
    # Not a transition: a calendar day is a setting of the working-day rules.
    changelog.record(
        session, user, "calendar_day", None, "set", {**key, **(before or {})}, {**key, **after}, now
    )


def remove_calendar_day(session: Session, user: User, day: date, now: datetime) -> None:
    """Take back a day the administrator added: the Chinese calendar decides it again (logged like a set,
    with the removed entry as ``before``). A day the office never added is not found."""
    _require_calendar_write(session, user)
    row = session.get(CalendarDay, day)
    if row is None:
        raise NotFound(f"{day.isoformat()} 不是本室添加的节假日或调休日 / no such calendar day")
    before = {"day": day.isoformat(), "workday": row.workday, "note": row.note}
    session.delete(row)
    session.flush()
    # Not a transition: a calendar day is a setting of the working-day rules.
    changelog.record(session, user, "calendar_day", None, "remove", before, {"day": day.isoformat()}, now)


def _require_calendar_write(session: Session, user: User) -> None:
    """The office changes the calendar; a supervising (city) office only reads it (``permissions``)."""
    access.require_admin(user)
    if permissions.supervises_only(session, user):
        raise Forbidden("上级督查室只能查看节假日与调休，不能修改 / read-only for a supervising office")


@dataclass(frozen=True)
class _Day:
    workday: bool
    note: str


def mark_read(session: Session, user: User, notice_ids: list[int], now: datetime) -> int:
    """Mark notices read for this account (only those it may see). A read does not move the notice (it is
    per account, in ``notice_reads``); the change log gets one row per call that marked something."""
    visible = set(
        session.scalars(notices.visible(session, user, select(Notice.id).where(Notice.id.in_(notice_ids))))
    )
    already = set(
        session.scalars(
            select(NoticeRead.notice_id).where(
                NoticeRead.user_id == user.id, NoticeRead.notice_id.in_(visible)
            )
        )
    )
    fresh = sorted(visible - already)
    for notice_id in fresh:
        session.add(NoticeRead(notice_id=notice_id, user_id=user.id, read_at=now))
    session.flush()
    if fresh:
        # Not a transition: reading is per account and changes no notice's state.
        changelog.record(session, user, "notice", None, "read", None, {"notices": fresh}, now)
    return len(fresh)


def resend(session: Session, user: User, delivery_id: int, now: datetime) -> None:
    """Put a failed (or pending) delivery back in the queue for a new round of attempts (logged)."""
    access.require_admin(user)
    found = session.get(Delivery, delivery_id)
    if (
        found is None
        or session.scalar(
            notices.visible(session, user, select(Notice.id).where(Notice.id == found.notice_id))
        )
        is None
    ):
        raise NotFound("投递记录不存在 / no such delivery")
    if found.state == "sent":
        raise Conflict("该通知已送达，无需重发 / already delivered")
    before = {"state": found.state, "attempts": found.attempts}
    found.state, found.attempts, found.next_try_at = "pending", 0, now
    session.flush()
    # Not a transition: a resend puts a delivery back in the queue; the notice's state is unchanged.
    changelog.record(session, user, "delivery", found.id, "resend", before, {"state": "pending"}, now)
