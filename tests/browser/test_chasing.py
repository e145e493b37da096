"""The bell and the 督办 page in Chromium: after ``duban remind``, a unit's bell counts only its own unit's
notices, opening one marks it read and shows its task with the 督办通知; the office's 督办 page lists every
notice with its delivery state and 总览 counts the open 督办单."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import expect

from tests.browser.conftest import Site, duban
from tests.browser.test_shell import _seed_notice


def test_bell_and_chasing_page(site: Site, tmp_path: Path) -> None:
    tasks = _seed_notice(site, tmp_path)  # publishes the sample plan; unit account fagai (task 1)
    out = duban("remind", "--on", "2021-07-15", url=site.database_url)
    assert "已发出6条通知" in out  # 催报 and 红色督办单 (Q1 and Q2 both missing) for each of three tasks

    page = site.page()
    site.login(page, "fagai", "/my")
    expect(page.get_by_test_id("bell-count")).to_have_text("2")
    page.get_by_test_id("bell").click()
    panel = page.get_by_test_id("bell-panel")
    expect(panel.get_by_text("红色督办单")).to_be_visible()
    expect(panel.get_by_text("第1项").first).to_be_visible()
    expect(panel.get_by_text("第2项")).to_have_count(0)  # never another unit's task
    site.shot(page, "bell-unit")
    panel.get_by_text("红色督办单").click()
    page.wait_for_url(f"**/tasks/{tasks['1']}")
    expect(page.get_by_test_id("task-notices")).to_contain_text("督办〔2021〕")
    expect(page.get_by_test_id("bell-count")).to_have_text("1")
    site.shot(page, "task-notices")

    admin = site.page()
    site.login(admin, "admin", "/chasing")
    expect(admin.get_by_test_id("open-documents")).to_contain_text("3")
    expect(admin.get_by_test_id("chasing-table").locator("tbody tr")).to_have_count(6)
    expect(admin.get_by_test_id("chasing-table")).to_contain_text("仅站内通知")
    site.shot(admin, "chasing-page")
    admin.goto(site.base + "/overview")
    expect(admin.get_by_test_id("count-open-documents")).to_contain_text("3")
