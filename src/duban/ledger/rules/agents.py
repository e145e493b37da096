"""A browser's User-Agent header in words an office recognises (``Edge 120 · Windows``), for the sessions
listed on the 账号 page. Pure: no database, no HTTP."""

from __future__ import annotations

import re

# Order matters: Edge and the Chinese browsers also say "Chrome", Chrome also says "Safari".
_BROWSERS = (
    ("Edg/", "Edge"),
    ("MicroMessenger/", "微信"),
    ("QQBrowser/", "QQ浏览器"),
    ("360SE", "360浏览器"),
    ("Firefox/", "Firefox"),
    ("Chromium/", "Chromium"),
    ("HeadlessChrome/", "Chrome（无界面）"),
    ("Chrome/", "Chrome"),
    ("Version/", "Safari"),
)
_SYSTEMS = (
    ("Windows", "Windows"),
    ("Android", "Android"),
    ("iPhone", "iPhone"),
    ("iPad", "iPad"),
    ("Mac OS X", "macOS"),
    ("Linux", "Linux"),
)


def browser_name(user_agent: str | None) -> str | None:
    """``Chrome 120 · Windows``; the raw header cut short when no known browser is named; None without one."""
    if not user_agent:
        return None
    browser = next(
        (
            f"{label} {m.group(1)}" if (m := re.search(re.escape(mark) + r"(\d+)", user_agent)) else label
            for mark, label in _BROWSERS
            if mark in user_agent
        ),
        None,
    )
    system = next((label for mark, label in _SYSTEMS if mark in user_agent), None)
    if browser is None:
        return user_agent[:60]
    return f"{browser} · {system}" if system else browser
