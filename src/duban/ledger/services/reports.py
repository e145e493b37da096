"""Reports: a unit's progress on a task for a period, and their review.

States: ``draft`` 草稿 → ``submitted`` 已报送 → ``approved`` 已通过, or ``returned`` 退回 (with a comment) →
edited → ``submitted``. An approved report is never edited: writing again for that period creates a new
revision that supersedes it once approved.

Concurrency: a unit's report for one (task, period) is one row per revision under a unique key, so many
simultaneous writers cannot create duplicates (the loser of an insert race retries as an update). Review is
an optimistic compare-and-set on ``version`` and ``state``: of two reviewers acting at once, one wins and
the other gets ``Conflict``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from duban.ledger.errors import Conflict, Forbidden, Invalid, NotFound
from duban.ledger.services import access
from duban.ledger.store import changelog, transitions
from duban.ledger.store.models import Attachment, Period, Report, Target, User

STATE_LABELS = transitions.STATE_LABELS["report"]
FIELDS = ("progress", "text", "problems", "next_steps", "completed", "values")


@dataclass
class ReportInput:
    period: int
    progress: float = 0.0
    text: str = ""
    problems: str = ""
    next_steps: str = ""
    completed: bool = False
    values: list[dict[str, float]] = field(default_factory=list)
    submit: bool = False
    version: int | None = None


def snapshot(report: Report) -> dict[str, Any]:
    return {
        "state": report.state,
        "revision": report.revision,
        **{name: getattr(report, name) for name in FIELDS},
    }


def as_dict(report: Report, late: bool | None = None) -> dict[str, Any]:
    """The report as every adapter shows it (API answers, work lists, review queue)."""
    return {
        "id": report.id,
        "task": report.task_id,
        "unit": report.unit_id,
        "period": report.period_id,
        "revision": report.revision,
        "state": report.state,
        "state_label": STATE_LABELS.get(report.state, report.state),
        "progress": report.progress,
        "text": report.text,
        "problems": report.problems,
        "next_steps": report.next_steps,
        "completed": report.completed,
        "values": report.values or [],
        "late": late,
        "submitted_at": report.submitted_at.isoformat() if report.submitted_at else None,
        "approved_at": report.approved_at.isoformat() if report.approved_at else None,
        "review_comment": report.review_comment,
        "supersedes": report.supersedes_id,
        "version": report.version,
    }


def is_late(report: Report, period: Period) -> bool:
    return report.first_submitted_at is not None and report.first_submitted_at.date() > period.due


def lateness(session: Session, report: Report) -> bool | None:
    """Was the report first sent after its period's due date (None when the period is gone)."""
    period = session.get(Period, report.period_id)
    return is_late(report, period) if period is not None else None


def _check_values(session: Session, task_id: int, values: list[dict[str, float]]) -> list[dict[str, float]]:
    if not values:
        return []
    count = len(list(session.scalars(select(Target.id).where(Target.task_id == task_id))))
    checked = []
    for item in values:
        index = int(item["target"])
        if not 0 <= index < count:
            raise Invalid(f"没有第 {index} 个量化目标 / no target with index {index}")
        checked.append({"target": index, "value": float(item["value"])})
    return checked


def write(session: Session, user: User, task_id: int, data: ReportInput, now: datetime) -> Report:
    """Create or update the unit's report for (task, period); ``submit`` sends it for review.

    ``data.version``, when given, is the version the writer last saw: any other current version is a
    conflict, so a writer never overwrites a change (or a review) it has not seen."""
    if user.role != "unit" or user.unit_id is None:
        raise Forbidden("只有责任单位账号可以填报 / only unit accounts write reports")
    return write_for(session, user, user.unit_id, task_id, data, now)


