"""The append-only change log: every change to plans, tasks, units, reports and settings, with who, when and
the values before and after. Rows are only ever inserted; nothing in the code updates or deletes them."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy.orm import Session

from duban.ledger.store.models import Change, User

# Exactly these types (``type(v) in``), never a subclass such as an enum: those take the slow path.
_FLAT = frozenset((str, int, float, bool, type(None)))


def plain(value: Any) -> Any:
    """JSON-safe copy: dates as ISO strings. A dict of plain values (most log rows; fifty thousand on the
    reminder engine's heaviest day) is copied without a call per value."""
    if isinstance(value, dict):
        if all(type(v) in _FLAT for v in value.values()):
            return dict(value)
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, date | datetime):
        return value.isoformat()
    return value


def record(
    session: Session,
    actor: User | None,
    object_type: str,
    object_id: int | None,
    action: str,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
    at: datetime,
) -> Change:
    change = Change(
        at=at,
        user_id=actor.id if actor else None,
        actor=actor.username if actor else "system",
        object_type=object_type,
        object_id=object_id,
        action=action,
        before=plain(before),
        after=plain(after),
    )
    session.add(change)
    return change


def changed_fields(before: dict[str, Any], after: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Only the fields that differ, so a log entry shows what a correction actually changed."""
    keys = [k for k in after if before.get(k) != after.get(k)]
    return {k: before.get(k) for k in keys}, {k: after[k] for k in keys}
