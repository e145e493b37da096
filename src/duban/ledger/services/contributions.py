"""Report once (最多报一次, issue 21): a new period's report starts from the unit's last one, the office sees
what changed word by word, and the supporting units' contributions are gathered under the reporting unit's
report instead of each filing its own.

A contribution is a supporting unit's text for (task, period): the reporting unit sees it in its form and
consolidates it. It lives in its own table, so it is never a report anywhere (figures, missing, late).
"""

from __future__ import annotations

import difflib
import re
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from duban.ledger.errors import Forbidden, Invalid
from duban.ledger.services import access, reports
from duban.ledger.store import transitions
from duban.ledger.store.models import Contribution, Period, Report, Unit, User

MAX_TEXT = 5000
TEXT_FIELDS = (("text", "完成情况"), ("problems", "存在问题"), ("next_steps", "下步打算"))
# Words of a report: a run of Latin letters or digits (with the decimal point, the percent sign) is one
# word; each Chinese character is a word of its own (Chinese is written without spaces, and a character
# is the smallest unit a reader notices changed); punctuation and spaces stand alone.
WORD = re.compile(r"[A-Za-z0-9]+(?:[.,][0-9]+)*%?|\s+|.", re.S)


def contribution_json(item: Contribution, names: dict[int, str]) -> dict[str, Any]:
    return {
        "id": item.id,
        "task": item.task_id,
        "unit": item.unit_id,
        "unit_name": names.get(item.unit_id, ""),
        "period": item.period_id,
        "text": item.text,
        "updated_at": item.updated_at.isoformat(),
        "version": item.version,
    }


def write(
    session: Session, user: User, task_id: int, period_id: int, text: str, now: datetime
) -> Contribution:
    """A supporting unit writes (or rewrites) its contribution to the task's report for the period."""
    if user.role != "unit" or user.unit_id is None:
        raise Forbidden("只有协办单位可以提交协办材料 / only supporting units contribute")
    task = access.get_task(session, user, task_id)
    if task.reporting_unit_id == user.unit_id:
        raise Invalid(
            "汇总单位直接在报告中填写，无需提交协办材料 / the reporting unit writes the report itself"
        )
    period = session.get(Period, period_id)
    if period is None or period.plan_id != task.plan_id:
        raise Invalid("报送期不属于该任务的计划 / the period is not one of this task's plan")
    text = (text or "").strip()
    if not text:
        raise Invalid("请填写协办材料 / the contribution is empty")
    if len(text) > MAX_TEXT:
        raise Invalid(f"协办材料最多 {MAX_TEXT} 字 / too long")
    current = session.scalar(
        select(Contribution).where(
            Contribution.task_id == task.id,
            Contribution.unit_id == user.unit_id,
            Contribution.period_id == period.id,
        )
    )
    if current is None:
        found = transitions.check("contribution", "write", transitions.NEW, user)
        current = Contribution(
            task_id=task.id,
            unit_id=user.unit_id,
            period_id=period.id,
            state="submitted",
            text=text,
            created_by=user.id,
            created_at=now,
            updated_at=now,
            version=1,
        )
        session.add(current)
        session.flush()
        transitions.record(
            session,
            found,
            user,
            current.id,
            None,
            {"text": text},
            now,
            plan_id=task.plan_id,
            unit_id=user.unit_id,
            period_id=period.id,
            payload={"task": task.id, "reporting_unit": task.reporting_unit_id},
        )
        return current
    before = {"text": current.text}
    transitions.move(
        session,
        Contribution,
        current,
        "write",
        user,
        now,
        values={"text": text, "updated_at": now},
        version=current.version,
        before=before,
        after=lambda row: {"text": row.text},
        plan_id=task.plan_id,
        unit_id=user.unit_id,
        period_id=period.id,
    )
    return current


def of_report(session: Session, user: User, task_id: int, period_id: int) -> list[dict[str, Any]]:
    """The contributions to a task's report for a period: all of them for the office, leaders and the
    reporting unit; a supporting unit sees only its own."""
    task = access.get_task(session, user, task_id)
    query = select(Contribution).where(Contribution.task_id == task.id, Contribution.period_id == period_id)
    if user.role == "unit" and task.reporting_unit_id != user.unit_id:
        query = query.where(Contribution.unit_id == user.unit_id)
    items = list(session.scalars(query.order_by(Contribution.id)))
    names = dict(
        session.execute(select(Unit.id, Unit.name).where(Unit.id.in_({i.unit_id for i in items}))).all()
    )
    return [contribution_json(i, names) for i in items]


