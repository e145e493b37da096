"""The 单位 page's directory: units with their aliases and group members, in the directories a user reads."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from duban.ledger.services import access, units
from duban.ledger.store.models import GroupMember, Unit, UnitAlias, User


def unit_json(unit: Unit, aliases: list[str], members: list[int]) -> dict[str, Any]:
    """The one JSON shape of a directory entry (its own name is not listed among its aliases)."""
    return {
        "id": unit.id,
        "name": unit.name,
        "aliases": [a for a in aliases if a != unit.name],
        "group": unit.is_group,
        "group_kind": unit.group_kind,
        "members": members,
        "jurisdiction_id": unit.jurisdiction_id,
    }


def unit_of(session: Session, unit: Unit) -> dict[str, Any]:
    """One unit with its aliases and members read now (the answer of a merge or a change of members)."""
    aliases = list(session.scalars(select(UnitAlias.name).where(UnitAlias.unit_id == unit.id)))
    return unit_json(unit, aliases, units.members(session, unit.id))


def directory_of(
    session: Session, user: User, text: str | None = None, jurisdiction_id: int | None = None
) -> list[dict[str, Any]]:
    """The units the user reads (of ``jurisdiction_id`` only, when given) whose name or an alias contains
    ``text``."""
    aliases: dict[int, list[str]] = defaultdict(list)
    for unit_id, name in session.execute(select(UnitAlias.unit_id, UnitAlias.name).order_by(UnitAlias.id)):
        aliases[unit_id].append(name)
    members: dict[int, list[int]] = defaultdict(list)
    for group_id, member_id in session.execute(select(GroupMember.group_id, GroupMember.member_id)):
        members[group_id].append(member_id)
    query = access.visible_units(session, user, select(Unit).order_by(Unit.id))
    if jurisdiction_id is not None:
        query = query.where(Unit.jurisdiction_id == jurisdiction_id)
    return [
        unit_json(u, aliases[u.id], sorted(members[u.id]))
        for u in session.scalars(query)
        if not text or text in u.name or any(text in a for a in aliases[u.id])
    ]
