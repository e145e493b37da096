"""``/api/changes``: the append-only change log (supervision office only)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from sqlalchemy import func, select

from duban.ledger.errors import Invalid
from duban.ledger.services import access
from duban.ledger.store.models import Change
from duban.ledger.views import change_words
from duban.web.deps import CurrentUser, Db, Paging
from duban.web.validation import OptionalQueryId, QueryText, ascii_id

router = APIRouter(prefix="/api/changes", tags=["变更记录 changes"])


@router.get("")
def list_changes(
    db: Db,
    user: CurrentUser,
    paging: Paging,
    object: QueryText = None,
    object_id: OptionalQueryId = None,
) -> dict[str, Any]:
    with db.reader() as session:
        access.require_admin(user)
        query = access.visible_changes(session, user, select(Change))
        if object:
            kind, _, ident = object.partition(":")
            query = query.where(Change.object_type == kind)
            if ident:  # ``report:12``: only an ASCII id (``²`` passes isdigit() and fails int())
                object_id_in_text = ascii_id(ident)
                if object_id_in_text is None:
                    raise Invalid("对象编号无效：应写作 类型:编号，编号为阿拉伯数字，如 report:12")
                query = query.where(Change.object_id == object_id_in_text)
        if object_id is not None:
            query = query.where(Change.object_id == object_id)
        total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
        rows = list(
            session.scalars(
                query.order_by(Change.id.desc()).offset((paging.page - 1) * paging.size).limit(paging.size)
            )
        )
        words = change_words.sentences(session, rows)
        items = [
            {
                "text": words[c.id],  # the entry in one Chinese sentence (ledger.views.change_words)
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
        return {"items": items, "total": total, "page": paging.page, "size": paging.size}
