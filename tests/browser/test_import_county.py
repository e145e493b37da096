"""导入 in Chromium with two counties' directories: the unit names of a 金乡县 notice are looked up and offered
only in the chosen 行政区's directory, looked up again when the office picks another 行政区 (what each name
will become said beside it), and the saved plan links no unit of the other county."""

from __future__ import annotations

import httpx
from playwright.sync_api import Page, expect

from tests.browser.conftest import Site, duban
from tests.conftest import CORPUS

OLD_JINXIANG = next(iter(sorted(CORPUS.glob("000_*.txt"))))
NEW_JINXIANG = next(iter(sorted(CORPUS.glob("001_*.txt"))))
YANZHOU = next(iter(sorted(CORPUS.glob("004_*.txt"))))


def _options(page: Page, pick: bool = False) -> list[str]:
    """The options of the first unresolved name's searchable unit list (``pick``: choose the first)."""
    expect(page.locator("[data-testid=import-names] .el-loading-mask")).to_have_count(0, timeout=30_000)
    row = page.get_by_test_id("name-row").first
    row.get_by_role("radio", name="已有单位的别名").check()
    row.get_by_test_id("name-unit").click()
    items = page.locator(".el-select-dropdown:visible .el-select-dropdown__item")
    expect(items.first).to_be_visible()
    texts = [t.strip() for t in items.all_inner_texts()]
    if pick:
        items.first.click()
    else:
        page.keyboard.press("Escape")
    return texts


def test_names_are_mapped_in_the_chosen_county_only(site: Site) -> None:
    for notice in (OLD_JINXIANG, YANZHOU):
        duban("import", str(notice), url=site.database_url)
    token = duban("token", "create", "admin", url=site.database_url).strip()
    headers = {"Authorization": f"Bearer {token}"}
    places = {
        j["name"]: j["id"]
        for j in httpx.get(f"{site.base}/api/jurisdictions", headers=headers).json()["items"]
    }
    directory = httpx.get(f"{site.base}/api/units?size=1000", headers=headers).json()["items"]
    yanzhou_only = {u["name"] for u in directory if u["jurisdiction_id"] == places["兖州区"]}
    jinxiang_only = {u["name"] for u in directory if u["jurisdiction_id"] == places["金乡县"]}

    page = site.page()
    site.login(page, "admin", "/import")
    page.wait_for_url("**/import**")
    page.locator("[data-testid=import-upload] input[type=file]").set_input_files(str(NEW_JINXIANG))
    expect(page.get_by_test_id("import-preview")).to_be_visible(timeout=60_000)
    names = page.get_by_test_id("import-names")
    expect(names).to_be_visible()
    expect(page.get_by_test_id("name-row").first).to_be_visible()
    offered = _options(page, pick=True)
    bare = {o.split("（相似")[0] for o in offered}
    assert bare and bare <= jinxiang_only, bare - jinxiang_only
    expect(page.get_by_test_id("name-becomes").first).to_contain_text("的别名")
    site.shot(page, "jinxiang")

    page.get_by_test_id("import-place").click()
    page.locator(".el-select-dropdown:visible .el-select-dropdown__item", has_text="兖州区").click()
    expect(names).to_contain_text("未识别")
    page.wait_for_timeout(800)
    if page.get_by_test_id("name-row").count():
        bare = {o.split("（相似")[0] for o in _options(page)}
        assert bare <= yanzhou_only, bare - yanzhou_only
    site.shot(page, "yanzhou")

    page.get_by_test_id("import-place").click()
    page.locator(".el-select-dropdown:visible .el-select-dropdown__item", has_text="金乡县").click()
    page.wait_for_timeout(800)
    expect(page.locator("[data-testid=import-names] .el-loading-mask")).to_have_count(0, timeout=30_000)
    page.get_by_role("button", name="全部新建").click()
    expect(page.get_by_test_id("name-becomes").first).to_contain_text("新建")
    page.get_by_test_id("import-save").click()
    page.wait_for_url("**/ledger**", timeout=60_000)
    plans = httpx.get(f"{site.base}/api/plans", headers=headers).json()["items"]
    new = next(p for p in plans if p["year"] == 2026)
    tasks = httpx.get(f"{site.base}/api/tasks?plan={new['id']}&size=1000", headers=headers).json()["items"]
    linked = {u["unit_id"] for t in tasks for u in t["units"]}
    directory = {
        u["id"]: u for u in httpx.get(f"{site.base}/api/units?size=1000", headers=headers).json()["items"]
    }
    assert linked and all(directory[u]["jurisdiction_id"] == places["金乡县"] for u in linked)
