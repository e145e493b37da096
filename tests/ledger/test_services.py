"""The ledger's services on SQLite and PostgreSQL: import, the unit directory, periods, reports, review,
standing and the change log."""

from __future__ import annotations

import threading
from datetime import date, datetime

import pytest
from sqlalchemy import func, select

from duban.ledger.errors import Conflict, Forbidden, Invalid, NotFound
from duban.ledger.services import access, auth, periods, reports, units
from duban.ledger.store.db import Database
from duban.ledger.store.models import Change, Period, Plan, Report, Task, TaskUnit, Unit
from duban.ledger.views import figures as fig
from tests.ledger.conftest import NOW
from tests.ledger.helpers import NOTICE, SECOND, import_text, imported


def test_import_is_idempotent_and_reports_unresolved(database: Database) -> None:
    with database.writer() as session:
        first = import_text(session, NOTICE, NOW)
        assert not first.existing and first.tasks == 3
        assert any("相关镇街" in name for name in first.unresolved)
    with database.writer() as session:
        again = import_text(session, NOTICE, NOW)
        assert again.existing and again.plan.id == first.plan.id
        assert session.scalar(select(func.count(Plan.id))) == 1
        assert session.scalar(select(func.count(Task.id))) == 3


def test_renamed_units_resolve_to_one_unit(database: Database) -> None:
    imported(database, NOTICE, NOW)
    imported(database, SECOND, NOW)
    with database.reader() as session:
        found = [u for u in session.scalars(select(Unit)) if "发展" in u.name]
        assert len(found) == 1
        aliases = {a.name for a in found[0].aliases}
        assert {"县发展和改革委员会", "发展改革局"} <= aliases


def test_groups_and_reporting_units(database: Database) -> None:
    plan_id = imported(database, NOTICE, NOW)
    with database.reader() as session:
        tasks = list(session.scalars(select(Task).where(Task.plan_id == plan_id).order_by(Task.position)))
        names = {u.id: u for u in session.scalars(select(Unit))}
        assert names[tasks[0].reporting_unit_id].name == "县发展和改革委员会"  # the lead
        assert names[tasks[1].reporting_unit_id].name == "县工业和信息化局"  # first responsible
        group = next(u for u in names.values() if u.name == "各镇街")
        chosen = next(u for u in names.values() if u.name == "相关镇街")
        assert (group.group_kind, chosen.group_kind) == ("all", "chosen")


def test_group_members_see_the_groups_tasks(database: Database) -> None:
    plan_id = imported(database, NOTICE, NOW)
    with database.writer() as session:
        town = units.resolve(session, "羊山镇", NOW, None)
        group = units.find(session, "各镇街")
        assert group is not None
        units.set_members(session, group.id, [town.id], None, NOW)
        user = auth.add_user(session, "town", "unit", "password-1", "羊山镇", NOW)
    with database.reader() as session:
        visible = list(
            session.scalars(access.visible_tasks(session, user, select(Task).where(Task.plan_id == plan_id)))
        )
        assert [t.no for t in visible] == ["2"]


def test_merge_moves_everything_and_is_logged(database: Database) -> None:
    imported(database, NOTICE, NOW)
    with database.writer() as session:
        keep = units.resolve(session, "县城投公司", NOW, None)
        other = units.resolve(session, "县城投集团公司", NOW, None)
        task = session.scalar(select(Task).limit(1))
        assert task is not None
        session.add(TaskUnit(task_id=task.id, unit_id=other.id, role="support", position=9))
        session.flush()
        pairs = {(s.keep_name, s.merge_name) for s in units.suggestions(session)}
        assert ("县城投公司", "县城投集团公司") in pairs  # suggested, not merged
        assert units.find(session, "县城投集团公司").id == other.id  # type: ignore[union-attr]
        units.merge(session, keep.id, [other.id], None, NOW)
    with database.reader() as session:
        assert units.find(session, "县城投集团公司").id == keep.id  # type: ignore[union-attr]
        assert session.scalar(select(func.count(TaskUnit.id)).where(TaskUnit.unit_id == keep.id)) == 1
        assert session.scalar(select(Change).where(Change.action == "merge")) is not None
    with database.writer() as session, pytest.raises(Invalid):
        units.merge(session, keep.id, [keep.id], None, NOW)


