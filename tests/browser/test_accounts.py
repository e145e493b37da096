"""The 账号 page in Chromium: the office opens a unit's account (its initial password shown once), the unit logs
in with it, is made to change the password first, then lands on 我的任务; the office disables it and the unit's
next request is refused; one account per unit in one step after a confirmation that cancelling leaves unsent."""

from __future__ import annotations

from pathlib import Path

import httpx
from playwright.sync_api import Page, expect

from tests.browser.conftest import Site, duban
from tests.ledger.helpers import NOTICE


def _publish_notice(site: Site, tmp_path: Path) -> None:
    notice = tmp_path / "notice.txt"
    notice.write_text(NOTICE, encoding="utf-8")
    duban("import", str(notice), url=site.database_url)
    token = duban("token", "create", "admin", url=site.database_url).strip()
    headers = {"Authorization": f"Bearer {token}"}
    plan = httpx.get(f"{site.base}/api/plans", headers=headers).json()["items"][0]["id"]
    httpx.post(f"{site.base}/api/plans/{plan}/publish", headers=headers)


def _confirm(page: Page, says: str, button: str) -> None:
    box = page.locator(".el-message-box")
    expect(box).to_contain_text(says)
    box.get_by_role("button", name=button).click()


def _open_unit_account(site: Site, office: Page) -> str:
    """Through 新增账号: the unit 县财政局, user name caizheng; the initial password read off the sheet."""
    office.get_by_test_id("account-new").click()
    office.get_by_test_id("account-unit").click()
    office.keyboard.type("财政")
    office.get_by_role("option", name="县财政局").click()
    username = office.get_by_test_id("account-username")
    expect(username).to_have_value("县财政局")  # the unit's name is offered as the user name
    username.fill("caizheng")
    office.get_by_test_id("account-create").click()
    sheet = office.get_by_test_id("password-sheet")
    expect(sheet).to_contain_text("caizheng")
    office.wait_for_timeout(600)  # the dialog fades in
    site.shot(office, "initial-password")
    password = sheet.get_by_test_id("sheet-password").inner_text().strip()
    office.get_by_role("button", name="已记下，关闭").click()
    row = office.locator("[data-testid=account-row][data-username=caizheng]")
    expect(row).to_contain_text("待修改初始密码")
    return password


def test_office_opens_an_account_the_unit_changes_its_password_then_is_disabled(
    site: Site, tmp_path: Path
) -> None:
    _publish_notice(site, tmp_path)
    office = site.page()
    site.login(office, "admin", "/accounts")
    office.wait_for_url("**/accounts**")
    expect(office.locator("[data-testid=account-row][data-username=admin]")).to_be_visible()
    site.shot(office, "accounts")
    initial = _open_unit_account(site, office)

    unit = site.page()
    unit.goto(site.base + "/")
    unit.wait_for_url("**/login**")
    unit.get_by_label("用户名").fill("caizheng")
    unit.get_by_label("密码").fill(initial)
    unit.get_by_role("button", name="登录").click()
    unit.wait_for_url("**/password**")
    expect(unit.get_by_test_id("must-change")).to_be_visible()
    expect(unit.get_by_role("navigation", name="主导航").get_by_role("link")).to_have_count(0)
    unit.goto(site.base + "/ledger")  # typing another page still leads to 修改密码 first
    unit.wait_for_url("**/password?redirect=/ledger")
    unit.goto(site.base + "/my")
    unit.wait_for_url("**/password?redirect=/my")
    site.shot(unit, "must-change-password")
    unit.get_by_label("原密码", exact=True).fill(initial)
    unit.get_by_label("新密码", exact=True).fill("caizheng-own-1")
    unit.get_by_label("再次输入新密码", exact=True).fill("caizheng-own-2")
    unit.get_by_role("button", name="确认修改").click()
    expect(unit.get_by_text("两次输入的新密码不一致").first).to_be_visible()
    unit.get_by_label("再次输入新密码", exact=True).fill("caizheng-own-1")
    unit.get_by_role("button", name="确认修改").click()
    unit.wait_for_url("**/my")  # 我的任务, the page asked for, after the change
    expect(unit.get_by_role("link", name="我的任务")).to_be_visible()  # the menu is back
    expect(unit.get_by_text("建设新材料产业园").first).to_be_visible()
    site.shot(unit, "after-password-change")

    row = office.locator("[data-testid=account-row][data-username=caizheng]")
    row.get_by_role("button", name="停用").click()
    office.locator(".el-message-box").get_by_role("button", name="取消").click()
    expect(row).to_contain_text("正常")  # cancelled: nothing sent
    row.get_by_role("button", name="停用").click()
    _confirm(office, "停用后“caizheng”立即退出登录", "停用")
    expect(row).to_contain_text("停用")
    site.shot(office, "account-disabled")

    unit.get_by_role("navigation", name="主导航").get_by_role(
        "link", name="台账", exact=True
    ).click()  # its next request is refused: back to 登录
    unit.wait_for_url("**/login**")
    unit.get_by_label("用户名").fill("caizheng")
    unit.get_by_label("密码").fill("caizheng-own-1")
    unit.get_by_role("button", name="登录").click()
    expect(unit.get_by_text("用户名或密码错误").first).to_be_visible()


def test_one_account_per_unit_printed_once(site: Site, tmp_path: Path) -> None:
    _publish_notice(site, tmp_path)
    office = site.page()
    site.login(office, "admin", "/accounts")
    office.get_by_test_id("accounts-for-units").click()
    office.locator(".el-message-box").get_by_role("button", name="取消").click()
    expect(office.locator("[data-testid=account-row]")).to_have_count(1)  # cancelled: only admin
    office.get_by_test_id("accounts-for-units").click()
    box = office.locator(".el-message-box")
    expect(box).to_contain_text("县财政局")
    box.get_by_role("button", name="开通").click()
    rows = office.get_by_test_id("password-row")
    expect(rows.first).to_be_visible()
    count = rows.count()
    assert count >= 4
    names = office.get_by_test_id("sheet-username").all_inner_texts()
    assert "县财政局" in names
    office.wait_for_timeout(600)  # the dialog fades in
    site.shot(office, "unit-accounts-sheet")
    office.get_by_role("button", name="已记下，关闭").click()
    expect(office.locator("[data-testid=account-row]")).to_have_count(count + 1)
    expect(office.get_by_text("尚无账号的单位 0 个")).to_be_visible()
    phone = site.page(phone=True)
    site.login(phone, "admin", "/accounts")
    expect(phone.locator("[data-testid=account-row]")).to_have_count(count + 1)
    site.shot(phone, "accounts-phone")
    office.get_by_test_id("user-menu").click()
    office.get_by_role("menuitem", name="修改密码").click()
    office.wait_for_url("**/password**")
    expect(office.get_by_test_id("must-change")).to_have_count(0)  # the office's own account was not reset
