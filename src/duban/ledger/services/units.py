"""The unit directory: one record per organisation with its aliases, collective designations as groups, and
likely-duplicate suggestions an administrator confirms.

Names resolve through a *match key*: the name in NFKC with spaces removed, one leading county prefix (``县``,
``区``, or the plan's own county such as ``金乡县``) dropped, and the renames that occur in real notices
applied (``发展和改革委员会`` and ``发展改革局`` are the same office as ``发展和改革局``). Two names with one key are
aliases of one unit. Anything else (``县城投公司`` and ``县城市投资公司``) is only *suggested* as a merge
(rapidfuzz similarity); the directory never merges such a pair on its own.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from rapidfuzz import fuzz
from sqlalchemy import ColumnElement, func, select, update
from sqlalchemy.orm import Session

from duban.ledger.errors import Invalid, NotFound
from duban.ledger.rules.places import differ_in_place
from duban.ledger.services import jurisdictions
from duban.ledger.store import changelog
from duban.ledger.store.models import (
    Contribution,
    GroupMember,
    Jurisdiction,
    Rectification,
    Report,
    Task,
    TaskUnit,
    Unit,
    UnitAlias,
    User,
    WorkPlan,
)

# Renames seen in real notices: (written form, canonical form), applied to the end of a name.
SEED_RENAMES: tuple[tuple[str, str], ...] = (
    ("发展和改革委员会", "发展和改革局"),
    ("发展改革委员会", "发展和改革局"),
    ("发展改革委", "发展和改革局"),
    ("发展改革局", "发展和改革局"),
    ("发改局", "发展和改革局"),
    ("发改委", "发展和改革局"),
    ("住房城乡建设局", "住房和城乡建设局"),
    ("住建局", "住房和城乡建设局"),
    ("人社局", "人力资源和社会保障局"),
    ("市场监管局", "市场监督管理局"),
    ("工信局", "工业和信息化局"),
    ("卫健局", "卫生健康局"),
    ("卫生和健康局", "卫生健康局"),
    ("教体局", "教育和体育局"),
    ("文旅局", "文化和旅游局"),
    ("农业农村局", "农业农村局"),
)
_GROUP_ALL = re.compile(r"^(?:各|全[县区市])|(?:直|政府)各(?:部门|单位)|各(?:部门|单位|镇|街)")
_GROUP_CHOSEN = re.compile(r"^(?:相关|有关)|(?:直|政府)(?:相关|有关)")
SUGGESTION_THRESHOLD = 88.0


def clean_name(name: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", name))


def match_key(name: str, county: str | None = None) -> str:
    key = clean_name(name)
    if county and key.startswith(county) and len(key) > len(county) + 1:
        key = key[len(county) :]
    elif len(key) > 2 and key[0] in "县区":
        key = key[1:]
    for written, canonical in SEED_RENAMES:
        if key.endswith(written):
            key = key[: -len(written)] + canonical
            break
    return key


def group_kind(name: str) -> str | None:
    """``all`` for 各…/县政府各部门 (every member is assigned), ``chosen`` for 相关…/有关…, else ``None``."""
    name = clean_name(name)
    if _GROUP_CHOSEN.search(name):
        return "chosen"
    if _GROUP_ALL.search(name):
        return "all"
    return None


def county_of(issuer: str | None) -> str | None:
    """``金乡县人民政府`` → ``金乡县``; ``济宁市兖州区人民政府`` → ``兖州区``."""
    if not issuer:
        return None
    tail = clean_name(issuer).rsplit("市", 1)[-1]
    match = re.match(r"^(.{1,6}?[县区旗])人民政府", tail)
    return match.group(1) if match else None


def _in_directory(jurisdiction_id: int | None) -> ColumnElement[bool]:
    """Aliases of one jurisdiction's directory (the installation-wide one where there is none)."""
    if jurisdiction_id is None:
        return UnitAlias.jurisdiction_id.is_(None)
    return UnitAlias.jurisdiction_id == jurisdiction_id


def _only_jurisdiction(session: Session) -> Jurisdiction | None:
    """Without a jurisdiction named, the only one there is: a one-county installation never names it."""
    rows = list(session.scalars(select(Jurisdiction).limit(2)))
    return rows[0] if len(rows) == 1 else None


def find_exact(session: Session, name: str, jurisdiction_id: int | None) -> int | None:
    """The unit whose name or alias is exactly ``name`` in one jurisdiction's directory."""
    where = _in_directory(jurisdiction_id)
    return session.scalar(select(UnitAlias.unit_id).where(where, UnitAlias.name == clean_name(name)))


def find(session: Session, name: str, jurisdiction: Jurisdiction | None = None) -> Unit | None:
    """The unit a name means in a jurisdiction's directory: an exact alias first, then any alias with the
    same match key. Another county's unit of the same name is never found."""
    cleaned = clean_name(name)
    jurisdiction = jurisdiction or _only_jurisdiction(session)
    where = _in_directory(jurisdiction.id if jurisdiction else None)
    unit_id = session.scalar(select(UnitAlias.unit_id).where(where, UnitAlias.name == cleaned))
    if unit_id is None:
        key = match_key(cleaned, jurisdictions.county_prefix(jurisdiction))
        unit_id = session.scalar(
            select(UnitAlias.unit_id).where(where, UnitAlias.key == key).order_by(UnitAlias.id).limit(1)
        )
    return session.get(Unit, unit_id) if unit_id is not None else None


