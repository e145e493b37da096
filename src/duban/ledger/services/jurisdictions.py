"""Jurisdictions (行政区): a 县, 区, 县级市 or 市 owns plans, units and accounts; a 市 has its 县/区 below it.

Who sees what follows from the tree: an account of a jurisdiction reads that jurisdiction and everything
below it, and writes only its own jurisdiction's objects (a city's accounts read their counties, never write
them). An account without a jurisdiction belongs to the whole installation (the only kind a one-county
installation has, so it notices nothing).

An imported notice belongs to the jurisdiction its issuer names (``金乡县人民政府`` → 金乡县, ``济宁市兖州区人民
政府`` → 兖州区 under 济宁市), created on first use; where the issuer names none, the importer's own, or the only
one there is; where that still leaves a choice, the importer is asked."""

from __future__ import annotations

import re
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from duban.ledger.errors import Forbidden, Invalid, NotFound
from duban.ledger.store import changelog
from duban.ledger.store.models import Jurisdiction, Plan, User

LEVELS = ("县级市", "自治县", "自治区", "自治州", "县", "区", "旗", "市", "盟", "省")
COUNTY_LEVELS = ("县", "区", "县级市", "自治县", "旗")
DEFAULT_NAME = "本级"
_PART = re.compile(r".+?(?:自治区|自治县|自治州|省|市|盟|县|区|旗)")  # not 州 alone: 兖州区, 徐州市
_PARTY = re.compile(r"^中共.+?[省市县区旗]委(员会)?")
_OFFICE = re.compile(r"(人民政府|政府|办公室|委员会|党委|督查|督考).*$")


def split_issuer(issuer: str | None) -> list[tuple[str, str]]:
    """``济宁市兖州区人民政府`` → [(济宁市, 市), (兖州区, 区)]; empty when the issuer names no 行政区
    (``县政府办公室``: the generic word, not a county). A 市 under a 市 is a 县级市."""
    if not issuer:
        return []
    text = _PARTY.sub("", re.sub(r"\s+", "", issuer))
    head = _OFFICE.sub("", text)
    parts = [p for p in _PART.findall(head) if p not in LEVELS]
    if not parts or "".join(parts) != head:
        return []
    found: list[tuple[str, str]] = []
    for part in parts:
        level = next(level for level in LEVELS if part.endswith(level))
        if level == "市" and found and found[-1][1] == "市":
            level = "县级市"
        found.append((part, level))
    return found


def all_of(session: Session) -> list[Jurisdiction]:
    return list(session.scalars(select(Jurisdiction).order_by(Jurisdiction.id)))


def subtree(session: Session, root_id: int) -> list[int]:
    """The jurisdiction and every one below it (the tree is small: read whole)."""
    return list(descendants(session, [root_id]))


def descendants(session: Session, roots: list[int]) -> dict[int, int]:
    """Every jurisdiction at or below each of ``roots``, mapped to its root (one read of the tree)."""
    children: dict[int | None, list[int]] = {}
    for row in all_of(session):
        children.setdefault(row.parent_id, []).append(row.id)
    found: dict[int, int] = {}
    for root in roots:
        todo = [root]
        while todo:
            current = todo.pop()
            found[current] = root
            todo.extend(children.get(current, []))
    return found


def visible_ids(session: Session, user: User) -> list[int] | None:
    """The jurisdictions the user reads, or None for all (an installation-wide account)."""
    if user.jurisdiction_id is None:
        return None
    return subtree(session, user.jurisdiction_id)


def can_read(session: Session, user: User, jurisdiction_id: int | None) -> bool:
    seen = visible_ids(session, user)
    return seen is None or jurisdiction_id in seen


def readable(session: Session, user: User, jurisdiction_id: int) -> Jurisdiction:
    """The 行政区 if the user may read it; one refusal for "none" and "not yours" (they look the same)."""
    row = session.get(Jurisdiction, jurisdiction_id)
    if row is None or not can_read(session, user, row.id):
        raise NotFound("行政区不存在 / no such jurisdiction")
    return row


def require_write(user: User, jurisdiction_id: int | None) -> None:
    """Only the jurisdiction's own accounts (or installation-wide ones) change its objects."""
    if user.jurisdiction_id is not None and user.jurisdiction_id != jurisdiction_id:
        raise Forbidden("上级行政区的账号只能查看下级的数据，不能修改 / read-only for this jurisdiction")


def find(session: Session, name: str) -> Jurisdiction:
    """By name (``兖州区``) or path (``济宁市/兖州区``), for the command line and the API."""
    *parents, leaf = [p for p in re.split(r"[/／]", name.strip()) if p]
    candidates = list(session.scalars(select(Jurisdiction).where(Jurisdiction.name == leaf)))
    if parents:
        candidates = [c for c in candidates if _parent_name(session, c) == parents[-1]]
    if len(candidates) != 1:
        known = "、".join(path(session, j) for j in all_of(session)) or "无"
        problem = "有多个同名行政区，请写上级，如 济宁市/兖州区" if candidates else "没有这个行政区"
        raise NotFound(f"{problem}：{name}（已有：{known}）")
    return candidates[0]


def _parent_name(session: Session, row: Jurisdiction) -> str | None:
    parent = session.get(Jurisdiction, row.parent_id) if row.parent_id else None
    return parent.name if parent else None


def path(session: Session, row: Jurisdiction) -> str:
    parent = _parent_name(session, row)
    return f"{parent}/{row.name}" if parent else row.name


