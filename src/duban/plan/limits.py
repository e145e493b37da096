"""Limits the parser enforces on untrusted input, in one place so the CLI and the web app share them."""

from __future__ import annotations

import os
from dataclasses import dataclass

DEFAULT_MAX_BYTES = 50 * 1024 * 1024
# Characters of text a notice may hold. Real notices hold 10,000-60,000; the parse is linear and reads about
# 1 MB of text a second in its slowest layouts, so a notice at the bound is read in a few seconds, and
# anything longer is refused before any work rather than holding an import slot.
DEFAULT_MAX_TEXT_CHARS = 1_000_000


def _env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    try:
        return int(raw) if raw else default
    except ValueError:
        return default


@dataclass(frozen=True)
class Limits:
    """``max_bytes``: the file as uploaded (default 50 MB, ``DUBAN_MAX_UPLOAD_BYTES``).
    ``max_inflated_bytes``: all parts of a docx once unzipped (a zip bomb stops here).
    ``max_pages``: PDF pages read.
    ``max_text_chars``: characters of text in the notice once read (``DUBAN_MAX_NOTICE_CHARS``)."""

    max_bytes: int = DEFAULT_MAX_BYTES
    max_inflated_bytes: int = 200 * 1024 * 1024
    max_pages: int = 500
    max_text_chars: int = DEFAULT_MAX_TEXT_CHARS

    @classmethod
    def from_env(cls) -> Limits:
        return cls(
            max_bytes=_env_int("DUBAN_MAX_UPLOAD_BYTES", DEFAULT_MAX_BYTES),
            max_text_chars=_env_int("DUBAN_MAX_NOTICE_CHARS", DEFAULT_MAX_TEXT_CHARS),
        )
