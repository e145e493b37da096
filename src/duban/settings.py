"""Every setting of the running system, in one place (environment variables prefixed ``DUBAN_``).

The defaults suit one county office on one machine: an SQLite file in the user's data directory, no
internet, Chinese messages. ``DUBAN_TODAY`` pins "today" for the whole process so tests, demos and the
acceptance check see the same colours on every run.
"""

from __future__ import annotations

from datetime import date, datetime, time
from functools import cached_property
from pathlib import Path
from typing import Literal

from platformdirs import user_data_dir
from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_UPLOAD_LIMIT = 50 * 1024 * 1024


def default_database_url() -> str:
    """An SQLite file in the user's data directory (created on first use)."""
    folder = Path(user_data_dir("duban", appauthor=False))
    folder.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{folder / 'duban.db'}"


def data_directory(settings: Settings) -> Path:
    """``DUBAN_DATA_DIR``, or the user's data directory where the default SQLite file lives."""
    return settings.data_dir or Path(user_data_dir("duban", appauthor=False))


class Settings(BaseSettings):
    """Read once at start-up; passed explicitly to the ledger and the web app (no global state)."""

    model_config = SettingsConfigDict(env_prefix="DUBAN_", extra="ignore")

    database_url: str = Field(default_factory=default_database_url)
    today: date | None = None
    max_upload_bytes: int = DEFAULT_UPLOAD_LIMIT
    session_hours: int = 12
    cookie_name: str = "duban_session"
    cookie_secure: bool = False
    login_max_failures: int = 5
    login_window_seconds: int = 900
    # Attempts per client address in the window: everyone behind one NAT shares it.
    login_address_limit: int = 200
    # Addresses of reverse proxies whose X-Forwarded-For is believed (comma-separated); none by default.
    trusted_proxies: str = ""
    page_size_max: int = 1000
    # The office's own bulletin template (docxtpl); the built-in GB/T 9704 layout when unset.
    bulletin_template: Path | None = None
    # --- running in production (deploy/, ``duban doctor``) ---
    # Where the installation keeps its files: the SQLite database when no URL is set, and the automatic
    # backups ``duban upgrade`` takes (``DATA_DIR/backups``). Unset: the user's data directory.
    data_dir: Path | None = None
    # ``duban doctor`` reports a fault below this much free disk where the data and the database live.
    min_free_mb: int = 1024
    # ``json``: one JSON object a line with the request id, and one access record a request; ``text``: as
    # before (warnings and errors only).
    log_format: Literal["text", "json"] = "text"
    log_level: str = "INFO"
    # Addresses or networks (comma-separated) allowed to read ``/metrics``; empty: metrics are not served.
    metrics_allow: str = ""
    # --- chasing (issue 16): the daily run of the reminder engine and how notices are delivered ---
    # Time of day ``duban serve`` runs the engine (once a day, whatever the number of processes).
    remind_at: time = time(8, 30)
    remind_in_serve: bool = True
    # E-mail over SMTP; no host: notices go to the bell and the robots only.
    smtp_host: str = ""
    smtp_port: int = 25
    smtp_security: Literal["none", "starttls", "tls"] = "none"
    smtp_user: str = ""
    smtp_password: str = ""
    smtp_sender: str = "duban@localhost"
    smtp_timeout: float = 10.0
    webhook_timeout: float = 10.0
    # A failed delivery is retried with back-off (1, 5, 15, 60, 240 minutes) and recorded as failed after
    # this many attempts; the 督办 page resends it.
    delivery_attempts: int = 6

    @cached_property
    def clock(self) -> Clock:
        return Clock(self.today)


class Clock:
    """ "Today" and "now" for the ledger: the real date, or the date pinned by ``DUBAN_TODAY``.

    With a pinned date, ``now()`` keeps the real time of day so events of one day stay in order.
    """

    def __init__(self, pinned: date | None = None) -> None:
        self.pinned = pinned

    def today(self) -> date:
        return self.pinned or date.today()

    def now(self) -> datetime:
        real = datetime.now()
        if self.pinned is None:
            return real
        return datetime.combine(self.pinned, time(real.hour, real.minute, real.second, real.microsecond))