def test_default_periods_quarterly_or_stated(database: Database) -> None:
    plan_id = imported(database, NOTICE, NOW)
    stated = NOTICE.replace(
        "示例县人民政府\n",
        "请各责任单位分别于6月30日和12月30日前将进展情况报县政府督查室。\n示例县人民政府\n",
    )
    stated = stated.replace("示政发〔2021〕2号", "示政发〔2021〕3号")
    other_id = imported(database, stated, NOW)
    with database.writer() as session:
        assert [p.due for p in periods.of_plan(session, plan_id)] == [
            date(2021, 3, 31),
            date(2021, 6, 30),
            date(2021, 9, 30),
            date(2021, 12, 31),
        ]
        assert [p.due for p in periods.of_plan(session, other_id)] == [date(2021, 6, 30), date(2021, 12, 30)]
        periods.add(session, plan_id, "专项督查", date(2021, 8, 15), None, NOW)
        with pytest.raises(Conflict):
            periods.add(session, plan_id, "专项督查", date(2021, 8, 16), None, NOW)


def _setup_unit(database: Database) -> tuple[int, int, int, object, object]:
    plan_id = imported(database, NOTICE, NOW)
    with database.writer() as session:
        unit_user = auth.add_user(session, "fgj", "unit", "password-1", "县发展和改革局", NOW)
        admin = auth.add_user(session, "office", "admin", "password-1", None, NOW)
        task = session.scalar(select(Task).where(Task.plan_id == plan_id, Task.no == "1"))
        q2 = session.scalar(select(Period).where(Period.plan_id == plan_id, Period.due == date(2021, 6, 30)))
        assert task is not None and q2 is not None
        return plan_id, task.id, q2.id, unit_user, admin


def test_report_lifecycle_late_return_approve_supersede(database: Database) -> None:
    plan_id, task_id, q2, unit_user, admin = _setup_unit(database)
    with database.writer() as session:
        draft = reports.write(session, unit_user, task_id, reports.ReportInput(period=q2, progress=30), NOW)  # type: ignore[arg-type]
        assert draft.state == "draft"
        with pytest.raises(Conflict):
            reports.review(session, admin, draft.id, True, None, NOW)  # type: ignore[arg-type]
        sent = reports.write(
            session, unit_user, task_id, reports.ReportInput(period=q2, progress=50, submit=True), NOW
        )  # type: ignore[arg-type]
        assert sent.id == draft.id and sent.state == "submitted"
        period = session.get(Period, q2)
        assert period is not None and reports.is_late(sent, period)
        with pytest.raises(Forbidden):
            reports.review(session, unit_user, sent.id, True, None, NOW)  # type: ignore[arg-type]
        with pytest.raises(Invalid):
            reports.review(session, admin, sent.id, False, "  ", NOW)  # type: ignore[arg-type]
        returned = reports.review(session, admin, sent.id, False, "请补充", NOW)  # type: ignore[arg-type]
        assert returned.state == "returned"
        again = reports.write(
            session, unit_user, task_id, reports.ReportInput(period=q2, progress=55, submit=True), NOW
        )  # type: ignore[arg-type]
        approved = reports.review(session, admin, again.id, True, None, NOW)  # type: ignore[arg-type]
        assert approved.state == "approved" and approved.revision == 1
        correction = reports.write(
            session, unit_user, task_id, reports.ReportInput(period=q2, progress=70, submit=True), NOW
        )  # type: ignore[arg-type]
        assert correction.revision == 2 and correction.supersedes_id == approved.id
        first = session.get(Report, approved.id)
        assert first is not None and first.progress == 55 and first.state == "approved"  # never edited
    with database.reader() as session:
        figures = fig.of_plan(session, plan_id, None, date(2021, 7, 15))
        rows = {f.task.no: f.status for f in figures.tasks}
        assert rows["1"].progress == 55 and rows["1"].colour == "blue" and rows["1"].arrow == "up"
        assert rows["2"].colour == "red"
        actions = [c.action for c in session.scalars(select(Change).where(Change.object_type == "report"))]
        assert actions == ["create", "update", "return", "update", "approve", "supersede"]
        log = session.scalar(select(Change).where(Change.action == "return"))
        assert log is not None and log.before["state"] == "submitted" and log.after["state"] == "returned"  # type: ignore[index]


