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
from duban.ledger.services import access, requests
from duban.ledger.store.models import (
    Appeal,
    Delivery,
    Extension,
    Instruction,
    Notice,
    NoticeRead,
    Period,
    Plan,
    Rectification,
    Report,
    Task,
    TaskAdjustment,
    TaskReceipt,
    Unit,
    User,
    WorkPlan,
)


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
                link="/my" if notice.kind == "receipt" else f"/tasks/{notice.task_id}",
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


def _count(session: Session, query: Select[Any]) -> int:
    return session.scalar(query) or 0


def _item(kind: str, label: str, count: int, link: str) -> list[dict[str, Any]]:
    return [{"kind": kind, "label": label, "count": count, "link": link}] if count else []


def unconfirmed_tasks(session: Session, user: User) -> list[int]:
    """The tasks of published plans assigned to the unit account's unit (named on them, or through a 各…
    group) that it has not yet confirmed (签收), in plan order."""
    unit_id = user.unit_id if user.role == "unit" else None
    if unit_id is None:
        return []
    query = (
        select(Task.id)
        .join(Plan, Plan.id == Task.plan_id)
        .where(
            Plan.state == "published",
            Task.id.not_in(select(TaskReceipt.task_id).where(TaskReceipt.unit_id == unit_id)),
        )
        .order_by(Task.plan_id, Task.position)
    )
    candidates = list(session.scalars(access.visible_tasks(session, user, query)))
    assigned = requests.assignees(session, candidates)
    return [task_id for task_id in candidates if unit_id in assigned.get(task_id, set())]


def waiting(session: Session, user: User) -> list[dict[str, Any]]:
    """What waits for the reader besides reminders, each a count and the page where it is done.

    The office: reports and 实施方案 to review, requests (调整, 延期, 申诉) to decide, in the plans its
    jurisdiction reads. A unit, only its own: returned reports to resubmit, 领导批示 to answer on its tasks,
    tasks of a published plan to confirm (签收), rectifications opened or sent back and not yet answered
    (a 督办单 for a unit is itself a notice)."""
    items: list[dict[str, Any]] = []
    if user.role == "admin":
        plans = access.visible_plan_ids(session, user)

        def waiting_in(model: Any, state: str) -> int:
            """How many rows of ``model`` (a task's report, 实施方案 or request) wait in ``state`` in the plans
            the office reads."""
            query = (
                select(func.count())
                .select_from(model)
                .join(Task, Task.id == model.task_id)
                .where(model.state == state)
            )
            return _count(session, query if plans is None else query.where(Task.plan_id.in_(plans)))

        count = waiting_in(Report, "submitted")
        items += _item("review", f"{count}份报告待审核", count, "/review")
        count = waiting_in(WorkPlan, "submitted")
        items += _item("workplans", f"{count}份实施方案待审核", count, "/review")
        count = sum(waiting_in(model, "requested") for model in (TaskAdjustment, Extension, Appeal))
        items += _item("requests", f"{count}项申请（调整、延期、申诉）待审批", count, "/requests")
    elif user.role == "unit" and user.unit_id is not None:
        unit_id = user.unit_id
        count = _count(
            session,
            select(func.count())
            .select_from(Report)
            .where(Report.unit_id == unit_id, Report.state == "returned"),
        )
        items += _item("returned", f"{count}份报告被退回待修改", count, "/my")
        own_tasks = access.visible_tasks(session, user, select(Task.id)).scalar_subquery()
        count = _count(
            session,
            select(func.count())
            .select_from(Instruction)
            .where(Instruction.state == "open", Instruction.task_id.in_(own_tasks)),
        )
        items += _item("instructions", f"{count}条领导批示待答复", count, "/requests?tab=instructions")
        count = len(unconfirmed_tasks(session, user))
        items += _item("receipts", f"{count}项任务待签收", count, "/my")
        count = _count(
            session,
            select(func.count())
            .select_from(Rectification)
            .where(Rectification.unit_id == unit_id, Rectification.state == "open"),
        )
        items += _item("rectifications", f"{count}个整改问题待答复", count, "/rectifications")
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


@dataclass(frozen=True)
class RedDocument:
    """A 红色督办单 issued for a period, as the period's 通报 names it."""

    task_id: int
    unit_id: int
    unit_name: str
    number_text: str
    day: date


def red_documents_of_period(session: Session, period_id: int, on: date) -> list[RedDocument]:
    """The 红色督办单 issued for ``period_id`` by ``on`` (the day the bulletin's figures are taken), by unit
    name then number: issue 16 names in the period's 通报 the units that got one (still nothing 5 working
    days after a 催报, or a task red), so a bulletin taken on a day never names one issued after it."""
    rows = session.execute(
        select(Notice.task_id, Notice.unit_id, Unit.name, Notice.year, Notice.number, Notice.day)
        .join(Unit, Unit.id == Notice.unit_id)
        .where(Notice.kind == "red", Notice.period_id == period_id, Notice.day <= on)
        .order_by(Unit.name, Notice.number, Notice.id)
    ).all()
    return [
        RedDocument(task_id, unit_id, name, number_text(year, number), day)
        for task_id, unit_id, name, year, number, day in rows
    ]
