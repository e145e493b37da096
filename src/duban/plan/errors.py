"""The parser's own error type: every refusal is a ``PlanError`` with a message a person can act on."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from duban.plan.model import Plan


class PlanError(Exception):
    """Input the parser refuses (not a notice, corrupt, too large, no text layer…).

    ``message`` is bilingual where it matters: offices read Chinese, logs are often read in English.
    """

    def __init__(self, message: str, partial: Plan | None = None) -> None:
        super().__init__(message)
        self.message = message
        # What was read before the parse gave up (document fields, sections; no tasks), so an import
        # preview can show the admin how far it got instead of a bare refusal.
        self.partial = partial
