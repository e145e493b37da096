"""Demo reports and reviews for ``duban serve --demo``, so a first look at the web app shows every case.

Loaded once, right after the sample notices and demo accounts (``demo.load_demo``). The plan of the current
year (``DUBAN_TODAY`` honoured; else the latest year) is published and gets quarterly periods if it has
none; then its tasks' reporting units file reports in a fixed pattern, so that on "today" the ledger holds
every colour (已完成/蓝/黄/红), every arrow (↑/↓/→), a late report (逾期报送), missing reports (未报送), a
report waiting for review with an approved one before it, and a returned report with the office's comment.
The pattern only uses periods due before today, so it fits any day in the second half of the plan year; on
an earlier day fewer cases appear. Rows are written directly (there is one demo unit account, not one per
unit), with change-log entries so 最新动态 is not empty.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from duban.ledger.services import auth, periods, publishing, requests
from duban.ledger.store import changelog
from duban.ledger.store.models import Period, Plan, Report, Task, TaskReceipt, Unit, User
from duban.settings import Clock


@dataclass(frozen=True)
class Filing:
    """One report in a pattern: for the n-th past period (0 = earliest), ``days`` after its due date."""

    period: int
    progress: float
    days: int = -2
    state: str = "approved"
    completed: bool = False
    comment: str | None = None


# Each pattern is the reporting unit's history; tasks take them in turn. Comments say what they show on a day
# late in the year with three periods due (Q1–Q3), the last one being the period that is chased.
ON_TIME = (Filing(0, 25), Filing(1, 50), Filing(2, 90))  # 蓝 →
PATTERNS: tuple[tuple[Filing, ...], ...] = (
    (Filing(0, 30), Filing(1, 60), Filing(2, 100, completed=True)),  # 已完成 →
    ON_TIME,
    (Filing(2, 92, days=10),),  # 红 → 蓝 ↑: Q1 and Q2 missing, Q3 late
    (Filing(0, 30), Filing(1, 65)),  # 蓝 → 黄 ↓: Q3 missing
    (Filing(0, 10), Filing(1, 40), Filing(2, 60)),  # 黄 →: behind schedule
    (Filing(0, 30), Filing(1, 60), Filing(2, 45)),  # 黄 → 红 ↓: progress fell behind
    ON_TIME,
    (Filing(0, 25), Filing(1, 60), Filing(2, 85, days=50, state="submitted")),  # waiting for review
    (),  # 红 →: nothing reported
    (
        Filing(0, 25),
        Filing(1, 55),
        Filing(2, 80, days=-1, state="returned", comment="请补充具体完成数据和佐证材料。"),
    ),
    ON_TIME,
    (),
)
REVIEW_COMMENT = "已审核，同意。"


def current_plan(session: Session, today: date) -> Plan | None:
    """The plan of today's year, else the latest one."""
    plans = list(session.scalars(select(Plan).order_by(Plan.year.desc(), Plan.id.desc())))
    return next((p for p in plans if p.year == today.year), plans[0] if plans else None)


def _at(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour, 0))


def _file(
    session: Session, task: Task, period: Period, filing: Filing, admin: User | None, today: date
) -> None:
    submitted = min(period.due + timedelta(days=filing.days), today)
    report = Report(
        task_id=task.id,
        unit_id=task.reporting_unit_id,
        period_id=period.id,
        revision=1,
        state=filing.state,
        progress=filing.progress,
        text=f"{period.name}：按计划推进，完成进度约 {filing.progress:.0f}%。",
        problems="" if filing.progress >= 60 else "要素保障不足，进度偏慢。",
        next_steps="加快推进，确保按期完成。",
        completed=filing.completed,
        values=[],
        submitted_at=_at(submitted, 10),
        first_submitted_at=_at(submitted, 10),
        approved_at=_at(submitted + timedelta(days=1), 9) if filing.state == "approved" else None,
        reviewed_by=admin.id if admin and filing.state in ("approved", "returned") else None,
        review_comment=filing.comment or (REVIEW_COMMENT if filing.state == "approved" else None),
        created_at=_at(submitted, 9),
        updated_at=_at(submitted, 10),
        version=2,
    )
    if report.approved_at is not None and report.approved_at.date() > today:
        report.approved_at = _at(today, 8)
    session.add(report)
    session.flush()
    after = {"state": filing.state, "progress": filing.progress, "completed": filing.completed}
    # Not a transition: the demo writes a year of past history at once, reports in their final state, and
    # raises no events (nothing in the past to remind anyone of).
    changelog.record(session, None, "report", report.id, "submit", None, after, _at(submitted, 10))
    if report.reviewed_by is not None:
        action = "approve" if filing.state == "approved" else "return"
        when = report.approved_at or _at(submitted, 16)
        # Not a transition: the demo writes a year of past history at once, reports in their final state, and
        # raises no events (nothing in the past to remind anyone of).
        changelog.record(session, admin, "report", report.id, action, {"state": "submitted"}, after, when)


