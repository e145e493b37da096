"""Editing a plan's tasks while it is a draft (导入 → 保存 → check against the notice → 发布): add a task the
parser missed, delete one it invented, split one that holds two, move one to another section, set its
牵头领导. Only a draft: once published, units report on the tasks and a task's identity is the record (a
published task is corrected with ``PATCH /api/tasks/{id}`` instead). Every edit writes one change-log row."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from duban.ledger.errors import Conflict, Invalid, NotFound
from duban.ledger.rules.text import clean_text
from duban.ledger.services import access, units
from duban.ledger.store import changelog
from duban.ledger.store.models import Jurisdiction, Plan, Report, Section, Task, TaskUnit, User

ROLES = ("lead", "responsible", "support")


@dataclass
class NewTask:
    text: str
    section_key: str | None = None
    after_task_id: int | None = None
    no: str | None = None
    leaders: list[str] = field(default_factory=list)
    # (unit name, role) pairs: role one of ROLES; the first lead unit reports unless another is chosen
    units: list[tuple[str, str]] = field(default_factory=list)


def _draft_plan(session: Session, actor: User, plan_id: int) -> Plan:
    plan = access.plan_for(session, actor, plan_id, write=True)
    access.require_admin(actor)
    if plan.state != "draft":
        raise Conflict("计划已发布，不能再增删、拆分或移动任务；请在任务详情中更正")
    return plan


def _draft_task(session: Session, actor: User, task_id: int) -> tuple[Plan, Task]:
    task = session.get(Task, task_id)
    if task is None:
        raise NotFound("任务不存在")
    return _draft_plan(session, actor, task.plan_id), task


def _section(session: Session, plan: Plan, key: str | None) -> str | None:
    if key is None:
        return None
    found = session.scalar(select(Section.key).where(Section.plan_id == plan.id, Section.key == key))
    if found is None:
        raise Invalid(f"计划中没有这个章节：{key}")
    return key


def _leaders(leaders: list[str]) -> list[str]:
    cleaned = [clean_text(name).strip() for name in leaders]
    return list(dict.fromkeys(name for name in cleaned if name))


def _next_no(session: Session, plan: Plan) -> str:
    numbers = [int(n) for n in session.scalars(select(Task.no).where(Task.plan_id == plan.id)) if n.isdigit()]
    return str(max(numbers, default=0) + 1)


def _insert_position(session: Session, plan: Plan, after: Task | None) -> int:
    """The position right after ``after`` (the end without one); later tasks move down by one."""
    if after is None:
        last = session.scalar(select(func.max(Task.position)).where(Task.plan_id == plan.id))
        return int(last if last is not None else -1) + 1
    session.execute(
        update(Task)
        .where(Task.plan_id == plan.id, Task.position > after.position)
        .values(position=Task.position + 1)
    )
    return after.position + 1


def _link_units(
    session: Session, plan: Plan, task: Task, given: list[tuple[str, str]], actor: User, now: datetime
) -> None:
    home = session.get(Jurisdiction, plan.jurisdiction_id) if plan.jurisdiction_id else None
    seen: set[int] = set()
    for position, (name, role) in enumerate(given):
        if role not in ROLES:
            raise Invalid(f"单位角色应为 牵头、责任 或 协办：{role}")
        if not clean_text(name).strip():
            continue
        unit = units.resolve(session, name, now, actor, home)
        if unit.id in seen:
            continue
        seen.add(unit.id)
        session.add(TaskUnit(task_id=task.id, unit_id=unit.id, role=role, position=position))
        if role == "lead" and task.reporting_unit_id is None and not unit.is_group:
            task.reporting_unit_id = unit.id


def add_task(session: Session, actor: User, plan_id: int, new: NewTask, now: datetime) -> Task:
    """A task added by hand to a draft plan (after ``after_task_id``, else at the end of its section or of
    the plan), with its units and 牵头领导; logged."""
    plan = _draft_plan(session, actor, plan_id)
    text = clean_text(new.text).strip()
    if not text:
        raise Invalid("任务内容不能为空")
    after = None
    if new.after_task_id is not None:
        after = session.get(Task, new.after_task_id)
        if after is None or after.plan_id != plan.id:
            raise NotFound("要插在其后的任务不存在")
    section = _section(
        session,
        plan,
        new.section_key if new.section_key is not None else (after.section_key if after else None),
    )
    if after is None and section is not None:
        after = session.scalar(
            select(Task)
            .where(Task.plan_id == plan.id, Task.section_key == section)
            .order_by(Task.position.desc())
            .limit(1)
        )
    leaders = _leaders(new.leaders)
    task = Task(
        plan_id=plan.id,
        position=_insert_position(session, plan, after),
        no=(new.no or "").strip() or _next_no(session, plan),
        section_key=section,
        kind="task",
        name=None,
        text=text,
        leaders=leaders,
        leaders_text="、".join(leaders),
        due=None,
    )
    session.add(task)
    session.flush()
    _link_units(session, plan, task, new.units, actor, now)
    session.flush()
    # Not a transition: a draft plan's tasks are edited before any workflow starts on them.
    changelog.record(
        session, actor, "task", task.id, "create", None,
        {"plan": plan.id, "no": task.no, "section": section, "text": text, "leaders": leaders}, now,
    )  # fmt: skip
    return task


def delete_task(session: Session, actor: User, task_id: int, now: datetime) -> None:
    """Delete a task of a draft plan (one the parser read by mistake); logged with its text."""
    plan, task = _draft_task(session, actor, task_id)
    if session.scalar(select(func.count(Report.id)).where(Report.task_id == task.id)):
        raise Conflict("该任务已有报告，不能删除")
    # Not a transition: a draft plan's tasks are edited before any workflow starts on them.
    changelog.record(
        session, actor, "task", task.id, "delete",
        {"plan": plan.id, "no": task.no, "section": task.section_key, "text": task.text}, None, now,
    )  # fmt: skip
    session.delete(task)
    session.flush()


def move_task(
    session: Session,
    actor: User,
    task_id: int,
    section_key: str | None,
    after_task_id: int | None,
    now: datetime,
) -> Task:
    """Move a draft task to another section (at its end, or right after ``after_task_id``); logged."""
    plan, task = _draft_task(session, actor, task_id)
    before = {"section": task.section_key, "position": task.position}
    after = session.get(Task, after_task_id) if after_task_id is not None else None
    if after_task_id is not None and (after is None or after.plan_id != plan.id or after.id == task.id):
        raise NotFound("要放在其后的任务不存在")
    section = _section(
        session, plan, section_key if section_key is not None else (after.section_key if after else None)
    )
    if after is None and section is not None:
        after = session.scalar(
            select(Task)
            .where(Task.plan_id == plan.id, Task.section_key == section, Task.id != task.id)
            .order_by(Task.position.desc())
            .limit(1)
        )
    task.position = -1  # out of the way while the others make room
    session.flush()
    task.position = _insert_position(session, plan, after)
    task.section_key = section
    session.flush()
    # Not a transition: a draft plan's tasks are edited before any workflow starts on them.
    changelog.record(
        session, actor, "task", task.id, "move", before, {"section": section, "position": task.position}, now
    )
    return task


def set_leaders(session: Session, actor: User, task_id: int, leaders: list[str], now: datetime) -> Task:
    """The task's 牵头领导 in a draft (the notice named none, or named them wrongly); logged."""
    _, task = _draft_task(session, actor, task_id)
    before = {"leaders": list(task.leaders or [])}
    task.leaders = _leaders(leaders)
    task.leaders_text = "、".join(task.leaders)
    # Not a transition: a draft plan's tasks are edited before any workflow starts on them.
    changelog.record(session, actor, "task", task.id, "leaders", before, {"leaders": task.leaders}, now)
    return task


