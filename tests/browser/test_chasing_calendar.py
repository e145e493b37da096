"""The 督办 page's 节假日与调休 in Chromium: the office adds a 调休 working day with the date picker, sees it
listed with its tag and note, is asked before removing it (naming what the Chinese calendar makes of the day),
cancelling leaves it in place, and confirming removes it."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.conftest import Site


def test_office_adds_and_removes_a_calendar_day(site: Site) -> None:
    page = site.page()
    site.login(page, "admin", "/chasing")
    form = page.get_by_test_id("calendar-form")
    table = page.get_by_test_id("calendar-table")
    expect(table).to_contain_text("尚未添加节假日或调休日")

    field = form.locator("input[aria-label='日期']")
    field.click()
    field.fill("2021-07-17")  # a Saturday
    field.press("Enter")
    form.get_by_test_id("calendar-type").click()
    page.locator(".el-select-dropdown__item:visible", has_text="调休上班").click()
    form.get_by_label("说明").fill("防汛值守调休")
    form.get_by_role("button", name="添加").click()
    row = table.locator("tbody tr", has_text="2021-07-17")
    expect(row).to_contain_text("周六")
    expect(row.locator(".el-tag")).to_have_text("调休上班")
    expect(row).to_contain_text("防汛值守调休")
    page.wait_for_timeout(400)  # the message fades out
    site.shot(page, "calendar-added")

    # Removing asks first, naming what happens; cancelling changes nothing (also after a reload).
    row.get_by_role("button", name="删除 2021-07-17").click()
    box = page.locator(".el-message-box")
    expect(box).to_contain_text("删除后，2021-07-17（周六）将按国家日历计为休息日")
    page.wait_for_timeout(400)  # the box fades in
    site.shot(page, "calendar-confirm")
    box.get_by_role("button", name="取消").click()
    expect(box).to_be_hidden()
    page.reload()
    row = page.get_by_test_id("calendar-table").locator("tbody tr", has_text="2021-07-17")
    expect(row).to_contain_text("防汛值守调休")

    row.get_by_role("button", name="删除 2021-07-17").click()
    box = page.locator(".el-message-box")
    expect(box).to_contain_text("将按国家日历计为休息日")
    box.get_by_role("button", name="删除").click()
    table = page.get_by_test_id("calendar-table")
    expect(table).to_contain_text("尚未添加节假日或调休日")
    expect(table.locator("tbody tr", has_text="2021-07-17")).to_have_count(0)
    page.reload()
    expect(page.get_by_test_id("calendar-table")).to_contain_text("尚未添加节假日或调休日")
    site.shot(page, "calendar-removed")