def test_unit_cannot_write_others_tasks_or_bad_values(database: Database) -> None:
    plan_id, task_id, q2, unit_user, admin = _setup_unit(database)
    with database.writer() as session:
        other = session.scalar(select(Task).where(Task.plan_id == plan_id, Task.no == "2"))
        assert other is not None
        with pytest.raises(NotFound):
            reports.write(session, unit_user, other.id, reports.ReportInput(period=q2), NOW)  # type: ignore[arg-type]
        with pytest.raises(Forbidden):
            reports.write(session, admin, task_id, reports.ReportInput(period=q2), NOW)  # type: ignore[arg-type]
        with pytest.raises(Invalid):
            reports.write(
                session,
                unit_user,
                task_id,
                reports.ReportInput(period=q2, values=[{"target": 7, "value": 1}]),
                NOW,
            )  # type: ignore[arg-type]
        with pytest.raises(Invalid):
            reports.write(session, unit_user, task_id, reports.ReportInput(period=q2, progress=150), NOW)  # type: ignore[arg-type]


def test_two_reviewers_cannot_both_win(database: Database) -> None:
    _, task_id, q2, unit_user, admin = _setup_unit(database)
    with database.writer() as session:
        report_id = reports.write(
            session, unit_user, task_id, reports.ReportInput(period=q2, progress=50, submit=True), NOW
        ).id  # type: ignore[arg-type]
    outcomes: list[str] = []
    barrier = threading.Barrier(2)

    def act(approve: bool) -> None:
        barrier.wait()
        try:
            with database.writer() as session:
                reports.review(
                    session, admin, report_id, approve, None if approve else "退回", datetime(2021, 7, 15, 11)
                )  # type: ignore[arg-type]
            outcomes.append("won")
        except Conflict:
            outcomes.append("conflict")

    threads = [threading.Thread(target=act, args=(flag,)) for flag in (True, False)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["conflict", "won"]
    with database.reader() as session:
        assert (
            session.scalar(select(func.count(Change.id)).where(Change.action.in_(["approve", "return"]))) == 1
        )


def test_concurrent_submissions_store_one_report(database: Database) -> None:
    """Eight simultaneous first submissions: one report row; every write either stored and logged or
    told with a conflict, never silently lost."""
    _, task_id, q2, unit_user, _ = _setup_unit(database)
    barrier = threading.Barrier(8)
    errors: list[Exception] = []
    stored: list[int] = []

    def submit(progress: int) -> None:
        barrier.wait()
        try:
            with database.writer() as session:
                reports.write(
                    session,
                    unit_user,
                    task_id,
                    reports.ReportInput(period=q2, progress=progress, submit=True),
                    NOW,
                )  # type: ignore[arg-type]
            stored.append(progress)
        except Exception as exc:  # collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=submit, args=(10 + i,)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert all(isinstance(e, Conflict) for e in errors), errors
    assert stored and len(stored) + len(errors) == 8
    with database.reader() as session:
        report = session.scalars(select(Report)).one()
        assert report.progress in stored
        logged = session.scalar(select(func.count(Change.id)).where(Change.object_type == "report"))
        assert logged == len(stored)
