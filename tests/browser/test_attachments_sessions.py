"""Issue 23 in Chromium: a unit uploads a PDF and a photo with its report; the reviewer sees them in 审核,
previews the photo in the page and downloads the PDF byte for byte; then the office lists the unit's browser
session on 账号 and ends it, and the unit's next request is refused (back to 登录)."""

from __future__ import annotations

from pathlib import Path

import httpx
from playwright.sync_api import expect

from tests.browser.conftest import Site, add_user, duban
from tests.ledger.helpers import NOTICE
from tests.web.test_attachments_list import PDF, PNG


def test_unit_uploads_reviewer_downloads_office_ends_the_session(site: Site, tmp_path: Path) -> None:
    notice = tmp_path / "notice.txt"
    notice.write_text(NOTICE, encoding="utf-8")
    duban("import", str(notice), url=site.database_url)
    token = duban("token", "create", "admin", url=site.database_url).strip()
    headers = {"Authorization": f"Bearer {token}"}
    plan = httpx.get(f"{site.base}/api/plans", headers=headers).json()["items"][0]["id"]
    httpx.post(f"{site.base}/api/plans/{plan}/publish", headers=headers)
    add_user(site.database_url, "fagai", "unit", "县发展和改革局")
    pdf, png = tmp_path / "进度说明.pdf", tmp_path / "现场照片.png"
    pdf.write_bytes(PDF)
    png.write_bytes(PNG)

    unit = site.page()
    site.login(unit, "fagai", "/my")
    card = unit.get_by_test_id("my-task").first
    card.get_by_role("button", name="填报").click()
    form = unit.get_by_test_id("report-form")
    form.get_by_label("进度", exact=True).fill("50")
    form.get_by_label("完成情况", exact=True).fill("完成一半。")
    form.get_by_label("下步打算", exact=True).fill("继续推进。")
    form.get_by_label("附件").set_input_files([str(pdf), str(png)])
    form.get_by_role("button", name="提交", exact=True).click()
    expect(unit.get_by_text("已提交").or_(unit.get_by_text("已报送")).first).to_be_visible()

    office = site.page()
    site.login(office, "admin", "/review")
    office.wait_for_url("**/review**")
    files = office.get_by_test_id("review-item").first.get_by_test_id("attachment")
    expect(files).to_have_count(2)
    photo = office.locator("[data-testid=attachment][data-filename='现场照片.png']")
    photo.get_by_test_id("attachment-preview").click()
    viewer = office.locator(".el-image-viewer__wrapper img")
    expect(viewer).to_be_visible()
    assert (viewer.get_attribute("src") or "").startswith("blob:")
    site.shot(office, "review-preview")
    office.keyboard.press("Escape")
    expect(viewer).to_have_count(0)
    with office.expect_download() as fetched:
        office.locator("[data-testid=attachment][data-filename='进度说明.pdf']").get_by_test_id(
            "attachment-download"
        ).click()
    download = fetched.value
    assert download.suggested_filename == "进度说明.pdf"
    assert Path(download.path()).read_bytes() == PDF
    site.shot(office, "review-attachments")

    office.goto(f"{site.base}/accounts")
    office.locator("[data-testid=account-row][data-username=fagai]").get_by_test_id("account-access").click()
    row = office.get_by_test_id("session-row")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Chrom")
    office.wait_for_timeout(400)
    site.shot(office, "account-sessions")
    row.get_by_test_id("session-end").click()
    office.locator(".el-message-box").get_by_role("button", name="结束会话").click()
    expect(office.get_by_test_id("session-row")).to_have_count(0)

    unit.goto(f"{site.base}/my")
    unit.wait_for_url("**/login**")
