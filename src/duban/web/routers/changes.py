"""``/api/changes``: the append-only change log (supervision office only)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from duban.ledger.errors import Invalid
from duban.ledger.views import changes
from duban.web.deps import CurrentUser, Db, Paging
from duban.web.schemas import changes as changes_shapes
from duban.web.validation import OptionalQueryId, QueryText, ascii_id

router = APIRouter(prefix="/api/changes", tags=["变更记录 changes"])


@router.get("", response_model=changes_shapes.ChangeList)
def list_changes(
    db: Db,
    user: CurrentUser,
    paging: Paging,
    object: QueryText = None,
    object_id: OptionalQueryId = None,
) -> dict[str, Any]:
    """``object``: a kind of object (``report``) or one object (``report:12``)."""
    kind, ident = None, None
    if object:
        kind, _, text = object.partition(":")
        if text:  # ``report:12``: only an ASCII id (``²`` passes isdigit() and fails int())
            ident = ascii_id(text)
            if ident is None:
                raise Invalid("对象编号无效：应写作 类型:编号，编号为阿拉伯数字，如 report:12")
    ids = [i for i in (ident, object_id) if i is not None]
    with db.reader() as session:
        return changes.page_of_changes(session, user, kind, ids, paging.page, paging.size)
