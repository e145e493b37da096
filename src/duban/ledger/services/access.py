"""Who sees and writes what. Roles: ``admin`` (the supervision office: everything, the only reviewer),
``leader`` (reads everything, writes nothing), ``unit`` (sees and reports only tasks its unit is assigned to:
named on the task, a member of a 各… group named on it, or chosen for a 相关… group on it).

"Everything" is everything of the account's jurisdiction and those below it (``jurisdictions``): an object of
another county is not found (404), and one of a county below a city account is read-only (403)."""

from __future__ import annotations

from typing import Any, TypeVar

from sqlalchemy import Select, and_, case, or_, select
from sqlalchemy.orm import Session

from duban.ledger.errors import Forbidden, NotFound
from duban.ledger.services import jurisdictions, units
from duban.ledger.store.models import (
    ApiToken,
    Appeal,
    Change,
    Contribution,
    Extension,
    GroupMember,
    Instruction,
    Jurisdiction,
    Period,
    Plan,
    Rectification,
    Report,
    Task,
    TaskAdjustment,
    TaskReceipt,
    TaskUnit,
    Unit,
    User,
    WorkPlan,
)

SelectT = TypeVar("SelectT", bound=Select[Any])
ROLES = ("admin", "leader", "unit")
ROLE_LABELS = {"admin": "督查室（管理员）", "leader": "领导", "unit": "责任单位"}


def require_admin(user: User) -> None:
    if user.role != "admin":
        raise Forbidden("只有督查室可以执行此操作 / only the supervision office may do this")


def require_reader(user: User) -> None:
    """Admin and leader: the plan-wide documents (ledger workbook, bulletin)."""
    if user.role not in ("admin", "leader"):
        raise Forbidden("只有督查室和领导可以查看 / only the supervision office and leaders may see this")


def assigned_unit_ids(session: Session, unit_id: int) -> list[int]:
    """The unit itself and every 各… group it belongs to."""
    return [unit_id, *units.groups_of(session, unit_id)]


def _assigned_units(unit_id: int) -> Any:
    """The unit and its 各… groups, as a subquery (one round trip per request, not two)."""
    groups = (
        select(GroupMember.group_id)
        .join(Unit, Unit.id == GroupMember.group_id)
        .where(GroupMember.member_id == unit_id, Unit.group_kind == "all")
    )
    return or_(TaskUnit.unit_id == unit_id, TaskUnit.unit_id.in_(groups))


def visible_plan_ids(session: Session, user: User) -> Any:
    """A subquery of the plans of the jurisdictions the user reads, or None for every plan."""
    seen = jurisdictions.visible_ids(session, user)
    return None if seen is None else select(Plan.id).where(Plan.jurisdiction_id.in_(seen))


def _in_scope(session: Session, user: User, query: SelectT, model: type[Plan | Unit | User]) -> SelectT:
    """Narrow a query of plans, units or accounts to the jurisdictions the user reads."""
    seen = jurisdictions.visible_ids(session, user)
    return query if seen is None else query.where(model.jurisdiction_id.in_(seen))


def visible_plans(session: Session, user: User, query: SelectT) -> SelectT:
    return _in_scope(session, user, query, Plan)


def visible_units(session: Session, user: User, query: SelectT) -> SelectT:
    return _in_scope(session, user, query, Unit)


OwnedT = TypeVar("OwnedT", Plan, Unit, User)


def _owned(
    session: Session, user: User, model: type[OwnedT], object_id: int, missing: str, write: bool
) -> OwnedT:
    """A plan, unit or account if the user's jurisdiction reads it (else 404, as if it did not exist);
    ``write`` also needs it to be the user's own jurisdiction (else 403)."""
    found = session.get(model, object_id)
    if found is None or not jurisdictions.can_read(session, user, found.jurisdiction_id):
        raise NotFound(missing)
    if write:
        jurisdictions.require_write(user, found.jurisdiction_id)
    return found


def plan_for(session: Session, user: User, plan_id: int, *, write: bool = False) -> Plan:
    return _owned(session, user, Plan, plan_id, "计划不存在 / no such plan", write)


def period_for(session: Session, user: User, period_id: int, *, write: bool = False) -> Period:
    period = session.get(Period, period_id)
    if period is None:
        raise NotFound("报送期不存在 / no such period")
    try:
        plan_for(session, user, period.plan_id, write=write)
    except NotFound:
        raise NotFound("报送期不存在 / no such period") from None
    return period


def unit_for(session: Session, user: User, unit_id: int, *, write: bool = False) -> Unit:
    return _owned(session, user, Unit, unit_id, "单位不存在 / no such unit", write)


def require_task_write(session: Session, user: User, task: Task) -> None:
    """A task's plan must be of the user's own jurisdiction. Unit accounts pass without a look-up: they only
    reach tasks of their own unit, whose directory is their county's."""
    if user.jurisdiction_id is None or user.role == "unit":
        return
    plan = session.get(Plan, task.plan_id)
    jurisdictions.require_write(user, plan.jurisdiction_id if plan else None)


def require_report_write(session: Session, user: User, report: Report) -> None:
    task = session.get(Task, report.task_id)
    if task is not None:
        require_task_write(session, user, task)


def account_county() -> Any:
    """The jurisdiction an account belongs to, as a column expression: a unit account's is its unit's,
    whatever its own field says (a database written before migration 0006 may disagree)."""
    unit_home = select(Unit.jurisdiction_id).where(Unit.id == User.unit_id).scalar_subquery()
    return case((User.unit_id.is_not(None), unit_home), else_=User.jurisdiction_id)


