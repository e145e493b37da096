"""Many counties in Chromium: the installation-wide office files a new unit in the county it picks on 单位 and
filters the directory by county; a city account sees its counties compared first on 总览 (a 年度 picker, 未导入
for a county without a plan that year) and opens one of them."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.conftest import Site, duban
from tests.conftest import CORPUS

JINXIANG = next(iter(sorted(CORPUS.glob("000_*.txt"))))
YANZHOU = next(iter(sorted(CORPUS.glob("004_*.txt"))))
JINXIANG_2026 = next(iter(sorted(CORPUS.glob("001_*.txt"))))


def _two_counties(site: Site) -> None:
    """金乡县 and 兖州区 under 济宁市, each with its sample notice, and a city office account."""
    duban("import", str(JINXIANG), url=site.database_url)
    duban("import", str(YANZHOU), url=site.database_url)
    duban("jurisdiction", "add", "济宁市/金乡县", url=site.database_url)
    duban("user", "add", "city", "--role", "leader", "--jurisdiction", "济宁市", "--password-stdin",
          url=site.database_url, stdin="browser-test-1\n")  # fmt: skip


def test_units_page_files_a_new_unit_in_the_chosen_county(site: Site) -> None:
    _two_counties(site)
    page = site.page()
    site.login(page, "admin", "/units")
    page.wait_for_url("**/units**")
    expect(page.get_by_text("区财政局").first).to_be_visible()
    page.get_by_test_id("units-place").select_option(label="济宁市/兖州区")
    expect(page.get_by_role("cell", name="县财政局", exact=True)).to_have_count(0)
    expect(page.get_by_role("cell", name="区财政局", exact=True)).to_have_count(1)
    page.get_by_test_id("units-place").select_option(label="全部")

    page.get_by_label("新单位名称").fill("县数据中心")
    page.get_by_role("button", name="新增单位").click()
    expect(page.get_by_text("请选择新单位所属的行政区")).to_be_visible()  # several counties: never a guess
    page.get_by_test_id("new-unit-place").select_option(label="济宁市/金乡县")
    page.get_by_role("button", name="新增单位").click()
    row = page.locator("tr", has=page.get_by_role("cell", name="县数据中心", exact=True))
    expect(row.get_by_role("cell", name="济宁市/金乡县")).to_be_visible()
    site.shot(page, "units-counties")
    assert "{" not in page.locator("body").inner_text()


def test_city_account_compares_its_counties_on_overview(site: Site) -> None:
    _two_counties(site)
    duban("user", "add", "fagai", "--role", "unit", "--unit", "县发展和改革局", "--jurisdiction", "金乡县",
          "--password-stdin", url=site.database_url, stdin="browser-test-1\n")  # fmt: skip
    duban("import", str(JINXIANG_2026), url=site.database_url)  # 金乡县 has 2026 too, 兖州区 only 2021
    page = site.page()
    site.login(page, "city", "/overview")
    card = page.get_by_test_id("county-comparison")
    expect(card).to_be_visible()
    expect(card.get_by_role("link", name="金乡县")).to_be_visible()
    expect(card.get_by_role("link", name="兖州区")).to_be_visible()
    expect(card).to_contain_text("按时报送率")
    # a city reads the comparison first, above the figures of one plan
    assert card.bounding_box()["y"] < page.get_by_test_id("count-total").bounding_box()["y"]  # type: ignore[index]
    # the year of the day asked (2021 here) by default; 兖州区 has no 2026 plan and says so, not a row of 0
    year = card.get_by_test_id("comparison-year")
    expect(year).to_have_value("2021")
    yanzhou = card.locator("tr", has=page.get_by_role("link", name="兖州区"))
    expect(yanzhou.get_by_test_id("comparison-none")).to_have_count(0)
    year.select_option(label="2026年")
    expect(yanzhou.get_by_test_id("comparison-none")).to_have_text("未导入（2026年度尚无计划）")
    site.shot(page, "overview-counties")
    year.select_option(label="2021年")
    expect(yanzhou.get_by_test_id("comparison-none")).to_have_count(0)
    card.get_by_role("link", name="兖州区").click()
    page.wait_for_url("**plan=**")
    expect(page.get_by_text("全部任务")).to_be_visible()

    unit = site.page()  # a unit account never sees the comparison
    site.login(unit, "fagai", "/overview")
    unit.wait_for_url("**/my**")  # 总览 is not a unit's page: it lands on 我的任务
    expect(unit.get_by_test_id("county-comparison")).to_have_count(0)
