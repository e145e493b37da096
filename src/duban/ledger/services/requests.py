"""What units ask of the office and what leaders ask of units (issue 21): 签收 and 调整, 延期申请, 申诉, 领导批示;
and who leads what (issue 23): a leader account's ``leader_name``, 我分管的, 牵头领导 set by the office.

Each object is a state machine in ``transitions.MOVES``; every write goes through ``transitions.check`` and
``transitions.move``/``record`` so it has its change-log and event rows. What a granted request changes on
the task (its wording, lead unit, assigned units, due date) is logged as a ``task`` change beside it. A
granted 申诉 changes nothing here: ``figures.py`` reads it and leaves that case out of the period's ranking
and lists (the one computation of figures).

RBAC (``access``): a unit sees and asks only about tasks assigned to it; a leader writes 批示 and reads; the
office (admin) decides; an account of a jurisdiction above (a city) reads only."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from duban.ledger.errors import Conflict, Forbidden, Invalid, NotFound
from duban.ledger.services import access, units
from duban.ledger.services.importing import default_reporting_unit
from duban.ledger.store import changelog, transitions
from duban.ledger.store.models import (
    Appeal,
    Extension,
    GroupMember,
    Instruction,
    InstructionAnswer,
    Jurisdiction,
    Period,
    Plan,
    Report,
    Section,
    Task,
    TaskAdjustment,
    TaskReceipt,
    TaskUnit,
    Unit,
    User,
)

NEW = transitions.NEW
RequestModel = type[TaskAdjustment] | type[Extension] | type[Appeal]
REQUEST_MODELS: dict[str, RequestModel] = {
    "adjustment": TaskAdjustment,
    "extension": Extension,
    "appeal": Appeal,
}
KIND_LABELS = {"adjustment": "调整", "extension": "延期", "appeal": "申诉"}
ADJUST_WHAT = {"text": "修改任务表述", "lead": "更换牵头单位", "not_ours": "非本单位职责"}
APPEAL_WHAT = {"missing": "未报送", "late": "逾期报送", "colour": "状态颜色"}
MAX_TEXT = 5000


def _labels(kind: str) -> dict[str, str]:
    return transitions.STATE_LABELS[kind]


def _text(value: str, what: str, limit: int = MAX_TEXT) -> str:
    cleaned = (value or "").strip()
    if not cleaned:
        raise Invalid(f"请填写{what}")
    if len(cleaned) > limit:
        raise Invalid(f"{what}过长（不超过 {limit} 字）")
    return cleaned


def _plan_of(session: Session, task: Task) -> Plan:
    plan = session.get(Plan, task.plan_id)
    if plan is None:
        raise NotFound("计划不存在 / no such plan")
    return plan


def _published(session: Session, task: Task) -> Plan:
    plan = _plan_of(session, task)
    if plan.state != "published":
        raise Conflict("计划尚未发布：发布后各单位才能签收或提出申请")
    return plan


def _unit_task(session: Session, user: User, task_id: int) -> Task:
    """A task assigned to the unit account's unit (404 otherwise, as if it did not exist)."""
    if user.role != "unit" or user.unit_id is None:
        raise Forbidden("只有责任单位账号可以提出 / only a unit account may ask this")
    return access.get_task(session, user, task_id)


# ---------------------------------------------------------------- who must confirm (签收)


def assignees(session: Session, task_ids: Iterable[int]) -> dict[int, set[int]]:
    """The real units each task is assigned to: units named on it, members of a 各… group named on it and
    members chosen for a 相关… group (stored as their own rows). A group itself confirms nothing."""
    ids = list(task_ids)
    found: dict[int, set[int]] = defaultdict(set)
    if not ids:
        return found
    rows = session.execute(
        select(TaskUnit.task_id, TaskUnit.unit_id, Unit.group_kind)
        .join(Unit, Unit.id == TaskUnit.unit_id)
        .where(TaskUnit.task_id.in_(ids))
    ).all()
    groups = {unit_id for _, unit_id, kind in rows if kind == "all"}
    members: dict[int, list[int]] = defaultdict(list)
    if groups:
        for group_id, member_id in session.execute(
            select(GroupMember.group_id, GroupMember.member_id).where(GroupMember.group_id.in_(groups))
        ):
            members[group_id].append(member_id)
    for task_id, unit_id, kind in rows:
        if kind is None:
            found[task_id].add(unit_id)
        elif kind == "all":
            found[task_id].update(members[unit_id])
    return found


