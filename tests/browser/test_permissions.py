"""Menus and office buttons follow the permissions the session reports: the office sees its buttons on 台账,
单位 and 审核; the read-only city office and a leader see none of them, and a leader typing an office page's
address lands on its own start page. One server for the module's one walk."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.browser.conftest import PASSWORD, Site, add_user, duban
from tests.conftest import CORPUS

JINXIANG = next(iter(sorted(CORPUS.glob("000_*.txt"))))
OFFICE_BUTTONS = ("发布计划", "新增单位", "合并", "批量通过", "通过", "退回")


def _office_buttons(page: Page) -> list[str]:
    """The office buttons on the page (a button's name may go on, as in 批量通过（2）)."""
    return [n for n in OFFICE_BUTTONS if page.get_by_role("button", name=re.compile(f"^{n}")).count()]


def _visit(site: Site, page: Page, path: str, label: str) -> list[str]:
    page.goto(site.base + path)
    page.wait_for_load_state("networkidle")
    expect(page.get_by_role("navigation", name="主导航")).to_be_visible()
    site.shot(page, label)
    return _office_buttons(page)


def test_city_office_and_leader_see_no_office_button(site: Site) -> None:
    duban("import", str(JINXIANG), url=site.database_url)  # a draft plan of 金乡县: the office may publish it
    duban("jurisdiction", "add", "济宁市/金乡县", url=site.database_url)
    duban("user", "add", "city", "--role", "admin", "--jurisdiction", "济宁市", "--password-stdin",
          url=site.database_url, stdin=PASSWORD + "\n")  # fmt: skip
    add_user(site.database_url, "leader", "leader")

    office = site.page()
    site.login(office, "admin", "/ledger")
    expect(office.get_by_test_id("ledger-publish")).to_be_visible()  # the buttons exist for the office
    assert "新增单位" in _visit(site, office, "/units", "office-units")
    assert "批量通过" in _visit(site, office, "/review", "office-review")

    city = site.page()
    site.login(city, "city", "/ledger")
    expect(city.get_by_text("上级督查室（只读）")).to_be_visible()
    nav = city.get_by_role("navigation", name="主导航")
    expect(nav.get_by_role("link", name="单位")).to_be_visible()
    expect(nav.get_by_role("link", name="导入")).to_have_count(0)
    expect(nav.get_by_role("link", name="账号")).to_have_count(0)
    for path in ("/ledger", "/units", "/review"):
        assert _visit(site, city, path, f"city{path.replace('/', '-')}") == [], path

    leader = site.page()
    site.login(leader, "leader", "/ledger")
    assert _visit(site, leader, "/ledger", "leader-ledger") == []
    for path in ("/units", "/review", "/import"):  # another role's pages: its own start page instead
        leader.goto(site.base + path)
        leader.wait_for_url("**/leading**")  # a leader starts on 我分管的
        assert _office_buttons(leader) == [], path
    nav = leader.get_by_role("navigation", name="主导航")
    expect(nav.get_by_role("link", name="单位")).to_have_count(0)
    expect(nav.get_by_role("link", name="审核")).to_have_count(0)
