"""One truth for the figures, in Chromium (issue 22): 总览, 台账 and 排名 set to the same 报送期 and 日期 with
the page's own pickers show the 口径, counts and ranks of ``/api/overview`` and ``/api/rankings`` for that
period and date; a bulletin issued from 通报 prints the same counts; a leader sees the issued list but cannot
issue; a period not yet due is asked about in the page, never answered with raw JSON."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import httpx
import pytest
from playwright.sync_api import Page, expect

from duban.ledger.demo import load_demo
from duban.ledger.store.db import connect
from duban.settings import Clock
from tests.browser.conftest import Site, add_user, duban
from tests.conftest import CORPUS

TODAY = "2026-12-06"
ON = "2026-11-20"  # between Q3's due date and Q4's: Q3's figures, not final yet
COLOURS = ("done", "blue", "yellow", "red")


def _api(site: Site, token: str, path: str) -> Any:
    answer = httpx.get(f"{site.base}{path}", headers={"Authorization": f"Bearer {token}"}, timeout=60)
    assert answer.status_code == 200, answer.text
    return answer.json()


def _demo(site: Site, monkeypatch: pytest.MonkeyPatch) -> tuple[str, dict[str, Any], list[dict[str, Any]]]:
    """The demo data (2026 plan with Q1–Q3 reports) on the test database; the admin's token, plan, periods."""
    monkeypatch.setenv("DUBAN_DEMO_CORPUS", str(CORPUS))
    database = connect(site.database_url)
    try:
        list(load_demo(database, Clock(date.fromisoformat(TODAY))))
    finally:
        database.dispose()
    token = duban("token", "create", "admin", url=site.database_url).strip()
    plans = _api(site, token, "/api/plans?size=100")["items"]
    plan = max(
        (p for p in plans if p["year"] == 2026 and p["state"] == "published"), key=lambda p: p["tasks"] or 0
    )
    periods = _api(site, token, f"/api/periods?plan={plan['id']}")["items"]
    return token, plan, periods


def _pick(page: Page, period: dict[str, Any], on: str) -> None:
    """Set 报送期 and 日期 with the page's own Element Plus pickers."""
    picker = page.get_by_test_id("figures-picker")
    picker.get_by_test_id("figures-period").click()
    page.locator(".el-select-dropdown__item:visible", has_text=period["name"]).first.click()
    page.wait_for_url(re.compile(rf"period={period['id']}"))
    day = date.fromisoformat(on)
    field = picker.locator("input[aria-label='数据日期']")
    field.click()
    field.fill(f"{day.year}年{day.month}月{day.day}日")
    field.press("Enter")
    page.wait_for_url(re.compile(rf"on={on}"))


def _number(page: Page, test_id: str) -> int:
    text = page.get_by_test_id(test_id).inner_text()
    found = re.findall(r"\d+", text)
    assert found, f"{test_id}: {text!r}"
    return int(found[0])


