"""Response models of the chasing endpoints (bell, 督办 page, contacts, chasing rules)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel


class DeliveryOut(BaseModel):
    id: int
    channel: str
    target: str
    copied: bool
    state: str
    attempts: int
    last_error: str | None
    next_try_at: datetime
    sent_at: datetime | None


NoticeKind = Literal["remind", "chase", "returned", "yellow", "red", "receipt"]


class NoticeOut(BaseModel):
    id: int
    kind: NoticeKind
    label: str
    state: str
    plan_id: int
    plan_title: str
    task_id: int
    task_no: str
    task_name: str
    unit_id: int
    unit_name: str
    period_id: int
    period_name: str
    day: date
    number: int | None
    number_text: str
    reason: str
    leaders: list[str]
    respond_by: date | None
    answered_at: datetime | None
    answer_report_id: int | None
    read: bool
    link: str
    deliveries: list[DeliveryOut] = []


class WaitingOut(BaseModel):
    kind: str
    label: str
    count: int
    link: str


class BellOut(BaseModel):
    items: list[NoticeOut]
    unread: int
    waiting: list[WaitingOut]


class UnreadOut(BaseModel):
    unread: int


class MarkedOut(BaseModel):
    marked: int
    unread: int


class ChasingPageOut(BaseModel):
    items: list[NoticeOut]
    open_documents: int


class OpenDocumentsOut(BaseModel):
    open_documents: int


class ContactOut(BaseModel):
    unit_id: int
    person: str
    phone: str
    email: str
    robot_kind: str | None
    robot_url: str
    has_secret: bool


class ChasingRulesOut(BaseModel):
    remind_days: int
    escalate_days: int
    returned_days: int
    respond_days: int
    receipt_days: int
    remind: bool
    chase: bool
    returned: bool
    yellow: bool
    red: bool
    receipt: bool
    copy_leaders: bool
    copy_emails: list[str]
    robot_kind: str | None
    robot_url: str
    has_secret: bool


class OkOut(BaseModel):
    ok: bool = True


class CalendarDayOut(BaseModel):
    day: date
    workday: bool
    note: str


class CalendarCheckOut(BaseModel):
    """One day: by the Chinese calendar alone, and with the office's entry (if any) over it."""

    day: date
    national_workday: bool
    workday: bool
    office: CalendarDayOut | None
