"""Importing a parsed notice into the ledger: one transaction, idempotent by the content hash of the file.

Every unit name resolves through the directory (``units.resolve``); a group of kind ``chosen``
(相关镇街/有关部门) needs the administrator to pick its members for the task and is reported in
``unresolved``, as is a task whose reporting unit cannot be decided (it names only groups). The plan starts
as a draft: it can be corrected (text, units, roles, due dates; every correction logged) and then published.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from duban import plan as parser
from duban.ledger.errors import Conflict, Invalid
from duban.ledger.services import jurisdictions, periods, units
from duban.ledger.store import changelog
from duban.ledger.store.models import Jurisdiction, Plan, Section, Target, Task, TaskUnit, Unit, User


@dataclass
class ImportResult:
    plan: Plan
    existing: bool
    tasks: int
    units: int
    unresolved: list[str] = field(default_factory=list)


def content_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _iso(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def import_plan(
    session: Session,
    parsed: parser.Plan,
    digest: str,
    actor: User | None,
    now: datetime,
    source_name: str | None = None,
    jurisdiction_id: int | None = None,
) -> ImportResult:
    """Store a parsed plan unless one with the same content hash exists (then return that one). The plan and
    its units belong to the jurisdiction the issuer names (or ``jurisdiction_id``, the importer's choice)."""
    existing = session.scalar(select(Plan).where(Plan.content_hash == digest))
    if existing is not None:
        if actor is not None and not jurisdictions.can_read(session, actor, existing.jurisdiction_id):
            raise Conflict("这份通知已由其他行政区导入 / imported by another jurisdiction")
        return ImportResult(
            existing, True, _task_count(session, existing.id), _unit_count(session, existing.id)
        )
    if not parsed.tasks:
        # The preview shows what was read (parse_warnings, the text); a plan with no task is not stored.
        raise Invalid(
            "通知中没有读出任何任务，未导入；请在导入页对照原文逐项录入任务后再保存",
            {"partial_plan": parsed.to_dict(), "warnings": parse_warnings(parsed)},
        )
    doc = parsed.document
    home = jurisdictions.for_import(session, doc.issuer, jurisdiction_id, actor, now)
    year = doc.year or (int(doc.issued_on[:4]) if doc.issued_on else now.year)
    row = Plan(
        title=doc.title or source_name or "未命名计划",
        doc_number=doc.doc_number,
        issuer=doc.issuer,
        issued_on=_iso(doc.issued_on),
        year=year,
        supervisor=doc.supervisor,
        state="draft",
        content_hash=digest,
        source_name=source_name,
        document=doc.model_dump(),
        jurisdiction_id=home.id,
        created_at=now,
    )
    session.add(row)
    session.flush()
    for position, section in enumerate(parsed.sections):
        session.add(
            Section(
                plan_id=row.id,
                key=section.key,
                number=section.number,
                title=section.title,
                level=section.level,
                parent_key=section.parent,
                position=position,
            )
        )
    unresolved: list[str] = []
    seen_units: set[int] = set()
    for position, parsed_task in enumerate(parsed.tasks):
        task = _store_task(session, row, position, parsed_task, now, actor, home, unresolved)
        seen_units.update(link.unit_id for link in task.units)
    periods.create_defaults(session, row, actor, now)
    # Not a transition: an import makes a new draft plan; its moves (MOVES) start at publishing.
    changelog.record(
        session, actor, "plan", row.id, "import", None,
        {"title": row.title, "hash": digest, "tasks": len(parsed.tasks), "source": source_name}, now,
    )  # fmt: skip
    session.flush()
    return ImportResult(row, False, len(parsed.tasks), len(seen_units), list(dict.fromkeys(unresolved)))


def _store_task(
    session: Session,
    plan: Plan,
    position: int,
    parsed: parser.Task,
    now: datetime,
    actor: User | None,
    home: Jurisdiction,
    unresolved: list[str],
) -> Task:
    task = Task(
        plan_id=plan.id,
        position=position,
        no=parsed.no,
        section_key=parsed.section,
        kind=parsed.kind,
        name=parsed.name,
        text=parsed.text,
        leaders=list(parsed.leaders),
        leaders_text="、".join(parsed.leaders),
        due=_iso(parsed.due),
    )
    session.add(task)
    session.flush()
    links: dict[int, TaskUnit] = {}
    for ref in parsed.units:
        unit = units.resolve(session, ref.name, now, actor, home)
        if unit.id in links:
            continue
        links[unit.id] = TaskUnit(task_id=task.id, unit_id=unit.id, role=ref.role, position=len(links))
        session.add(links[unit.id])
        if unit.group_kind == "chosen":
            unresolved.append(f"{plan.title[:20]} 第{parsed.no}项：{unit.name}（请选择具体单位）")
    for index, target in enumerate(parsed.targets):
        session.add(
            Target(task_id=task.id, index=index, value=float(target.value), unit=target.unit, op=target.op)
        )
    session.flush()
    session.refresh(task)
    task.reporting_unit_id = default_reporting_unit(session, task)
    if task.reporting_unit_id is None and task.units:
        unresolved.append(f"{plan.title[:20]} 第{parsed.no}项：无法确定汇总单位（请指定）")
    return task


def default_reporting_unit(session: Session, task: Task) -> int | None:
    """The first lead unit; where there is none, the first responsible unit; groups are skipped."""
    for role in ("lead", "responsible"):
        for link in task.units:
            unit = session.get(Unit, link.unit_id)
            if link.role == role and unit is not None and not unit.is_group:
                return link.unit_id
    return None


def _task_count(session: Session, plan_id: int) -> int:
    return len(list(session.scalars(select(Task.id).where(Task.plan_id == plan_id))))


def _unit_count(session: Session, plan_id: int) -> int:
    query = select(TaskUnit.unit_id).join(Task, Task.id == TaskUnit.task_id).where(Task.plan_id == plan_id)
    return len(set(session.scalars(query)))


def parse_upload(data: bytes, filename: str | None, limits: parser.Limits) -> parser.Plan:
    """Parse an uploaded notice with the parser's limits; refusals become ``Invalid``."""
    try:
        return parser.parse(data, filename=filename, limits=limits)
    except parser.PlanError as exc:
        extra = {"partial_plan": exc.partial.to_dict()} if exc.partial is not None else None
        raise Invalid(exc.message, extra) from exc


OCR_WARNING = "本计划由扫描件文字识别（OCR）得到，请逐项核对任务、单位和日期"


def parse_warnings(parsed: parser.Plan) -> list[str]:
    """What the office should check before saving: an OCR read, and each part the parser could not read."""
    return ([OCR_WARNING] if parsed.read_by_ocr else []) + list(parsed.warnings)
