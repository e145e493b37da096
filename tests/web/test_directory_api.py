"""Import preview with the source text and each unit name's mapping; new units and aliases decided by the
administrator before importing; editing and deleting reporting periods."""

from __future__ import annotations

from tests.ledger.helpers import NOTICE
from tests.web.conftest import World, bearer


def _preview(world: World, text: str, role: str = "admin") -> dict:
    files = {"file": ("notice.txt", text.encode("utf-8"), "text/plain")}
    answer = world.client.post("/api/imports/preview", files=files, headers=bearer(world, role))
    assert answer.status_code == 200 if role == "admin" else answer.status_code == 403, answer.text
    return dict(answer.json())


def test_preview_maps_names_then_aliases_decide_the_import(world: World) -> None:
    admin = bearer(world, "admin")
    text = NOTICE.replace("示政发〔2021〕2号", "示政发〔2021〕7号").replace("县财政局", "县财政管理局")
    preview = _preview(world, text)
    assert preview["tasks"] == 3 and "1. 建设新材料产业园" in "\n".join(preview["source_lines"])
    names = {n["name"]: n for n in preview["names"]}
    assert names["县发展和改革委员会"]["unit"] is not None
    assert preview["unresolved"] == ["县财政管理局"]
    finance = world.client.get("/api/units?q=县财政局", headers=admin).json()["items"][0]
    assert finance["id"] in [s["unit_id"] for s in names["县财政管理局"]["suggestions"]]
    _preview(world, text, role="unit")
    added = world.client.post(
        f"/api/units/{finance['id']}/aliases", json={"name": "县财政管理局"}, headers=admin
    )
    assert added.status_code == 201 and "县财政管理局" in added.json()["aliases"]
    assert _preview(world, text)["unresolved"] == []
    clash = world.client.post(
        f"/api/units/{world.own_task}/aliases", json={"name": "县财政局"}, headers=admin
    )
    assert clash.status_code in (404, 409)
    created = world.client.post("/api/units", json={"name": "县大数据中心"}, headers=admin)
    assert created.status_code == 201 and created.json()["name"] == "县大数据中心"
    assert world.client.post("/api/units", json={"name": "县大数据中心"}, headers=admin).status_code == 409
    assert (
        world.client.post("/api/units", json={"name": "x"}, headers=bearer(world, "unit")).status_code == 403
    )
    bad = world.client.post(
        "/api/imports/preview", files={"file": ("a.txt", b"hello", "text/plain")}, headers=admin
    )
    assert bad.status_code == 422 and "detail" in bad.json()


def test_periods_can_be_renamed_moved_and_deleted_until_reported(world: World) -> None:
    admin = bearer(world, "admin")
    added = world.client.post(
        "/api/periods", json={"plan": world.plan_id, "name": "半年小结", "due": "2021-07-10"}, headers=admin
    ).json()
    changed = world.client.patch(
        f"/api/periods/{added['id']}", json={"name": "七月小结", "due": "2021-07-20"}, headers=admin
    )
    assert changed.status_code == 200 and changed.json() == {
        "id": added["id"],
        "plan": world.plan_id,
        "name": "七月小结",
        "due": "2021-07-20",
    }
    assert (
        world.client.patch(
            f"/api/periods/{added['id']}", json={"due": "2021-07-21"}, headers=bearer(world, "leader")
        ).status_code
        == 403
    )
    world.client.post(
        f"/api/tasks/{world.own_task}/reports",
        json={"period": world.period_id, "progress": 10},
        headers=bearer(world, "unit"),
    )
    assert world.client.delete(f"/api/periods/{world.period_id}", headers=admin).status_code == 409
    assert world.client.delete(f"/api/periods/{added['id']}", headers=admin).status_code == 204
    assert world.client.delete(f"/api/periods/{added['id']}", headers=admin).status_code == 404
    log = world.client.get("/api/changes?object=period", headers=admin).json()["items"]
    assert [entry["action"] for entry in log[:3]] == ["delete", "update", "create"]


def test_merge_preview_names_the_survivor_and_what_moves(world: World) -> None:
    client, admin = world.client, bearer(world, "admin")
    listed = client.get("/api/units?size=1000", headers=admin).json()["items"]
    ids = {u["name"]: u["id"] for u in listed}
    keep, gone = ids["县财政局"], ids["县发展和改革委员会"]
    preview = client.get(f"/api/units/merge-preview?keep={keep}&merge={gone}", headers=admin)
    assert preview.status_code == 200, preview.text
    body = preview.json()
    assert body["keep"] == {"id": keep, "name": "县财政局"}
    assert body["merged"] == [{"id": gone, "name": "县发展和改革委员会"}]
    assert body["tasks"] >= 1 and body["accounts"] == 1 and body["aliases"] >= 1
    after = client.get("/api/units?size=1000", headers=admin).json()["items"]
    assert len(after) == len(listed)  # a preview changes nothing
    assert (
        client.get(
            f"/api/units/merge-preview?keep={keep}&merge={gone}", headers=bearer(world, "leader")
        ).status_code
        == 403
    )
    assert client.get(f"/api/units/merge-preview?keep={keep}&merge={keep}", headers=admin).status_code == 422
