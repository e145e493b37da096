"""A unit's week on a 390×844 phone (issue 23): 台账 as cards with the task texts and no sideways scrolling; a
unit opening the server's bare address lands on 我的任务; a session that ends while the form is being typed
loses nothing (the form comes back after a reload, and 提交 asks for the password in a dialog and then files the
report with the typed text)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, expect

from duban.ledger.demo import DEMO_PASSWORD
from tests.browser.ux_site import DemoSite, demo_site


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def demo(
    request: pytest.FixtureRequest, browser: Browser, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[DemoSite]:
    yield from demo_site(request, browser, tmp_path_factory.mktemp("phone"), "phone")


def test_phone_ledger_shows_cards_without_sideways_scrolling(demo: DemoSite) -> None:
    page = demo.page(phone=True)
    demo.login_as(page, "admin", "/ledger")
    rows = page.get_by_test_id("ledger-row")
    expect(rows.first).to_be_visible(timeout=30_000)
    first = rows.first
    assert first.evaluate("e => e.tagName") == "LI", "a phone shows cards, not table rows"
    tasks = {t["id"]: t for t in demo.api(f"/api/tasks?plan={_plan(demo)}&size=1000")["items"]}
    shown = int(first.get_attribute("data-task-id") or 0)
    expect(first).to_contain_text(tasks[shown]["text"][:12])
    expect(first.get_by_test_id("colour-dot").or_(first.get_by_test_id("not-assessed"))).to_be_visible()
    expect(first.get_by_test_id("card-unit")).to_contain_text("汇总单位")
    expect(first.get_by_test_id("progress")).to_be_visible()
    assert page.evaluate("() => document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    demo.shot(page, "ledger-cards")
    page.evaluate("() => window.scrollTo(0, 1200)")
    demo.shot(page, "ledger-cards-scrolled")
    page.context.close()


def test_unit_lands_on_my_tasks_from_the_bare_address(demo: DemoSite) -> None:
    page = demo.page(phone=True)
    demo.login_as(page, "unit", "/")
    page.wait_for_url("**/my")
    expect(page.get_by_role("heading", name="我的任务")).to_be_visible()
    page.context.close()


def test_session_ended_mid_form_loses_nothing(demo: DemoSite) -> None:
    page = demo.page(phone=True)
    demo.login_as(page, "unit", "/my")
    task = page.locator("[data-testid=my-task]", has=page.get_by_role("button", name="填报")).first
    task_id = int(task.get_attribute("data-task-id") or 0)
    task.get_by_role("button", name="填报").click()
    form = page.get_by_test_id("report-form")
    text = "手机上填写的完成情况：已完成主体工程的百分之八十。"
    form.get_by_label("进度", exact=True).fill("80")
    form.get_by_label("完成情况", exact=True).fill(text)
    form.get_by_label("下步打算", exact=True).fill("月底前完成验收。")
    # A reload (or a closed tab) keeps what was typed.
    page.reload()
    task = page.locator(f"[data-testid=my-task][data-task-id='{task_id}']")
    task.get_by_role("button", name="填报").click()
    form = page.get_by_test_id("report-form")
    expect(form.get_by_test_id("form-restored")).to_be_visible()
    expect(form.get_by_label("完成情况", exact=True)).to_have_value(text)
    # The session ends (cookie gone); 提交 asks for the password and then files the report.
    page.context.clear_cookies()
    form.get_by_role("button", name="提交", exact=True).click()
    dialog = page.get_by_test_id("login-dialog")
    expect(dialog).to_be_visible()
    demo.shot(page, "login-dialog")
    dialog.get_by_label("密码").fill(DEMO_PASSWORD)
    dialog.get_by_role("button", name="登录并继续").click()
    expect(page.get_by_text("已提交，等待审核")).to_be_visible()
    reports = demo.api(f"/api/tasks/{task_id}/reports?size=100")["items"]
    assert any(r["text"] == text and r["state"] == "submitted" for r in reports), reports
    assert page.evaluate("() => Object.keys(localStorage).filter(k => k.startsWith('duban.form.'))") == []
    page.context.close()


def _plan(demo: DemoSite) -> int:
    plans = demo.api("/api/plans?size=100")["items"]
    return max((p for p in plans if p["state"] == "published"), key=lambda p: (p["year"], p["id"]))["id"]
