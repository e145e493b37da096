"""``/api/plans``: import a notice (or dry-run its parse), list and read plans, publish."""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, HTTPException, Query, UploadFile
from pydantic import Field, Json

from duban.ledger.services import access, import_save, importing, publishing, tasks
from duban.ledger.services import plan_rules as rules
from duban.ledger.store.models import User
from duban.ledger.views import plans as plan_views
from duban.plan import Plan as ParsedPlan
from duban.web.deps import AppState, CurrentUser, Db, Paging, State
from duban.web.routers.tasks import TaskCorrection
from duban.web.schemas import plans as plans_shapes
from duban.web.validation import Body, FiniteFloat, Id, OptionalQueryId, PathId

router = APIRouter(prefix="/api/plans", tags=["计划 plans"])


plan_json = plan_views.plan_json  # the one JSON shape of a plan


async def _read_upload(file: UploadFile, limit: int) -> bytes:
    data = await file.read(limit + 1)
    if len(data) > limit:
        raise HTTPException(413, f"文件过大（上限 {limit / 1e6:.0f} MB）/ file too large")
    return data


@router.post("", status_code=201, response_model=plans_shapes.ImportResult | plans_shapes.ImportDryRun)
async def import_plan(
    state: State,
    user: CurrentUser,
    file: Annotated[UploadFile, File(description="通知文件：txt、docx、pdf 或网页")],
    dry_run: Annotated[bool, Query()] = False,
    jurisdiction_id: OptionalQueryId = None,
) -> dict[str, Any]:
    """``jurisdiction_id``: where the notice belongs when its issuer does not say (else the issuer's)."""
    access.require_admin(user)
    data = await _read_upload(file, state.limits.max_bytes)
    parsed = await state.run_heavy(importing.parse_upload, data, file.filename, state.limits)
    if dry_run:
        return {
            "id": None,
            "title": parsed.document.title,
            "year": parsed.document.year,
            "tasks": len(parsed.tasks),
            "units": len({u.name for t in parsed.tasks for u in t.units}),
            "unresolved": [],
            "ocr": parsed.read_by_ocr,
            "warnings": importing.parse_warnings(parsed),
            "text": parsed.text,
            "plan": parsed.to_dict(),
        }
    return await state.run_heavy(_store_import, state, user, parsed, data, file.filename, jurisdiction_id)


def _store_import(
    state: AppState,
    user: User,
    parsed: ParsedPlan,
    data: bytes,
    filename: str | None,
    jurisdiction_id: int | None,
) -> dict[str, Any]:
    with state.database.writer() as session:
        result = importing.import_plan(
            session, parsed, importing.content_hash(data), user, state.clock.now(), filename, jurisdiction_id
        )
        return {
            "id": result.plan.id,
            "title": result.plan.title,
            "year": result.plan.year,
            "tasks": result.tasks,
            "units": result.units,
            "unresolved": result.unresolved,
            "existing": result.existing,
        }


class AliasIn(Body):
    unit_id: Id
    name: str = Field(min_length=1, max_length=200)


class ImportCorrection(TaskCorrection):
    """A correction of the task at ``position`` (0-based, the order of the preview's tasks)."""

    position: int = Field(ge=0, le=100000)


class ImportChangesIn(Body):
    """What the 导入 page decided beside the notice; all of it is saved with the notice or none of it."""

    aliases: list[AliasIn] = Field(default_factory=list, max_length=10000)
    corrections: list[ImportCorrection] = Field(default_factory=list, max_length=100000)
    publish: bool = False
    exclude_unassigned: bool = Field(
        default=False, description="发布前把仍无汇总单位的任务标为不考核（对发布被拒的答复）"
    )


