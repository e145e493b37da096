"""What the 导入, 单位 and 周期 pages change: the import preview (parse beside the source text, with every unit
name mapped or suggested), new units and aliases, and editing or deleting reporting periods (admin)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, File, UploadFile
from pydantic import Field

from duban.ledger.services import access, directory, importing, jurisdictions
from duban.web.deps import CurrentUser, Db, State
from duban.web.routers.periods import period_json
from duban.web.routers.plans import _read_upload
from duban.web.schemas import periods as periods_shapes
from duban.web.schemas import plans as plans_shapes
from duban.web.schemas import units as units_shapes
from duban.web.validation import Body, Day, Id, PathId

router = APIRouter(prefix="/api", tags=["导入与目录 import and directory"])


@router.post("/imports/preview", response_model=plans_shapes.ImportPreview)
async def import_preview(
    state: State, user: CurrentUser, file: Annotated[UploadFile, File(description="通知文件")]
) -> dict[str, Any]:
    """Parse without storing: the plan, the source as lines, and each unit name's mapping."""
    access.require_admin(user)
    data = await _read_upload(file, state.limits.max_bytes)
    parsed = await state.run_heavy(importing.parse_upload, data, file.filename, state.limits)
    lines = await state.run_heavy(directory.source_lines, data, file.filename, state.limits)
    with state.database.reader() as session:
        home = jurisdictions.peek(session, parsed.document.issuer, user)
        names = directory.name_mapping(session, parsed, home)
        place = {"id": home.id, "path": jurisdictions.path(session, home)} if home else None
    return {
        "jurisdiction": place,  # the existing 行政区 the notice joins; None: named by the issuer, made on import
        "title": parsed.document.title,
        "year": parsed.document.year,
        "tasks": len(parsed.tasks),
        "source_lines": lines,
        "names": names,
        "unresolved": [n["name"] for n in names if n["unit"] is None],
        "warnings": importing.parse_warnings(parsed),
        "text": parsed.text,
        "plan": parsed.to_dict(),
    }


class NameBody(Body):
    name: str = Field(min_length=1, max_length=200)


class NewUnitBody(NameBody):
    jurisdiction_id: Id | None = None


def _unit_brief(unit: Any) -> dict[str, Any]:
    return {"id": unit.id, "name": unit.name, "group": unit.is_group, "group_kind": unit.group_kind}


@router.post("/units", status_code=201, response_model=units_shapes.UnitBrief)
def create_unit(body: NewUnitBody, state: State, db: Db, user: CurrentUser) -> dict[str, Any]:
    """In ``jurisdiction_id``'s directory, else the administrator's own (or the only one)."""
    with db.writer() as session:
        access.require_admin(user)
        unit = directory.create_unit(session, body.name, user, state.clock.now(), body.jurisdiction_id)
        return _unit_brief(unit)


@router.post("/units/{unit_id}/aliases", status_code=201, response_model=units_shapes.UnitWithAliases)
def add_alias(unit_id: PathId, body: NameBody, state: State, db: Db, user: CurrentUser) -> dict[str, Any]:
    with db.writer() as session:
        access.require_admin(user)
        access.unit_for(session, user, unit_id, write=True)
        unit = directory.add_alias(session, unit_id, body.name, user, state.clock.now())
        return {**_unit_brief(unit), "aliases": [a.name for a in unit.aliases]}


class PeriodChange(Body):
    name: str | None = Field(default=None, min_length=1, max_length=100)
    due: Day | None = None


@router.patch("/periods/{period_id}", response_model=periods_shapes.Period)
def change_period(
    period_id: PathId, body: PeriodChange, state: State, db: Db, user: CurrentUser
) -> dict[str, Any]:
    with db.writer() as session:
        access.require_admin(user)
        access.period_for(session, user, period_id, write=True)
        period = directory.change_period(session, period_id, body.name, body.due, user, state.clock.now())
        return period_json(period)


@router.delete("/periods/{period_id}", status_code=204)
def delete_period(period_id: PathId, state: State, db: Db, user: CurrentUser) -> None:
    with db.writer() as session:
        access.require_admin(user)
        access.period_for(session, user, period_id, write=True)
        directory.delete_period(session, period_id, user, state.clock.now())
