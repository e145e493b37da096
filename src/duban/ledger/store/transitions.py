"""One way to change the state of a workflow object.

Each object that has a workflow (a plan, a report, an issued bulletin; the chasing and the 签收/整改/批示
objects will join them) has an enum of states and a table of allowed moves (:data:`MOVES`): from which
states, to which, by which roles, in which scope, and which event it raises. :func:`move` checks the move and
the permission, changes the state by compare-and-set (the row must still be in a source state, and at the
version the caller saw where the table has one), and writes the change-log row and the event row (an outbox
that reminders and notifications read) in the caller's transaction — so a state never changes without both.
The table is data: ``GET /api/session`` reports the moves an account may make, and the web app shows only
those buttons.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any, cast

from sqlalchemy import JSON, DateTime, Select, String, Table, literal, null, select, update
from sqlalchemy.orm import Session

from duban.ledger.errors import Conflict, Forbidden, Invalid
from duban.ledger.store import changelog
from duban.ledger.store.db import insert_rows, insert_selected
from duban.ledger.store.models import Base, Change, Event, User

NEW = "new"  # the state of an object not yet stored


class ReportState(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    APPROVED = "approved"
    RETURNED = "returned"


class PlanState(StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"


STATE_LABELS: dict[str, dict[str, str]] = {
    "report": {"draft": "草稿", "submitted": "已报送", "approved": "已通过", "returned": "退回"},
    "plan": {"draft": "草稿", "published": "已发布"},
    "bulletin": {"issued": "已印发"},
    "notice": {"issued": "已发出", "answered": "已答复"},
    # issue 21: 签收, the unit requests (调整, 延期, 申诉) and 领导批示
    "receipt": {"confirmed": "已签收"},
    "adjustment": {"requested": "待审批", "granted": "已同意", "refused": "未同意"},
    "extension": {"requested": "待审批", "granted": "已同意", "refused": "未同意"},
    "appeal": {"requested": "待审批", "granted": "已同意", "refused": "未同意"},
    "instruction": {"open": "待答复", "answered": "已答复"},
    "workplan": {"draft": "草稿", "submitted": "已报送", "approved": "已通过", "returned": "退回"},
    "rectification": {"open": "整改中", "answered": "已答复", "closed": "已销号"},
    "contribution": {"submitted": "已提交"},
}


@dataclass(frozen=True)
class Move:
    """An allowed move: ``kind`` object, ``action`` from ``sources`` to ``target`` by ``roles`` within
    ``scope`` (``unit``: the account's own unit; ``jurisdiction``: what the account writes), raising
    ``event`` (none: nothing for reminders to follow)."""

    kind: str
    action: str
    sources: tuple[str, ...]
    target: str
    roles: tuple[str, ...]
    scope: str
    label: str
    event: str | None = None


MOVES: tuple[Move, ...] = (
    Move("report", "create", (NEW,), "draft", ("unit", "admin"), "unit", "新建草稿"),
    Move("report", "save", ("draft", "returned", "submitted"), "draft", ("unit", "admin"), "unit", "保存"),
    Move("report", "submit", (NEW, "draft", "returned", "submitted"), "submitted", ("unit", "admin"), "unit",
         "报送", "report.submitted"),
    Move("report", "supersede", ("approved",), "draft", ("unit", "admin"), "unit", "更正（新稿）"),
    Move("report", "approve", ("submitted",), "approved", ("admin",), "jurisdiction", "通过", "report.approved"),
    Move("report", "return", ("submitted",), "returned", ("admin",), "jurisdiction", "退回", "report.returned"),
    Move("plan", "publish", ("draft",), "published", ("admin",), "jurisdiction", "发布", "plan.published"),
    Move("bulletin", "issue", (NEW,), "issued", ("admin",), "jurisdiction", "印发", "bulletin.issued"),
    # Chasing (issue 16): the engine issues a notice; a unit's report answers it; reads are per account.
    Move("notice", "issue", (NEW,), "issued", ("admin",), "jurisdiction", "发出", "notice.issued"),
    Move("notice", "answer", ("issued",), "answered", ("unit", "admin"), "unit", "已答复", "notice.answered"),
    Move("receipt", "confirm", (NEW,), "confirmed", ("unit",), "unit", "签收", "task.confirmed"),
    Move("adjustment", "request", (NEW,), "requested", ("unit",), "unit", "申请调整", "adjustment.requested"),
    Move("adjustment", "grant", ("requested",), "granted", ("admin",), "jurisdiction", "同意调整",
         "adjustment.granted"),
    Move("adjustment", "refuse", ("requested",), "refused", ("admin",), "jurisdiction", "不同意调整",
         "adjustment.refused"),
    Move("extension", "request", (NEW,), "requested", ("unit",), "unit", "申请延期", "extension.requested"),
    Move("extension", "grant", ("requested",), "granted", ("admin",), "jurisdiction", "同意延期",
         "extension.granted"),
    Move("extension", "refuse", ("requested",), "refused", ("admin",), "jurisdiction", "不同意延期",
         "extension.refused"),
    Move("appeal", "request", (NEW,), "requested", ("unit",), "unit", "申诉", "appeal.requested"),
    Move("appeal", "grant", ("requested",), "granted", ("admin",), "jurisdiction", "同意申诉（免责）",
         "appeal.granted"),
    Move("appeal", "refuse", ("requested",), "refused", ("admin",), "jurisdiction", "驳回申诉",
         "appeal.refused"),
    Move("instruction", "write", (NEW,), "open", ("leader", "admin"), "jurisdiction", "批示",
         "instruction.written"),
    Move("instruction", "answer", ("open", "answered"), "answered", ("unit",), "unit", "答复批示",
         "instruction.answered"),
    # issue 21: 实施方案 (a unit's plan of dated nodes for a task it leads), reviewed like a report.
    Move("workplan", "create", (NEW,), "draft", ("unit",), "unit", "新建实施方案"),
    Move("workplan", "save", ("draft", "returned"), "draft", ("unit",), "unit", "保存实施方案"),
    Move("workplan", "submit", ("draft", "returned"), "submitted", ("unit",), "unit", "报送实施方案",
         "workplan.submitted"),
    Move("workplan", "approve", ("submitted",), "approved", ("admin",), "jurisdiction", "通过实施方案",
         "workplan.approved"),
    Move("workplan", "return", ("submitted",), "returned", ("admin",), "jurisdiction", "退回实施方案",
         "workplan.returned"),
    Move("workplan", "node_done", ("approved",), "approved", ("unit",), "unit", "报告节点完成",
         "workplan.node_done"),
    # issue 21: 整改台账 — opened by the office, answered by the unit, 销号 by the office after review.
    Move("rectification", "open", (NEW,), "open", ("admin",), "jurisdiction", "交办整改", "rectification.opened"),
    Move("rectification", "answer", ("open", "answered"), "answered", ("unit",), "unit", "答复整改",
         "rectification.answered"),
    Move("rectification", "reopen", ("answered",), "open", ("admin",), "jurisdiction", "退回重改",
         "rectification.reopened"),
    Move("rectification", "close", ("open", "answered"), "closed", ("admin",), "jurisdiction", "销号",
         "rectification.closed"),
    # issue 21: a supporting unit's contribution to the reporting unit's report (never a report itself).
    Move("contribution", "write", (NEW, "submitted"), "submitted", ("unit",), "unit", "提交协办材料",
         "contribution.submitted"),
)  # fmt: skip
_BY_KEY = {(m.kind, m.action): m for m in MOVES}


def find(kind: str, action: str) -> Move:
    return _BY_KEY[(kind, action)]


def check(kind: str, action: str, state: str, actor: User | None) -> Move:
    """The move, if ``actor`` may make it from ``state``: else Forbidden (role) or Conflict (state), in
    Chinese. ``actor`` None is the system itself (demo data, migrations)."""
    move = find(kind, action)
    if actor is not None and actor.role not in move.roles:
        raise Forbidden(f"当前账号不能执行“{move.label}” / this account may not {action} a {kind}")
    if state not in move.sources:
        now = STATE_LABELS.get(kind, {}).get(state, state)
        raise Conflict(f"当前状态（{now}）不能执行“{move.label}” / cannot {action} a {kind} in state {state}")
    return move


def permissions(role: str) -> list[dict[str, Any]]:
    """The moves a role may make, as the API reports them to the front end."""
    return [
        {"kind": m.kind, "action": m.action, "label": m.label, "scope": m.scope}
        for m in MOVES
        if role in m.roles
    ]


def record(
    session: Session,
    move: Move,
    actor: User | None,
    object_id: int,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
    now: datetime,
    *,
    plan_id: int | None = None,
    unit_id: int | None = None,
    period_id: int | None = None,
    payload: dict[str, Any] | None = None,
    action: str | None = None,
) -> None:
    """The change-log row and, for a move that raises one, the event row of a move already made.
    ``action`` names the log entry when it differs from the move's (a report's first save is ``create``)."""
    changelog.record(session, actor, move.kind, object_id, action or move.action, before, after, now)
    if move.event is not None:
        session.add(
            Event(
                kind=move.event,
                object_type=move.kind,
                object_id=object_id,
                plan_id=plan_id,
                unit_id=unit_id,
                period_id=period_id,
                payload=changelog.plain(payload or {}),
                created_at=now,
            )
        )


def move(
    session: Session,
    model: type[Base],
    row: Any,
    action: str,
    actor: User | None,
    now: datetime,
    *,
    values: dict[str, Any] | None = None,
    version: int | None = None,
    before: dict[str, Any] | None = None,
    after: Any = None,
    conflict: str | None = None,
    plan_id: int | None = None,
    unit_id: int | None = None,
    period_id: int | None = None,
) -> Move:
    """Move a stored ``row`` by ``action``: checked against the table, then one UPDATE that matches only
    while the row is still in a source state (and at ``version``, for tables that have one), then the log
    and event rows. ``after`` makes the log's after-image from the refreshed row."""
    kind = _kind_of(model)
    found = check(kind, action, str(row.state), actor)
    table: Any = model
    condition = [table.id == row.id, table.state.in_(found.sources)]
    changes = {**(values or {}), "state": found.target}
    if version is not None:
        condition.append(table.version == version)
        changes["version"] = version + 1
    done = session.execute(
        update(table).where(*condition).values(**changes).execution_options(synchronize_session=False)
    )
    if done.rowcount != 1:  # type: ignore[attr-defined]
        raise Conflict(conflict or "该记录已被他人处理，请刷新 / someone else changed this first")
    session.refresh(row)
    image = after(row) if after is not None else {"state": found.target}
    record(
        session,
        found,
        actor,
        row.id,
        before,
        image,
        now,
        plan_id=plan_id,
        unit_id=unit_id,
        period_id=period_id,
    )
    return found


