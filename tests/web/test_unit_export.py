"""A unit account exports its own rows of the ledger (``?unit=`` its own unit), the workbook 我的任务 offers
to fill in and import back; the whole ledger, or another unit's rows, stay refused. SQLite and PostgreSQL."""

from __future__ import annotations

import io
from urllib.parse import unquote

import openpyxl

from tests.web.conftest import World, bearer

OWN = "县发展和改革局"  # the account's unit as typed; the directory's name for it:
NAMED = "县发展和改革委员会"


def test_a_unit_exports_its_own_rows_only(world: World) -> None:
    client, unit = world.client, bearer(world, "unit")
    path = f"/api/plans/{world.plan_id}/ledger.xlsx"
    got = client.get(f"{path}?unit={OWN}", headers=unit)
    assert got.status_code == 200, got.text
    book = openpyxl.load_workbook(io.BytesIO(got.content))
    keys = {r[-1].value for r in book["台账"].iter_rows(min_row=4) if r[-1].value}
    mine = client.get(f"/api/tasks?plan={world.plan_id}&size=1000", headers=unit).json()["items"]
    assert keys == {f"T{t['id']}" for t in mine} and f"T{world.own_task}" in keys
    assert f"T{world.other_task}" not in keys
    assert book["台账"]["A1"].value.endswith(f"（{NAMED}）")
    disposition = unquote(got.headers["content-disposition"])
    assert f"台账（{NAMED}）（截至2021-07-15）.xlsx" in disposition and "filename*=UTF-8''" in disposition

    units = client.get("/api/units?size=1000", headers=bearer(world, "admin")).json()["items"]
    own_id = next(u["id"] for u in units if u["name"] == NAMED)
    assert client.get(f"{path}?unit={own_id}", headers=unit).status_code == 200
    for refused in ("", "?unit=县工业和信息化局", "?unit=", "?unit=无此单位"):
        answer = client.get(f"{path}{refused}", headers=unit)
        assert answer.status_code == 403, (refused, answer.status_code)
        assert "本单位" in answer.json()["detail"]
    # the office and the leaders keep every row, and any unit's copy
    assert client.get(path, headers=bearer(world, "leader")).status_code == 200
    assert client.get(f"{path}?unit=县工业和信息化局", headers=bearer(world, "admin")).status_code == 200
