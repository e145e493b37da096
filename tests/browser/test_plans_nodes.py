"""Issue 21, plans half, in Chromium on one server: a unit enters and submits a 实施方案 of four nodes on
任务详情, the office approves it, and the task's 序时进度 mark in 台账 follows the plan (43 → 60, and yellow:
the node due 6-30 was not reported done); the office opens a rectification on 整改台账, the unit answers
it, the office closes it (销号)."""

from __future__ import annotations

import re
from typing import Any

import httpx
from playwright.sync_api import Page, expect

from duban.ledger.services import auth
from duban.ledger.store.db import connect
from tests.browser.conftest import PASSWORD, Site
from tests.ledger.conftest import NOW
from tests.ledger.helpers import NOTICE, import_text

NODES = [
    ("2021-03-31", "完成选址和立项", "20"),
    ("2021-06-30", "厂房主体开工", "60"),
    ("2021-09-30", "厂房主体完工", "80"),
    ("2021-12-31", "竣工验收投用", "100"),
]


def _call(site: Site, token: str, method: str, path: str, body: Any = None) -> Any:
    answer = httpx.request(
        method, f"{site.base}{path}", json=body, headers={"Authorization": f"Bearer {token}"}, timeout=30
    )
    assert answer.status_code in (200, 201), answer.text
    return answer.json()


def _setup(site: Site) -> tuple[int, int, dict[str, str], int]:
    """The small notice, published; 县发展和改革局 leads task 1 and reported 55 % for Q2 (approved)."""
    database = connect(site.database_url)
    with database.writer() as session:
        plan_id = import_text(session, NOTICE, NOW).plan.id
        auth.add_user(session, "fagai", "unit", PASSWORD, "县发展和改革局", NOW)
        tokens = {name: auth.create_token(session, name, NOW) for name in ("admin", "fagai")}
    database.dispose()
    _call(site, tokens["admin"], "POST", f"/api/plans/{plan_id}/publish")
    tasks = _call(site, tokens["admin"], "GET", f"/api/tasks?plan={plan_id}")["items"]
    periods = _call(site, tokens["admin"], "GET", f"/api/periods?plan={plan_id}")["items"]
    task = next(t["id"] for t in tasks if t["no"] == "1")
    q2 = next(p["id"] for p in periods if p["due"] == "2021-06-30")
    body = {"period": q2, "progress": 55, "text": "厂房主体已开工", "next_steps": "加快施工", "submit": True}
    report = _call(site, tokens["fagai"], "POST", f"/api/tasks/{task}/reports", body)
    _call(site, tokens["admin"], "POST", f"/api/reports/{report['id']}/approve", {})
    return plan_id, task, tokens, q2


def _ledger_mark(site: Site, page: Page, plan_id: int, task: int) -> Any:
    page.goto(f"{site.base}/ledger?plan={plan_id}")
    row = page.locator(f"[data-testid=ledger-row][data-task-id='{task}']")
    expect(row).to_be_visible()
    return row