@pytest.mark.parametrize("site", [TODAY], indirect=True)
def test_pages_show_one_periods_figures_and_the_issued_bulletin(
    site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    token, plan, periods = _demo(site, monkeypatch)
    q3 = next(p for p in periods if "三" in p["name"] or p["due"].startswith("2026-10"))
    q4 = next(p for p in periods if p["due"] > TODAY)
    query = f"plan={plan['id']}&period={q3['id']}&on={ON}"
    overview = _api(site, token, f"/api/overview?{query}")
    rankings = _api(site, token, f"/api/rankings?{query}&size=1000")
    label = f"口径：{overview['basis']['label']}"
    assert overview["basis"]["period"]["id"] == q3["id"] and overview["basis"]["on"] == ON
    assert rankings["basis"]["label"] == overview["basis"]["label"]

    page = site.page()
    site.login(page, "admin", f"/overview?plan={plan['id']}")
    expect(page.get_by_test_id("basis-label")).to_be_visible()
    # 今天 is the server's day (the day the figures are taken), not the browser's clock
    day = page.get_by_test_id("figures-picker").locator("input[aria-label='数据日期']")
    expect(day).to_have_attribute("placeholder", f"今天（{TODAY}）")
    _pick(page, q3, ON)
    expect(page.get_by_test_id("basis-label")).to_have_text(label)
    expect(page.get_by_test_id("basis-final")).to_contain_text("未定稿")
    if overview["basis"]["previous"]:
        expect(page.get_by_test_id("basis-previous")).to_contain_text(overview["basis"]["previous"]["label"])
    for colour in COLOURS:
        expect(page.get_by_test_id(f"count-{colour}")).to_contain_text(str(overview["counts"][colour]))
        assert _number(page, f"count-{colour}") == overview["counts"][colour]
    assert _number(page, "count-total") == overview["counts"]["total"]
    expect(page.get_by_test_id("missing-title")).to_contain_text(f"（{len(overview['missing'])}）")
    expect(page.get_by_test_id("late-title")).to_contain_text(f"（{len(overview['late'])}）")
    if overview["late"]:
        expect(page.get_by_text(overview["late"][0]["state"]).first).to_be_visible()
    site.shot(page, "overview")

    # The menu keeps the figures picked: 台账 and 排名 show the same period and date.
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="台账", exact=True).click()
    page.wait_for_url(re.compile(rf"/ledger\?.*on={ON}"))
    expect(page.get_by_test_id("basis-label")).to_have_text(label)
    expect(page.get_by_test_id("ledger-counts")).to_be_visible()
    for colour in COLOURS:
        assert _number(page, f"ledger-count-{colour}") == overview["counts"][colour]
    assert _number(page, "ledger-count-total") == overview["counts"]["total"]
    # Every row's figure: 未报送 / 暂无报告 where no report stands behind it, never 0%.
    status = _api(site, token, f"/api/status?{query}&size=1000")["items"]
    expect(page.get_by_test_id("ledger-row")).to_have_count(len(status), timeout=30_000)
    captions = dict(
        page.get_by_test_id("ledger-row").evaluate_all(
            "rs => rs.map(r => [Number(r.dataset.taskId),"
            " r.querySelector('[data-testid=progress]').getAttribute('aria-label')])"
        )
    )
    for item in status:
        caption = captions[item["task"]]
        if not item["reported"]:
            assert caption.startswith("未报送" if item["missing"] else "暂无报告"), caption
        else:
            assert caption.startswith(f"{int(item['progress'] + 0.5)}% / 序时"), caption
        if item["late"]:
            assert item["state"] in caption, caption
    assert any(not item["reported"] for item in status), "the demo has tasks never reported"
    site.shot(page, "ledger")
    href = page.get_by_role("link", name="导出台账").get_attribute("href") or ""
    assert f"period={q3['id']}" in href and f"on={ON}" in href

    page.get_by_role("navigation", name="主导航").get_by_role("link", name="排名").click()
    page.wait_for_url(re.compile(rf"/rankings\?.*period={q3['id']}"))
    expect(page.get_by_test_id("basis-label")).to_have_text(label)
    rows = page.get_by_test_id("ranking-row")
    expect(rows).to_have_count(len(rankings["items"]))
    shown = rows.evaluate_all(
        "rs => rs.map(r => [Number(r.dataset.unit), r.querySelector('[data-testid=rank]').textContent.trim(),"
        " r.querySelector('[data-testid=score]').textContent.trim()])"
    )
    expected = [[r["unit"], str(r["rank"]), f"{r['score']:.1f}"] for r in rankings["items"]]
    assert shown == expected
    site.shot(page, "rankings")

    phone = site.page(phone=True)
    site.login(phone, "admin", f"/ledger?{query}")
    expect(phone.get_by_test_id("basis-label")).to_have_text(label)
    site.shot(phone, "ledger-phone")
    phone.goto(f"{site.base}/overview?{query}")
    expect(phone.get_by_test_id("basis-label")).to_have_text(label)
    site.shot(phone, "overview-phone")

    # 通报: a period not yet due is asked about in the page; 印发 the Q3 bulletin from the dialog.
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="通报").click()
    page.wait_for_url("**/bulletins**")
    row = page.locator(f"[data-testid=bulletin-period-row][data-period='{q4['id']}']")
    row.get_by_role("button", name="预览（征求意见稿）").click()
    box = page.locator(".el-message-box")
    expect(box).to_contain_text(f"报送期“{q4['name']}”尚未到期（截止{q4['due']}），仍要生成吗？")
    page.wait_for_timeout(400)  # the box fades in
    site.shot(page, "bulletin-not-due")
    with page.expect_download(timeout=60_000) as drafted:
        box.get_by_role("button", name="仍要生成").click()
    assert drafted.value.suggested_filename.endswith(".docx")
    assert "{" not in page.locator("body").inner_text()

    row = page.locator(f"[data-testid=bulletin-period-row][data-period='{q3['id']}']")
    row.get_by_test_id("issue-open").click()
    dialog = page.get_by_test_id("issue-dialog")
    field = dialog.locator("input[aria-label='印发数据日期']")
    day = date.fromisoformat(ON)
    field.click()
    field.fill(f"{day.year}年{day.month}月{day.day}日")
    field.press("Enter")
    dialog.get_by_label("抄送").fill("县委办公室，县人大常委会办公室")
    site.shot(page, "bulletin-issue-dialog")
    page.get_by_test_id("issue-submit").click()
    issued_row = page.get_by_test_id("bulletin-row")
    expect(issued_row).to_have_count(1, timeout=60_000)
    issued = _api(site, token, f"/api/plans/{plan['id']}/bulletins")["items"]
    assert len(issued) == 1 and issued[0]["taken_on"] == ON and issued[0]["period"]["id"] == q3["id"]
    assert {c: issued[0]["counts"][c] for c in COLOURS} == {c: overview["counts"][c] for c in COLOURS}
    counts_text = issued_row.get_by_test_id("bulletin-counts").inner_text()
    assert [int(n) for n in re.findall(r"\d+", counts_text)] == [overview["counts"][c] for c in COLOURS]
    expect(issued_row.get_by_test_id("bulletin-number")).to_have_text(f"2026年第{issued[0]['number']}期")
    expect(row).to_contain_text(f"已印发第{issued[0]['number']}期")
    site.shot(page, "bulletins")
    with page.expect_download(timeout=30_000) as again:
        issued_row.get_by_role("button", name="下载").click()
    assert again.value.suggested_filename == issued[0]["filename"]

    # A leader reads and downloads, and has no 印发 button.
    add_user(site.database_url, "boss", "leader")
    leader = site.page(phone=True)
    site.login(leader, "boss", f"/bulletins?plan={plan['id']}")
    expect(leader.get_by_test_id("bulletin-row")).to_have_count(1)
    expect(leader.get_by_test_id("issue-open")).to_have_count(0)
    site.shot(leader, "bulletins-leader-phone")