def ensure(
    session: Session, name: str, level: str, parent: Jurisdiction | None, actor: User | None, now: datetime
) -> Jurisdiction:
    """The named jurisdiction, created (and logged) when missing; one known by its name alone (金乡县) is the
    same as the one the issuer places under a city, and learns its parent then."""
    same_name = list(session.scalars(select(Jurisdiction).where(Jurisdiction.name == name)))
    exact = [j for j in same_name if j.parent_id == (parent.id if parent else None)]
    found = exact[0] if exact else (same_name[0] if len(same_name) == 1 else None)
    if found is not None:
        if parent is not None and found.parent_id is None and found.id != parent.id:
            found.parent_id = parent.id
            # Not a transition: the 行政区 tree has no workflow state.
            changelog.record(
                session, actor, "jurisdiction", found.id, "update", None, {"parent": parent.name}, now
            )
        return found
    found = Jurisdiction(name=name, level=level, parent_id=parent.id if parent else None)
    session.add(found)
    session.flush()
    # Not a transition: the 行政区 tree has no workflow state.
    changelog.record(
        session, actor, "jurisdiction", found.id, "create", None,
        {"name": name, "level": level, "parent": parent.name if parent else None}, now,
    )  # fmt: skip
    return found


def level_of(name: str) -> str:
    return next((level for level in LEVELS if name.endswith(level)), DEFAULT_NAME)


def ensure_path(session: Session, text: str, actor: User | None, now: datetime) -> Jurisdiction:
    """``济宁市/金乡县``: each level found or created, the last one returned (the command line's way to name
    or set up a jurisdiction)."""
    names = [p for p in re.split(r"[/／]", text.strip()) if p]
    if not names:
        raise Invalid("请写出行政区名称，如 金乡县 或 济宁市/金乡县")
    parent: Jurisdiction | None = None
    for i, name in enumerate(names):
        level = level_of(name)
        if level == "市" and i > 0 and parent is not None and parent.level == "市":
            level = "县级市"
        parent = ensure(session, name, level, parent, actor, now)
    assert parent is not None
    return parent


def for_issuer(
    session: Session, issuer: str | None, actor: User | None, now: datetime
) -> Jurisdiction | None:
    parent: Jurisdiction | None = None
    for name, level in split_issuer(issuer):
        parent = ensure(session, name, level, parent, actor, now)
    return parent


def for_import(
    session: Session, issuer: str | None, chosen: int | None, actor: User | None, now: datetime
) -> Jurisdiction:
    """Where an imported notice belongs; a notice of another county than the importer's is refused."""
    if chosen is not None:
        row = session.get(Jurisdiction, chosen)
        if row is None or (actor is not None and not can_read(session, actor, row.id)):
            raise NotFound("行政区不存在 / no such jurisdiction")
    else:
        row = for_issuer(session, issuer, actor, now) or _without_issuer(session, actor, now)
    if actor is not None and actor.jurisdiction_id is not None and row.id != actor.jurisdiction_id:
        own = session.get(Jurisdiction, actor.jurisdiction_id)
        raise Invalid(
            f"这份通知属于{row.name}，不属于您所在的{own.name if own else '行政区'}；请由{row.name}的督查室导入"
        )
    return row


def _without_issuer(session: Session, actor: User | None, now: datetime) -> Jurisdiction:
    if actor is not None and actor.jurisdiction_id is not None:
        own = session.get(Jurisdiction, actor.jurisdiction_id)
        if own is not None:
            return own
    known = all_of(session)
    if len(known) == 1:
        return known[0]
    if not known:
        return ensure(session, DEFAULT_NAME, DEFAULT_NAME, None, actor, now)
    raise Invalid(
        "无法从发文机关判断通知属于哪个行政区，请选择所属行政区",
        {"jurisdictions": [{"id": j.id, "name": path(session, j)} for j in known]},
    )


def peek(session: Session, issuer: str | None, actor: User | None) -> Jurisdiction | None:
    """The existing jurisdiction a notice would join, without creating one (the import preview)."""
    parts = split_issuer(issuer)
    if parts:
        named = list(session.scalars(select(Jurisdiction).where(Jurisdiction.name == parts[-1][0])))
        return named[0] if len(named) == 1 else None
    try:
        return for_new_object(session, actor, None)
    except Invalid:
        return None  # several to choose from: the importer chooses


def for_new_object(session: Session, actor: User | None, chosen: int | None) -> Jurisdiction | None:
    """Where a unit or account made by hand goes: the one chosen (which the actor must be able to write),
    else the actor's own, else the only one there is (None in an installation without any)."""
    if chosen is not None:
        row = session.get(Jurisdiction, chosen)
        if row is None or (actor is not None and not can_read(session, actor, row.id)):
            raise NotFound("行政区不存在 / no such jurisdiction")
        if actor is not None:
            require_write(actor, row.id)
        return row
    if actor is not None and actor.jurisdiction_id is not None:
        return session.get(Jurisdiction, actor.jurisdiction_id)
    known = all_of(session)
    if len(known) == 1:
        return known[0]
    if known:
        raise Invalid(
            "请选择所属行政区",
            {"jurisdictions": [{"id": j.id, "name": path(session, j)} for j in known]},
        )
    return None


def county_prefix(row: Jurisdiction | None) -> str | None:
    """The prefix unit names may carry in this jurisdiction's notices (``金乡县``财政局)."""
    return row.name if row is not None and row.level in COUNTY_LEVELS else None


def plan_counts(session: Session) -> dict[int | None, int]:
    """How many plans each jurisdiction holds (None: plans of no jurisdiction)."""
    rows = session.execute(select(Plan.jurisdiction_id, func.count(Plan.id)).group_by(Plan.jurisdiction_id))
    return {j: n for j, n in rows}
