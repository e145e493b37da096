"""Chasing: the bell (``/api/notices``), the 督办 page (``/api/chasing``), a 督办单 document, unit contacts
and a plan's chasing rules. Queries and checks live in the ledger (``views/notices``, ``services/contacts``,
``services/plan_rules``); this module parses and answers."""

from __future__ import annotations

from typing import Annotated, Any, Literal
from urllib.parse import quote

from fastapi import APIRouter, Query, Response
from pydantic import Field

from duban.ledger.errors import NotFound
from duban.ledger.rules.chasing import DOCUMENT_KINDS
from duban.ledger.services import access, contacts, plan_rules
from duban.ledger.views import notices
from duban.outputs.supervision_docx import supervision_docx
from duban.web.deps import CurrentUser, Db, State
from duban.web.schemas.chasing import (
    BellOut,
    CalendarCheckOut,
    CalendarDayOut,
    ChasingPageOut,
    ChasingRulesOut,
    ContactOut,
    MarkedOut,
    NoticeOut,
    OkOut,
    OpenDocumentsOut,
    UnreadOut,
)
from duban.web.validation import Body, Day, Id, OptionalQueryId, PathId

router = APIRouter(prefix="/api", tags=["督办 chasing"])
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@router.get("/notices", response_model=BellOut)
def bell(db: Db, user: CurrentUser) -> dict[str, Any]:
    """The reader's own notices (a unit: only its unit's), the unread count and what waits for it."""
    with db.reader() as session:
        return notices.bell(session, user)


@router.get("/notices/unread", response_model=UnreadOut)
def unread(db: Db, user: CurrentUser) -> dict[str, Any]:
    with db.reader() as session:
        return {"unread": notices.unread_count(session, user)}


class ReadBody(Body):
    ids: list[Id] = Field(max_length=1000)


@router.post("/notices/read", response_model=MarkedOut)
def mark_read(body: ReadBody, db: Db, user: CurrentUser, state: State) -> dict[str, Any]:
    with db.writer() as session:
        marked = contacts.mark_read(session, user, body.ids, state.clock.now())
        return {"marked": marked, "unread": notices.unread_count(session, user)}


@router.get("/notices/{notice_id}", response_model=NoticeOut)
def one_notice(notice_id: PathId, db: Db, user: CurrentUser) -> notices.NoticeRow:
    with db.reader() as session:
        return notices.get(session, user, notice_id)


@router.get("/notices/{notice_id}/document.docx")
def supervision_document(notice_id: PathId, db: Db, user: CurrentUser) -> Response:
    """The 督办单 as a Word document (the unit it is addressed to, or the office)."""
    with db.reader() as session:
        notice = notices.get(session, user, notice_id)
        if notice.kind not in DOCUMENT_KINDS:
            raise NotFound("该通知不是督办单 / this notice is not a 督办单")
        plan = access.plan_for(session, user, notice.plan_id) if user.role != "unit" else None
        office = (plan.supervisor if plan is not None else None) or "督查室"
    data = supervision_docx(notice, office)
    filename = f"{notice.number_text or '督办单'}-{notice.unit_name}.docx"
    return Response(
        data,
        media_type=DOCX,
        headers={"Content-Disposition": f"attachment; filename*=UTF-8''{quote(filename)}"},
    )


@router.get("/tasks/{task_id}/notices", response_model=list[NoticeOut])
def task_notices(task_id: PathId, db: Db, user: CurrentUser) -> list[notices.NoticeRow]:
    with db.reader() as session:
        return notices.of_task(session, user, task_id)


@router.get("/chasing", response_model=ChasingPageOut)
def chasing_page(
    db: Db,
    user: CurrentUser,
    plan: OptionalQueryId = None,
    unit: OptionalQueryId = None,
    kind: Annotated[Literal["remind", "chase", "returned", "yellow", "red"] | None, Query()] = None,
    delivery: Annotated[Literal["pending", "sent", "failed"] | None, Query()] = None,
) -> dict[str, Any]:
    """督办 page (office): the notices sent with their delivery states."""
    with db.reader() as session:
        return notices.chasing_page(
            session, user, plan_id=plan, unit_id=unit, kind=kind, delivery_state=delivery
        )


@router.get("/chasing/open", response_model=OpenDocumentsOut)
def open_documents(db: Db, user: CurrentUser) -> dict[str, Any]:
    """How many 督办单 are open (总览)."""
    with db.reader() as session:
        return {"open_documents": notices.open_documents(session, user)}