def confirm(session: Session, user: User, task_id: int, now: datetime) -> dict[str, Any]:
    """签收: the unit confirms a task of a published plan assigned to it (once; again is a 409)."""
    task = _unit_task(session, user, task_id)
    plan = _published(session, task)
    move = transitions.check("receipt", "confirm", NEW, user)
    unit_id = int(user.unit_id or 0)
    if session.scalar(
        select(TaskReceipt.id).where(TaskReceipt.task_id == task.id, TaskReceipt.unit_id == unit_id)
    ):
        raise Conflict("本单位已签收此任务")
    receipt = TaskReceipt(
        task_id=task.id, unit_id=unit_id, state=move.target, created_by=user.id, created_at=now
    )
    session.add(receipt)
    session.flush()
    transitions.record(
        session,
        move,
        user,
        receipt.id,
        None,
        {"task": task.id, "unit": unit_id, "state": move.target},
        now,
        plan_id=plan.id,
        unit_id=unit_id,
    )
    return {"task": task.id, "unit": unit_id, "state": move.target, "confirmed_at": now.isoformat()}


def receipts(session: Session, user: User, plan_id: int) -> dict[str, Any]:
    """What is not yet confirmed in a published plan: the count, and the tasks per unit (a unit account:
    its own only). A draft plan has nothing to confirm yet."""
    plan = access.plan_for(session, user, plan_id)
    if plan.state != "published":
        return {"plan": plan.id, "published": False, "total": 0, "confirmed": 0, "pending": 0, "units": []}
    tasks = list(
        session.scalars(
            access.visible_tasks(session, user, select(Task).where(Task.plan_id == plan.id)).order_by(
                Task.position
            )
        )
    )
    by_id = {t.id: t for t in tasks}
    assigned = assignees(session, by_id)
    done = {
        (task_id, unit_id)
        for task_id, unit_id in session.execute(
            select(TaskReceipt.task_id, TaskReceipt.unit_id).where(TaskReceipt.task_id.in_(by_id))
        )
    }
    pairs = [(task_id, unit_id) for task_id, found in assigned.items() for unit_id in found]
    if user.role == "unit":
        pairs = [(t, u) for t, u in pairs if u == user.unit_id]
    pending: dict[int, list[int]] = defaultdict(list)
    for task_id, unit_id in pairs:
        if (task_id, unit_id) not in done:
            pending[unit_id].append(task_id)
    names = dict(session.execute(select(Unit.id, Unit.name).where(Unit.id.in_(pending))).all())
    listed: list[dict[str, Any]] = [
        {
            "unit": unit_id,
            "name": names.get(unit_id, ""),
            "tasks": [_task_brief(by_id[t]) for t in sorted(task_ids, key=lambda t: by_id[t].position)],
        }
        for unit_id, task_ids in pending.items()
    ]
    listed.sort(key=lambda u: (-len(u["tasks"]), str(u["name"])))
    confirmed = sum(1 for pair in pairs if pair in done)
    mine = sorted({t for t, u in pairs if (t, u) in done}) if user.role == "unit" else []
    return {
        "plan": plan.id,
        "published": True,
        "total": len(pairs),
        "confirmed": confirmed,
        "pending": len(pairs) - confirmed,
        "units": listed,
        "confirmed_tasks": mine,
    }


def _task_brief(task: Task) -> dict[str, Any]:
    return {"id": task.id, "no": task.no, "text": task.text}


