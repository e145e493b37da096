"""The app's shell in Chromium: 登录, the return to the page asked for, the not-found page for another unit's
task, Chinese errors instead of raw JSON — and no request to any host but the server (checked by ``site``)."""

from __future__ import annotations

import re
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import expect

from tests.browser.conftest import Site, add_user, duban
from tests.ledger.helpers import NOTICE

NOT_FOUND = re.compile("不存在|未找到|找不到|404")


def _seed_notice(site: Site, tmp_path: Path) -> dict[str, int]:
    """The three-task sample notice, published, and a unit account for 县发展和改革局; task ids by number."""
    notice = tmp_path / "notice.txt"
    notice.write_text(NOTICE, encoding="utf-8")
    duban("import", str(notice), url=site.database_url)
    add_user(site.database_url, "fagai", "unit", "县发展和改革局")
    token = duban("token", "create", "admin", url=site.database_url).strip()
    headers = {"Authorization": f"Bearer {token}"}
    plan = httpx.get(f"{site.base}/api/plans", headers=headers).json()["items"][0]["id"]
    httpx.post(f"{site.base}/api/plans/{plan}/publish", headers=headers)
    tasks = httpx.get(f"{site.base}/api/tasks?plan={plan}", headers=headers).json()["items"]
    return {t["no"]: t["id"] for t in tasks}


def test_logged_out_visitor_lands_on_login_and_returns_after(site: Site) -> None:
    page = site.page()
    page.goto(site.base + "/periods")
    page.wait_for_url("**/login**")
    expect(page.get_by_label("用户名")).to_be_visible()
    expect(page.get_by_label("密码")).to_be_visible()
    site.shot(page, "login")
    page.get_by_label("用户名").fill("admin")
    page.get_by_label("密码").fill("wrong-password")
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_text("用户名或密码错误").first).to_be_visible()
    assert "{" not in page.locator("body").inner_text()  # a message, never a raw JSON error
    site.shot(page, "login-failed")
    page.get_by_label("密码").fill("browser-test-1")
    page.get_by_role("button", name="登录").click()
    page.wait_for_url("**/periods**")


def test_unit_user_typing_another_units_task_gets_not_found(site: Site, tmp_path: Path) -> None:
    ids = _seed_notice(site, tmp_path)
    page = site.page()
    site.login(page, "fagai")
    page.goto(f"{site.base}/tasks/{ids['1']}")
    expect(page.get_by_text("建设新材料产业园").first).to_be_visible()
    site.shot(page, "task-detail")
    page.goto(f"{site.base}/tasks/{ids['2']}")
    expect(page.get_by_text(NOT_FOUND).first).to_be_visible()
    expect(page.get_by_text("推进高端装备产业园提升")).to_have_count(0)
    site.shot(page, "not-found")
    page.goto(f"{site.base}/no/such/page")
    expect(page.get_by_text(NOT_FOUND).first).to_be_visible()


# A layout of the menu: the same whichever database serves it, so it is drawn on SQLite only.
@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_office_top_bar_fits_one_line_at_1366_and_reaches_every_page(site: Site, tmp_path: Path) -> None:
    """Thirteen pages, a plan's title, the bell and the account: at 1366×768 退出 stays on the first menu item's
    row (the set-up pages fold under 更多), and every page of the session is one or two clicks away."""
    _seed_notice(site, tmp_path)
    page = site.page()
    page.set_viewport_size({"width": 1366, "height": 768})
    site.login(page, "admin", "/overview")
    nav = page.get_by_role("navigation", name="主导航")
    first = nav.get_by_role("link").first
    expect(first).to_be_visible()
    expect(page.get_by_test_id("plan-switcher")).to_contain_text("示例县")
    logout = page.get_by_role("button", name="退出")
    top, end = first.bounding_box(), logout.bounding_box()
    assert top and end
    assert abs((top["y"] + top["height"] / 2) - (end["y"] + end["height"] / 2)) < top["height"] / 2, (
        top,
        end,
    )
    header = page.locator("header.top").bounding_box()
    assert header and header["height"] < 2 * top["height"] + 16, header  # one row
    site.shot(page, "top-bar-1366")

    pages = page.request.get(f"{site.base}/api/session").json()["pages"]
    assert len(pages) == 13, pages
    more = page.get_by_test_id("menu-more")
    for key in pages:
        link = nav.locator(f"a[href^='/{key}']")
        expect(link).to_have_count(1)
        if not link.is_visible():
            more.locator("summary").click()
            if key == "units":
                site.shot(page, "top-bar-more")
        link.click()
        page.wait_for_url(f"**/{key}**")
        expect(link).to_have_class(re.compile(r"\bon\b"))
    expect(more.locator("summary")).to_have_class(re.compile(r"\bon\b"))  # 使用说明 is under 更多

    phone = site.page(phone=True)
    site.login(phone, "admin", "/overview")
    phone_more = phone.get_by_test_id("menu-more")
    expect(phone.get_by_role("button", name="退出")).to_be_visible()
    site.shot(phone, "top-bar-390")
    phone_more.locator("summary").click()
    expect(phone_more.get_by_role("link", name="账号")).to_be_visible()
    site.shot(phone, "top-bar-390-more")
    phone_more.get_by_role("link", name="账号").click()
    phone.wait_for_url("**/accounts**")
    expect(phone_more.get_by_role("link", name="账号")).to_be_hidden()  # closed after choosing
    expect(phone.get_by_role("button", name="退出")).to_be_visible()