def test_a_plan_of_four_nodes_moves_the_schedule_and_a_rectification_is_closed(site: Site) -> None:
    plan_id, task, tokens, q2 = _setup(site)
    unit, office = site.page(), site.page()
    site.login(office, "admin", f"/ledger?plan={plan_id}")
    row = _ledger_mark(site, office, plan_id, task)
    expect(row.get_by_test_id("progress").first).to_have_attribute(
        "aria-label", re.compile(r"^55% / 序时 43%")
    )
    # 今天 on the page is the server's day (2021-07-15 here), not the browser's clock
    day = office.get_by_test_id("figures-picker").locator("input[aria-label='数据日期']")
    expect(day).to_have_attribute("placeholder", "今天（2021-07-15）")

    # the unit enters four nodes on 任务详情 and submits them
    site.login(unit, "fagai", f"/tasks/{task}")
    card = unit.get_by_test_id("workplan")
    expect(card.get_by_test_id("workplan-none")).to_be_visible()
    card.get_by_test_id("workplan-edit").click()
    for _ in NODES[1:]:
        card.get_by_test_id("workplan-add").click()
    for i, (due, title, level) in enumerate(NODES, start=1):
        card.get_by_label(f"节点{i}完成时间").fill(due)
        card.get_by_label(f"节点{i}工作内容").fill(title)
        card.get_by_label(f"节点{i}形象进度").fill(level)
    site.shot(unit, "workplan-editor")
    card.get_by_test_id("workplan-submit").click()
    unit.locator(".el-message-box").get_by_role("button", name="报送").click()
    expect(card.get_by_test_id("workplan-pending")).to_contain_text("已报送")
    expect(card.get_by_test_id("workplan-pending").locator("li")).to_have_count(4)

    # the office approves it; 台账 follows the plan: 60 at the 6-30 checkpoint, yellow (厂房主体开工 undone)
    office.goto(f"{site.base}/tasks/{task}")
    office.get_by_test_id("workplan-approve").click()
    expect(office.get_by_test_id("workplan-in-force").get_by_test_id("workplan-node")).to_have_count(4)
    site.shot(office, "workplan-approved")
    row = _ledger_mark(site, office, plan_id, task)
    expect(row.get_by_test_id("progress").first).to_have_attribute(
        "aria-label", re.compile(r"^55% / 序时 60%")
    )
    dot = row.get_by_test_id("colour-dot")
    expect(dot).to_have_attribute("data-colour", "yellow")
    expect(dot).to_have_attribute("aria-label", re.compile("按实施方案，截至检查点（6月30日）应完成 60%"))
    expect(dot).to_have_attribute("aria-label", re.compile("实施方案节点“厂房主体开工”（6月30日）已到期"))
    site.shot(office, "ledger-after-plan")

    # 整改台账: the office opens a problem, the unit answers, the office closes it
    office.goto(f"{site.base}/rectifications?plan={plan_id}")
    office.get_by_test_id("rect-task").select_option(str(task))
    office.get_by_test_id("rect-problem").fill("厂房建设进度滞后于实施方案节点")
    office.get_by_test_id("rect-deadline").fill("2021-08-31")
    office.get_by_test_id("rect-open").click()
    item = office.get_by_test_id("rect-item").first
    expect(item.get_by_test_id("rect-state")).to_have_text("整改中")
    unit.goto(f"{site.base}/rectifications")
    mine = unit.get_by_test_id("rect-item").first
    expect(mine).to_contain_text("厂房建设进度滞后于实施方案节点")
    mine.get_by_test_id("rect-answer-text").fill("已倒排工期，增加施工班组，8月底前完成主体")
    mine.get_by_test_id("rect-answer").click()
    expect(mine.get_by_test_id("rect-state")).to_have_text("已答复")
    site.shot(unit, "rectification-answered")
    office.reload()
    item = office.get_by_test_id("rect-item").first
    expect(item).to_contain_text("已倒排工期")
    item.get_by_test_id("rect-close").click()
    office.locator(".el-message-box").get_by_role("button", name="销号").click()
    expect(office.get_by_test_id("rect-item").first.get_by_test_id("rect-state")).to_have_text("已销号")
    site.shot(office, "rectification-closed")

    # 审核 shows a correction against the approved report word by word
    body = {"period": q2, "progress": 65, "text": "厂房主体已封顶", "next_steps": "加快施工", "submit": True}
    _call(site, tokens["fagai"], "POST", f"/api/tasks/{task}/reports", body)
    office.goto(f"{site.base}/review?plan={plan_id}")
    diff = office.get_by_test_id("report-diff").first
    expect(diff).to_contain_text("进度：55 → 65")
    expect(diff.locator("del")).to_have_text("开工")
    expect(diff.locator("ins")).to_have_text("封顶")
    site.shot(office, "review-diff")

    # report once: the next report names the node done (ticked in the report form), no second form
    unit.goto(f"{site.base}/my")
    card = unit.locator(f"[data-testid=my-task][data-task-id='{task}']")
    card.get_by_role("button", name="填报").click()
    form = unit.get_by_test_id("report-form")
    nodes = form.get_by_test_id("report-nodes")
    expect(nodes).to_contain_text("厂房主体开工")
    nodes.get_by_label(re.compile("厂房主体开工")).check()
    form.get_by_label("进度", exact=True).fill("66")
    form.get_by_label("完成情况", exact=True).fill("厂房主体已开工并封顶")
    form.get_by_label("下步打算", exact=True).fill("加快施工")
    site.shot(unit, "report-form-nodes")
    form.get_by_role("button", name="提交", exact=True).click()
    expect(unit.locator(".el-message--success")).to_contain_text("已提交，等待审核")
    plans = _call(site, tokens["fagai"], "GET", f"/api/tasks/{task}/workplans")["items"]
    done = {n["title"]: n["done_on"] for n in plans[0]["nodes"]}
    assert done["厂房主体开工"] == "2021-07-15" and done["厂房主体完工"] is None