# ---------------------------------------------------------------- requests: 调整, 延期, 申诉


@dataclass(frozen=True)
class AdjustmentInput:
    what: str  # text | lead | not_ours
    reason: str
    text: str | None = None
    unit: str | None = None  # the proposed lead unit's name, as the directory knows it


def _no_pending(session: Session, model: RequestModel, task_id: int, unit_id: int, **more: Any) -> None:
    table: Any = model
    query = select(table.id).where(
        table.task_id == task_id, table.unit_id == unit_id, table.state == "requested"
    )
    for name, value in more.items():
        query = query.where(getattr(table, name) == value)
    if session.scalar(query) is not None:
        raise Conflict("已有待督查室审批的同类申请，请等待处理")


def _create(
    session: Session,
    kind: str,
    row: TaskAdjustment | Extension | Appeal,
    user: User,
    task: Task,
    now: datetime,
    period_id: int | None = None,
) -> dict[str, Any]:
    move = transitions.check(kind, "request", NEW, user)
    row.state = move.target
    row.created_by = user.id
    row.created_at = now
    row.version = 1
    session.add(row)
    session.flush()
    transitions.record(
        session,
        move,
        user,
        row.id,
        None,
        request_json(kind, row, {}),
        now,
        plan_id=task.plan_id,
        unit_id=row.unit_id,
        period_id=period_id,
    )
    return request_json(kind, row, _names(session, [row]), task)


def request_adjustment(
    session: Session, user: User, task_id: int, data: AdjustmentInput, now: datetime
) -> dict[str, Any]:
    task = _unit_task(session, user, task_id)
    plan = _published(session, task)
    if data.what not in ADJUST_WHAT:
        raise Invalid("调整事项无效：应为 修改任务表述、更换牵头单位 或 非本单位职责")
    unit_id = int(user.unit_id or 0)
    row = TaskAdjustment(
        task_id=task.id, unit_id=unit_id, what=data.what, reason=_text(data.reason, "申请理由")
    )
    if data.what == "text":
        row.proposed_text = _text(data.text or "", "建议的任务表述", 20000)
        if row.proposed_text == task.text:
            raise Invalid("建议的任务表述与现在相同")
    elif data.what == "lead":
        home = session.get(Jurisdiction, plan.jurisdiction_id) if plan.jurisdiction_id else None
        proposed = units.find(session, _text(data.unit or "", "建议的牵头单位", 200), home)
        if proposed is None or proposed.is_group:
            raise Invalid(f"单位名录中没有“{data.unit}”，请写单位全称")
        if proposed.id == task.reporting_unit_id:
            raise Invalid(f"{proposed.name}已是此任务的牵头（汇总）单位")
        row.proposed_unit_id = proposed.id
    elif unit_id not in assignees(session, [task.id])[task.id]:
        raise Invalid("本单位不在此任务的责任单位中")
    _no_pending(session, TaskAdjustment, task.id, unit_id)
    return _create(session, "adjustment", row, user, task, now)


def request_extension(
    session: Session, user: User, task_id: int, reason: str, new_due: date, now: datetime
) -> dict[str, Any]:
    task = _unit_task(session, user, task_id)
    plan = _published(session, task)
    current = task.due or date(plan.year, 12, 31)
    if new_due <= current:
        raise Invalid(f"延期后的完成时限应晚于现在的时限（{current.isoformat()}）")
    unit_id = int(user.unit_id or 0)
    _no_pending(session, Extension, task.id, unit_id)
    row = Extension(
        task_id=task.id, unit_id=unit_id, reason=_text(reason, "延期理由"), old_due=task.due, new_due=new_due
    )
    return _create(session, "extension", row, user, task, now)


