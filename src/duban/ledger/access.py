"""Who sees and writes what. Roles: ``admin`` (the supervision office: everything, the only reviewer),
``leader`` (reads everything, writes nothing), ``unit`` (sees and reports only tasks its unit is assigned to:
named on the task, a member of a 各… group named on it, or chosen for a 相关… group on it)."""

from __future__ import annotations

from typing import Any, TypeVar

from sqlalchemy import Select, or_, select
from sqlalchemy.orm import Session

from duban.ledger import units
from duban.ledger.errors import Forbidden, NotFound
from duban.ledger.models import GroupMember, Task, TaskUnit, Unit, User

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


def visible_tasks(session: Session, user: User, query: SelectT) -> SelectT:
    """Narrow a task query to what the user may see."""
    if user.role in ("admin", "leader"):
        return query
    if user.unit_id is None:
        return query.where(Task.id == -1)
    return query.where(Task.id.in_(select(TaskUnit.task_id).where(_assigned_units(user.unit_id))))


def get_task(session: Session, user: User, task_id: int) -> Task:
    task = session.scalar(visible_tasks(session, user, select(Task).where(Task.id == task_id)))
    if task is None:
        raise NotFound("任务不存在 / no such task")
    return task