def add_activity(session: Session, clock: Clock) -> Iterator[str]:
    """Publish the demo plans and file the pattern of reports for the current plan."""
    today = clock.today()
    for draft in list(session.scalars(select(Plan).where(Plan.state != "published"))):
        publishing.exclude_unassigned(session, draft, None, clock.now())
        publishing.publish(session, draft, None, clock.now())
    plan = current_plan(session, today)
    if plan is None:
        return
    if not periods.of_plan(session, plan.id):
        periods.create_defaults(session, plan, None, clock.now())
    yield _confirm_most(session, plan, today)
    past = [p for p in periods.of_plan(session, plan.id) if p.due < today][-3:]
    if not past:
        yield f"{plan.title}：今天之前没有到期的报送期，未生成演示报告"
        return
    offset = 3 - len(past)  # patterns speak of Q1–Q3; with fewer past periods, keep the latest ones
    admin = session.scalar(select(User).where(User.role == "admin").order_by(User.id).limit(1))
    tasks = session.scalars(
        select(Task)
        .where(Task.plan_id == plan.id, Task.reporting_unit_id.is_not(None))
        .order_by(Task.position)
    )
    count = 0
    for index, task in enumerate(tasks):
        if task.due is not None and task.due < today:
            continue  # already overdue: red whatever is reported
        for filing in PATTERNS[index % len(PATTERNS)]:
            if filing.period - offset >= 0:
                _file(session, task, past[filing.period - offset], filing, admin, today)
                count += 1
    yield f"{plan.title}：已生成 {count} 份演示报告（含逾期、未报送、待审核和退回的报告）"
    yield from _unit_account_in(session, plan, clock.now())


UNCONFIRMED_EVERY = 15  # one task in fifteen left unconfirmed, so 签收 reminders and the count have cases


def _confirm_most(session: Session, plan: Plan, today: date) -> str:
    """Units confirmed (签收) their tasks in the plan's first days, as they do in a real first week, except one
    task in fifteen: a first look at 总览 shows a handful 未签收, not the whole plan."""
    tasks = list(session.scalars(select(Task.id).where(Task.plan_id == plan.id).order_by(Task.position)))
    owed = requests.assignees(session, tasks)
    day = min(date(plan.year, 1, 10), today)
    confirmed, receipts = 0, 0
    for index, task_id in enumerate(tasks):
        if index % UNCONFIRMED_EVERY == UNCONFIRMED_EVERY - 1 or not owed.get(task_id):
            continue
        for unit_id in sorted(owed[task_id]):
            session.add(
                TaskReceipt(task_id=task_id, unit_id=unit_id, state="confirmed", created_at=_at(day, 9))
            )
            receipts += 1
        confirmed += 1
    session.flush()
    return (
        f"{plan.title}：{confirmed} 项任务已由各责任单位签收（{receipts} 个单位次），"
        f"每 {UNCONFIRMED_EVERY} 项留 1 项未签收"
    )


def busiest_unit(session: Session, plan: Plan) -> Unit | None:
    """The unit that reports the most tasks of the plan: the demo ``unit`` account's, named once."""
    reporting: list[int] = list(
        session.scalars(
            select(Task.reporting_unit_id).where(Task.plan_id == plan.id, Task.reporting_unit_id.is_not(None))
        )
    )
    if not reporting:
        return None
    busiest = max(set(reporting), key=lambda unit_id: (reporting.count(unit_id), -unit_id))
    return session.get(Unit, busiest)


def _unit_account_in(session: Session, plan: Plan, now: datetime) -> Iterator[str]:
    """Give the demo ``unit`` account the unit with most tasks in the current plan, if its own has none
    there (the account is made for the first imported plan, often an older one)."""
    user = session.scalar(select(User).where(User.username == "unit", User.role == "unit"))
    if user is None:
        return
    unit = busiest_unit(session, plan)
    if unit is None or user.unit_id == unit.id:
        return
    auth.assign_unit(session, None, user, unit, now)  # the account moves to the unit's county with it
    yield f"演示账号 unit 属于 {unit.name}（{plan.year} 年计划中任务最多的单位）"