def request_appeal(
    session: Session, user: User, task_id: int, period_id: int, what: str, reason: str, now: datetime
) -> dict[str, Any]:
    task = _unit_task(session, user, task_id)
    _published(session, task)
    if what not in APPEAL_WHAT:
        raise Invalid("申诉事项无效：应为 未报送、逾期报送 或 状态颜色")
    period = session.get(Period, period_id)
    if period is None or period.plan_id != task.plan_id:
        raise NotFound("报送期不存在 / no such period")
    unit_id = int(user.unit_id or 0)
    if task.reporting_unit_id != unit_id:
        raise Invalid("只有此任务的汇总单位对本期的标记提出申诉（配合单位不计逾期、未报送）")
    _no_pending(session, Appeal, task.id, unit_id, period_id=period.id)
    row = Appeal(
        task_id=task.id, unit_id=unit_id, period_id=period.id, what=what, reason=_text(reason, "申诉理由")
    )
    return _create(session, "appeal", row, user, task, now, period.id)


def decide(
    session: Session,
    user: User,
    kind: str,
    request_id: int,
    grant: bool,
    comment: str,
    version: int | None,
    now: datetime,
) -> dict[str, Any]:
    """The office grants or refuses a request with a comment (a refusal needs one); what a grant changes on
    the task is applied and logged in the same transaction."""
    model: Any = REQUEST_MODELS[kind]
    row: Any = session.get(model, request_id)
    task = session.get(Task, row.task_id) if row is not None else None
    if row is None or task is None:
        raise NotFound(f"{KIND_LABELS[kind]}申请不存在")
    access.get_task(session, user, task.id)  # another county's request is not found
    action = "grant" if grant else "refuse"
    transitions.check(kind, action, row.state, user)
    access.require_task_write(session, user, task)
    said = (comment or "").strip()
    if not grant and not said:
        raise Invalid("不同意时请填写意见，说明理由")
    if len(said) > MAX_TEXT:
        raise Invalid(f"意见过长（不超过 {MAX_TEXT} 字）")
    before = {"state": row.state}
    period_id = row.period_id if isinstance(row, Appeal) else None
    transitions.move(
        session,
        model,
        row,
        action,
        user,
        now,
        values={"comment": said or None, "decided_by": user.id, "decided_at": now},
        version=version if version is not None else row.version,
        before=before,
        after=lambda r: {"state": r.state, "comment": r.comment},
        conflict="该申请已被他人处理，请刷新",
        plan_id=task.plan_id,
        unit_id=row.unit_id,
        period_id=period_id,
    )
    if grant:
        _apply(session, user, kind, row, task, now)
    return request_json(kind, row, _names(session, [row]), task)


def _apply(session: Session, user: User, kind: str, row: Any, task: Task, now: datetime) -> None:
    """What a granted request changes on the task, logged as a task change (申诉 changes nothing here:
    figures.py reads it)."""
    if kind == "extension":
        before = {"due": task.due}
        task.due = row.new_due
        # Not a transition: a granted 延期 corrects the task's due date; the grant itself is the extension's move.
        changelog.record(session, user, "task", task.id, "extend", before, {"due": task.due}, now)
    elif kind == "adjustment":
        before = _task_image(session, task)
        if row.what == "text":
            task.text = row.proposed_text
        elif row.what == "lead":
            _make_lead(session, task, int(row.proposed_unit_id))
        else:
            _remove_unit(session, task, int(row.unit_id))
        session.flush()
        old, new = changelog.changed_fields(before, _task_image(session, task))
        # Not a transition: a granted 调整 corrects the task; the grant itself is the adjustment's move.
        changelog.record(session, user, "task", task.id, "adjust", old, new, now)


def _task_image(session: Session, task: Task) -> dict[str, Any]:
    links = session.execute(
        select(Unit.name, TaskUnit.role)
        .join(Unit, Unit.id == TaskUnit.unit_id)
        .where(TaskUnit.task_id == task.id)
        .order_by(TaskUnit.position)
    ).all()
    return {
        "text": task.text,
        "units": [f"{name}（{role}）" for name, role in links],
        "reporting_unit_id": task.reporting_unit_id,
    }


