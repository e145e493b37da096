"""整改台账: problems found in supervision (督查发现的问题), each tied to a task and a unit (issue 21).

The office opens one with a deadline (and the 整改措施 it expects); the unit answers (its measures and what
was done), possibly more than once; the office closes it (销号) after review, or sends it back (退回重改).
Open past its deadline it is 逾期 and costs the unit ``Rules.rectification_penalty`` points in the ranking
(``rules.status.overdue_by_unit``). Every state change goes through ``transitions.move``/``record``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from duban.ledger.errors import Forbidden, Invalid, NotFound
from duban.ledger.rules import status
from duban.ledger.services import access
from duban.ledger.store import transitions
from duban.ledger.store.models import Rectification, Task, TaskUnit, Unit, User

STATE_LABELS = transitions.STATE_LABELS["rectification"]


@dataclass(frozen=True)
class OpenInput:
    task: int
    problem: str
    deadline: date
    unit: int | None = None  # the task's reporting unit when not given
    measures: str = ""


def snapshot(item: Rectification) -> dict[str, Any]:
    return {
        "state": item.state,
        "problem": item.problem,
        "measures": item.measures,
        "deadline": item.deadline,
        "answers": len(item.answers or []),
        "closed_on": item.closed_on,
        "close_comment": item.close_comment,
    }


def is_overdue(item: Rectification, today: date) -> bool:
    return status.is_overdue(
        status.RectificationFact(item.unit_id, item.deadline, item.opened_on, item.closed_on), today
    )


def as_dict(item: Rectification, today: date, names: dict[int, str], tasks: dict[int, Any]) -> dict[str, Any]:
    overdue = is_overdue(item, today)
    task = tasks.get(item.task_id)
    return {
        "id": item.id,
        "plan": item.plan_id,
        "task": item.task_id,
        "task_no": task.no if task is not None else "",
        "task_name": (task.name or task.text[:40]) if task is not None else "",
        "unit": item.unit_id,
        "unit_name": names.get(item.unit_id, ""),
        "problem": item.problem,
        "measures": item.measures,
        "deadline": item.deadline.isoformat(),
        "state": item.state,
        "state_label": "逾期" if overdue else STATE_LABELS.get(item.state, item.state),
        "overdue": overdue,
        "answers": list(item.answers or []),
        "opened_on": item.opened_on.isoformat(),
        "closed_on": item.closed_on.isoformat() if item.closed_on else None,
        "close_comment": item.close_comment,
        "version": item.version,
    }


def _clean(text: str, what: str, limit: int = 5000) -> str:
    text = (text or "").strip()
    if not text:
        raise Invalid(f"请填写{what} / {what} is required")
    if len(text) > limit:
        raise Invalid(f"{what}过长（最多 {limit} 字）/ too long")
    return text


def open_item(session: Session, user: User, data: OpenInput, now: datetime) -> Rectification:
    """The office opens a rectification on a task for one of its units."""
    access.require_admin(user)
    task = access.get_task(session, user, data.task)
    access.require_task_write(session, user, task)
    unit_id = data.unit if data.unit is not None else task.reporting_unit_id
    if unit_id is None:
        raise Invalid("请选择整改单位 / choose the unit")
    assigned = set(session.scalars(select(TaskUnit.unit_id).where(TaskUnit.task_id == task.id)))
    if unit_id not in assigned:
        raise Invalid("整改单位必须是该任务的责任单位 / the unit must be one of the task's units")
    if data.deadline < now.date():
        raise Invalid("整改时限不能早于今天 / the deadline cannot be in the past")
    found = transitions.check("rectification", "open", transitions.NEW, user)
    item = Rectification(
        plan_id=task.plan_id,
        task_id=task.id,
        unit_id=unit_id,
        problem=_clean(data.problem, "问题描述"),
        measures=(data.measures or "").strip(),
        deadline=data.deadline,
        state="open",
        answers=[],
        opened_on=now.date(),
        created_by=user.id,
        created_at=now,
        updated_at=now,
        version=1,
    )
    session.add(item)
    session.flush()
    transitions.record(
        session, found, user, item.id, None, snapshot(item), now, plan_id=task.plan_id, unit_id=unit_id,
        payload={"task": task.id, "deadline": data.deadline},
    )  # fmt: skip
    return item


def get_visible(session: Session, user: User, item_id: int) -> Rectification:
    item = session.get(Rectification, item_id)
    missing = NotFound("整改事项不存在 / no such rectification")
    if item is None:
        raise missing
    if user.role == "unit":
        if item.unit_id != user.unit_id:
            raise missing
        return item
    try:
        access.plan_for(session, user, item.plan_id)
    except NotFound:
        raise missing from None
    return item


def answer(
    session: Session,
    user: User,
    item_id: int,
    text: str,
    measures: str | None,
    now: datetime,
    version: int | None,
) -> Rectification:
    """The unit answers (what it did; its 整改措施 when given)."""
    item = get_visible(session, user, item_id)
    if user.role != "unit" or item.unit_id != user.unit_id:
        raise Forbidden("只有整改单位可以答复 / only the unit answers")
    entry = {"at": now.isoformat(timespec="seconds"), "by": user.username, "text": _clean(text, "整改情况")}
    values: dict[str, Any] = {"answers": [*(item.answers or []), entry], "updated_at": now}
    if measures is not None and measures.strip():
        values["measures"] = measures.strip()[:5000]
    transitions.move(
        session, Rectification, item, "answer", user, now, values=values,
        version=version if version is not None else item.version, before=snapshot(item), after=snapshot,
        plan_id=item.plan_id, unit_id=item.unit_id,
    )  # fmt: skip
    return item


def review(
    session: Session,
    user: User,
    item_id: int,
    close: bool,
    comment: str | None,
    now: datetime,
    version: int | None,
) -> Rectification:
    """销号 (``close``) after review, or back to the unit (退回重改, a comment needed)."""
    item = get_visible(session, user, item_id)
    access.require_admin(user)
    access.plan_for(session, user, item.plan_id, write=True)
    if not close and not (comment or "").strip():
        raise Invalid("退回重改时请填写意见 / a return needs a comment")
    values: dict[str, Any] = {"close_comment": comment, "updated_at": now}
    if close:
        values["closed_on"] = now.date()
    transitions.move(
        session, Rectification, item, "close" if close else "reopen", user, now, values=values,
        version=version if version is not None else item.version, before=snapshot(item), after=snapshot,
        plan_id=item.plan_id, unit_id=item.unit_id,
    )  # fmt: skip
    return item


def listing(
    session: Session,
    user: User,
    today: date,
    *,
    plan_id: int | None = None,
    unit_id: int | None = None,
    state: str | None = None,
) -> list[dict[str, Any]]:
    """The rectifications the account sees (a unit: its own), newest first; ``state`` ``overdue`` is the
    open ones past their deadline."""
    query = select(Rectification)
    if user.role == "unit":
        query = query.where(Rectification.unit_id == (user.unit_id or -1))
    else:
        plans = access.visible_plan_ids(session, user)
        if plans is not None:
            query = query.where(Rectification.plan_id.in_(plans))
    if plan_id is not None:
        query = query.where(Rectification.plan_id == plan_id)
    if unit_id is not None:
        query = query.where(Rectification.unit_id == unit_id)
    if state in ("open", "answered", "closed"):
        query = query.where(Rectification.state == state)
    items = list(session.scalars(query.order_by(Rectification.id.desc())))
    if state == "overdue":
        items = [i for i in items if is_overdue(i, today)]
    names = dict(
        session.execute(select(Unit.id, Unit.name).where(Unit.id.in_({i.unit_id for i in items}))).all()
    )
    tasks = {t.id: t for t in session.scalars(select(Task).where(Task.id.in_({i.task_id for i in items})))}
    return [as_dict(i, today, names, tasks) for i in items]


def by_unit(session: Session, user: User, today: date, plan_id: int | None = None) -> list[dict[str, Any]]:
    """Per unit: open, overdue and closed counts (the overview's and 整改台账's summary)."""
    rows: dict[int, dict[str, Any]] = {}
    for item in listing(session, user, today, plan_id=plan_id):
        row = rows.setdefault(
            item["unit"],
            {"unit": item["unit"], "unit_name": item["unit_name"], "open": 0, "overdue": 0, "closed": 0},
        )
        if item["state"] == "closed":
            row["closed"] += 1
        else:
            row["open"] += 1
            row["overdue"] += int(item["overdue"])
    return sorted(rows.values(), key=lambda r: (-r["overdue"], -r["open"], r["unit_name"]))


def one(session: Session, user: User, item_id: int, today: date) -> dict[str, Any]:
    """One rectification as the API shows it."""
    item = get_visible(session, user, item_id)
    names = dict(session.execute(select(Unit.id, Unit.name).where(Unit.id == item.unit_id)).all())
    task = session.get(Task, item.task_id)
    return as_dict(item, today, names, {item.task_id: task} if task is not None else {})
