"""``/api/plans``: import a notice (or dry-run its parse), list and read plans, publish."""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated, Any

from fastapi import APIRouter, File, HTTPException, Query, UploadFile
from sqlalchemy import func, select

from duban.ledger.services import access, importing, publishing
from duban.ledger.services import plan_rules as rules
from duban.ledger.store.models import Plan, Section, Task, User
from duban.plan import Plan as ParsedPlan
from duban.web.deps import AppState, CurrentUser, Db, Paging, State
from duban.web.schemas import plans as plans_shapes
from duban.web.validation import FiniteFloat, OptionalQueryId, PathId

router = APIRouter(prefix="/api/plans", tags=["计划 plans"])


def plan_json(plan: Plan, tasks: int | None = None) -> dict[str, Any]:
    return {
        "id": plan.id,
        "title": plan.title,
        "year": plan.year,
        "doc_number": plan.doc_number,
        "issuer": plan.issuer,
        "issued_on": plan.issued_on.isoformat() if plan.issued_on else None,
        "supervisor": plan.supervisor,
        "state": plan.state,
        "source_name": plan.source_name,
        "report_deadlines": (plan.document or {}).get("report_deadlines", []),
        "jurisdiction_id": plan.jurisdiction_id,
        **({"tasks": tasks} if tasks is not None else {}),
    }


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


@router.get("", response_model=plans_shapes.PlanList)
def list_plans(db: Db, user: CurrentUser, paging: Paging) -> dict[str, Any]:
    with db.reader() as session:
        counts = dict(session.execute(select(Task.plan_id, func.count(Task.id)).group_by(Task.plan_id)).all())
        query = select(Plan).order_by(Plan.year.desc(), Plan.id.desc())
        plans = list(session.scalars(access.visible_plans(session, user, query)))
        return paging.slice([plan_json(p, counts.get(p.id, 0)) for p in plans])


@router.get("/{plan_id}", response_model=plans_shapes.PlanDetail)
def get_plan(plan_id: PathId, db: Db, user: CurrentUser) -> dict[str, Any]:
    with db.reader() as session:
        plan = access.plan_for(session, user, plan_id)
        count = session.scalar(select(func.count(Task.id)).where(Task.plan_id == plan_id)) or 0
        sections = session.scalars(
            select(Section).where(Section.plan_id == plan_id).order_by(Section.position)
        )
        return {
            **plan_json(plan, count),
            "sections": [
                {"key": s.key, "number": s.number, "title": s.title, "level": s.level, "parent": s.parent_key}
                for s in sections
            ],
        }


@router.post("/{plan_id}/publish", response_model=plans_shapes.Plan, response_model_exclude_unset=True)
def publish(plan_id: PathId, state: State, db: Db, user: CurrentUser) -> dict[str, Any]:
    """Refused (409, naming the tasks) while an assessed task has no reporting unit."""
    with db.writer() as session:
        access.require_admin(user)
        plan = access.plan_for(session, user, plan_id, write=True)
        return plan_json(publishing.publish(session, plan, user, state.clock.now()))


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
