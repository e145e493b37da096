"""导入 of a notice the parser reads only in part, in Chromium on the real server (issue 17).

A notice written for the purpose: its first section reads normally, its second section's items carry no unit
clause. The page shows the first section's tasks, names the part it could not read in an alert that stays,
keeps the text beside the list, and lets the office add the missing task by hand (逐项录入) before saving.
A refused file (an empty .txt) and a notice with no task at all keep their Chinese message on the page.
"""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page, expect

from tests.browser.conftest import Site

TITLE = "城关县人民政府办公室关于印发2026年重点工作责任分工的通知"
PARTIAL = f"""{TITLE}

各乡镇人民政府，县政府各部门：
现将2026年重点工作责任分工印发给你们，请认真贯彻落实。

一、经济发展
1. 地区生产总值增长5.5%左右。（牵头单位：县发展改革局；责任单位：县统计局）
2. 新开工重点项目20个。（牵头单位：县发展改革局）
二、城市建设
1. 完成老旧小区改造12个
2. 新建城市道路8公里
3. 新增停车位1500个

城关县人民政府办公室
2026年2月10日
"""
NO_TASK = f"""{TITLE}

一、城市建设
1. 完成老旧小区改造12个
2. 新建城市道路8公里
"""


def _upload(page: Page, path: Path) -> None:
    page.locator("[data-testid=import-upload] input[type=file]").set_input_files(str(path))


def test_partial_notice_is_shown_and_finished_by_hand(site: Site, tmp_path: Path) -> None:
    notice = tmp_path / "城关县分工.txt"
    notice.write_text(PARTIAL, encoding="utf-8")
    page = site.page()
    site.login(page, "admin", "/import")
    page.wait_for_url("**/import**")
    _upload(page, notice)
    expect(page.get_by_test_id("import-preview")).to_be_visible(timeout=60_000)
    warnings = page.get_by_test_id("import-warnings")
    expect(warnings).to_contain_text("「二、城市建设」中第 1、2、3 项（共 3 项）未读出责任单位或牵头领导")
    # the first section's tasks are in the list, the unread section's text stays beside it
    expect(page.locator("#t0")).to_have_value("地区生产总值增长5.5%左右。")
    expect(page.locator("#t1")).to_have_value("新开工重点项目20个。")
    expect(page.locator("#t2")).to_have_count(0)
    source = page.get_by_test_id("import-source")
    expect(source).to_contain_text("新增停车位1500个")
    expect(source).to_contain_text("二、城市建设")
    site.shot(page, "warnings")

    page.locator("#t1").fill("新开工重点项目25个。")  # a correction by index still lands on its task
    # 完成时限: a light box until used (a real picker per task made 139 tasks take 3 s); clicked, the picker opens
    second = page.get_by_test_id("import-task").nth(1)
    second.get_by_label("完成时限").click()
    expect(page.locator(".el-date-picker").last).to_be_visible()
    due = second.get_by_role("combobox", name="完成时限")
    due.fill("2026年6月30日")
    due.press("Enter")
    expect(due).to_have_value("2026年6月30日")
    expect(page.get_by_test_id("import-task").first.get_by_test_id("date-box")).to_have_count(1)
    # reached by keyboard, the box hands its focus to the picker
    page.locator("#t0").focus()
    page.keyboard.press("Tab")  # 单位
    page.keyboard.press("Tab")  # 完成时限
    expect(page.get_by_test_id("import-task").first.get_by_role("combobox", name="完成时限")).to_be_focused()
    page.keyboard.press("Escape")
    expect(page.locator(".el-date-picker:visible")).to_have_count(0)
    page.get_by_test_id("import-add-open").click()
    form = page.get_by_test_id("import-add")
    form.get_by_label("序号").fill("1")
    form.get_by_label("任务内容").fill("完成老旧小区改造12个")
    form.get_by_label("牵头单位").fill("县住房和城乡建设局")
    form.get_by_role("button", name="添加任务").click()
    expect(page.get_by_test_id("added-row")).to_have_count(1)
    expect(page.get_by_test_id("added-row")).to_contain_text(
        "完成老旧小区改造12个（牵头单位：县住房和城乡建设局）"
    )
    site.shot(page, "added")
    if page.get_by_test_id("name-row").count():
        page.get_by_role("button", name="全部新建").click()
    page.get_by_test_id("import-save").click()
    page.wait_for_url("**/ledger**", timeout=60_000)
    answer = page.request.get(f"{site.base}/api/tasks?size=1000")
    assert answer.ok, answer.text()
    texts = sorted(t["text"] for t in answer.json()["items"])
    assert texts == sorted(["地区生产总值增长5.5%左右。", "新开工重点项目25个。", "完成老旧小区改造12个。"])
    dues = {t["text"]: t["due"] for t in answer.json()["items"]}
    assert dues["新开工重点项目25个。"] == "2026-06-30", dues
    site.shot(page, "saved")


def test_refusals_stay_on_the_page(site: Site, tmp_path: Path) -> None:
    empty = tmp_path / "空白.txt"
    empty.write_bytes(b"")
    page = site.page()
    site.login(page, "admin", "/import")
    page.wait_for_url("**/import**")
    _upload(page, empty)
    refusal = page.get_by_test_id("import-refusal")
    expect(refusal).to_contain_text("文件是空的", timeout=60_000)
    expect(refusal).to_contain_text("空白.txt")
    page.wait_for_timeout(4_000)  # a toast would be gone by now
    expect(refusal).to_be_visible()
    expect(refusal).not_to_contain_text(" / ")
    expect(page.get_by_test_id("import-preview")).to_have_count(0)
    site.shot(page, "empty")

    # a notice with no task: previewed with its text and the 逐项录入 form open; saving as is is refused, and says why
    notice = tmp_path / "无单位.txt"
    notice.write_text(NO_TASK, encoding="utf-8")
    _upload(page, notice)
    expect(page.get_by_test_id("import-preview")).to_be_visible(timeout=60_000)
    expect(refusal).to_have_count(0)
    expect(page.get_by_test_id("import-empty")).to_be_visible()
    expect(page.get_by_test_id("import-add")).to_be_visible()
    expect(page.get_by_test_id("import-source")).to_contain_text("新建城市道路8公里")
    expect(page.get_by_test_id("import-warnings")).to_contain_text("「一、城市建设」")
    page.get_by_test_id("import-save").click()
    expect(refusal).to_contain_text("通知中没有读出任何任务", timeout=60_000)
    expect(refusal).to_contain_text("无单位.txt")
    expect(refusal).to_contain_text("未读出责任单位或牵头领导")
    page.wait_for_timeout(4_000)
    expect(refusal).to_be_visible()
    site.shot(page, "no-task")