def _make_lead(session: Session, task: Task, unit_id: int) -> None:
    """The unit becomes the task's lead and reporting unit; the former lead units become supporting."""
    links = list(session.scalars(select(TaskUnit).where(TaskUnit.task_id == task.id)))
    for link in links:
        if link.role == "lead":
            link.role = "support"
    own = next((link for link in links if link.unit_id == unit_id), None)
    if own is None:
        for link in links:
            link.position += 1
        session.add(TaskUnit(task_id=task.id, unit_id=unit_id, role="lead", position=0))
    else:
        own.role = "lead"
    task.reporting_unit_id = unit_id
    task.reporting_unit_chosen = True


def _remove_unit(session: Session, task: Task, unit_id: int) -> None:
    link = session.scalar(select(TaskUnit).where(TaskUnit.task_id == task.id, TaskUnit.unit_id == unit_id))
    if link is None:
        raise Conflict("此单位经分组（如“各镇街”）分配此任务，请在“单位”页调整该分组的成员后再处理")
    session.delete(link)
    session.flush()
    session.refresh(task)
    if task.reporting_unit_id == unit_id:
        task.reporting_unit_id = default_reporting_unit(session, task)
        task.reporting_unit_chosen = False


def _names(session: Session, rows: Iterable[Any]) -> dict[int, str]:
    wanted: set[int] = set()
    for row in rows:
        wanted.add(row.unit_id)
        if getattr(row, "proposed_unit_id", None):
            wanted.add(row.proposed_unit_id)
    if not wanted:
        return {}
    return dict(session.execute(select(Unit.id, Unit.name).where(Unit.id.in_(wanted))).all())


def request_json(kind: str, row: Any, names: dict[int, str], task: Task | None = None) -> dict[str, Any]:
    """One request as the API and the change log show it."""
    detail: dict[str, Any] = {}
    if isinstance(row, TaskAdjustment):
        detail = {
            "what": row.what,
            "what_label": ADJUST_WHAT.get(row.what, row.what),
            "proposed_text": row.proposed_text,
            "proposed_unit": row.proposed_unit_id,
            "proposed_unit_name": names.get(row.proposed_unit_id or 0),
        }
    elif isinstance(row, Extension):
        detail = {
            "old_due": row.old_due.isoformat() if row.old_due else None,
            "new_due": row.new_due.isoformat(),
        }
    elif isinstance(row, Appeal):
        detail = {
            "what": row.what,
            "what_label": APPEAL_WHAT.get(row.what, row.what),
            "period": row.period_id,
        }
    return {
        "kind": kind,
        "kind_label": KIND_LABELS[kind],
        "id": row.id,
        "task": row.task_id,
        "task_no": task.no if task is not None else None,
        "task_text": task.text if task is not None else None,
        "unit": row.unit_id,
        "unit_name": names.get(row.unit_id),
        "reason": row.reason,
        "state": row.state,
        "state_label": _labels(kind).get(row.state, row.state),
        "comment": row.comment,
        "created_at": row.created_at.isoformat() if row.created_at else None,
        "decided_at": row.decided_at.isoformat() if row.decided_at else None,
        "version": row.version,
        **detail,
    }


# ---------------------------------------------------------------- 领导批示


def write_instruction(
    session: Session,
    user: User,
    task_id: int,
    text: str,
    report_id: int | None,
    now: datetime,
    leader_name: str | None = None,
) -> dict[str, Any]:
    """A leader writes a 批示 on a task or one of its reports (signed with its ``leader_name``); the office
    may record one a leader gave on paper, naming that leader."""
    task = access.get_task(session, user, task_id)
    move = transitions.check("instruction", "write", NEW, user)
    access.require_task_write(session, user, task)
    if report_id is not None:
        report = session.get(Report, report_id)
        if report is None or report.task_id != task.id:
            raise NotFound("报告不存在 / no such report on this task")
    leader = (user.leader_name or "").strip() or user.username
    if user.role == "admin" and (leader_name or "").strip():
        leader = _text(leader_name or "", "领导姓名", 50)
    row = Instruction(
        task_id=task.id,
        report_id=report_id,
        leader_name=leader,
        text=_text(text, "批示内容"),
        state=move.target,
        created_by=user.id,
        created_at=now,
    )
    session.add(row)
    session.flush()
    transitions.record(
        session,
        move,
        user,
        row.id,
        None,
        {"task": task.id, "report": report_id, "leader": leader, "text": row.text},
        now,
        plan_id=task.plan_id,
        unit_id=task.reporting_unit_id,
    )
    return instruction_json(row, [], {}, task)


