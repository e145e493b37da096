"""Every download is named in words (the plan's subject, the period, the date), never with an internal id,
and sent as ``Content-Disposition: attachment; filename*=UTF-8''…``. SQLite and PostgreSQL."""

from __future__ import annotations

import re
from urllib.parse import unquote

from tests.web.conftest import World, bearer

SUBJECT = "2021年示例县重点工作责任分工"


def _name(answer: object) -> str:
    header = answer.headers["content-disposition"]  # type: ignore[attr-defined]
    assert header.startswith("attachment; filename*=UTF-8''"), header
    return unquote(header.split("''", 1)[1])


def test_downloads_are_named_in_words(world: World) -> None:
    client, admin = world.client, bearer(world, "admin")
    ledger = client.get(f"/api/plans/{world.plan_id}/ledger.xlsx?on=2021-07-15", headers=admin)
    assert _name(ledger) == f"{SUBJECT}台账（截至2021-07-15）.xlsx"
    draft = client.get(f"/api/periods/{world.period_id}/bulletin.docx?on=2021-07-15", headers=admin)
    assert draft.status_code == 200, draft.text
    assert _name(draft) == f"{SUBJECT}督查通报（征求意见稿，2021年第二季度，截至2021-07-15）.docx"
    issued = client.post(f"/api/periods/{world.period_id}/bulletins", json={}, headers=admin)
    assert issued.status_code == 201, issued.text
    again = client.get(f"/api/bulletins/{issued.json()['id']}.docx", headers=admin)
    assert _name(again) == f"{SUBJECT}督查通报第1期（2021年第二季度）.docx"
    for name in (_name(ledger), _name(draft), _name(again)):
        assert not re.search(rf"-{world.plan_id}\b|#", name)
