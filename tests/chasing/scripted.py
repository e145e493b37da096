"""A published sample plan (``tests/ledger/helpers.NOTICE``, 2021, quarterly periods) and its units, for the
chasing tests: task 1 reported by 县发展和改革局, task 2 by 县工业和信息化局, task 3 by 县住房和城乡建设局."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

from sqlalchemy import select

from duban.ledger.services import auth, plan_rules, publishing, reports
from duban.ledger.store.db import Database
from duban.ledger.store.models import Period, Plan, Task, User
from tests.ledger.helpers import NOTICE, imported

START = datetime(2021, 2, 10, 9, 0)


@dataclass
class Sample:
    plan_id: int
    tasks: dict[str, int]  # task no → id
    units: dict[str, int]  # task no → reporting unit id
    periods: dict[date, int]  # due → period id
    admin_id: int


def published(database: Database, receipt_reminders: bool = False) -> Sample:
    """The sample published on ``START``. 签收提醒 are off unless asked for: the other tests follow the
    reports, and no unit account confirms the sample's tasks."""
    plan_id = imported(database, NOTICE, START)
    with database.writer() as session:
        admin = auth.add_user(session, "office", "admin", "password-1", None, START)
        plan = session.get(Plan, plan_id)
        assert plan is not None
        publishing.publish(session, plan, None, START)
        if not receipt_reminders:
            plan_rules.set_chasing(session, plan_id, {"receipt": False}, admin, START)
        tasks = session.scalars(select(Task).where(Task.plan_id == plan_id)).all()
        periods = session.scalars(select(Period).where(Period.plan_id == plan_id)).all()
        return Sample(
            plan_id,
            {t.no: t.id for t in tasks},
            {t.no: t.reporting_unit_id for t in tasks if t.reporting_unit_id is not None},
            {p.due: p.id for p in periods},
            admin.id,
        )


def at(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour))


def submit(database: Database, sample: Sample, no: str, due: date, progress: float, day: date) -> int:
    with database.writer() as session:
        admin = session.get(User, sample.admin_id)
        assert admin is not None
        report = reports.write_for(
            session,
            admin,
            sample.units[no],
            sample.tasks[no],
            reports.ReportInput(period=sample.periods[due], progress=progress, submit=True),
            at(day),
        )
        return report.id


def review(database: Database, sample: Sample, report_id: int, approve: bool, day: date) -> None:
    with database.writer() as session:
        admin = session.get(User, sample.admin_id)
        assert admin is not None
        reports.review(session, admin, report_id, approve, None if approve else "请补充数据", at(day, 11))


def published_copies(database: Database, sample: Sample, count: int) -> list[int]:
    """``count`` more published plans with the sample's tasks, under other document numbers (the same file
    again would be the same plan), 签收提醒 off like the sample's: for the engine's batches of plans."""
    plan_ids = [
        imported(database, NOTICE.replace("〔2021〕2号", f"〔2021〕{number}号"), START)
        for number in range(7, 7 + count)
    ]
    with database.writer() as session:
        for plan_id in plan_ids:
            plan = session.get(Plan, plan_id)
            assert plan is not None
            publishing.publish(session, plan, None, START)
            admin = session.get(User, sample.admin_id)
            assert admin is not None
            plan_rules.set_chasing(session, plan_id, {"receipt": False}, admin, START)
    return plan_ids