def _last_report(session: Session, task_id: int, unit_id: int, before_due: Any) -> Report | None:
    """The unit's last report on the task for a period due before ``before_due`` (drafts left out: the unit
    never sent them), the latest period first and, within it, the highest revision."""
    return session.scalar(
        select(Report)
        .join(Period, Period.id == Report.period_id)
        .where(
            Report.task_id == task_id,
            Report.unit_id == unit_id,
            Report.state != "draft",
            Period.due < before_due,
        )
        .order_by(Period.due.desc(), Report.revision.desc())
        .limit(1)
    )


def form_start(session: Session, user: User, task_id: int, period_id: int) -> dict[str, Any]:
    """What the report form for (task, period) starts from: the unit's own report for the period when it
    has one, else its last report of an earlier period copied forward (progress included; the unit edits
    what changed), else empty; with the supporting units' contributions for the period."""
    task = access.get_task(session, user, task_id)
    period = session.get(Period, period_id)
    if period is None or period.plan_id != task.plan_id:
        raise Invalid("报送期不属于该任务的计划 / the period is not one of this task's plan")
    unit_id = user.unit_id if user.role == "unit" else task.reporting_unit_id
    own = (
        session.scalar(
            select(Report)
            .where(Report.task_id == task.id, Report.unit_id == unit_id, Report.period_id == period.id)
            .order_by(Report.revision.desc())
            .limit(1)
        )
        if unit_id is not None
        else None
    )
    source, origin = own, "this_period"
    if own is None and unit_id is not None:
        source, origin = _last_report(session, task.id, unit_id, period.due), "copied"
    fields: dict[str, Any] = {
        "progress": None,
        "text": "",
        "problems": "",
        "next_steps": "",
        "completed": False,
        "values": [],
    }
    from_period = None
    if source is not None:
        fields.update({name: getattr(source, name) for name in reports.FIELDS})
        fields["values"] = list(source.values or [])
        from_period = session.scalar(select(Period.name).where(Period.id == source.period_id))
    return {
        "task": task.id,
        "period": period.id,
        "origin": origin if source is not None else "empty",
        "from_report": source.id if source is not None else None,
        "from_period": from_period,
        **fields,
        "contributions": of_report(session, user, task.id, period.id),
    }


def words(text: str) -> list[str]:
    return WORD.findall(text or "")


def word_diff(before: str, after: str) -> list[dict[str, str]]:
    """What changed from ``before`` to ``after``, word by word (``difflib``), as segments ``same`` /
    ``added`` / ``removed`` in reading order."""
    old, new = words(before), words(after)
    segments: list[dict[str, str]] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        if op == "equal":
            segments.append({"op": "same", "text": "".join(old[i1:i2])})
            continue
        if i2 > i1:
            segments.append({"op": "removed", "text": "".join(old[i1:i2])})
        if j2 > j1:
            segments.append({"op": "added", "text": "".join(new[j1:j2])})
    return segments


def _previous_of(session: Session, report: Report) -> Report | None:
    """The report this one is compared with: the revision it supersedes, else the unit's last report of
    an earlier period."""
    if report.supersedes_id is not None:
        return session.get(Report, report.supersedes_id)
    due = session.scalar(select(Period.due).where(Period.id == report.period_id))
    return _last_report(session, report.task_id, report.unit_id, due)


def changes_of(session: Session, user: User, report_id: int) -> dict[str, Any]:
    """审核's view of a report against the previous one: each text field word by word, progress and
    completion before and after, and the supporting units' contributions for the period."""
    report = reports.get_visible(session, user, report_id)
    previous = _previous_of(session, report)
    name = session.scalar(select(Period.name).where(Period.id == previous.period_id)) if previous else None
    return {
        "report": report.id,
        "previous": previous.id if previous else None,
        "previous_period": name,
        "progress": {"before": previous.progress if previous else None, "after": report.progress},
        "completed": {"before": previous.completed if previous else None, "after": report.completed},
        "fields": [
            {
                "field": field,
                "label": label,
                "segments": word_diff(getattr(previous, field) if previous else "", getattr(report, field)),
                "changed": (getattr(previous, field) if previous else "") != getattr(report, field),
            }
            for field, label in TEXT_FIELDS
        ],
        "contributions": of_report(session, user, report.task_id, report.period_id),
    }
