"""What the 账号 page does for an office: open one account, or one for every unit that has none, each with a
random initial password answered once and to be changed at the first login (every account logged by
``auth.add_user``); and the accounts and tokens an office reads."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from duban.ledger.errors import Invalid
from duban.ledger.services import access, auth, jurisdictions
from duban.ledger.store.models import Jurisdiction, Unit, User


@dataclass(frozen=True)
class Opened:
    """An account just opened, with the password handed out once (``unit_name``: the unit it reports for)."""

    account: User
    password: str
    unit_name: str | None = None


def _place_path(session: Session, jurisdiction_id: int | None) -> str | None:
    row = session.get(Jurisdiction, jurisdiction_id) if jurisdiction_id is not None else None
    return jurisdictions.path(session, row) if row is not None else None


def open_account(
    session: Session,
    actor: User,
    username: str,
    role: str,
    unit_id: int | None,
    jurisdiction_id: int | None,
    now: datetime,
) -> Opened:
    """A unit, leader or office account of the office's own county. A unit account is in its unit's county
    (``auth.add_user``); another in ``jurisdiction_id`` (one the office writes) or the office's own."""
    access.require_admin(actor)
    password = auth.initial_password()
    unit_name, place = None, None
    if unit_id is not None:
        if role != "unit":
            raise Invalid("只有责任单位账号可以指定单位")
        unit = access.unit_for(session, actor, unit_id, write=True)
        if unit.group_kind is not None:
            raise Invalid("账号只能属于具体单位，不能是“各镇街”等统称")
        unit_name, place = unit.name, _place_path(session, unit.jurisdiction_id)
    else:
        chosen = jurisdictions.for_new_object(session, actor, jurisdiction_id)
        place = jurisdictions.path(session, chosen) if chosen is not None else None
    made = auth.add_user(
        session, username, role, password, unit_name, now, actor=actor, jurisdiction=place, must_change=True
    )
    return Opened(made, password, unit_name)


def open_unit_accounts(
    session: Session, actor: User, jurisdiction_id: int | None, now: datetime
) -> list[Opened]:
    """One account for every unit of the office's directory (or of ``jurisdiction_id``'s) that has none,
    named after the unit: the sheet the office prints."""
    access.require_admin(actor)
    query = access.visible_units(session, actor, select(Unit).where(Unit.group_kind.is_(None)))
    if jurisdiction_id is not None:
        query = query.where(Unit.jurisdiction_id == jurisdiction_id)
    having = select(User.unit_id).where(User.unit_id.is_not(None))
    made = []
    for unit in session.scalars(query.where(Unit.id.not_in(having)).order_by(Unit.id)).all():
        if actor.jurisdiction_id is not None and actor.jurisdiction_id != unit.jurisdiction_id:
            continue  # a city office reads its counties' directories, never opens their accounts
        home = session.get(Jurisdiction, unit.jurisdiction_id) if unit.jurisdiction_id else None
        name = auth.free_username(session, unit.name, home.name if home else None)
        password = auth.initial_password()
        account = auth.add_user(
            session,
            name,
            "unit",
            password,
            unit.name,
            now,
            actor=actor,
            jurisdiction=jurisdictions.path(session, home) if home else None,
            must_change=True,
        )
        made.append(Opened(account, password, unit.name))
    return made


def accounts_of(session: Session, actor: User) -> list[User]:
    """The accounts of the jurisdictions the office reads, in the order they were opened."""
    access.require_admin(actor)
    return list(session.scalars(access.visible_users(session, actor, select(User).order_by(User.id))))


def tokens_of(session: Session, actor: User) -> list[auth.TokenInfo]:
    """An office's view: every token of the accounts it reads; anyone else's: their own."""
    tokens = auth.list_tokens(session, None if actor.role == "admin" else actor.username)
    if actor.role == "admin" and actor.jurisdiction_id is not None:
        own = {u.username for u in session.scalars(access.visible_users(session, actor, select(User)))}
        tokens = [t for t in tokens if t.username in own]
    return tokens