def write_for(
    session: Session, user: User, unit_id: int, task_id: int, data: ReportInput, now: datetime
) -> Report:
    """``write`` for a named unit: a unit account only for itself, the office (admin) for any unit — how a
    workbook collected on paper or by e-mail is entered on the units' behalf."""
    if user.role == "unit" and user.unit_id != unit_id:
        raise Forbidden("只能为本单位填报 / a unit reports only for itself")
    if user.role not in ("unit", "admin"):
        raise Forbidden("只有责任单位或督查室可以填报 / only units and the office write reports")
    task = access.get_task(session, user, task_id)
    access.require_task_write(session, user, task)
    if user.role == "unit" and task.reporting_unit_id is not None and task.reporting_unit_id != unit_id:
        # 最多报一次 (issue 21): a supporting unit's part goes to the reporting unit's report as a contribution.
        raise Invalid(
            "协办单位不单独报送：请提交协办材料，由汇总单位汇总报送 / a supporting unit contributes, it does not report"
        )
    period = session.get(Period, data.period)
    if period is None or period.plan_id != task.plan_id:
        raise Invalid("报送期不属于该任务的计划 / the period is not one of this task's plan")
    if not 0 <= data.progress <= 100:
        raise Invalid("进度必须在 0 到 100 之间 / progress must be between 0 and 100")
    values = _check_values(session, task.id, data.values)
    try:
        return _write_once(session, user, task.id, unit_id, period, data, values, now)
    except IntegrityError:
        # Another request created the same revision at the same moment: it wins, this one is told. The
        # caller's transaction is rolled back with it (no savepoint: a conflict never leaves half a write).
        raise _changed() from None


def _changed() -> Conflict:
    return Conflict(
        "该报告已被修改或已审核，请刷新后再填报 / the report changed meanwhile; reload and try again"
    )


def _latest(session: Session, task_id: int, unit_id: int, period_id: int) -> Report | None:
    return session.scalar(
        select(Report)
        .where(Report.task_id == task_id, Report.unit_id == unit_id, Report.period_id == period_id)
        .order_by(Report.revision.desc())
        .limit(1)
    )


def _content(
    data: ReportInput, values: list[dict[str, float]], state: str, first: datetime | None, now: datetime
) -> dict[str, Any]:
    """The columns a write sets: the content, and the state it moves the report to."""
    content: dict[str, Any] = {
        "progress": float(data.progress),
        "text": data.text,
        "problems": data.problems,
        "next_steps": data.next_steps,
        "completed": bool(data.completed),
        "values": values,
        "updated_at": now,
        "state": "draft" if state == "returned" else state,
        "first_submitted_at": first,
    }
    if data.submit:
        content.update(state="submitted", submitted_at=now, first_submitted_at=first or now)
    return content


def _write_once(
    session: Session,
    user: User,
    task_id: int,
    unit_id: int,
    period: Period,
    data: ReportInput,
    values: list[dict[str, float]],
    now: datetime,
) -> Report:
    current = _latest(session, task_id, unit_id, period.id)
    if data.version is not None and (current is None or current.version != data.version):
        raise _changed()
    before = snapshot(current) if current is not None else None
    state = transitions.NEW if current is None else current.state
    if current is not None and current.state == "approved":
        transitions.check("report", "supersede", state, user)
        state = transitions.NEW  # the correction is a new revision: it starts again from nothing
    move = transitions.check(
        "report", "submit" if data.submit else "save" if current else "create", state, user
    )
    if current is None or current.state == "approved":
        first = current.first_submitted_at if current else None
        report = Report(
            task_id=task_id,
            unit_id=unit_id,
            period_id=period.id,
            revision=(current.revision + 1) if current else 1,
            supersedes_id=current.id if current else None,
            created_by=user.id,
            created_at=now,
            version=1,
            **_content(data, values, "draft", first, now),
        )
        session.add(report)
        session.flush()
        action = "create" if current is None else "supersede"
    else:
        report = _compare_and_set(
            session, current, _content(data, values, current.state, current.first_submitted_at, now)
        )
        action = "update"
    transitions.record(
        session,
        move,
        user,
        report.id,
        before,
        snapshot(report),
        now,
        action=action,
        unit_id=unit_id,
        period_id=period.id,
        payload={"task": task_id, "revision": report.revision},
    )
    return report


def _compare_and_set(session: Session, current: Report, content: dict[str, Any]) -> Report:
    """Update ``current`` only if nobody changed or reviewed it since it was read: the UPDATE names the
    version and the editable states, so a concurrent approve (or another write) makes it match no row.
    On PostgreSQL the UPDATE waits for the other transaction's row lock and then re-checks the condition."""
    done = session.execute(
        update(Report)
        .where(
            Report.id == current.id,
            Report.version == current.version,
            Report.state.in_(("draft", "submitted", "returned")),
        )
        .values(**content, version=current.version + 1)
        .execution_options(synchronize_session=False)
    )
    if done.rowcount != 1:  # type: ignore[attr-defined]
        raise _changed()
    session.refresh(current)
    return current