def _kind_of(model: type[Base]) -> str:
    return {
        "reports": "report",
        "plans": "plan",
        "bulletins": "bulletin",
        "notices": "notice",
        "task_receipts": "receipt",
        "task_adjustments": "adjustment",
        "extensions": "extension",
        "appeals": "appeal",
        "instructions": "instruction",
        "work_plans": "workplan",
        "rectifications": "rectification",
        "contributions": "contribution",
    }[str(model.__tablename__)]


def record_many(
    session: Session, move: Move, items: list[dict[str, Any]], now: datetime, actor: User | None = None
) -> None:
    """The change-log and event rows of many moves already made, in two statements (the engine issues
    thousands of notices on a province's first day). Each item: ``object_id``, ``after`` and optionally
    ``plan_id``, ``unit_id``, ``period_id``."""
    if not items:
        return
    connection = session.connection()  # Core: no ORM bookkeeping for thousands of rows
    afters = [changelog.plain(item["after"]) for item in items]  # once for the log and the event
    insert_rows(
        connection,
        cast(Table, Change.__table__),
        [
            {
                "at": now,
                "user_id": actor.id if actor else None,
                "actor": actor.username if actor else "system",
                "object_type": move.kind,
                "object_id": item["object_id"],
                "action": move.action,
                "before": None,
                "after": after,
            }
            for item, after in zip(items, afters, strict=True)
        ],
    )
    if move.event is not None:
        insert_rows(
            connection,
            cast(Table, Event.__table__),
            [
                {
                    "kind": move.event,
                    "object_type": move.kind,
                    "object_id": item["object_id"],
                    "plan_id": item.get("plan_id"),
                    "unit_id": item.get("unit_id"),
                    "period_id": item.get("period_id"),
                    "payload": after,
                    "created_at": now,
                }
                for item, after in zip(items, afters, strict=True)
            ],
        )