def answer_instruction(
    session: Session, user: User, instruction_id: int, text: str, now: datetime
) -> dict[str, Any]:
    """A unit of the task answers a 批示; the first answer makes it 已答复 (others may add theirs)."""
    row = session.get(Instruction, instruction_id)
    if row is None:
        raise NotFound("批示不存在")
    if user.role != "unit" or user.unit_id is None:
        transitions.check("instruction", "answer", row.state, user)  # 403 for the role
    task = access.get_task(session, user, row.task_id)
    said = _text(text, "答复内容")
    transitions.move(
        session,
        Instruction,
        row,
        "answer",
        user,
        now,
        values={"answered_at": row.answered_at or now},
        before={"state": row.state},
        after=lambda r: {"state": r.state, "unit": user.unit_id, "answer": said},
        plan_id=task.plan_id,
        unit_id=user.unit_id,
    )
    session.add(
        InstructionAnswer(
            instruction_id=row.id,
            unit_id=int(user.unit_id or 0),
            text=said,
            created_by=user.id,
            created_at=now,
        )
    )
    session.flush()
    return _instructions_of(session, [row], {task.id: task})[0]


def instruction_json(
    row: Instruction, answers: list[InstructionAnswer], names: dict[int, str], task: Task | None = None
) -> dict[str, Any]:
    return {
        "id": row.id,
        "task": row.task_id,
        "task_no": task.no if task is not None else None,
        "task_text": task.text if task is not None else None,
        "report": row.report_id,
        "leader": row.leader_name,
        "text": row.text,
        "state": row.state,
        "state_label": _labels("instruction").get(row.state, row.state),
        "created_at": row.created_at.isoformat(),
        "answered_at": row.answered_at.isoformat() if row.answered_at else None,
        "answers": [
            {
                "unit": a.unit_id,
                "unit_name": names.get(a.unit_id, ""),
                "text": a.text,
                "created_at": a.created_at.isoformat(),
            }
            for a in answers
        ],
    }


def _instructions_of(
    session: Session, rows: list[Instruction], tasks: dict[int, Task]
) -> list[dict[str, Any]]:
    answers: dict[int, list[InstructionAnswer]] = defaultdict(list)
    if rows:
        for answer in session.scalars(
            select(InstructionAnswer)
            .where(InstructionAnswer.instruction_id.in_([r.id for r in rows]))
            .order_by(InstructionAnswer.id)
        ):
            answers[answer.instruction_id].append(answer)
    wanted = {a.unit_id for group in answers.values() for a in group}
    names = dict(session.execute(select(Unit.id, Unit.name).where(Unit.id.in_(wanted))).all())
    return [instruction_json(r, answers[r.id], names, tasks.get(r.task_id)) for r in rows]


# ---------------------------------------------------------------- reading: a task's timeline, the queue