def get_visible(session: Session, user: User, report_id: int) -> Report:
    report = session.get(Report, report_id)
    if report is None:
        raise NotFound("报告不存在 / no such report")
    try:
        access.get_task(session, user, report.task_id)
    except NotFound:
        raise NotFound("报告不存在 / no such report") from None
    if user.role == "unit" and report.unit_id != user.unit_id:
        raise NotFound("报告不存在 / no such report")
    return report


def review(
    session: Session,
    user: User,
    report_id: int,
    approve: bool,
    comment: str | None,
    now: datetime,
    version: int | None = None,
) -> Report:
    """Approve or return a submitted report; a stale ``version`` or a report already reviewed is a conflict."""
    report = get_visible(session, user, report_id)
    access.require_admin(user)
    access.require_report_write(session, user, report)
    transitions.review(
        session,
        Report,
        report,
        approve,
        comment,
        user,
        now,
        version=version,
        snapshot=snapshot,
        conflict="该报告已被他人处理，请刷新 / someone else reviewed this report first",
        unit_id=report.unit_id,
        period_id=report.period_id,
    )
    return report


MAX_ATTACHMENTS = 20


def attach(
    session: Session,
    user: User,
    report_id: int,
    filename: str,
    content_type: str,
    data: bytes,
    limit: int,
    now: datetime,
) -> Attachment:
    """Attach a file to the unit's own report while it can still be edited (not once approved)."""
    report = get_visible(session, user, report_id)
    if user.role != "unit" or report.unit_id != user.unit_id:
        raise Forbidden("只有填报单位可以添加附件 / only the reporting unit attaches files")
    if report.state == "approved":
        raise Conflict("已通过的报告不能修改 / an approved report cannot be changed")
    if not data:
        raise Invalid("附件是空的 / the attachment is empty")
    if len(data) > limit:
        raise Invalid(f"附件过大（上限 {limit / 1e6:.0f} MB）/ attachment too large")
    count = len(list(session.scalars(select(Attachment.id).where(Attachment.report_id == report.id))))
    if count >= MAX_ATTACHMENTS:
        raise Invalid(f"每份报告最多 {MAX_ATTACHMENTS} 个附件 / at most {MAX_ATTACHMENTS} attachments")
    name = (filename or "附件").replace("\\", "/").rsplit("/", 1)[-1][:200] or "附件"
    item = Attachment(
        report_id=report.id,
        filename=name,
        content_type=content_type[:100],
        size=len(data),
        data=data,
        created_at=now,
    )
    session.add(item)
    session.flush()
    # Not a transition: an attachment leaves the report's state as it is.
    changelog.record(
        session,
        user,
        "report",
        report.id,
        "attach",
        None,
        {"attachment": item.id, "filename": name, "size": len(data)},
        now,
    )
    return item


def attachment(session: Session, user: User, report_id: int, attachment_id: int) -> Attachment:
    report = get_visible(session, user, report_id)
    item = session.get(Attachment, attachment_id)
    if item is None or item.report_id != report.id:
        raise NotFound("附件不存在 / no such attachment")
    return item


def attachment_list(session: Session, report: Report) -> list[dict[str, Any]]:
    """One report's attachments as the report's page lists them (never their bytes)."""
    rows = session.execute(
        select(Attachment.id, Attachment.filename, Attachment.size).where(Attachment.report_id == report.id)
    )
    return [{"id": i, "filename": name, "size": size} for i, name, size in rows]


@dataclass
class AttachmentInfo:
    id: int
    report_id: int
    filename: str
    content_type: str
    size: int
    created_at: datetime


def attachments_of(session: Session, user: User, report_ids: list[int]) -> list[AttachmentInfo]:
    """The files attached to the reports the user may see (others are left out, never refused: a page lists
    the files of every report it shows in one request), without their bytes, oldest first."""
    visible = []
    for report_id in dict.fromkeys(report_ids):
        try:
            visible.append(get_visible(session, user, report_id).id)
        except NotFound:
            continue
    if not visible:
        return []
    rows = session.execute(
        select(
            Attachment.id,
            Attachment.report_id,
            Attachment.filename,
            Attachment.content_type,
            Attachment.size,
            Attachment.created_at,
        )
        .where(Attachment.report_id.in_(visible))
        .order_by(Attachment.id)
    ).all()
    return [AttachmentInfo(*row) for row in rows]
