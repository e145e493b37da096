"""签收/调整 and 领导批示 in Chromium (issue 21), on one server for the module: a unit confirms two tasks and
asks to change the lead unit of a third, the office grants it; a leader writes a 批示 on 任务详情, the unit
answers it, the office sees it answered."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect
from sqlalchemy import select

from duban.ledger.services import auth, publishing, reports
from duban.ledger.services import requests as asks
from duban.ledger.store.db import Database, connect
from duban.ledger.store.models import Instruction, Period, Task, TaskUnit, Unit, User
from tests.browser.conftest import PASSWORD, Site
from tests.databases import sqlite_url
from tests.ledger.helpers import import_text
from tests.web.server import running_server
from tests.web.test_requests import NOTICE, NOW


@dataclass
class World:
    site: Site
    database: Database
    tasks: dict[str, int]


@pytest.fixture(scope="module")
def world(browser: Browser, tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    url = sqlite_url(Path(tmp_path_factory.mktemp("browser-requests")))
    database = connect(url)
    with database.writer() as session:
        plan = import_text(session, NOTICE, NOW).plan
        for name, role, unit in (
            ("admin", "admin", None),
            ("leader", "leader", None),
            ("unit", "unit", "县发展和改革局"),
        ):
            auth.add_user(session, name, role, PASSWORD, unit, NOW)
        publishing.publish(session, plan, None, NOW)
        tasks = {t.no: t.id for t in session.scalars(select(Task).where(Task.plan_id == plan.id))}
        admin = session.scalars(select(User).where(User.username == "admin")).one()
        leader = session.scalars(select(User).where(User.username == "leader")).one()
        asks.set_leader_name(session, admin, leader.id, "王丹", NOW)
        asks.set_task_leaders(session, admin, tasks["1"], ["王丹"], NOW)
    with running_server(url, today="2021-07-15") as base:
        yield World(Site(base, url, "requests", browser), database, tasks)
    database.dispose()


def test_unit_confirms_two_and_asks_for_a_new_lead_the_office_grants(world: World) -> None:
    site, t = world.site, world.tasks
    unit = site.page()
    site.login(unit, "unit", "/my")
    for no in ("1", "2"):
        card = unit.locator(f"[data-testid=my-task][data-task-id='{t[no]}']")
        card.get_by_test_id("my-confirm").click()
        expect(card.get_by_test_id("confirmed")).to_have_text("已签收")
    third = unit.locator(f"[data-testid=my-task][data-task-id='{t['5']}']")
    third.get_by_test_id("my-adjust").click()
    form = third.get_by_test_id("adjust-form")
    form.get_by_test_id("adjust-unit").fill("县财政局")
    form.get_by_test_id("adjust-reason").fill("数字政府建设由县财政局统筹资金牵头。")
    site.shot(unit, "unit-asks-lead")
    form.get_by_test_id("adjust-send").click()
    expect(unit.get_by_text("调整申请已提交")).to_be_visible()
    expect(third.get_by_test_id("my-confirm")).to_be_visible()  # asked, not confirmed
    site.shot(unit, "unit-confirmed")

    office = site.page()
    site.login(office, "admin", "/overview")
    expect(office.get_by_test_id("count-unconfirmed")).to_be_visible()
    expect(office.get_by_test_id("count-pending-requests")).to_contain_text("1")
    site.shot(office, "overview-asks")
    office.get_by_test_id("count-pending-requests").click()
    row = office.locator("[data-testid=request-row][data-kind=adjustment]")
    expect(row).to_contain_text("改由 县财政局 牵头")
    site.shot(office, "office-queue")
    row.get_by_test_id("grant").click()
    box = office.locator(".el-message-box")
    box.locator("input").fill("同意，由县财政局牵头。")
    box.get_by_role("button", name="同意").click()
    expect(office.get_by_text("已同意")).to_be_visible()
    expect(office.locator("[data-testid=request-row]")).to_have_count(0)
    office.locator("#tab-receipts").click()
    expect(office.get_by_test_id("receipt-summary")).to_contain_text("已签收 2")
    site.shot(office, "office-receipts")
    with world.database.reader() as session:
        lead = session.execute(
            select(Unit.name)
            .join(TaskUnit, TaskUnit.unit_id == Unit.id)
            .where(TaskUnit.task_id == t["5"], TaskUnit.role == "lead")
        ).scalar_one()
        reporting = session.get(Task, t["5"])
    assert lead == "县财政局" and reporting is not None
    office.goto(f"{site.base}/tasks/{t['5']}")
    expect(office.locator("[data-testid=request][data-kind=adjustment]")).to_contain_text("已同意")
    expect(office.get_by_test_id("task-detail")).to_contain_text("县财政局（牵头） · 报送单位")
    site.shot(office, "task-after-grant")


def test_leader_instructs_unit_answers_office_sees_it_answered(world: World) -> None:
    site, task = world.site, world.tasks["1"]
    leader = site.page()
    site.login(leader, "leader")
    leader.wait_for_url("**/leading**")
    expect(leader.get_by_test_id("leading-task")).to_have_count(1)
    site.shot(leader, "leader-leading")
    leader.get_by_test_id("leading-task").get_by_role("link").first.click()
    leader.get_by_test_id("instruction-text").fill("请于月底前完成厂房主体工程，按周报告进度。")
    leader.get_by_test_id("instruction-send").click()
    expect(leader.locator("[data-testid=instruction][data-state=open]")).to_have_count(1)
    site.shot(leader, "leader-instructs")

    unit = site.page()
    site.login(unit, "unit", "/my")
    expect(unit.get_by_test_id("my-open-instructions")).to_contain_text("有 1 条领导批示待答复")
    unit.goto(f"{site.base}/tasks/{task}")
    item = unit.locator("[data-testid=instruction][data-state=open]")
    expect(item).to_contain_text("王丹批示")
    item.get_by_test_id("answer-text").fill("已召开专题会部署，主体工程6月底完成。")
    item.get_by_test_id("answer-send").click()
    expect(unit.locator("[data-testid=instruction][data-state=answered]")).to_contain_text("已召开专题会部署")
    site.shot(unit, "unit-answers")

    office = site.page()
    site.login(office, "admin", "/requests?tab=instructions")
    expect(office.locator("[data-testid=queue-instruction]")).to_have_count(0)  # nothing left open
    office.get_by_test_id("show-all").click()
    answered = office.locator("[data-testid=queue-instruction][data-state=answered]")
    expect(answered).to_contain_text("已答复")
    expect(answered).to_contain_text("县发展和改革局答复：已召开专题会部署")
    expect(office.locator(".el-loading-mask")).to_have_count(0)
    site.shot(office, "office-sees-answered")
    assert site.foreign_requests() == []


def test_leader_writes_an_instruction_on_one_report(world: World) -> None:
    """A 批示 on a report (the leader read that report and writes on it): chosen beside the text on 任务详情,
    stored with the report, and shown as such to the unit."""
    site, task = world.site, world.tasks["1"]
    with world.database.writer() as session:
        unit_user = session.scalars(select(User).where(User.username == "unit")).one()
        period = session.scalars(
            select(Period).join(Task, Task.plan_id == Period.plan_id).where(Task.id == task)
        ).first()
        assert period is not None
        report = reports.write(
            session,
            unit_user,
            task,
            reports.ReportInput(period=period.id, progress=40, text="厂房主体完成四成。", submit=True),
            NOW,
        )
        report_id, period_name = report.id, period.name
    leader = site.page()
    site.login(leader, "leader")
    leader.goto(f"{site.base}/tasks/{task}")
    leader.get_by_test_id("instruction-report").click()
    leader.get_by_role("option", name=f"针对{period_name}报告（第 1 稿）").click()
    leader.get_by_test_id("instruction-text").fill("进度偏慢，请说明原因并提出赶超措施。")
    leader.get_by_test_id("instruction-send").click()
    mine = leader.locator("[data-testid=instruction][data-state=open]")
    expect(mine).to_have_count(1)
    expect(mine.get_by_test_id("instruction-on-report")).to_have_text(f"（针对{period_name}报告（第 1 稿））")
    site.shot(leader, "leader-instructs-on-report")
    with world.database.reader() as session:
        stored = session.scalars(
            select(Instruction).where(Instruction.task_id == task).order_by(Instruction.id.desc())
        ).first()
        assert stored is not None and stored.report_id == report_id
    unit = site.page()
    site.login(unit, "unit", f"/tasks/{task}")
    expect(unit.locator("[data-testid=instruction][data-state=open]")).to_contain_text("针对")
