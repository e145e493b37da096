"""Accessible to everyone who must use it (issue 23; GB/T 37668-2019 follows WCAG 2.x AA): axe-core, run in
Chromium on every page as the office (admin), a unit and a leader see it, on a desktop and on a 390×844 phone,
finds no serious or critical violation of WCAG 2.1 A/AA. axe-core is the npm devDependency of frontend/ (no
network: the script is injected from node_modules)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, Page

from tests.browser.conftest import PHONE
from tests.browser.ux_site import DemoSite, demo_site
from tests.web.server import REPO

AXE = REPO / "frontend" / "node_modules" / "axe-core" / "axe.min.js"
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
SEVERE = ("serious", "critical")


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def demo(
    request: pytest.FixtureRequest, browser: Browser, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[DemoSite]:
    if not AXE.is_file():
        pytest.fail(f"缺少 axe-core：{AXE}（在 frontend/ 运行 npm ci）")
    yield from demo_site(request, browser, tmp_path_factory.mktemp("axe"), "axe")


def severe_violations(page: Page) -> list[dict[str, Any]]:
    """axe's serious and critical WCAG 2.1 A/AA violations of the page as it is now."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    found = page.evaluate(
        """async (tags) => {
            const result = await axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] })
            return result.violations.map(v => ({ id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.length, targets: v.nodes.slice(0, 3).map(n => n.target.join(' ')) }))
        }""",
        WCAG,
    )
    return [v for v in found if v["impact"] in SEVERE]


def _pages(demo: DemoSite) -> dict[str, list[str]]:
    plans = demo.api("/api/plans?size=100")["items"]
    plan = max((p for p in plans if p["state"] == "published"), key=lambda p: (p["year"], p["id"]))["id"]
    task = demo.api(f"/api/tasks?plan={plan}&size=1")["items"][0]["id"]
    return {
        "admin": [
            "/overview",
            "/ledger",
            f"/tasks/{task}",
            "/review",
            "/import",
            "/units",
            "/periods",
            "/accounts",
            "/rankings",
            "/bulletins",
            "/help",
            "/password",
            "/no-such-page",
        ],
        "unit": ["/my", "/ledger", "/help"],
        "leader": ["/overview", "/ledger", "/rankings"],
    }


def _page(demo: DemoSite, phone: bool) -> Page:
    """A page like :meth:`Site.page`, but one that lets axe's script in past the app's Content-Security-Policy
    (``script-src 'self'``); the app itself is unchanged."""
    context = demo.browser.new_context(
        viewport=PHONE if phone else {"width": 1366, "height": 900},
        locale="zh-CN",
        timezone_id="Asia/Shanghai",
        is_mobile=phone,
        has_touch=phone,
        bypass_csp=True,
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.on("request", lambda request: demo.requests.append(request.url))
    return page


def _visit(page: Page, demo: DemoSite, address: str) -> None:
    page.goto(demo.base + address)
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(300)  # charts and fading elements settle


@pytest.mark.parametrize("phone", [False, True], ids=["desktop", "phone"])
def test_no_serious_or_critical_violation_on_any_page(demo: DemoSite, phone: bool) -> None:
    problems: dict[str, list[dict[str, Any]]] = {}
    login = _page(demo, phone)
    _visit(login, demo, "/login")
    problems["anonymous /login"] = severe_violations(login)
    login.context.close()
    for role, addresses in _pages(demo).items():
        page = _page(demo, phone)
        demo.login_as(page, role, addresses[0])
        for address in addresses:
            _visit(page, demo, address)
            problems[f"{role} {address}"] = severe_violations(page)
            name = address.strip("/").replace("/", "-") or "start"
            demo.shot(page, f"{role}-{name}-{'phone' if phone else 'desktop'}")
            if role == "unit" and address == "/my":
                # The report form open, as a unit uses it.
                page.get_by_role("button", name="填报").first.click()
                problems[f"{role} {address} 填报"] = severe_violations(page)
        page.context.close()
    bad = {where: found for where, found in problems.items() if found}
    count = sum(v["nodes"] for found in bad.values() for v in found)
    summary = {
        where: [f"{v['impact']} {v['id']} ×{v['nodes']}: {v['targets']}" for v in found]
        for where, found in bad.items()
    }
    assert not bad, f"axe: {count} serious/critical nodes\n" + json.dumps(
        summary, ensure_ascii=False, indent=1
    )
