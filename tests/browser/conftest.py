"""Browser tests: Debian's headless Chromium (``/usr/bin/chromium``, never a downloaded browser) driven by
Playwright against the real ``duban serve`` on a fresh database, on SQLite and PostgreSQL.

Every page a test opens records the requests the browser makes; a request to any host but the server's own
fails the test (the intranet has no internet, so a CDN font or script would silently break the app there).
Screenshots go to ``test-artifacts/screenshots/`` (git-ignored; CI keeps them as artefacts).
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.web.server import DUBAN, REPO, running_server

os.environ.setdefault("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")

from playwright.sync_api import Browser, Page, sync_playwright

CHROMIUM = Path(os.environ.get("DUBAN_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
APP_INDEX = REPO / "src" / "duban" / "web" / "static" / "app" / "index.html"
SCREENSHOTS = REPO / "test-artifacts" / "screenshots"
PASSWORD = "browser-test-1"
PHONE = {"width": 390, "height": 844}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Without a built app there is nothing to drive: skip with the reason (``make setup`` builds it)."""
    if APP_INDEX.is_file():
        return
    reason = "网页界面尚未构建（运行 make setup）/ the web app is not built"
    if (REPO / "frontend" / "package.json").is_file():
        return  # sources exist: a missing build is a failure the tests should show
    for item in items:
        if "tests/browser" in str(item.fspath):
            item.add_marker(pytest.mark.skip(reason=reason))


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.is_file():
        pytest.fail(f"缺少 Chromium：{CHROMIUM}（make system 会安装 chromium 软件包）")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


def duban(*args: str, url: str, stdin: str | None = None) -> str:
    done = subprocess.run(
        [str(DUBAN), *args, "--db", url],
        input=stdin,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def add_user(url: str, name: str, role: str, unit: str | None = None) -> None:
    extra = ["--unit", unit] if unit else []
    duban("user", "add", name, "--role", role, *extra, "--password-stdin", url=url, stdin=PASSWORD + "\n")


@dataclass
class Site:
    """The running server, its database, and the pages opened on it (with the hosts they contacted)."""

    base: str
    database_url: str
    name: str
    browser: Browser
    requests: list[str] = field(default_factory=list)

    def page(self, phone: bool = False) -> Page:
        context = self.browser.new_context(
            viewport=PHONE if phone else {"width": 1366, "height": 900},
            locale="zh-CN",
            timezone_id="Asia/Shanghai",
            is_mobile=phone,
            has_touch=phone,
        )
        context.set_default_timeout(15_000)
        page = context.new_page()
        page.on("request", lambda request: self.requests.append(request.url))
        return page

    def shot(self, page: Page, label: str) -> None:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"{self.name}-{label}.png"), full_page=True)

    def login(self, page: Page, username: str, target: str = "/") -> None:
        page.goto(self.base + target)
        page.wait_for_url("**/login**")
        page.get_by_label("用户名").fill(username)
        page.get_by_label("密码").fill(PASSWORD)
        page.get_by_role("button", name="登录").click()
        page.wait_for_url(lambda url: "/login" not in url)

    def foreign_requests(self) -> list[str]:
        own = urlsplit(self.base).netloc
        return [
            url
            for url in self.requests
            if urlsplit(url).scheme in ("http", "https", "ws", "wss") and urlsplit(url).netloc != own
        ]


@pytest.fixture
def site(request: pytest.FixtureRequest, database_url: str, browser: Browser) -> Iterator[Site]:
    """A server on a fresh database with an admin account; the test adds what else it needs."""
    add_user(database_url, "admin", "admin")
    today = getattr(request, "param", "2021-07-15")
    with running_server(database_url, today=today) as base:
        kind = "pg" if database_url.startswith("postgresql") else "sqlite"
        made = Site(base, database_url, f"{request.node.originalname}-{kind}", browser)
        yield made
        assert made.foreign_requests() == [], "the browser contacted another host"
        assert made.requests, "no request was recorded"