def resolve(
    session: Session, name: str, now: datetime, actor: User | None, jurisdiction: Jurisdiction | None = None
) -> Unit:
    """The unit for a name in the jurisdiction's directory, created (and logged) if it has none; a new
    spelling becomes an alias."""
    cleaned = clean_name(name)
    jurisdiction = jurisdiction or _only_jurisdiction(session)
    unit = find(session, cleaned, jurisdiction)
    j_id = jurisdiction.id if jurisdiction else None
    if unit is None:
        unit = Unit(name=cleaned, group_kind=group_kind(cleaned), jurisdiction_id=j_id, created_at=now)
        session.add(unit)
        session.flush()
        after = {"name": cleaned, "jurisdiction": jurisdiction.name if jurisdiction else None}
        # Not a transition: the unit directory has no workflow state.
        changelog.record(session, actor, "unit", unit.id, "create", None, after, now)
    if session.scalar(select(UnitAlias.id).where(_in_directory(j_id), UnitAlias.name == cleaned)) is None:
        key = match_key(cleaned, jurisdictions.county_prefix(jurisdiction))
        session.add(UnitAlias(unit_id=unit.id, jurisdiction_id=j_id, name=cleaned, key=key))
        session.flush()
    return unit


def similarity_of(key_a: str, key_b: str) -> float:
    """rapidfuzz's ratio, raised to the threshold when one name is the other with at most two characters
    inserted (``城投公司`` / ``城投集团公司``): short Chinese names differ by whole words."""
    similarity = float(fuzz.ratio(key_a, key_b))
    short, long = sorted((key_a, key_b), key=len)
    if len(short) >= 4 and len(long) - len(short) <= 2 and _is_subsequence(short, long):
        similarity = max(similarity, SUGGESTION_THRESHOLD)
    return similarity


def _is_subsequence(short: str, long: str) -> bool:
    chars = iter(long)
    return all(ch in chars for ch in short)


@dataclass(frozen=True)
class Suggestion:
    keep: int
    merge: int
    keep_name: str
    merge_name: str
    similarity: float


def suggestions(
    session: Session, limit: int = 100, jurisdiction_ids: list[int] | None = None
) -> list[Suggestion]:
    """Pairs of real units of one jurisdiction whose names look alike, most alike first, for an
    administrator to confirm (two counties' 财政局 are never suggested)."""
    query = select(Unit).where(Unit.group_kind.is_(None)).order_by(Unit.id)
    if jurisdiction_ids is not None:
        query = query.where(Unit.jurisdiction_id.in_(jurisdiction_ids))
    keys = [(u, match_key(u.name)) for u in session.scalars(query)]
    found = []
    for i, (a, key_a) in enumerate(keys):
        for b, key_b in keys[i + 1 :]:
            if a.jurisdiction_id != b.jurisdiction_id or abs(len(key_a) - len(key_b)) > 4:
                continue
            similarity = similarity_of(key_a, key_b)
            if similarity >= SUGGESTION_THRESHOLD and not differ_in_place(key_a, key_b):
                found.append(Suggestion(a.id, b.id, a.name, b.name, round(similarity, 1)))
    found.sort(key=lambda s: -s.similarity)
    return found[:limit]


@dataclass(frozen=True)
class MergePreview:
    """What a merge would do, for the confirmation the office reads before it acts: which name survives,
    which go (and stay as aliases), and how much moves."""

    keep_id: int
    keep_name: str
    merged: list[tuple[int, str]]
    tasks: int
    reports: int
    aliases: int
    accounts: int
    groups: int


def merge_preview(session: Session, keep_id: int, merge_ids: list[int]) -> MergePreview:
    """Counts of what ``merge`` would move from ``merge_ids`` into ``keep_id`` (nothing is changed)."""
    keep = session.get(Unit, keep_id)
    if keep is None:
        raise NotFound("单位不存在")
    others = []
    for merge_id in dict.fromkeys(merge_ids):
        other = session.get(Unit, merge_id)
        if other is None:
            raise NotFound(f"单位不存在：{merge_id}")
        if merge_id == keep_id:
            raise Invalid("不能把单位合并到自身")
        if other.jurisdiction_id != keep.jurisdiction_id:
            raise Invalid(f"“{other.name}”属于另一个行政区，不能合并")
        others.append(other)
    ids = [o.id for o in others]

    def count(query: Any) -> int:
        return int(session.scalar(select(func.count()).select_from(query.subquery())) or 0)

    return MergePreview(
        keep.id,
        keep.name,
        [(o.id, o.name) for o in others],
        tasks=count(
            select(Task.id).where(
                Task.id.in_(select(TaskUnit.task_id).where(TaskUnit.unit_id.in_(ids)))
                | Task.reporting_unit_id.in_(ids)
            )
        ),
        reports=count(select(Report.id).where(Report.unit_id.in_(ids))),
        aliases=count(select(UnitAlias.id).where(UnitAlias.unit_id.in_(ids))),
        accounts=count(select(User.id).where(User.unit_id.in_(ids))),
        groups=count(select(GroupMember.group_id).where(GroupMember.member_id.in_(ids))),
    )