def of_task(session: Session, user: User, task_id: int) -> dict[str, Any]:
    """Everything asked about one task, oldest first, for 任务详情: 签收, the requests and their decisions,
    the 批示 with their answers. A unit sees its own requests and every 批示 on the task."""
    task = access.get_task(session, user, task_id)
    requests: list[dict[str, Any]] = []
    for kind, model in REQUEST_MODELS.items():
        table: Any = model
        query = select(table).where(table.task_id == task.id)
        if user.role == "unit":
            query = query.where(table.unit_id == user.unit_id)
        rows = list(session.scalars(query.order_by(table.id)))
        names = _names(session, rows)
        requests.extend(request_json(kind, r, names, task) for r in rows)
    requests.sort(key=lambda r: (str(r["created_at"]), r["id"]))
    instructions = list(
        session.scalars(select(Instruction).where(Instruction.task_id == task.id).order_by(Instruction.id))
    )
    receipt_rows = session.execute(
        select(TaskReceipt.unit_id, Unit.name, TaskReceipt.created_at)
        .join(Unit, Unit.id == TaskReceipt.unit_id)
        .where(TaskReceipt.task_id == task.id)
        .order_by(TaskReceipt.id)
    ).all()
    confirmed = [{"unit": u, "unit_name": n, "confirmed_at": at.isoformat()} for u, n, at in receipt_rows]
    pending_units = assignees(session, [task.id])[task.id] - {c["unit"] for c in confirmed}
    plan = _plan_of(session, task)
    return {
        "task": task.id,
        "published": plan.state == "published",
        "receipts": confirmed,
        "unconfirmed": sorted(pending_units) if plan.state == "published" else [],
        "requests": requests,
        "instructions": _instructions_of(session, instructions, {task.id: task}),
    }


def queue(session: Session, user: User, plan_id: int | None, include_closed: bool = False) -> dict[str, Any]:
    """The office's queue (a unit: its own; a leader: what it may read): requests awaiting a decision and
    批示 awaiting an answer, each with its task; ``include_closed`` adds the decided and answered ones."""
    tasks_query = access.visible_tasks(session, user, select(Task.id))
    if plan_id is not None:
        access.plan_for(session, user, plan_id)
        tasks_query = tasks_query.where(Task.plan_id == plan_id)
    visible = tasks_query.scalar_subquery()
    requests: list[dict[str, Any]] = []
    found_tasks: dict[int, Task] = {}
    for kind, model in REQUEST_MODELS.items():
        table: Any = model
        query = select(table).where(table.task_id.in_(visible))
        if not include_closed:
            query = query.where(table.state == "requested")
        if user.role == "unit":
            query = query.where(table.unit_id == user.unit_id)
        rows = list(session.scalars(query.order_by(table.id)))
        _load_tasks(session, found_tasks, [r.task_id for r in rows])
        names = _names(session, rows)
        requests.extend(request_json(kind, r, names, found_tasks.get(r.task_id)) for r in rows)
    query = select(Instruction).where(Instruction.task_id.in_(visible))
    if not include_closed:
        query = query.where(Instruction.state == "open")
    instructions = list(session.scalars(query.order_by(Instruction.id)))
    _load_tasks(session, found_tasks, [r.task_id for r in instructions])
    requests.sort(key=lambda r: (str(r["created_at"]), r["id"]))
    listed = _instructions_of(session, instructions, found_tasks)
    return {
        "requests": requests,
        "instructions": listed,
        "pending_requests": sum(1 for r in requests if r["state"] == "requested"),
        "open_instructions": sum(1 for i in listed if i["state"] == "open"),
    }


def _load_tasks(session: Session, found: dict[int, Task], ids: list[int]) -> None:
    wanted = set(ids) - set(found)
    if wanted:
        for task in session.scalars(select(Task).where(Task.id.in_(wanted))):
            found[task.id] = task


# ---------------------------------------------------------------- who leads: leader_name, 我分管的, 牵头领导