@pytest.mark.parametrize("site", [TODAY], indirect=True)
def test_task_detail_marks_missing_and_not_assessed_and_a_supporting_unit_sees_who_reports(
    site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    token, plan, _ = _demo(site, monkeypatch)
    status = _api(site, token, f"/api/status?plan={plan['id']}&size=1000")["items"]
    tasks = {t["id"]: t for t in _api(site, token, f"/api/tasks?plan={plan['id']}&size=1000")["items"]}
    missing = next(
        s
        for s in status
        if s["assessed"] and not s["reported"] and s["missing"] and len(tasks[s["task"]]["units"]) > 1
    )
    task = tasks[missing["task"]]

    page = site.page()
    site.login(page, "admin", f"/tasks/{task['id']}")
    detail = page.get_by_test_id("task-detail")
    expect(detail.get_by_test_id("progress")).to_contain_text("未报送")
    assert detail.get_by_test_id("progress").inner_text().startswith("未报送 / 序时")
    expect(detail.get_by_test_id("basis-label")).to_contain_text("口径：")

    # 汇总单位: another of the task's units, after a confirmation naming it.
    other = next(u for u in task["units"] if u["unit_id"] != task["reporting_unit_id"])
    detail.get_by_test_id("reporting-unit").click()
    page.locator(".el-select-dropdown__item:visible", has_text=other["name"]).first.click()
    box = page.locator(".el-message-box")
    expect(box).to_contain_text(f"改由“{other['name']}”汇总报送")
    box.get_by_role("button", name="确定").click()
    expect(page.get_by_text("汇总单位已更改")).to_be_visible()
    assert _api(site, token, f"/api/tasks/{task['id']}")["reporting_unit_id"] == other["unit_id"]

    # 不考核: a grey tag instead of a colour, left out of the counts.
    before = _api(site, token, f"/api/overview?plan={plan['id']}")
    detail.get_by_test_id("not-assessed-switch").click()
    expect(box).to_contain_text("不考核")
    page.wait_for_timeout(400)  # the box fades in
    site.shot(page, "task-not-assessed-confirm")
    box.get_by_role("button", name="确定").click()
    expect(detail.get_by_test_id("not-assessed")).to_be_visible()
    assert _api(site, token, f"/api/tasks/{task['id']}")["assessed"] is False
    after = _api(site, token, f"/api/overview?plan={plan['id']}")
    assert after["counts"]["total"] == before["counts"]["total"] - 1
    assert after["excluded"] == before["excluded"] + 1
    site.shot(page, "task-detail")
    page.goto(f"{site.base}/ledger?plan={plan['id']}")
    expect(
        page.locator(f"[data-testid=ledger-row][data-task-id='{task['id']}']").get_by_test_id("not-assessed")
    ).to_be_visible()
    assert _number(page, "ledger-count-total") == after["counts"]["total"]

    # A supporting unit sees who files the report, and is never shown late for it.
    supported = next(
        t
        for t in tasks.values()
        if t["reporting_unit_id"]
        and t["id"] != task["id"]
        and any(u["role"] == "support" and u["unit_id"] != t["reporting_unit_id"] for u in t["units"])
    )
    helper = next(
        u
        for u in supported["units"]
        if u["role"] == "support" and u["unit_id"] != supported["reporting_unit_id"]
    )
    lead = next(u["name"] for u in supported["units"] if u["unit_id"] == supported["reporting_unit_id"])
    add_user(site.database_url, "helper", "unit", helper["name"])
    phone = site.page(phone=True)
    site.login(phone, "helper", f"/my?plan={plan['id']}")
    card = phone.locator(f"[data-testid=my-task][data-task-id='{supported['id']}']")
    expect(card.get_by_test_id("reported-by")).to_have_text(f"由牵头单位{lead}报送")
    expect(card).not_to_contain_text("逾期未报")
    site.shot(phone, "my-supporting-phone")
