"""One server with the demo data (2026 plans, Q1–Q3 reports, accounts admin / leader / unit) per test module,
on SQLite and PostgreSQL, for the issue-23 UX tests (phone 台账, confirmations, accessibility)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser

from duban.ledger.demo import DEMO_PASSWORD, load_demo
from duban.ledger.store.db import connect
from duban.settings import Clock
from tests.browser.conftest import PASSWORD, Site, add_user, duban
from tests.conftest import CORPUS
from tests.databases import fresh_postgres, sqlite_url
from tests.web.server import running_server

TODAY = "2026-12-06"


class DemoSite(Site):
    """A :class:`Site` whose database holds the demo; ``token`` is the admin's API token."""

    token: str = ""

    def api(self, path: str) -> Any:
        answer = httpx.get(
            f"{self.base}{path}", headers={"Authorization": f"Bearer {self.token}"}, timeout=60
        )
        assert answer.status_code == 200, answer.text
        return answer.json()

    def login_as(self, page: Any, username: str, target: str = "/") -> None:
        """登录 with the demo password (``admin`` has the browser tests' one)."""
        page.goto(self.base + target)
        page.wait_for_url("**/login**")
        page.get_by_label("用户名").fill(username)
        page.get_by_label("密码").fill(DEMO_PASSWORD if username != "admin" else PASSWORD)
        page.get_by_role("button", name="登录").click()
        page.wait_for_url(lambda url: "/login" not in url)


def _database(kind: str, folder: Path) -> Iterator[str]:
    if kind == "sqlite":
        yield sqlite_url(folder)
        return
    with fresh_postgres() as url:
        yield url


def demo_site(
    request: pytest.FixtureRequest, browser: Browser, folder: Path, name: str
) -> Iterator[DemoSite]:
    """The body of a module-scoped fixture: database, demo, server; the site checked for foreign requests."""
    for url in _database(request.param, folder):
        add_user(url, "admin", "admin")
        os.environ["DUBAN_DEMO_CORPUS"] = str(CORPUS)
        database = connect(url)
        try:
            list(load_demo(database, Clock(date.fromisoformat(TODAY))))
        finally:
            database.dispose()
        token = duban("token", "create", "admin", url=url).strip()
        with running_server(url, today=TODAY) as base:
            site = DemoSite(base, url, f"{name}-{request.param}", browser)
            site.token = token
            yield site
            assert site.foreign_requests() == [], "the browser contacted another host"