@router.post("/chasing/deliveries/{delivery_id}/resend", response_model=OkOut)
def resend(delivery_id: PathId, db: Db, user: CurrentUser, state: State) -> dict[str, Any]:
    with db.writer() as session:
        contacts.resend(session, user, delivery_id, state.clock.now())
    return {"ok": True}


@router.get("/units/{unit_id}/contact", response_model=ContactOut)
def get_contact(unit_id: PathId, db: Db, user: CurrentUser) -> dict[str, Any]:
    with db.reader() as session:
        return contacts.get_contact(session, user, unit_id)


class ContactBody(Body):
    person: str = Field("", max_length=100)
    phone: str = Field("", max_length=50)
    email: str = Field("", max_length=200)
    robot_kind: Literal["dingtalk", "wecom"] | None = None
    robot_url: str = Field("", max_length=500)
    robot_secret: str | None = Field(None, max_length=200)


@router.put("/units/{unit_id}/contact", response_model=ContactOut)
def put_contact(
    unit_id: PathId, body: ContactBody, db: Db, user: CurrentUser, state: State
) -> dict[str, Any]:
    with db.writer() as session:
        return contacts.set_contact(
            session, user, unit_id, contacts.ContactInput(**body.model_dump()), state.clock.now()
        )


def _rules_json(rules: Any) -> dict[str, Any]:
    value = plan_rules.chasing_json(rules)
    value["has_secret"] = bool(value.pop("robot_secret"))
    return value


@router.get("/plans/{plan_id}/chasing-rules", response_model=ChasingRulesOut)
def get_rules(plan_id: PathId, db: Db, user: CurrentUser) -> dict[str, Any]:
    with db.reader() as session:
        access.plan_for(session, user, plan_id)
        access.require_admin(user)
        return _rules_json(plan_rules.chasing_for(session, plan_id))


class RulesBody(Body):
    remind_days: int | None = Field(None, ge=0, le=60)
    escalate_days: int | None = Field(None, ge=0, le=60)
    returned_days: int | None = Field(None, ge=0, le=60)
    respond_days: int | None = Field(None, ge=0, le=60)
    receipt_days: int | None = Field(None, ge=0, le=60)
    remind: bool | None = None
    chase: bool | None = None
    returned: bool | None = None
    yellow: bool | None = None
    red: bool | None = None
    receipt: bool | None = None
    copy_leaders: bool | None = None
    copy_emails: list[str] | None = Field(None, max_length=50)
    robot_kind: Literal["dingtalk", "wecom"] | None = None
    robot_url: str | None = Field(None, max_length=500)
    robot_secret: str | None = Field(None, max_length=200)


@router.put("/plans/{plan_id}/chasing-rules", response_model=ChasingRulesOut)
def put_rules(plan_id: PathId, body: RulesBody, db: Db, user: CurrentUser, state: State) -> dict[str, Any]:
    with db.writer() as session:
        access.plan_for(session, user, plan_id, write=True)
        access.require_admin(user)
        changes = body.model_dump(exclude_unset=True)
        return _rules_json(plan_rules.set_chasing(session, plan_id, changes, user, state.clock.now()))


@router.get("/chasing/calendar", response_model=list[CalendarDayOut])
def calendar(db: Db, user: CurrentUser) -> list[dict[str, Any]]:
    """The holidays and 调休 working days the office added over the Chinese calendar."""
    access.require_admin(user)
    with db.reader() as session:
        return contacts.calendar_days(session)


@router.get("/chasing/calendar/{day}", response_model=CalendarCheckOut)
def calendar_day(day: Day, db: Db, user: CurrentUser) -> dict[str, Any]:
    """One day by the Chinese calendar and with the office's entry: what removing the entry would change."""
    access.require_admin(user)
    with db.reader() as session:
        return contacts.calendar_day(session, day)


class CalendarBody(Body):
    day: Day
    workday: bool  # False: 放假, True: 调休上班 (an entry is taken back with DELETE)
    note: str = Field("", max_length=200)


@router.put("/chasing/calendar", response_model=list[CalendarDayOut])
def set_calendar(body: CalendarBody, db: Db, user: CurrentUser, state: State) -> list[dict[str, Any]]:
    with db.writer() as session:
        contacts.set_calendar_day(session, user, body.day, body.workday, body.note, state.clock.now())
        return contacts.calendar_days(session)


@router.delete("/chasing/calendar/{day}", response_model=list[CalendarDayOut])
def remove_calendar(day: Day, db: Db, user: CurrentUser, state: State) -> list[dict[str, Any]]:
    """Take back a day the office added: the Chinese calendar decides it again."""
    with db.writer() as session:
        contacts.remove_calendar_day(session, user, day, state.clock.now())
        return contacts.calendar_days(session)