def split_task(session: Session, actor: User, task_id: int, parts: list[str], now: datetime) -> list[Task]:
    """A draft task that holds several tasks becomes several: the first part stays the task (its units and
    leaders kept), each further part a new task right after it with the same units and leaders; logged."""
    plan, task = _draft_task(session, actor, task_id)
    texts = [clean_text(p).strip() for p in parts if clean_text(p).strip()]
    if len(texts) < 2:
        raise Invalid("拆分至少需要两段任务内容")
    links = list(
        session.scalars(select(TaskUnit).where(TaskUnit.task_id == task.id).order_by(TaskUnit.position))
    )
    before = {"text": task.text}
    task.text = texts[0]
    made = [task]
    previous = task
    for number, text in enumerate(texts[1:], start=2):
        piece = Task(
            plan_id=plan.id,
            position=_insert_position(session, plan, previous),
            no=f"{task.no}-{number}",
            section_key=task.section_key,
            kind=task.kind,
            name=None,
            text=text,
            leaders=list(task.leaders or []),
            leaders_text=task.leaders_text,
            due=task.due,
            reporting_unit_id=task.reporting_unit_id,
        )
        session.add(piece)
        session.flush()
        for link in links:
            session.add(
                TaskUnit(
                    task_id=piece.id,
                    unit_id=link.unit_id,
                    role=link.role,
                    position=link.position,
                    via_group_id=link.via_group_id,
                )
            )
        made.append(piece)
        previous = piece
    session.flush()
    # Not a transition: a draft plan's tasks are edited before any workflow starts on them.
    changelog.record(
        session, actor, "task", task.id, "split", before, {"parts": texts, "tasks": [t.id for t in made]}, now
    )
    return made
