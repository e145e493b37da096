"""The 导入 page's save in one transaction: the office's mapping of new names to existing units (aliases),
the import itself, the corrections it typed beside the text (by task position), and publishing.

Saving used to be a request for each step; a refusal halfway (a wrong unit in the third correction, a
publish refused for tasks without a reporting unit) left the aliases added and a half-corrected draft
stored. Here every step is a ledger service called in the caller's one transaction: a refusal anywhere
raises, the transaction rolls back, and nothing of the save remains."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from duban import plan as parser
from duban.ledger.errors import Invalid
from duban.ledger.services import access, directory, importing, publishing, tasks
from duban.ledger.store.models import Task, User


@dataclass(frozen=True)
class AliasChoice:
    """``name`` (as the notice writes it) is to mean the existing unit ``unit_id`` from now on."""

    unit_id: int
    name: str


@dataclass(frozen=True)
class PositionedCorrection:
    """A correction of the task at ``position`` (0-based, the order of the parse and of the stored plan)."""

    position: int
    change: tasks.Correction


@dataclass(frozen=True)
class ImportChanges:
    """What the office decided on the 导入 page. ``exclude_unassigned``: before publishing, mark the tasks
    still without a reporting unit 不考核 (the office's answer to the publish refusal)."""

    aliases: list[AliasChoice] = field(default_factory=list)
    corrections: list[PositionedCorrection] = field(default_factory=list)
    publish: bool = False
    exclude_unassigned: bool = False


@dataclass
class SavedImport:
    result: importing.ImportResult
    corrected: int
    published: bool


def save_import(
    session: Session,
    actor: User,
    parsed: parser.Plan,
    digest: str,
    source_name: str | None,
    jurisdiction_id: int | None,
    changes: ImportChanges,
    now: datetime,
) -> SavedImport:
    """Aliases, import, corrections, publishing, in that order, in the caller's transaction (admin only).
    Importing the same file again applies the corrections to the plan stored before, which refuses them
    once it is published."""
    access.require_admin(actor)
    for alias in changes.aliases:
        access.unit_for(session, actor, alias.unit_id, write=True)
        directory.add_alias(session, alias.unit_id, alias.name, actor, now)
    result = importing.import_plan(session, parsed, digest, actor, now, source_name, jurisdiction_id)
    plan = result.plan
    corrected = 0
    if changes.corrections:
        access.plan_for(session, actor, plan.id, write=True)
        by_position = {t.position: t for t in session.scalars(select(Task).where(Task.plan_id == plan.id))}
        for item in changes.corrections:
            task = by_position.get(item.position)
            if task is None:
                raise Invalid(f"第{item.position + 1}个任务不存在（计划共{len(by_position)}项任务）")
            tasks.apply(session, actor, task, item.change, now)
            corrected += 1
    if changes.publish and plan.state != "published":  # the same file again: published before is enough
        row = access.plan_for(session, actor, plan.id, write=True)
        if changes.exclude_unassigned:
            publishing.exclude_unassigned(session, row, actor, now)
        publishing.publish(session, row, actor, now)
    session.flush()
    return SavedImport(result, corrected, plan.state == "published")
