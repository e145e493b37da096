"""``/api/units``: the directory, merge suggestions, merges and group members (writes: admin only)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from duban.ledger.services import access, jurisdictions, units
from duban.ledger.views import units as unit_views
from duban.web.deps import CurrentUser, Db, Paging, State
from duban.web.schemas import units as units_shapes
from duban.web.validation import MAX_ID, Body, Id, OptionalQueryId, PathId, QueryId, QueryText

router = APIRouter(prefix="/api/units", tags=["单位 units"])


@router.get("", response_model=units_shapes.UnitList)
def list_units(
    db: Db, user: CurrentUser, paging: Paging, q: QueryText = None, jurisdiction: OptionalQueryId = None
) -> dict[str, Any]:
    """The directories the user reads (``jurisdiction``: one of them)."""
    with db.reader() as session:
        return paging.slice(unit_views.directory_of(session, user, q, jurisdiction))


@router.get("/suggestions", response_model=units_shapes.MergeSuggestionList)
def merge_suggestions(db: Db, user: CurrentUser) -> dict[str, Any]:
    with db.reader() as session:
        access.require_admin(user)
        found = units.suggestions(session, jurisdiction_ids=jurisdictions.visible_ids(session, user))
        items = [
            {
                "keep": s.keep,
                "merge": s.merge,
                "keep_name": s.keep_name,
                "merge_name": s.merge_name,
                "similarity": s.similarity,
            }
            for s in found
        ]
        return {"items": items, "total": len(items)}


class MergedUnit(BaseModel):
    id: int
    name: str


class MergePreviewOut(BaseModel):
    """What ``POST /api/units/merge`` with the same ``keep`` and ``merge`` would do."""

    keep: MergedUnit
    merged: list[MergedUnit]
    tasks: int
    reports: int
    aliases: int
    accounts: int
    groups: int


@router.get("/merge-preview", response_model=MergePreviewOut)
def merge_preview(
    db: Db,
    user: CurrentUser,
    keep: QueryId,
    merge: Annotated[list[Annotated[int, Query(ge=1, le=MAX_ID)]], Query(max_length=1000)],
) -> MergePreviewOut:
    """The confirmation's facts before a merge: the name that stays, the names that go (kept as aliases),
    and how many tasks, reports, aliases, accounts and group memberships move (admin; nothing changes)."""
    access.require_admin(user)
    with db.reader() as session:
        access.unit_for(session, user, keep, write=True)
        for other in merge:
            access.unit_for(session, user, other, write=True)
        found = units.merge_preview(session, keep, merge)
    return MergePreviewOut(
        keep=MergedUnit(id=found.keep_id, name=found.keep_name),
        merged=[MergedUnit(id=i, name=n) for i, n in found.merged],
        tasks=found.tasks,
        reports=found.reports,
        aliases=found.aliases,
        accounts=found.accounts,
        groups=found.groups,
    )


class MergeBody(Body):
    keep: Id
    merge: list[Id] = Field(min_length=1, max_length=1000)


@router.post("/merge", response_model=units_shapes.Unit)
def merge_units(body: MergeBody, state: State, db: Db, user: CurrentUser) -> dict[str, Any]:
    with db.writer() as session:
        access.require_admin(user)
        access.unit_for(session, user, body.keep, write=True)
        for other in body.merge:
            access.unit_for(session, user, other, write=True)
        keep = units.merge(session, body.keep, body.merge, user, state.clock.now())
        return unit_views.unit_of(session, keep)


class MembersBody(Body):
    members: list[Id] = Field(max_length=10000)


@router.put("/{unit_id}/members", response_model=units_shapes.Unit)
def set_members(
    unit_id: PathId, body: MembersBody, state: State, db: Db, user: CurrentUser
) -> dict[str, Any]:
    with db.writer() as session:
        access.require_admin(user)
        unit = access.unit_for(session, user, unit_id, write=True)
        units.set_members(session, unit_id, body.members, user, state.clock.now())
        return unit_views.unit_of(session, unit)