@router.post("/import", status_code=201, response_model=plans_shapes.ImportSaved)
async def import_and_publish(
    state: State,
    user: CurrentUser,
    file: Annotated[UploadFile, File(description="通知文件：txt、docx、pdf 或网页")],
    changes: Annotated[
        Json[ImportChangesIn] | None, Form(description="JSON：别名、按位置的更正、是否发布")
    ] = None,
    jurisdiction_id: OptionalQueryId = None,
) -> dict[str, Any]:
    """The 导入 page's save in one request and one transaction: the aliases, the import, the corrections
    (by task position) and publishing; a refusal anywhere (409/422) leaves nothing saved."""
    access.require_admin(user)
    data = await _read_upload(file, state.limits.max_bytes)
    parsed = await state.run_heavy(importing.parse_upload, data, file.filename, state.limits)
    wanted = _import_changes(changes or ImportChangesIn())
    return await state.run_heavy(
        _save_import, state, user, parsed, data, file.filename, jurisdiction_id, wanted
    )


def _import_changes(body: ImportChangesIn) -> import_save.ImportChanges:
    corrections = []
    for item in body.corrections:
        given = item.model_dump(exclude_unset=True)
        position = given.pop("position")
        corrections.append(import_save.PositionedCorrection(position, tasks.Correction.of(given)))
    return import_save.ImportChanges(
        aliases=[import_save.AliasChoice(a.unit_id, a.name) for a in body.aliases],
        corrections=corrections,
        publish=body.publish,
        exclude_unassigned=body.exclude_unassigned,
    )


def _save_import(
    state: AppState,
    user: User,
    parsed: ParsedPlan,
    data: bytes,
    filename: str | None,
    jurisdiction_id: int | None,
    changes: import_save.ImportChanges,
) -> dict[str, Any]:
    with state.database.writer() as session:
        saved = import_save.save_import(
            session,
            user,
            parsed,
            importing.content_hash(data),
            filename,
            jurisdiction_id,
            changes,
            state.clock.now(),
        )
        result = saved.result
        return {
            "id": result.plan.id,
            "title": result.plan.title,
            "year": result.plan.year,
            "tasks": result.tasks,
            "units": result.units,
            "unresolved": result.unresolved,
            "existing": result.existing,
            "corrected": saved.corrected,
            "published": saved.published,
            "state": result.plan.state,
        }


@router.get("", response_model=plans_shapes.PlanList)
def list_plans(db: Db, user: CurrentUser, paging: Paging) -> dict[str, Any]:
    with db.reader() as session:
        return paging.slice(plan_views.plans_of(session, user))


@router.get("/{plan_id}", response_model=plans_shapes.PlanDetail)
def get_plan(plan_id: PathId, db: Db, user: CurrentUser) -> dict[str, Any]:
    with db.reader() as session:
        return plan_views.plan_detail(session, user, plan_id)


@router.post("/{plan_id}/publish", response_model=plans_shapes.Plan, response_model_exclude_unset=True)
def publish(plan_id: PathId, state: State, db: Db, user: CurrentUser) -> dict[str, Any]:
    """Refused (409, naming the tasks) while an assessed task has no reporting unit."""
    with db.writer() as session:
        return plan_json(publishing.publish_plan(session, user, plan_id, state.clock.now()))


@router.get("/{plan_id}/rules", response_model=plans_shapes.PlanRules)
def get_rules(plan_id: PathId, db: Db, user: CurrentUser) -> dict[str, Any]:
    """The thresholds and weights the plan's colours and rankings use."""
    with db.reader() as session:
        access.plan_for(session, user, plan_id)
        return asdict(rules.rules_for(session, plan_id))


@router.put("/{plan_id}/rules", response_model=plans_shapes.PlanRules)
def put_rules(
    plan_id: PathId, body: dict[str, FiniteFloat], state: State, db: Db, user: CurrentUser
) -> dict[str, Any]:
    """Change some thresholds or weights (admin); the rest keep their values."""
    access.require_admin(user)
    with db.writer() as session:
        access.plan_for(session, user, plan_id, write=True)
        return asdict(rules.set_rules(session, plan_id, body, user, state.clock.now()))
