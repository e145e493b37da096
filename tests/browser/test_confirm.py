"""What cannot be undone asks first, naming what happens (issue 23): deleting a 报送期, 通过 a report (with an
optional 审核意见), 通过 in bulk, merging two units (the name that survives and what moves). Cancelling changes
nothing; confirming does what was named."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect

from duban.ledger.services import auth
from duban.ledger.store.db import connect
from tests.browser.conftest import PASSWORD, Site
from tests.browser.ux_site import DemoSite, demo_site
from tests.ledger.conftest import NOW
from tests.ledger.helpers import import_text


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


# Two spellings of one company, each leading tasks: the directory suggests merging them.
KEEP, GONE = "县城投公司", "县城投集团公司"
MERGE_NOTICE = f"""关于印发2021年示例县城市建设重点工作责任分工的通知
示政发〔2021〕5号
一、城市建设
1. 建设城南安置小区。（牵头单位：{KEEP}）
2. 实施老城区雨污分流改造。（牵头单位：{GONE}）
3. 新建城市停车场3处。（牵头单位：{GONE}；责任单位：县住房和城乡建设局）
示例县人民政府
2021年2月10日
"""


def _call(site: Site, token: str, method: str, path: str, body: Any = None) -> Any:
    answer = httpx.request(
        method, f"{site.base}{path}", json=body, headers={"Authorization": f"Bearer {token}"}, timeout=30
    )
    assert answer.status_code in (200, 201), answer.text
    return answer.json()


def test_merging_units_names_the_survivor_and_what_moves(site: Site) -> None:
    database = connect(site.database_url)
    with database.writer() as session:
        plan = import_text(session, MERGE_NOTICE, NOW).plan.id
        auth.add_user(session, "chengtou", "unit", PASSWORD, GONE, NOW)
        tokens = {name: auth.create_token(session, name, NOW) for name in ("admin", "chengtou")}
    database.dispose()
    admin = tokens["admin"]
    _call(site, admin, "POST", f"/api/plans/{plan}/publish")
    ids = {u["name"]: u["id"] for u in _call(site, admin, "GET", "/api/units?size=1000")["items"]}
    keep, gone = ids[KEEP], ids[GONE]

    def tasks_of(unit: int) -> list[int]:
        return sorted(
            t["id"] for t in _call(site, admin, "GET", f"/api/tasks?plan={plan}&unit={unit}")["items"]
        )

    kept_tasks, gone_tasks = tasks_of(keep), tasks_of(gone)
    assert len(kept_tasks) == 1 and len(gone_tasks) == 2
    period = _call(site, admin, "GET", f"/api/periods?plan={plan}")["items"][0]["id"]
    body = {
        "period": period,
        "progress": 30,
        "text": "管网施工过半",
        "next_steps": "继续施工",
        "submit": True,
    }
    _call(site, tokens["chengtou"], "POST", f"/api/tasks/{gone_tasks[0]}/reports", body)

    page = site.page()
    site.login(page, "admin", "/units")
    suggestion = page.get_by_test_id("merge-suggestion").filter(has_text=GONE)
    expect(suggestion).to_contain_text(f"「{KEEP}」与「{GONE}」可能是同一单位")
    # Both directions are offered; the office picks the name that survives.
    expect(suggestion.get_by_role("button", name=f"保留「{GONE}」，把「{KEEP}」并入")).to_be_visible()
    suggestion.get_by_role("button", name=f"保留「{KEEP}」，把「{GONE}」并入").click()
    box = _box(page)
    expect(box).to_contain_text(f"合并后保留名称「{KEEP}」")
    expect(box).to_contain_text(f"「{GONE}」将不再作为单独的单位")
    expect(box).to_contain_text("任务 2 项")
    expect(box).to_contain_text("报告 1 份")
    expect(box).to_contain_text("账号 1 个")
    expect(box).to_contain_text("合并不能撤销")
    expect(box.get_by_role("button", name=f"合并，保留「{KEEP}」")).to_be_visible()
    site.shot(page, "merge-confirm")

    box.get_by_role("button", name="取消").click()
    expect(box).to_be_hidden()
    after = {u["name"]: u["id"] for u in _call(site, admin, "GET", "/api/units?size=1000")["items"]}
    assert (after[KEEP], after[GONE]) == (keep, gone)  # both still there
    assert (tasks_of(keep), tasks_of(gone)) == (kept_tasks, gone_tasks)

    suggestion.get_by_role("button", name=f"保留「{KEEP}」，把「{GONE}」并入").click()
    _box(page).get_by_role("button", name=f"合并，保留「{KEEP}」").click()
    expect(page.get_by_text(f"已合并，保留「{KEEP}」")).to_be_visible()
    expect(page.get_by_test_id("merge-suggestion").filter(has_text=GONE)).to_have_count(0)
    expect(page.locator(".el-message-box")).to_be_hidden()
    site.shot(page, "merged")
    units = _call(site, admin, "GET", "/api/units?size=1000")["items"]
    assert gone not in {u["id"] for u in units}
    survivor = next(u for u in units if u["id"] == keep)
    assert GONE in survivor["aliases"]  # the other name stays as an alias
    assert tasks_of(keep) == sorted(kept_tasks + gone_tasks)
    page.context.close()