def record_selected(session: Session, move: Move, moved: Select[Any], now: datetime) -> None:
    """The change-log and event rows of moves the system made, written by the database from the rows
    ``moved`` selects (columns labelled ``object_id``, ``plan_id``, ``unit_id``, ``period_id`` and ``after``,
    a JSON object built in SQL, e.g. with ``db.json_object``): the reminder engine's fifty thousand notices of
    a province's heaviest day never pass through Python twice more."""
    source = moved.subquery("moved")
    connection = session.connection()
    insert_selected(
        connection,
        cast(Table, Change.__table__),
        select(
            literal(now, DateTime).label("at"),
            null().label("user_id"),
            literal("system", String).label("actor"),
            literal(move.kind, String).label("object_type"),
            source.c.object_id,
            literal(move.action, String).label("action"),
            literal(None, JSON).label("before"),
            source.c.after,
        ),
    )
    if move.event is not None:
        insert_selected(
            connection,
            cast(Table, Event.__table__),
            select(
                literal(move.event, String).label("kind"),
                literal(move.kind, String).label("object_type"),
                source.c.object_id,
                source.c.plan_id,
                source.c.unit_id,
                source.c.period_id,
                source.c.after.label("payload"),
                literal(now, DateTime).label("created_at"),
            ),
        )


def review(
    session: Session,
    model: type[Base],
    row: Any,
    approve: bool,
    comment: str | None,
    actor: User,
    now: datetime,
    *,
    version: int | None,
    snapshot: Any,
    conflict: str,
    plan_id: int | None = None,
    unit_id: int | None = None,
    period_id: int | None = None,
) -> Move:
    """The office's review of something submitted (a report, a 实施方案): ``approve`` or ``return``, a return
    only with a comment; the reviewer, the comment and (approving) the time are stored with the move. One
    function, so every reviewed object is reviewed by the same rules."""
    action = "approve" if approve else "return"
    check(_kind_of(model), action, str(row.state), actor)
    if not approve and not (comment or "").strip():
        raise Invalid("退回时请填写意见 / a return needs a comment")
    values: dict[str, Any] = {"reviewed_by": actor.id, "review_comment": comment, "updated_at": now}
    if approve:
        values["approved_at"] = now
    return move(
        session,
        model,
        row,
        action,
        actor,
        now,
        values=values,
        version=version if version is not None else row.version,
        before=snapshot(row),
        after=snapshot,
        conflict=conflict,
        plan_id=plan_id,
        unit_id=unit_id,
        period_id=period_id,
    )