def merge(session: Session, keep_id: int, merge_ids: list[int], actor: User | None, now: datetime) -> Unit:
    """Fold units into ``keep``: their aliases, task assignments, reports, users and group memberships move."""
    keep = session.get(Unit, keep_id)
    if keep is None:
        raise NotFound("单位不存在 / no such unit")
    for merge_id in merge_ids:
        if merge_id == keep_id:
            raise Invalid("不能把单位合并到自身 / a unit cannot be merged into itself")
        other = session.get(Unit, merge_id)
        if other is None:
            raise NotFound(f"单位不存在 / no such unit: {merge_id}")
        if other.jurisdiction_id != keep.jurisdiction_id:
            raise Invalid(f"“{other.name}”属于另一个行政区，不能合并 / units of two jurisdictions")
        _move_references(session, other.id, keep.id)
        # Not a transition: the unit directory has no workflow state.
        changelog.record(
            session,
            actor,
            "unit",
            keep.id,
            "merge",
            {"merged": {"id": other.id, "name": other.name}},
            {"into": keep.name},
            now,
        )
        session.delete(other)
    session.flush()
    return keep


def _move_references(session: Session, old: int, new: int) -> None:
    session.execute(update(UnitAlias).where(UnitAlias.unit_id == old).values(unit_id=new))
    for link in list(session.scalars(select(TaskUnit).where(TaskUnit.unit_id == old))):
        duplicate = session.scalar(
            select(TaskUnit.id).where(TaskUnit.task_id == link.task_id, TaskUnit.unit_id == new)
        )
        if duplicate is None:
            link.unit_id = new
        else:
            session.delete(link)
    session.flush()
    session.execute(update(Task).where(Task.reporting_unit_id == old).values(reporting_unit_id=new))
    session.execute(update(Report).where(Report.unit_id == old).values(unit_id=new))
    for model in (WorkPlan, Rectification, Contribution):  # issue 21's objects follow their unit
        session.execute(update(model).where(model.unit_id == old).values(unit_id=new))
    session.execute(update(User).where(User.unit_id == old).values(unit_id=new))
    session.execute(update(TaskUnit).where(TaskUnit.via_group_id == old).values(via_group_id=new))
    for member in list(session.scalars(select(GroupMember).where(GroupMember.member_id == old))):
        _move_membership(session, member, member.group_id, new)
    for member in list(session.scalars(select(GroupMember).where(GroupMember.group_id == old))):
        _move_membership(session, member, new, member.member_id)
    session.flush()


def _move_membership(session: Session, member: GroupMember, group_id: int, member_id: int) -> None:
    exists = session.get(GroupMember, (group_id, member_id))
    session.delete(member)
    session.flush()
    if exists is None and group_id != member_id:
        session.add(GroupMember(group_id=group_id, member_id=member_id))


def set_members(
    session: Session, group_id: int, member_ids: list[int], actor: User | None, now: datetime
) -> None:
    group = session.get(Unit, group_id)
    if group is None or not group.is_group:
        raise NotFound("集体名称（单位组）不存在 / no such group")
    before = sorted(session.scalars(select(GroupMember.member_id).where(GroupMember.group_id == group_id)))
    for member_id in member_ids:
        unit = session.get(Unit, member_id)
        if unit is None or unit.is_group:
            raise Invalid(f"成员必须是具体单位 / members must be units: {member_id}")
        if unit.jurisdiction_id != group.jurisdiction_id:
            raise Invalid(f"“{unit.name}”属于另一个行政区，不能加入本组 / a unit of another jurisdiction")
    for row in list(session.scalars(select(GroupMember).where(GroupMember.group_id == group_id))):
        session.delete(row)
    session.flush()
    for member_id in dict.fromkeys(member_ids):
        session.add(GroupMember(group_id=group_id, member_id=member_id))
    # Not a transition: the unit directory has no workflow state.
    changelog.record(
        session,
        actor,
        "unit",
        group_id,
        "members",
        {"members": before},
        {"members": sorted(set(member_ids))},
        now,
    )
    session.flush()


def members(session: Session, group_id: int) -> list[int]:
    return list(session.scalars(select(GroupMember.member_id).where(GroupMember.group_id == group_id)))


def groups_of(session: Session, unit_id: int) -> list[int]:
    """Groups of kind ``all`` the unit belongs to: tasks assigned to them are its tasks too."""
    return list(
        session.scalars(
            select(GroupMember.group_id)
            .join(Unit, Unit.id == GroupMember.group_id)
            .where(GroupMember.member_id == unit_id, Unit.group_kind == "all")
        )
    )
