"""The ledger's refusals. Adapters map them: ``NotFound`` → 404, ``Forbidden`` → 403, ``Conflict`` → 409,
``Invalid`` → 422 (web) or a message and exit status 2 (command line)."""

from __future__ import annotations

from typing import Any


class LedgerError(Exception):
    """``extra``: more for the client beside the message (e.g. the partial parse of a refused notice)."""

    def __init__(self, message: str, extra: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.extra = extra or {}


class NotFound(LedgerError):
    """The object does not exist, or the user may not see it (the two look the same from outside)."""


class Forbidden(LedgerError):
    """The user sees the object but may not do this to it."""


class Conflict(LedgerError):
    """The object changed meanwhile (another reviewer acted first), or the action does not fit its state."""


class Invalid(LedgerError):
    """The request itself is wrong (a progress of 150, a date in the wrong form, an unknown period…)."""
