"""实施方案: a reporting unit's plan of dated nodes (节点) for a task it leads (issue 21).

The unit enters the nodes (what is to be done by when, optionally a planned 形象进度 % or target value),
saves and submits; the office approves or returns it, like a report. Once approved, the task's 序时进度 follows
the plan (``rules.status.schedule_of``); a newer approved plan replaces the older one from the day it is
approved. The unit reports a node done on the approved plan. Every state change goes through
``transitions.move``/``record`` (change-log and event rows in the same transaction).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from duban.ledger.errors import Conflict, Forbidden, Invalid, NotFound
from duban.ledger.services import access
from duban.ledger.store import transitions
from duban.ledger.store.models import Plan, Task, Unit, User, WorkPlan, WorkPlanNode

STATE_LABELS = transitions.STATE_LABELS["workplan"]
MAX_NODES = 50


@dataclass(frozen=True)
class NodeInput:
    due: date
    title: str
    level: float | None = None
    value: float | None = None


def snapshot(plan: WorkPlan) -> dict[str, Any]:
    return {
        "state": plan.state,
        "note": plan.note,
        "nodes": [
            {"due": n.due, "title": n.title, "level": n.level, "value": n.value, "done_on": n.done_on}
            for n in plan.nodes
        ],
    }


def as_dict(plan: WorkPlan, unit_name: str = "", in_force: bool = False) -> dict[str, Any]:
    """The plan as the API shows it; ``in_force``: the approved plan the figures follow today."""
    return {
        "id": plan.id,
        "task": plan.task_id,
        "unit": plan.unit_id,
        "unit_name": unit_name,
        "state": plan.state,
        "state_label": STATE_LABELS.get(plan.state, plan.state),
        "note": plan.note,
        "submitted_at": plan.submitted_at.isoformat() if plan.submitted_at else None,
        "approved_at": plan.approved_at.isoformat() if plan.approved_at else None,
        "review_comment": plan.review_comment,
        "version": plan.version,
        "in_force": in_force,
        "nodes": [
            {
                "id": n.id,
                "position": n.position,
                "due": n.due.isoformat(),
                "title": n.title,
                "level": n.level,
                "value": n.value,
                "done_on": n.done_on.isoformat() if n.done_on else None,
            }
            for n in plan.nodes
        ],
    }


def _check_nodes(nodes: list[NodeInput], plan_year: int) -> list[NodeInput]:
    if not nodes:
        raise Invalid("实施方案至少要有一个节点 / a plan needs at least one node")
    if len(nodes) > MAX_NODES:
        raise Invalid(f"实施方案最多 {MAX_NODES} 个节点 / at most {MAX_NODES} nodes")
    ordered = sorted(nodes, key=lambda n: n.due)
    last_level = -1.0
    for index, node in enumerate(ordered, start=1):
        if not node.title.strip():
            raise Invalid(f"第 {index} 个节点请填写工作内容 / node {index} needs a title")
        if node.due.year < plan_year - 1 or node.due.year > plan_year + 5:
            raise Invalid(f"第 {index} 个节点的日期不合理 / node {index} has an unlikely date")
        if node.level is not None:
            if not 0 <= node.level <= 100:
                raise Invalid(f"第 {index} 个节点的形象进度须在 0 到 100 之间 / level must be 0–100")
            if node.level < last_level:
                raise Invalid("各节点的形象进度应逐步增加 / planned levels must not fall back")
            last_level = node.level
    return ordered


def _task_led_by(session: Session, user: User, task_id: int) -> Task:
    """The task, if the account's unit is its reporting unit (only that unit enters the plan)."""
    if user.role != "unit" or user.unit_id is None:
        raise Forbidden("只有牵头（汇总）单位可以制定实施方案 / only the reporting unit enters a plan")
    task = access.get_task(session, user, task_id)
    if task.reporting_unit_id != user.unit_id:
        raise Forbidden("只有该任务的牵头（汇总）单位可以制定实施方案 / only the task's reporting unit")
    return task


def _open_plan(session: Session, task_id: int, unit_id: int) -> WorkPlan | None:
    """The unit's plan still being written (draft, returned or submitted), if any."""
    return session.scalar(
        select(WorkPlan)
        .where(
            WorkPlan.task_id == task_id,
            WorkPlan.unit_id == unit_id,
            WorkPlan.state.in_(("draft", "returned", "submitted")),
        )
        .order_by(WorkPlan.id.desc())
        .limit(1)
    )


def save(
    session: Session,
    user: User,
    task_id: int,
    nodes: list[NodeInput],
    note: str,
    submit: bool,
    now: datetime,
    version: int | None = None,
) -> WorkPlan:
    """Create or change the unit's plan for the task; ``submit`` sends it to the office. An approved plan
    is never edited: writing again starts a new plan, which replaces it once approved."""
    task = _task_led_by(session, user, task_id)
    plan_year = session.scalar(select(Plan.year).where(Plan.id == task.plan_id)) or now.year
    ordered = _check_nodes(nodes, plan_year)
    assert user.unit_id is not None
    current = _open_plan(session, task.id, user.unit_id)
    if current is not None and current.state == "submitted":
        raise Conflict("实施方案已报送，请等待督查室审核 / the plan is waiting for review")
    if current is None:
        found = transitions.check("workplan", "create", transitions.NEW, user)
        current = WorkPlan(
            task_id=task.id,
            unit_id=user.unit_id,
            state="draft",
            note=note,
            created_by=user.id,
            created_at=now,
            updated_at=now,
            version=1,
        )
        session.add(current)
        session.flush()
        before = None
    else:
        before = snapshot(current)
        found = transitions.check("workplan", "save", current.state, user)
        if version is not None and version != current.version:
            raise Conflict("实施方案已被修改，请刷新后再保存 / the plan changed meanwhile; reload")
        current.note = note
        current.updated_at = now
        current.nodes.clear()
        session.flush()
    for position, node in enumerate(ordered):
        current.nodes.append(
            WorkPlanNode(
                position=position, due=node.due, title=node.title.strip(), level=node.level, value=node.value
            )
        )
    session.flush()
    session.refresh(current)
    if before is None:
        transitions.record(
            session, found, user, current.id, None, snapshot(current), now, unit_id=user.unit_id
        )
    elif not submit:
        transitions.move(
            session,
            WorkPlan,
            current,
            "save",
            user,
            now,
            version=current.version,
            before=before,
            after=snapshot,
        )
    if submit:
        transitions.move(
            session,
            WorkPlan,
            current,
            "submit",
            user,
            now,
            values={"submitted_at": now},
            version=current.version,
            before=before or snapshot(current),
            after=snapshot,
            unit_id=user.unit_id,
            plan_id=task.plan_id,
        )
    return current


