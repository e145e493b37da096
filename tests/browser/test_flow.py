"""The year's work in Chromium, as the issue states it: the admin imports ``000_…txt`` through 导入, maps the
unresolved names, publishes and sees 115 tasks in 台账; a unit user on a phone sees only its tasks, files and
submits a report; the admin returns it with a comment; the unit fixes and resubmits; the admin approves; the
task's colour and arrow change on 总览 and 台账. Selectors: ``frontend/API-NEEDS.md`` ("selectors")."""

from __future__ import annotations

from typing import Any

import httpx
from playwright.sync_api import Page, expect

from tests.browser.conftest import Site, add_user, duban
from tests.conftest import CORPUS

NOTICE = next(iter(sorted(CORPUS.glob("000_*.txt"))))
COMMENT = "请补充完成的具体数据。"


def _api(site: Site, token: str, path: str) -> Any:
    answer = httpx.get(f"{site.base}{path}", headers={"Authorization": f"Bearer {token}"}, timeout=30)
    assert answer.status_code == 200, answer.text
    return answer.json()


def _import_and_publish(site: Site, page: Page) -> None:
    site.login(page, "admin", "/import")
    page.wait_for_url("**/import**")
    site.shot(page, "import")
    page.locator("[data-testid=import-upload] input[type=file]").set_input_files(str(NOTICE))
    expect(page.get_by_test_id("import-preview")).to_be_visible(timeout=60_000)
    expect(page.get_by_test_id("import-source")).to_contain_text("金乡县")
    site.shot(page, "import-preview")
    unresolved = page.get_by_test_id("name-row")
    if unresolved.count():
        page.get_by_role("button", name="全部新建").click()
    site.shot(page, "import-mapped")
    page.get_by_test_id("import-publish").click()
    # Tasks without a reporting unit stop publishing: the page asks, and the office marks them 不考核.
    exclude = page.get_by_role("button", name="标为不考核并发布")
    expect(exclude.or_(page.get_by_test_id("ledger-total"))).to_be_visible(timeout=60_000)
    if exclude.is_visible():
        expect(page.locator(".el-message-box")).to_contain_text("尚未确定汇总单位")
        site.shot(page, "import-unassigned")
        exclude.click()
    page.wait_for_url("**/ledger**", timeout=60_000)
    expect(page.get_by_test_id("ledger-total")).to_contain_text("115")
    site.shot(page, "ledger")


def _row(page: Page, task: int) -> Any:
    return page.locator(f"[data-testid=ledger-row][data-task-id='{task}']")


def _fill_and_submit(page: Page, progress: str, text: str) -> None:
    form = page.get_by_test_id("report-form")
    form.get_by_label("进度", exact=True).fill(progress)
    form.get_by_label("完成情况", exact=True).fill(text)
    form.get_by_label("下步打算", exact=True).fill("下季度完成剩余工程。")
    form.get_by_role("button", name="提交", exact=True).click()
    expect(page.get_by_text("已提交").or_(page.get_by_text("已报送")).first).to_be_visible()


def _review(site: Site, page: Page, task: int, approve: bool, label: str) -> None:
    page.goto(f"{site.base}/review")
    item = page.locator(f"[data-testid=review-item][data-task-id='{task}']")
    expect(item).to_be_visible()
    site.shot(page, label)
    if approve:
        item.get_by_role("button", name="通过").click()
        box = page.locator(".el-message-box")
        expect(box).to_contain_text("不能撤回")
        box.get_by_placeholder("审核意见（可不填）").fill("数据翔实。")
        box.get_by_role("button", name="通过").click()
    else:
        item.get_by_role("button", name="退回").click()
        page.get_by_label("退回意见").fill(COMMENT)
        page.get_by_role("button", name="确定").click()
    expect(item).to_have_count(0)


def test_import_report_return_resubmit_approve(site: Site) -> None:
    admin = site.page()
    _import_and_publish(site, admin)
    token = duban("token", "create", "admin", url=site.database_url).strip()
    plan = _api(site, token, "/api/plans")["items"][0]["id"]
    tasks = _api(site, token, f"/api/tasks?plan={plan}&size=200")["items"]
    assert len(tasks) == 115
    task = next(t for t in tasks if t["reporting_unit_id"])
    unit_name = next(u["name"] for u in task["units"] if u["unit_id"] == task["reporting_unit_id"])
    before = next(
        s for s in _api(site, token, f"/api/status?plan={plan}&size=200")["items"] if s["task"] == task["id"]
    )
    expect(_row(admin, task["id"]).get_by_test_id("colour-dot")).to_have_attribute(
        "data-colour", before["colour"]
    )

    add_user(site.database_url, "liaison", "unit", unit_name)
    unit_token = duban("token", "create", "liaison", url=site.database_url).strip()
    mine = _api(site, unit_token, f"/api/my?plan={plan}")
    phone = site.page(phone=True)
    site.login(phone, "liaison", "/my")
    expect(phone.get_by_test_id("my-task")).to_have_count(mine["total"])
    site.shot(phone, "my-tasks-phone")
    phone.locator(f"[data-testid=my-task][data-task-id='{task['id']}']").get_by_role(
        "button", name="填报"
    ).click()
    site.shot(phone, "report-form-phone")
    _fill_and_submit(phone, "60", "已完成主体工程的六成。")

    _review(site, admin, task["id"], approve=False, label="review")
    phone.goto(f"{site.base}/my")
    returned = phone.locator(f"[data-testid=my-task][data-task-id='{task['id']}']")
    expect(returned.get_by_test_id("review-comment")).to_contain_text(COMMENT)
    site.shot(phone, "returned-phone")
    returned.get_by_role("button", name="填报").click()
    _fill_and_submit(phone, "70", "已完成主体工程的七成，投资 3.2 亿元。")

    _review(site, admin, task["id"], approve=True, label="review-again")
    after = next(
        s for s in _api(site, token, f"/api/status?plan={plan}&size=200")["items"] if s["task"] == task["id"]
    )
    # ledger.md's worked example: on 2021-07-15 the late Q2 report (approved the same day) turns red to blue, ↑
    assert after["colour"] != before["colour"] and after["arrow"] != before["arrow"], (before, after)
    admin.goto(f"{site.base}/ledger?plan={plan}")
    expect(_row(admin, task["id"]).get_by_test_id("colour-dot")).to_have_attribute(
        "data-colour", after["colour"]
    )
    expect(_row(admin, task["id"]).get_by_test_id("arrow")).to_have_attribute("data-arrow", after["arrow"])
    site.shot(admin, "ledger-after")
    admin.goto(f"{site.base}/overview?plan={plan}")
    counts = _api(site, token, f"/api/overview?plan={plan}")["counts"]
    for colour in ("done", "blue", "yellow", "red"):
        expect(admin.get_by_test_id(f"count-{colour}")).to_contain_text(str(counts[colour]))
    site.shot(admin, "overview")
    for address in ("/units", "/periods", "/rankings", f"/tasks/{task['id']}"):
        admin.goto(site.base + address)
        admin.wait_for_load_state("networkidle")
        site.shot(admin, address.strip("/").replace("/", "-"))
