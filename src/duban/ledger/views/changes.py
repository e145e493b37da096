"""The change log as the 变更记录 page reads it: newest first, about what the office's jurisdictions hold."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from duban.ledger.services import access
from duban.ledger.store.models import Change, User
from duban.ledger.views import change_words


def page_of_changes(
    session: Session,
    user: User,
    object_type: str | None,
    object_ids: Iterable[int],
    page: int,
    size: int,
) -> dict[str, Any]:
    """One page of the log (office only), of one kind of object when given, about the object every id of
    ``object_ids`` names (none: any object)."""
    access.require_admin(user)
    query = access.visible_changes(session, user, select(Change))
    if object_type:
        query = query.where(Change.object_type == object_type)
    for object_id in object_ids:
        query = query.where(Change.object_id == object_id)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = list(session.scalars(query.order_by(Change.id.desc()).offset((page - 1) * size).limit(size)))
    words = change_words.sentences(session, rows)
    items = [
        {
            "text": words[c.id],  # the entry in one Chinese sentence
            "id": c.id,
            "at": c.at.isoformat(),
            "actor": c.actor,
            "object": c.object_type,
            "object_id": c.object_id,
            "action": c.action,
            "before": c.before,
            "after": c.after,
        }
        for c in rows
    ]
    return {"items": items, "total": total, "page": page, "size": size}
