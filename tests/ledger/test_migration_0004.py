"""Migration 0004 moves a database of one shared unit directory to one directory per county: the three sample
notices imported before jurisdictions existed (兖州's 区财政局 and 金乡's 县财政局 one unit, one 各镇街 group
for both), with reports, come out with every report kept and attached to its own county's unit."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select, text

from duban.ledger.services import importing, jurisdictions, units
from duban.ledger.store.db import Database, migrate
from duban.ledger.store.models import Change, GroupMember, Jurisdiction, Period, Plan, Report, Task, Unit
from duban.plan import parse
from tests.conftest import CORPUS

NOW = datetime(2021, 7, 20, 9, 0)


def _one_directory(database: Database) -> dict[int, tuple[int, int]]:
    """The old world: all three notices in one directory, reports by every reporting unit of the first
    period, and 各镇街 with towns of both counties. Returns report id → (task id, unit id)."""
    with database.writer() as session:
        shared = jurisdictions.ensure(session, "金乡县", "县", None, None, NOW)
        for prefix in ("000", "001", "004"):
            path = next(CORPUS.glob(f"{prefix}_*.txt"))
            data = path.read_bytes()
            parsed = parse(data, filename=path.name)
            importing.import_plan(
                session, parsed, importing.content_hash(data), None, NOW, path.name, shared.id
            )
        for plan_id in session.scalars(select(Plan.id)):
            period = session.scalar(
                select(Period).where(Period.plan_id == plan_id).order_by(Period.due).limit(1)
            )
            for task in session.scalars(
                select(Task).where(Task.plan_id == plan_id, Task.reporting_unit_id.is_not(None))
            ):
                session.add(
                    Report(
                        task_id=task.id, unit_id=task.reporting_unit_id, period_id=period.id, revision=1,
                        version=2, state="approved", progress=50, text="已完成年度目标的一半", problems="",
                        next_steps="", completed=False, values=[], created_at=NOW, updated_at=NOW,
                        submitted_at=NOW, first_submitted_at=NOW, approved_at=NOW,
                    )
                )  # fmt: skip
        towns = units.find(session, "各镇街", shared)
        assert towns is not None
        members = session.scalars(select(Unit.id).where(Unit.name.like("%镇"), Unit.group_kind.is_(None)))
        for member in members:
            session.add(GroupMember(group_id=towns.id, member_id=member))
        session.flush()
        return {r.id: (r.task_id, r.unit_id) for r in session.scalars(select(Report))}


def test_upgrade_splits_shared_units_and_keeps_every_report(database: Database) -> None:
    before = _one_directory(database)
    with database.reader() as session:
        shared_finance = units.find(session, "区财政局")
        assert shared_finance is not None and shared_finance == units.find(session, "县财政局")
    migrate(database, "0002", downgrade=True)  # before jurisdictions: one directory, as in 2021
    migrate(database, "head")
    with database.reader() as session:
        after = {r.id: (r.task_id, r.unit_id) for r in session.scalars(select(Report))}
        assert set(after) == set(before)  # every report is still there
        assert all(after[r][0] == before[r][0] for r in before)
        mismatched = session.execute(
            select(Report.id)
            .join(Task, Task.id == Report.task_id)
            .join(Plan, Plan.id == Task.plan_id)
            .join(Unit, Unit.id == Report.unit_id)
            .where(Unit.jurisdiction_id != Plan.jurisdiction_id)
        ).all()
        assert mismatched == []  # each report belongs to its own county's unit
        jinxiang = jurisdictions.find(session, "金乡县")
        yanzhou = jurisdictions.find(session, "兖州区")
        assert session.get(Jurisdiction, yanzhou.parent_id).name == "济宁市"
        finance = units.find(session, "区财政局", yanzhou), units.find(session, "县财政局", jinxiang)
        assert finance[0] is not None and finance[1] is not None and finance[0].id != finance[1].id
        towns = units.find(session, "各镇街", jinxiang), units.find(session, "各镇街", yanzhou)
        assert towns[0] is not None and towns[1] is not None and towns[0].id != towns[1].id
        for group in towns:
            member_homes = session.scalars(
                select(Unit.jurisdiction_id)
                .join(GroupMember, GroupMember.member_id == Unit.id)
                .where(GroupMember.group_id == group.id)
            )
            assert set(member_homes) <= {group.jurisdiction_id}
        splits = session.scalar(select(func.count(Change.id)).where(Change.action == "split"))
        assert splits and splits > 0
        duplicates = session.execute(
            text(
                "SELECT jurisdiction_id, name, COUNT(*) FROM units GROUP BY jurisdiction_id, name HAVING COUNT(*) > 1"
            )
        ).all()
        assert duplicates == []
