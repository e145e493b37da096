"""Notices as the reader sees them: the bell (a unit only its own unit's notices; the office those of the
plans of its jurisdiction), what waits for the reader besides reminders, the 督办 page with delivery
states, a task's notices and the open 督办单 count for 总览."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import Select, and_, func, select
from sqlalchemy.orm import Session

from duban.ledger.errors import NotFound
from duban.ledger.rules import chasing as rules
from duban.ledger.services import access
from duban.ledger.store.models import Delivery, Notice, NoticeRead, Period, Plan, Report, Task, Unit, User


def number_text(year: int, number: int | None) -> str:
    return f"督办〔{year}〕{number}号" if number else ""


def visible(session: Session, user: User, query: Select[Any]) -> Select[Any]:
    """Narrow a query over ``Notice`` to what ``user`` may see: a unit account its own unit's notices and
    nothing else; the office and leaders the notices of the plans their jurisdiction reads."""
    if user.role == "unit":
        return query.where(Notice.unit_id == (user.unit_id or -1))
    plans = access.visible_plan_ids(session, user)
    return query if plans is None else query.where(Notice.plan_id.in_(plans))


@dataclass
class NoticeRow:
    id: int
    kind: str
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
    deliveries: list[dict[str, Any]] = field(default_factory=list)


_COLUMNS = (
    Notice,
    Plan.title,
    Task.no,
    Task.name,
    Task.text,
    Unit.name,
    Period.name,
)


def _rows(session: Session, user: User, query: Select[Any]) -> list[NoticeRow]:
    rows = session.execute(query).all()
    ids = [r[0].id for r in rows]
    read = (
        set(
            session.scalars(
                select(NoticeRead.notice_id).where(
                    NoticeRead.user_id == user.id, NoticeRead.notice_id.in_(ids)
                )
            )
        )
        if ids
        else set()
    )
    result = []
    for notice, plan_title, task_no, task_name, task_text, unit_name, period_name in rows:
        result.append(
            NoticeRow(
                id=notice.id,
                kind=notice.kind,
                label=rules.KIND_LABELS[notice.kind],
                state=notice.state,
                plan_id=notice.plan_id,
                plan_title=plan_title,
                task_id=notice.task_id,
                task_no=task_no,
                task_name=task_name or (task_text[:40] + ("…" if len(task_text) > 40 else "")),
                unit_id=notice.unit_id,
                unit_name=unit_name,
                period_id=notice.period_id,
                period_name=period_name,
                day=notice.day,
                number=notice.number,
                number_text=number_text(notice.year, notice.number),
                reason=notice.reason,
                leaders=list(notice.leaders or []),
                respond_by=notice.respond_by,
                answered_at=notice.answered_at,
                answer_report_id=notice.answer_report_id,
                read=notice.id in read,
                link=f"/tasks/{notice.task_id}",
            )
        )
    return result


def _base() -> Select[Any]:
    query: Any = (
        select(*_COLUMNS)
        .join(Plan, Plan.id == Notice.plan_id)
        .join(Task, Task.id == Notice.task_id)
        .join(Unit, Unit.id == Notice.unit_id)
        .join(Period, Period.id == Notice.period_id)
        .order_by(Notice.day.desc(), Notice.id.desc())
    )
    return query


def unread_count(session: Session, user: User) -> int:
    query = visible(
        session,
        user,
        select(func.count())
        .select_from(Notice)
        .outerjoin(NoticeRead, and_(NoticeRead.notice_id == Notice.id, NoticeRead.user_id == user.id))
        .where(NoticeRead.notice_id.is_(None)),
    )
    return session.scalar(query) or 0


def waiting(session: Session, user: User) -> list[dict[str, Any]]:
    """What waits for the reader besides reminders: reports to review for the office; returned reports
    for a unit (a 督办单 for a unit is itself a notice)."""
    items: list[dict[str, Any]] = []
    if user.role == "admin":
        query = select(func.count()).select_from(Report).join(Task, Task.id == Report.task_id)
        query = query.where(Report.state == "submitted")
        plans = access.visible_plan_ids(session, user)
        if plans is not None:
            query = query.where(Task.plan_id.in_(plans))
        count = session.scalar(query) or 0
        if count:
            items.append(
                {"kind": "review", "label": f"{count}份报告待审核", "count": count, "link": "/review"}
            )
    elif user.role == "unit" and user.unit_id is not None:
        count = (
            session.scalar(
                select(func.count())
                .select_from(Report)
                .where(Report.unit_id == user.unit_id, Report.state == "returned")
            )
            or 0
        )
        if count:
            items.append(
                {
                    "kind": "returned",
                    "label": f"{count}份报告被退回待修改",
                    "count": count,
                    "link": "/my-tasks",
                }
            )
    return items


def bell(session: Session, user: User, limit: int = 50) -> dict[str, Any]:
    rows = _rows(session, user, visible(session, user, _base()).limit(limit))
    return {"items": rows, "unread": unread_count(session, user), "waiting": waiting(session, user)}


def of_task(session: Session, user: User, task_id: int) -> list[NoticeRow]:
    access.get_task(session, user, task_id)
    return _rows(session, user, visible(session, user, _base().where(Notice.task_id == task_id)))


def get(session: Session, user: User, notice_id: int) -> NoticeRow:
    found = _rows(session, user, visible(session, user, _base().where(Notice.id == notice_id)))
    if not found:
        raise NotFound("通知不存在 / no such notice")
    return found[0]


def chasing_page(
    session: Session,
    user: User,
    *,
    plan_id: int | None = None,
    unit_id: int | None = None,
    kind: str | None = None,
    delivery_state: str | None = None,
    limit: int = 500,
) -> dict[str, Any]:
    """The 督办 page (office): the notices sent, each with its deliveries, newest first."""
    access.require_admin(user)
    query = visible(session, user, _base())
    if plan_id is not None:
        query = query.where(Notice.plan_id == plan_id)
    if unit_id is not None:
        query = query.where(Notice.unit_id == unit_id)
    if kind is not None:
        query = query.where(Notice.kind == kind)
    if delivery_state is not None:
        query = query.where(Notice.id.in_(select(Delivery.notice_id).where(Delivery.state == delivery_state)))
    rows = _rows(session, user, query.limit(limit))
    by_notice: dict[int, list[dict[str, Any]]] = {}
    if rows:
        for d in session.scalars(
            select(Delivery).where(Delivery.notice_id.in_([r.id for r in rows])).order_by(Delivery.id)
        ):
            by_notice.setdefault(d.notice_id, []).append(
                {
                    "id": d.id,
                    "channel": d.channel,
                    "target": d.target.split("?")[0] if d.channel != "email" else d.target,
                    "copied": d.copy,
                    "state": d.state,
                    "attempts": d.attempts,
                    "last_error": d.last_error,
                    "next_try_at": d.next_try_at,
                    "sent_at": d.sent_at,
                }
            )
    for row in rows:
        row.deliveries = by_notice.get(row.id, [])
    return {"items": rows, "open_documents": open_documents(session, user)}


def open_documents(session: Session, user: User) -> int:
    """督办单 (yellow and red) not yet answered, in what the reader sees (总览)."""
    query = visible(
        session,
        user,
        select(func.count())
        .select_from(Notice)
        .where(Notice.kind.in_(rules.DOCUMENT_KINDS), Notice.state == "issued"),
    )
    return session.scalar(query) or 0
