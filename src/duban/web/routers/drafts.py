"""The 导入 page's editing of a draft plan (add, delete, split, move tasks; set 牵头领导), the unit names of
a notice mapped again for another 行政区, and a new 行政区 made from the page. Admin only; each write is
logged by its ledger service."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter
from pydantic import Field

from duban.ledger.services import access, directory, drafting, jurisdictions
from duban.ledger.store.models import Task
from duban.web.deps import CurrentUser, Db, State
from duban.web.schemas.drafts import (
    CreatedJurisdiction,
    DraftTask,
    DraftTaskList,
    NameMapping,
    NameMappingList,
)
from duban.web.validation import Body, Id, PathId

router = APIRouter(prefix="/api", tags=["导入与目录 import and directory"])


def _task_out(task: Task) -> DraftTask:
    return DraftTask(
        id=task.id,
        plan=task.plan_id,
        no=task.no,
        section_key=task.section_key,
        position=task.position,
        text=task.text,
        leaders=list(task.leaders or []),
    )


class UnitIn(Body):
    name: str = Field(min_length=1, max_length=200)
    role: Literal["lead", "responsible", "support"] = "lead"


class NewTaskBody(Body):
    text: str = Field(min_length=1, max_length=5000)
    section_key: str | None = Field(default=None, max_length=50)
    after_task_id: Id | None = None
    no: str | None = Field(default=None, max_length=50)
    leaders: list[str] = Field(default_factory=list, max_length=20)
    units: list[UnitIn] = Field(default_factory=list, max_length=100)


class MoveBody(Body):
    section_key: str | None = Field(default=None, max_length=50)
    after_task_id: Id | None = None


class LeadersBody(Body):
    leaders: list[str] = Field(max_length=20)


class SplitBody(Body):
    parts: list[str] = Field(min_length=2, max_length=50)


class NamesBody(Body):
    names: list[str] = Field(min_length=1, max_length=2000)
    jurisdiction_id: Id | None = None


class CountyBody(Body):
    path: str = Field(min_length=1, max_length=100)


@router.post("/drafts/{plan_id}/tasks", status_code=201, response_model=DraftTask)
def add_task(plan_id: PathId, body: NewTaskBody, state: State, db: Db, user: CurrentUser) -> DraftTask:
    """A task the parser missed, added to a draft plan (after ``after_task_id``, else at the end of its
    section); its units resolve in the plan's directory, new names become units."""
    with db.writer() as session:
        task = drafting.add_task(
            session,
            user,
            plan_id,
            drafting.NewTask(
                text=body.text,
                section_key=body.section_key,
                after_task_id=body.after_task_id,
                no=body.no,
                leaders=body.leaders,
                units=[(u.name, u.role) for u in body.units],
            ),
            state.clock.now(),
        )
        return _task_out(task)


@router.delete("/drafts/tasks/{task_id}", status_code=204)
def delete_task(task_id: PathId, state: State, db: Db, user: CurrentUser) -> None:
    with db.writer() as session:
        drafting.delete_task(session, user, task_id, state.clock.now())


@router.post("/drafts/tasks/{task_id}/move", response_model=DraftTask)
def move_task(task_id: PathId, body: MoveBody, state: State, db: Db, user: CurrentUser) -> DraftTask:
    with db.writer() as session:
        return _task_out(
            drafting.move_task(
                session, user, task_id, body.section_key, body.after_task_id, state.clock.now()
            )
        )


@router.put("/drafts/tasks/{task_id}/leaders", response_model=DraftTask)
def set_leaders(task_id: PathId, body: LeadersBody, state: State, db: Db, user: CurrentUser) -> DraftTask:
    with db.writer() as session:
        return _task_out(drafting.set_leaders(session, user, task_id, body.leaders, state.clock.now()))


@router.post("/drafts/tasks/{task_id}/split", response_model=DraftTaskList)
def split_task(task_id: PathId, body: SplitBody, state: State, db: Db, user: CurrentUser) -> DraftTaskList:
    with db.writer() as session:
        made = drafting.split_task(session, user, task_id, body.parts, state.clock.now())
        return DraftTaskList(items=[_task_out(t) for t in made], total=len(made))


@router.post("/imports/names", response_model=NameMappingList)
def map_names(body: NamesBody, db: Db, user: CurrentUser) -> NameMappingList:
    """The notice's unit names as the chosen 行政区's directory reads them (asked again whenever the office
    picks another 行政区 on 导入): the unit each is, or up to five suggestions of that county only."""
    access.require_admin(user)
    with db.reader() as session:
        home = None
        if body.jurisdiction_id is not None:
            home = jurisdictions.readable(session, user, body.jurisdiction_id)
        mapped = directory.map_names(session, body.names, home, size=5)
    items = [NameMapping.model_validate(m) for m in mapped]
    return NameMappingList(items=items, total=len(items))


@router.post("/jurisdictions", status_code=201, response_model=CreatedJurisdiction)
def create_county(body: CountyBody, state: State, db: Db, user: CurrentUser) -> CreatedJurisdiction:
    """A new 行政区 (``济宁市/某县``) before its first notice is imported: installation-wide office only."""
    with db.writer() as session:
        row = directory.create_county(session, user, body.path, state.clock.now())
        return CreatedJurisdiction(
            id=row.id,
            name=row.name,
            path=jurisdictions.path(session, row),
            level=row.level,
            parent_id=row.parent_id,
        )
