"""What the 导入 and 单位 pages change in the unit directory, and the import preview.

The preview parses a notice without storing it and says, for every unit name in it, which unit the
directory would use (through the aliases), or that the name is new, with the most alike existing units as
suggestions. The administrator then maps each new name — add it as an alias of an existing unit, or create
the unit — before importing, so the import resolves every name the way the office decided and never merges
on its own.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from duban import plan as parser
from duban.ledger.errors import Conflict, Forbidden, Invalid, NotFound
from duban.ledger.rules.places import differ_in_place
from duban.ledger.services import jurisdictions, units
from duban.ledger.store import changelog
from duban.ledger.store.models import Jurisdiction, Period, Report, Unit, UnitAlias, User
from duban.plan.read import read_source
from duban.plan.source import Para

SUGGEST_FROM = 60.0


def source_lines(data: bytes, filename: str | None, limits: parser.Limits) -> list[str]:
    """The notice as lines of text (a table row's cells joined by tabs), for the side-by-side view."""
    lines: list[str] = []
    for block in read_source(data, filename, limits):
        if isinstance(block, Para):
            lines.append(block.text)
        else:
            lines.extend("\t".join(cell.text.replace("\n", " ") for cell in row) for row in block.rows)
    return lines


def name_mapping(session: Session, parsed: parser.Plan, home: Jurisdiction | None) -> list[dict[str, Any]]:
    """Every unit name of the parse: the unit it resolves to in the directory of ``home``, the jurisdiction
    the notice would join (``jurisdictions.peek``), or ``None`` with suggestions from that directory."""
    return map_names(session, [u.name for t in parsed.tasks for u in t.units], home)


def map_names(
    session: Session, names: list[str], home: Jurisdiction | None, size: int = 3
) -> list[dict[str, Any]]:
    """Each name as the directory of ``home`` reads it: the unit it resolves to, or the ``size`` most alike
    units of that directory only (never another county's, never a body of another place: rules/places),
    best first. Called again when the office picks another 行政区 on the 导入 page."""
    county = jurisdictions.county_prefix(home)
    names = list(dict.fromkeys(names))
    directory = select(Unit).where(Unit.jurisdiction_id == (home.id if home else -1))
    known = [(u.id, u.name, units.match_key(u.name, county)) for u in session.scalars(directory)]
    mapping = []
    for name in names:
        found = units.find(session, name, home) if home else None
        suggestions: list[dict[str, Any]] = []
        if found is None:
            key = units.match_key(name, county)
            scored = sorted(
                ((units.similarity_of(key, k), uid, uname) for uid, uname, k in known), reverse=True
            )
            suggestions = [
                {"unit_id": uid, "name": uname, "similarity": round(score, 1)}
                for score, uid, uname in [
                    row for row in scored if not differ_in_place(key, units.match_key(row[2], county))
                ][:size]
                if score >= SUGGEST_FROM
            ]
        mapping.append(
            {
                "name": name,
                "group_kind": units.group_kind(name),
                "unit": {"id": found.id, "name": found.name} if found else None,
                "suggestions": suggestions,
            }
        )
    return mapping


def create_unit(
    session: Session, name: str, actor: User | None, now: datetime, jurisdiction_id: int | None = None
) -> Unit:
    """A unit in a jurisdiction's directory: the one chosen, else the administrator's own or the only one."""
    cleaned = units.clean_name(name)
    if not cleaned:
        raise Invalid("单位名称不能为空 / a unit needs a name")
    home = jurisdictions.for_new_object(session, actor, jurisdiction_id)
    if units.find_exact(session, cleaned, home.id if home else None) is not None:
        raise Conflict(f"已有该名称的单位或别名 / this name is already in the directory: {cleaned}")
    return units.resolve(session, cleaned, now, actor, home)


def add_alias(session: Session, unit_id: int, name: str, actor: User | None, now: datetime) -> Unit:
    """Make ``name`` mean the unit from now on (an administrator's decision, logged)."""
    unit = session.get(Unit, unit_id)
    if unit is None:
        raise NotFound("单位不存在 / no such unit")
    cleaned = units.clean_name(name)
    if not cleaned:
        raise Invalid("别名不能为空 / an alias needs a name")
    if actor is not None:
        jurisdictions.require_write(actor, unit.jurisdiction_id)
    owner = units.find_exact(session, cleaned, unit.jurisdiction_id)
    if owner == unit.id:
        return unit
    if owner is not None:
        raise Conflict(f"该名称已属于其他单位，请改用合并 / the name belongs to another unit: {cleaned}")
    home = session.get(Jurisdiction, unit.jurisdiction_id) if unit.jurisdiction_id else None
    key = units.match_key(cleaned, jurisdictions.county_prefix(home))
    session.add(UnitAlias(unit_id=unit.id, jurisdiction_id=unit.jurisdiction_id, name=cleaned, key=key))
    session.flush()
    # Not a transition: aliases and reporting periods have no workflow state.
    changelog.record(session, actor, "unit", unit.id, "alias", None, {"alias": cleaned}, now)
    return unit


def change_period(
    session: Session, period_id: int, name: str | None, due: date | None, actor: User | None, now: datetime
) -> Period:
    period = session.get(Period, period_id)
    if period is None:
        raise NotFound("报送期不存在 / no such period")
    before = {"name": period.name, "due": period.due}
    if name is not None:
        name = name.strip()
        if not name:
            raise Invalid("报送期名称不能为空 / a period needs a name")
        clash = session.scalar(
            select(Period.id).where(
                Period.plan_id == period.plan_id, Period.name == name, Period.id != period.id
            )
        )
        if clash is not None:
            raise Conflict(f"已有同名报送期 / a period with this name exists: {name}")
        period.name = name
    if due is not None:
        period.due = due
    session.flush()
    # Not a transition: aliases and reporting periods have no workflow state.
    changelog.record(
        session, actor, "period", period.id, "update", before, {"name": period.name, "due": period.due}, now
    )
    return period


def delete_period(session: Session, period_id: int, actor: User | None, now: datetime) -> None:
    """Only a period without reports can go: reports are the record and are never lost."""
    period = session.get(Period, period_id)
    if period is None:
        raise NotFound("报送期不存在 / no such period")
    if session.scalar(select(func.count(Report.id)).where(Report.period_id == period.id)):
        raise Conflict("该报送期已有报告，不能删除 / the period has reports and cannot be deleted")
    before = {"plan": period.plan_id, "name": period.name, "due": period.due}
    session.delete(period)
    session.flush()
    # Not a transition: aliases and reporting periods have no workflow state.
    changelog.record(session, actor, "period", period_id, "delete", before, None, now)


def create_county(session: Session, actor: User, path: str, now: datetime) -> Jurisdiction:
    """A 行政区 made from the 导入 page (``济宁市/金乡县`` or ``金乡县``) before its first notice, by an
    installation-wide office only (a county's office cannot make another county); logged by ``ensure``."""
    if actor.role != "admin" or actor.jurisdiction_id is not None:
        raise Forbidden("只有全系统管理员可以新建行政区")
    cleaned = units.clean_name(path)
    if not cleaned or len(cleaned) > 100:
        raise Invalid("请写出行政区名称，如 金乡县 或 济宁市/金乡县")
    names = [p for p in cleaned.replace("／", "/").split("/") if p]
    if any(not n.endswith(jurisdictions.LEVELS) for n in names):
        raise Invalid("行政区名称应以 省、市、县、区 或 旗 结尾，如 金乡县")
    return jurisdictions.ensure_path(session, cleaned, actor, now)
