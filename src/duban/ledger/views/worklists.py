"""The two work lists of the web app: 审核 (the office's queue of submitted reports, each beside the previous
approved report of the same task and unit) and 我的任务 (a unit's tasks with what is due, late or returned).

"The current period" for a unit is the first period not yet due (the one to report now); a past period the
unit has not reported is listed as overdue (逾期未报) so the liaison sees it first.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from duban.ledger.services import access, periods
from duban.ledger.services.reports import as_dict, is_late
from duban.ledger.store.models import Period, Plan, Report, Target, Task, TaskUnit, Unit, User

# How a task names a unit's part (not an account's role: ``access.ROLE_LABELS``).
TASK_ROLE_LABELS = {"lead": "牵头", "responsible": "责任", "support": "协办"}
WORK_STATES = {
    "due": "待报送",
    "overdue": "逾期未报",
    "draft": "草稿",
    "returned": "被退回",
    "submitted": "已报送",
    "approved": "已通过",
    "support": "协办",
}


def report_json(report: Report, period: Period) -> dict[str, Any]:
    return as_dict(report, is_late(report, period))


def _task_brief(task: Task) -> dict[str, Any]:
    return {
        "id": task.id,
        "plan": task.plan_id,
        "no": task.no,
        "name": task.name,
        "text": task.text,
        "due": task.due.isoformat() if task.due else None,
        "section": task.section_key,
    }


def review_queue(session: Session, user: User, plan_id: int | None = None) -> list[dict[str, Any]]:
    """Submitted reports, oldest first, each with the previous approved report of its task and unit."""
    access.require_admin(user)
    query = (
        select(Report, Task, Period, Unit)
        .join(Task, Task.id == Report.task_id)
        .join(Period, Period.id == Report.period_id)
        .join(Unit, Unit.id == Report.unit_id)
        .where(Report.state == "submitted")
        .order_by(Report.submitted_at, Report.id)
    )
    if plan_id is not None:
        query = query.where(Task.plan_id == plan_id)
    own_plans = access.visible_plan_ids(session, user)
    if own_plans is not None:
        query = query.where(Task.plan_id.in_(own_plans))
    rows = list(session.execute(query))
    pairs = {(task.id, unit.id) for _, task, _, unit in rows}
    approved: dict[tuple[int, int], list[tuple[Report, Period]]] = defaultdict(list)
    if pairs:
        for report, period in session.execute(
            select(Report, Period)
            .join(Period, Period.id == Report.period_id)
            .where(Report.state == "approved", Report.task_id.in_({t for t, _ in pairs}))
        ):
            approved[(report.task_id, report.unit_id)].append((report, period))
    items = []
    for report, task, period, unit in rows:
        earlier = [
            (r, p)
            for r, p in approved[(task.id, unit.id)]
            if (p.due, r.revision) < (period.due, report.revision) and r.id != report.id
        ]
        previous = max(earlier, key=lambda rp: (rp[1].due, rp[0].revision), default=None)
        items.append(
            {
                "report": report_json(report, period),
                "task": _task_brief(task),
                "unit": {"id": unit.id, "name": unit.name},
                "period": periods.ref(period),
                # A submitted report already reviewed was returned and sent again: the office sees why it
                # was returned beside what changed.
                "returned_comment": report.review_comment if report.reviewed_by is not None else None,
                "previous": (
                    {**report_json(previous[0], previous[1]), "period_name": previous[1].name}
                    if previous
                    else None
                ),
            }
        )
    return items


def default_plan(session: Session, user: User | None = None) -> int | None:
    """The latest published plan (by year, then newest) the user can see, else the latest such plan."""
    order = (Plan.state == "published").desc(), Plan.year.desc(), Plan.id.desc()
    query = select(Plan.id).order_by(*order).limit(1)
    if user is not None:
        query = access.visible_plans(session, user, query)
    return session.scalar(query)


def current_period(plan_periods: list[Period], today: date) -> Period | None:
    """The first period not yet due (the one to report now), else the last one."""
    open_ = [p for p in plan_periods if p.due >= today]
    return open_[0] if open_ else (plan_periods[-1] if plan_periods else None)


def my_tasks(session: Session, user: User, plan_id: int, today: date) -> dict[str, Any]:
    """The unit's tasks of a plan: what to report for the current period, and what is overdue or returned."""
    if user.role != "unit" or user.unit_id is None:
        return {"period": None, "items": [], "total": 0}
    plan_periods = periods.of_plan(session, plan_id)
    period = current_period(plan_periods, today)
    tasks = list(
        session.scalars(
            access.visible_tasks(session, user, select(Task).where(Task.plan_id == plan_id)).order_by(
                Task.position
            )
        )
    )
    ids = [t.id for t in tasks]
    roles = {
        task_id: role
        for task_id, role in session.execute(
            select(TaskUnit.task_id, TaskUnit.role).where(
                TaskUnit.task_id.in_(ids),
                TaskUnit.unit_id.in_(access.assigned_unit_ids(session, user.unit_id)),
            )
        )
    }
    latest: dict[tuple[int, int], Report] = {}
    for row in session.scalars(
        select(Report)
        .where(Report.task_id.in_(ids), Report.unit_id == user.unit_id)
        .order_by(Report.revision)
    ):
        latest[(row.task_id, row.period_id)] = row
    targets: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for target in session.scalars(select(Target).where(Target.task_id.in_(ids)).order_by(Target.index)):
        targets[target.task_id].append(
            {"index": target.index, "value": target.value, "unit": target.unit, "op": target.op}
        )
    by_id = {p.id: p for p in plan_periods}
    reporters = {t.reporting_unit_id for t in tasks if t.reporting_unit_id is not None}
    reporter_names = dict(session.execute(select(Unit.id, Unit.name).where(Unit.id.in_(reporters))).all())
    past = [p for p in plan_periods if p.due < today]
    latest_past = past[-1] if past else None
    items = []
    for task in tasks:
        reporting = task.reporting_unit_id == user.unit_id
        # Only the reporting unit is late or missing (ledger.md); a supporting unit may add its part.
        overdue = [
            periods.ref(p)
            for p in plan_periods
            if reporting
            and p.due < today
            and (latest.get((task.id, p.id)) is None or latest[(task.id, p.id)].first_submitted_at is None)
        ]
        # The form writes the latest past period until its report is approved (a late report ends its
        # missing state), then the current one; a returned report is fixed in its own period.
        writes = period
        if latest_past is not None:
            past_report = latest.get((task.id, latest_past.id))
            if past_report is None or past_report.state != "approved":
                writes = latest_past
        report = latest.get((task.id, writes.id)) if writes else None
        state = report.state if report else ("overdue" if writes and writes.due < today else "due")
        if not reporting and report is None:
            state = "support"
        reporter = reporter_names.get(task.reporting_unit_id or 0, "")
        returned = [r for (t, _), r in latest.items() if t == task.id and r.state == "returned"]
        if returned and state not in ("returned",):
            report, state = returned[-1], "returned"
            writes = by_id[report.period_id]
        items.append(
            {
                "task": {**_task_brief(task), "targets": targets[task.id]},
                "role": roles.get(task.id, "responsible"),
                "role_label": TASK_ROLE_LABELS.get(roles.get(task.id, ""), "责任"),
                "reporting": reporting,
                "reported_by": reporter,
                "reported_by_label": ""
                if reporting
                else (f"由牵头单位{reporter}报送" if reporter else "尚未确定汇总单位"),
                "period": periods.ref(writes) if writes else None,
                "state": state,
                "state_label": WORK_STATES[state],
                "report": report_json(report, by_id[report.period_id]) if report else None,
                "overdue_periods": overdue,
            }
        )
    order = {"returned": 0, "overdue": 1, "draft": 2, "due": 3, "submitted": 4, "approved": 5, "support": 6}
    items.sort(key=lambda item: order[str(item["state"])])
    return {"period": periods.ref(period) if period else None, "items": items, "total": len(items)}
