"""What cannot be undone asks first, naming what happens (issue 23): deleting a 报送期, 通过 a report (with an
optional 审核意见), 通过 in bulk. Cancelling changes nothing; confirming does what was named."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.ux_site import DemoSite, demo_site


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def demo(
    request: pytest.FixtureRequest, browser: Browser, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[DemoSite]:
    yield from demo_site(request, browser, tmp_path_factory.mktemp("confirm"), "confirm")


def _box(page: Page) -> Any:
    box = page.locator(".el-message-box")
    expect(box).to_be_visible()
    page.wait_for_timeout(300)  # the box fades in
    return box


def test_deleting_a_period_asks_and_cancel_keeps_it(demo: DemoSite) -> None:
    plan = _plan(demo)
    # A period without reports (only such a period can be deleted), added for the test.
    added = httpx.post(
        f"{demo.base}/api/periods",
        json={"plan": plan, "name": "临时报送期", "due": "2027-03-31"},
        headers={"Authorization": f"Bearer {demo.token}"},
    )
    assert added.status_code in (200, 201), added.text
    period = added.json()
    page = demo.page()
    demo.login_as(page, "admin", f"/periods?plan={plan}")
    row = page.locator(f"[data-testid=period-row][data-period='{period['id']}']")
    row.get_by_test_id("period-delete").click()
    box = _box(page)
    expect(box).to_contain_text("删除报送期“临时报送期”")
    expect(box).to_contain_text("不能撤销")
    demo.shot(page, "period-delete-confirm")
    box.get_by_role("button", name="取消").click()
    expect(box).to_be_hidden()
    assert any(p["id"] == period["id"] for p in demo.api(f"/api/periods?plan={plan}")["items"])
    expect(row).to_be_visible()
    row.get_by_test_id("period-delete").click()
    _box(page).get_by_role("button", name="删除").click()
    expect(row).to_have_count(0)
    assert all(p["id"] != period["id"] for p in demo.api(f"/api/periods?plan={plan}")["items"])
    page.context.close()


def test_approving_asks_with_an_optional_comment_and_cancel_keeps_the_report(demo: DemoSite) -> None:
    plan = _plan(demo)
    queue = demo.api(f"/api/review?plan={plan}")["items"]
    assert queue, "the demo has a report waiting for review"
    page = demo.page()
    demo.login_as(page, "admin", f"/review?plan={plan}")
    first = queue[0]
    item = page.locator(f"[data-testid=review-item][data-task-id='{first['task']['id']}']").first
    expect(item.get_by_test_id("submitted-at")).to_contain_text(first["report"]["submitted_at"][:10])
    item.get_by_role("button", name="通过").click()
    box = _box(page)
    expect(box).to_contain_text(first["unit"]["name"])
    expect(box).to_contain_text("不能撤回")
    demo.shot(page, "approve-confirm")
    box.get_by_role("button", name="取消").click()
    expect(box).to_be_hidden()
    assert any(
        i["report"]["id"] == first["report"]["id"] for i in demo.api(f"/api/review?plan={plan}")["items"]
    )
    # 批量通过 asks too.
    page.get_by_text("全选").click()
    page.get_by_role("button", name="批量通过").click()
    box = _box(page)
    expect(box).to_contain_text(f"通过选中的 {len(queue)} 份报告")
    box.get_by_role("button", name="取消").click()
    assert len(demo.api(f"/api/review?plan={plan}")["items"]) == len(queue)
    # Confirmed with a comment: approved, and the comment is the report's.
    item.get_by_role("button", name="通过").click()
    box = _box(page)
    box.get_by_placeholder("审核意见（可不填）").fill("进展属实。")
    box.get_by_role("button", name="通过").click()
    expect(page.get_by_text("已通过 1 份报告")).to_be_visible()
    reports = demo.api(f"/api/tasks/{first['task']['id']}/reports?size=100")["items"]
    done = next(r for r in reports if r["id"] == first["report"]["id"])
    assert done["state"] == "approved" and done["review_comment"] == "进展属实。", done
    page.context.close()


def _plan(demo: DemoSite) -> int:
    plans = demo.api("/api/plans?size=100")["items"]
    return max((p for p in plans if p["state"] == "published"), key=lambda p: (p["year"], p["id"]))["id"]
