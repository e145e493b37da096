"""The app in Chromium under its own Content-Security-Policy: every page draws (Element Plus, ECharts) with no
violation reported, and a page of another origin cannot frame it (clickjacking of 通过/退回)."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import ConsoleMessage, expect

from tests.browser.conftest import Site
from tests.browser.test_shell import _seed_notice

PAGES = ("/overview", "/ledger", "/review", "/units", "/periods", "/rankings", "/import")


def test_every_page_draws_under_the_policy(site: Site, tmp_path: Path) -> None:
    _seed_notice(site, tmp_path)
    page = site.page()
    problems: list[str] = []

    def note(message: ConsoleMessage) -> None:
        if "Content Security Policy" in message.text or "Refused to" in message.text:
            problems.append(message.text)

    page.on("console", note)
    page.on("pageerror", lambda error: problems.append(str(error)))
    site.login(page, "admin")
    for path in PAGES:
        page.goto(site.base + path)
        page.wait_for_load_state("networkidle")
        expect(page.locator("#app")).not_to_be_empty()
    expect(page.get_by_text("督办").first).to_be_visible()
    page.goto(site.base + "/overview")
    page.wait_for_load_state("networkidle")
    site.shot(page, "overview-under-csp")
    assert problems == []


def test_another_origin_cannot_frame_the_app(site: Site) -> None:
    page = site.page()
    site.login(page, "admin")
    page.set_content(f'<iframe id="f" src="{site.base}/overview" width="800" height="600"></iframe>')
    page.wait_for_timeout(1500)
    framed = [f for f in page.frames if f != page.main_frame]
    assert framed, "the iframe was not created"
    drawn = [f.url for f in framed if f.url.startswith(site.base) and f.locator("#app").count() > 0]
    assert drawn == [], "the app was drawn inside another origin's frame"