def get_visible(session: Session, user: User, work_plan_id: int) -> WorkPlan:
    plan = session.get(WorkPlan, work_plan_id)
    missing = NotFound("实施方案不存在 / no such plan")
    if plan is None:
        raise missing
    try:
        access.get_task(session, user, plan.task_id)
    except NotFound:
        raise missing from None
    if user.role == "unit" and plan.unit_id != user.unit_id:
        raise missing
    return plan


def review(
    session: Session,
    user: User,
    work_plan_id: int,
    approve: bool,
    comment: str | None,
    now: datetime,
    version: int | None = None,
) -> WorkPlan:
    """Approve (the figures follow it from today) or return it with a comment."""
    plan = get_visible(session, user, work_plan_id)
    access.require_admin(user)
    task = session.get(Task, plan.task_id)
    assert task is not None
    access.require_task_write(session, user, task)
    transitions.review(
        session,
        WorkPlan,
        plan,
        approve,
        comment,
        user,
        now,
        version=version,
        snapshot=snapshot,
        conflict="该实施方案已被他人处理，请刷新 / someone else reviewed this plan first",
        unit_id=plan.unit_id,
        plan_id=task.plan_id,
    )
    return plan


def mark_node_done(session: Session, user: User, node_id: int, done_on: date, now: datetime) -> WorkPlan:
    """The unit reports a node of its approved plan done (on ``done_on``, not in the future)."""
    node = session.get(WorkPlanNode, node_id)
    if node is None:
        raise NotFound("节点不存在 / no such node")
    plan = get_visible(session, user, node.work_plan_id)
    if user.role != "unit" or plan.unit_id != user.unit_id:
        raise Forbidden("只有制定方案的单位可以报告节点完成 / only the plan's unit reports a node done")
    if done_on > now.date():
        raise Invalid("完成日期不能晚于今天 / the day done cannot be in the future")
    before = snapshot(plan)
    node.done_on = done_on
    session.flush()
    transitions.move(
        session,
        WorkPlan,
        plan,
        "node_done",
        user,
        now,
        values={"updated_at": now},
        version=plan.version,
        before=before,
        after=snapshot,
        unit_id=plan.unit_id,
    )
    return plan


def nodes_done_with_report(
    session: Session, user: User, task_id: int, node_ids: list[int], now: datetime
) -> None:
    """Nodes the unit reports done in its progress report, on the day it submits it (report once: the
    report form says so, no second form). A node of another task is refused; one already done stays as it
    was."""
    for node_id in dict.fromkeys(node_ids):
        node = session.get(WorkPlanNode, node_id)
        plan = session.get(WorkPlan, node.work_plan_id) if node is not None else None
        if node is None or plan is None or plan.task_id != task_id:
            raise Invalid("所选节点不属于该任务的实施方案 / the node is not in this task's plan")
        if node.done_on is None:
            mark_node_done(session, user, node_id, now.date(), now)


def of_task(session: Session, user: User, task_id: int, today: date) -> list[dict[str, Any]]:
    """The task's plans, newest first (a unit sees only its own), the one in force marked."""
    task = access.get_task(session, user, task_id)
    query = select(WorkPlan).where(WorkPlan.task_id == task.id)
    if user.role == "unit":
        query = query.where(WorkPlan.unit_id == user.unit_id)
    plans = list(session.scalars(query.order_by(WorkPlan.id.desc())))
    names = dict(
        session.execute(select(Unit.id, Unit.name).where(Unit.id.in_({p.unit_id for p in plans}))).all()
    )
    in_force = max(
        (
            p
            for p in plans
            if p.state == "approved"
            and p.approved_at is not None
            and p.approved_at.date() <= today
            and p.unit_id == task.reporting_unit_id
        ),
        key=lambda p: (p.approved_at, p.id),
        default=None,
    )
    return [as_dict(p, names.get(p.unit_id, ""), p is in_force) for p in plans]


def waiting(session: Session, user: User) -> list[dict[str, Any]]:
    """Plans submitted and waiting for the office's review, in the plans the account reads."""
    access.require_admin(user)
    query = select(WorkPlan).join(Task, Task.id == WorkPlan.task_id).where(WorkPlan.state == "submitted")
    plans = access.visible_plan_ids(session, user)
    if plans is not None:
        query = query.where(Task.plan_id.in_(plans))
    found = list(session.scalars(query.order_by(WorkPlan.submitted_at)))
    names = dict(
        session.execute(select(Unit.id, Unit.name).where(Unit.id.in_({p.unit_id for p in found}))).all()
    )
    return [as_dict(p, names.get(p.unit_id, "")) for p in found]