def leading(session: Session, user: User, plan_id: int | None) -> dict[str, Any]:
    """我分管的: the tasks whose 牵头领导 include the leader account's ``leader_name``."""
    name = (user.leader_name or "").strip()
    if not name:
        return {"leader_name": None, "items": [], "total": 0}
    query = access.visible_tasks(session, user, select(Task))
    if plan_id is not None:
        access.plan_for(session, user, plan_id)
        query = query.where(Task.plan_id == plan_id)
    query = query.where(Task.leaders_text.contains(name))
    rows = [
        t for t in session.scalars(query.order_by(Task.plan_id, Task.position)) if name in (t.leaders or [])
    ]
    open_by_task: dict[int, int] = defaultdict(int)
    if rows:
        for task_id in session.scalars(
            select(Instruction.task_id).where(
                Instruction.task_id.in_([t.id for t in rows]), Instruction.state == "open"
            )
        ):
            open_by_task[task_id] += 1
    items = [
        {
            "id": t.id,
            "plan": t.plan_id,
            "no": t.no,
            "text": t.text,
            "leaders": t.leaders,
            "due": t.due.isoformat() if t.due else None,
            "open_instructions": open_by_task[t.id],
        }
        for t in rows
    ]
    return {"leader_name": name, "items": items, "total": len(items)}


def _clean_leaders(names: list[str]) -> list[str]:
    cleaned: list[str] = []
    for name in names:
        item = name.strip()
        if item and item not in cleaned:
            if len(item) > 50:
                raise Invalid("领导姓名过长（不超过 50 字）")
            cleaned.append(item)
    if not cleaned:
        raise Invalid("请填写牵头领导")
    return cleaned


def set_task_leaders(
    session: Session, user: User, task_id: int, leaders: list[str], now: datetime
) -> dict[str, Any]:
    """The office sets a task's 牵头领导 (where the notice names none, or corrects it), logged."""
    access.require_admin(user)
    task = access.get_task(session, user, task_id)
    access.require_task_write(session, user, task)
    chosen = _clean_leaders(leaders)
    _set_leaders(session, user, task, chosen, now)
    return {"task": task.id, "leaders": task.leaders, "changed": 1}


def _set_leaders(session: Session, user: User, task: Task, chosen: list[str], now: datetime) -> bool:
    if list(task.leaders or []) == chosen:
        return False
    before = {"leaders": list(task.leaders or [])}
    task.leaders = chosen
    task.leaders_text = "、".join(chosen)
    # Not a transition: 牵头领导 are a field of the task, which has no workflow state.
    changelog.record(session, user, "task", task.id, "set_leaders", before, {"leaders": chosen}, now)
    return True


def set_section_leaders(
    session: Session, user: User, plan_id: int, section_key: str, leaders: list[str], now: datetime
) -> dict[str, Any]:
    """The office sets the 牵头领导 of every task of a section (and its subsections) that names none."""
    access.require_admin(user)
    access.plan_for(session, user, plan_id, write=True)
    sections = list(session.scalars(select(Section).where(Section.plan_id == plan_id)))
    if not any(s.key == section_key for s in sections):
        raise NotFound("该部分不存在 / no such section")
    keys = {section_key}
    grew = True
    while grew:
        more = {s.key for s in sections if s.parent_key in keys} - keys
        keys |= more
        grew = bool(more)
    chosen = _clean_leaders(leaders)
    changed = 0
    for task in session.scalars(
        select(Task).where(Task.plan_id == plan_id, Task.section_key.in_(keys)).order_by(Task.position)
    ):
        if not task.leaders:
            changed += _set_leaders(session, user, task, chosen, now)
    return {"plan": plan_id, "section": section_key, "leaders": chosen, "changed": changed}


def set_leader_name(
    session: Session, actor: User, user_id: int, leader_name: str | None, now: datetime
) -> dict[str, Any]:
    """The office names the 领导 a leader account is (its 我分管的 follows from it), logged."""
    access.require_admin(actor)
    account = access.user_for(session, actor, user_id, write=True)
    if account.role != "leader":
        raise Invalid("只有领导账号可以设置领导姓名")
    name = (leader_name or "").strip() or None
    if name is not None and len(name) > 50:
        raise Invalid("领导姓名过长（不超过 50 字）")
    before = {"leader_name": account.leader_name}
    account.leader_name = name
    # Not a transition: an account's leader name is a setting of the account, not a state.
    changelog.record(
        session, actor, "user", account.id, "set_leader_name", before, {"leader_name": name}, now
    )
    return {"id": account.id, "username": account.username, "leader_name": name}