def visible_users(session: Session, user: User, query: SelectT) -> SelectT:
    """Accounts of the jurisdictions the user reads (installation-wide accounts only for their like); a unit
    account counts as one of its unit's county."""
    seen = jurisdictions.visible_ids(session, user)
    return query if seen is None else query.where(account_county().in_(seen))


def user_for(session: Session, actor: User, user_id: int, *, write: bool = False) -> User:
    """An account the actor's jurisdiction reads (else 404); ``write``: one of the actor's own county, its
    units' accounts and its staff (else 403)."""
    found = session.get(User, user_id)
    home = account_home(session, found) if found is not None else None
    if found is None or not jurisdictions.can_read(session, actor, home):
        raise NotFound("用户不存在")
    if write:
        jurisdictions.require_write(actor, home)
    return found


def account_home(session: Session, user: User) -> int | None:
    """An account's county: its unit's for a unit account (see ``account_county``)."""
    if user.unit_id is None:
        return user.jurisdiction_id
    unit = session.get(Unit, user.unit_id)
    return unit.jurisdiction_id if unit is not None else user.jurisdiction_id


def visible_changes(session: Session, user: User, query: SelectT) -> SelectT:
    """Change-log entries about objects the user's jurisdictions hold. Who made an entry never matters: an
    account sitting in the wrong county must not carry that county's log along. An account that reads every
    jurisdiction there is (a one-county installation's office) sees the whole log, entries about objects
    deleted since included; elsewhere those are left to installation-wide accounts."""
    seen = jurisdictions.visible_ids(session, user)
    if seen is None or set(seen) >= {j.id for j in jurisdictions.all_of(session)}:
        return query
    plans = select(Plan.id).where(Plan.jurisdiction_id.in_(seen))
    tasks = select(Task.id).where(Task.plan_id.in_(plans))
    accounts = select(User.id).where(account_county().in_(seen))
    by_type = {
        "plan": plans,
        "setting": plans,
        "task": tasks,
        "period": select(Period.id).where(Period.plan_id.in_(plans)),
        "report": select(Report.id).where(Report.task_id.in_(tasks)),
        "unit": select(Unit.id).where(Unit.jurisdiction_id.in_(seen)),
        "user": accounts,
        "token": select(ApiToken.id).where(ApiToken.user_id.in_(accounts)),
        "jurisdiction": select(Jurisdiction.id).where(Jurisdiction.id.in_(seen)),
        # issue 21: 签收, requests and 批示 belong where their task does
        "receipt": select(TaskReceipt.id).where(TaskReceipt.task_id.in_(tasks)),
        "adjustment": select(TaskAdjustment.id).where(TaskAdjustment.task_id.in_(tasks)),
        "extension": select(Extension.id).where(Extension.task_id.in_(tasks)),
        "appeal": select(Appeal.id).where(Appeal.task_id.in_(tasks)),
        "instruction": select(Instruction.id).where(Instruction.task_id.in_(tasks)),
        # issue 21's objects: a plan of nodes, a rectification, a contribution belong to their task's county
        "workplan": select(WorkPlan.id).where(WorkPlan.task_id.in_(tasks)),
        "rectification": select(Rectification.id).where(Rectification.plan_id.in_(plans)),
        "contribution": select(Contribution.id).where(Contribution.task_id.in_(tasks)),
    }
    about_here = (
        and_(Change.object_type == kind, Change.object_id.in_(ids)) for kind, ids in by_type.items()
    )
    return query.where(or_(*about_here))


def visible_tasks(session: Session, user: User, query: SelectT) -> SelectT:
    """Narrow a task query to what the user may see."""
    if user.role in ("admin", "leader"):
        plans = visible_plan_ids(session, user)
        return query if plans is None else query.where(Task.plan_id.in_(plans))
    if user.unit_id is None:
        return query.where(Task.id == -1)
    return query.where(Task.id.in_(select(TaskUnit.task_id).where(_assigned_units(user.unit_id))))


def get_task(session: Session, user: User, task_id: int) -> Task:
    task = session.scalar(visible_tasks(session, user, select(Task).where(Task.id == task_id)))
    if task is None:
        raise NotFound("任务不存在 / no such task")
    return task


def plan_task_ids(session: Session, user: User, plan_id: int) -> set[int] | None:
    """The tasks of a plan a unit account sees (its own unit's and its groups'); None for an account that
    sees the whole plan (office, leader)."""
    if user.role != "unit":
        return None
    return set(session.scalars(visible_tasks(session, user, select(Task.id).where(Task.plan_id == plan_id))))


def own_rows(session: Session, user: User, plan_id: int, unit: str | None) -> tuple[str, set[int]]:
    """A unit account exporting its own rows of a plan's ledger (the workbook it fills in and imports
    back): ``unit`` must name its own unit (its name or id); answers the unit's name and the ids of the
    plan's tasks it is assigned (named, or through a 各… group). Anything else is refused: the whole
    ledger stays the office's and the leaders'."""
    own = session.get(Unit, user.unit_id) if user.role == "unit" and user.unit_id is not None else None
    wanted = (unit or "").strip()
    home = session.get(Jurisdiction, own.jurisdiction_id) if own and own.jurisdiction_id else None
    named = (
        own is not None
        and bool(wanted)
        and (wanted == str(own.id) or getattr(units.find(session, wanted, home), "id", None) == own.id)
    )
    if own is None or not named:
        raise Forbidden("责任单位只能导出本单位的任务（unit=本单位名称）/ a unit exports only its own rows")
    plan_for(session, user, plan_id)
    query = visible_tasks(session, user, select(Task.id).where(Task.plan_id == plan_id))
    return own.name, set(session.scalars(query))
