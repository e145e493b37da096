"""The 导入 page's editing of a draft plan: add, delete, split and move tasks between sections and set the
牵头领导, each logged and each refused once the plan is published; the notice's names mapped again for the
chosen 行政区 only; a new 行政区 made from the page. SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from duban.ledger.services import auth
from tests.ledger.helpers import import_text
from tests.web.conftest import World, bearer

TWO_SECTIONS = """关于印发2021年示例县民生工作责任分工的通知
示政发〔2021〕5号
一、教育
1. 新建幼儿园3所。（牵头单位：县教育和体育局）
2. 改造农村学校厕所并新建图书室。（牵头单位：县教育和体育局；责任单位：县财政局）
二、医疗
3. 建设县医院新院区。（牵头单位：县卫生健康局）
示例县人民政府
2021年3月10日
"""


def _draft(world: World) -> int:
    database = world.client.app.state.duban.database  # type: ignore[attr-defined]
    with database.writer() as session:
        return int(import_text(session, TWO_SECTIONS, datetime(2021, 3, 10)).plan.id)


def _tasks(world: World, plan: int) -> list[dict[str, Any]]:
    items = world.client.get(f"/api/tasks?plan={plan}&size=100", headers=bearer(world, "admin")).json()[
        "items"
    ]
    return list(items)


def _sections(world: World, plan: int) -> list[str]:
    body = world.client.get(f"/api/plans/{plan}", headers=bearer(world, "admin")).json()
    return [s["key"] for s in body["sections"]]


def test_a_draft_is_edited_task_by_task_and_logged(world: World) -> None:
    client, admin = world.client, bearer(world, "admin")
    plan = _draft(world)
    education, health = _sections(world, plan)
    first, second, third = _tasks(world, plan)

    added = client.post(
        f"/api/drafts/{plan}/tasks",
        json={"text": "建设县妇幼保健院。", "section_key": health, "leaders": ["张副县长"],
              "units": [{"name": "县卫生健康局", "role": "lead"}]},
        headers=admin,
    )  # fmt: skip
    assert added.status_code == 201, added.text
    assert added.json()["no"] == "4" and added.json()["leaders"] == ["张副县长"]
    assert (
        client.post(
            f"/api/drafts/{plan}/tasks", json={"text": "x"}, headers=bearer(world, "leader")
        ).status_code
        == 403
    )

    split = client.post(
        f"/api/drafts/tasks/{second['id']}/split",
        json={"parts": ["改造农村学校厕所。", "新建图书室。"]},
        headers=admin,
    )
    assert split.status_code == 200, split.text
    assert [t["text"] for t in split.json()["items"]] == ["改造农村学校厕所。", "新建图书室。"]
    moved = client.post(f"/api/drafts/tasks/{first['id']}/move", json={"section_key": health}, headers=admin)
    assert moved.status_code == 200 and moved.json()["section_key"] == health
    leaders = client.put(
        f"/api/drafts/tasks/{third['id']}/leaders", json={"leaders": ["李副县长", " "]}, headers=admin
    )
    assert leaders.json()["leaders"] == ["李副县长"]
    assert client.delete(f"/api/drafts/tasks/{first['id']}", headers=admin).status_code == 204

    now = _tasks(world, plan)
    assert [t["text"] for t in now] == [
        "改造农村学校厕所。",
        "新建图书室。",
        "建设县医院新院区。",
        "建设县妇幼保健院。",
    ]
    pieces = [t for t in now if t["text"] == "新建图书室。"]
    assert {u["name"] for u in pieces[0]["units"]} == {
        "县教育和体育局",
        "县财政局",
    }  # the units stay with each part
    assert next(t for t in now if t["id"] == third["id"])["leaders"] == ["李副县长"]
    logged = {
        c["action"] for c in client.get("/api/changes?object=task&size=100", headers=admin).json()["items"]
    }
    assert {"create", "split", "move", "leaders", "delete"} <= logged

    assert client.post(f"/api/plans/{plan}/publish", headers=admin).status_code == 200
    refused = client.delete(f"/api/drafts/tasks/{third['id']}", headers=admin)
    assert refused.status_code == 409 and "已发布" in refused.json()["detail"]
    assert (
        client.post(
            f"/api/drafts/tasks/{third['id']}/move", json={"section_key": education}, headers=admin
        ).status_code
        == 409
    )


def test_names_are_mapped_in_the_chosen_county_and_a_county_is_made(world: World) -> None:
    client, admin = world.client, bearer(world, "admin")
    places = client.get("/api/jurisdictions", headers=admin).json()["items"]
    home = places[0]["id"]
    mapped = client.post(
        "/api/imports/names",
        json={"names": ["县财政局", "县财政管理局", "各镇街"], "jurisdiction_id": home},
        headers=admin,
    )
    assert mapped.status_code == 200, mapped.text
    by_name = {m["name"]: m for m in mapped.json()["items"]}
    assert by_name["县财政局"]["unit"]["name"] == "县财政局"
    assert by_name["县财政管理局"]["unit"] is None
    assert by_name["县财政管理局"]["suggestions"][0]["name"] == "县财政局"  # best first
    assert by_name["各镇街"]["group_kind"] == "all"

    refused = client.post("/api/jurisdictions", json={"path": "济宁市/新设县"}, headers=admin)
    assert refused.status_code == 403  # a county's office makes no other county
    database = client.app.state.duban.database  # type: ignore[attr-defined]
    with database.writer() as session:
        root = auth.add_user(session, "root", "admin", "correct-horse-1", None, datetime(2021, 7, 1))
        root.jurisdiction_id = None  # the installation-wide office
        session.flush()
        admin = {"Authorization": f"Bearer {auth.create_token(session, 'root', datetime(2021, 7, 1))}"}
    made = client.post("/api/jurisdictions", json={"path": "济宁市/新设县"}, headers=admin)
    assert made.status_code == 201, made.text
    assert made.json()["path"] == "济宁市/新设县" and made.json()["level"] == "县"
    elsewhere = client.post(
        "/api/imports/names",
        json={"names": ["县财政局"], "jurisdiction_id": made.json()["id"]},
        headers=admin,
    )
    assert elsewhere.json()["items"][0]["unit"] is None  # another county's directory is never used
    assert elsewhere.json()["items"][0]["suggestions"] == []
    assert client.post("/api/jurisdictions", json={"path": "随便"}, headers=admin).status_code == 422
    assert (
        client.post("/api/jurisdictions", json={"path": "某县"}, headers=bearer(world, "leader")).status_code
        == 403
    )
    logged = client.get("/api/changes?object=jurisdiction&size=50", headers=admin).json()["items"]
    assert any(c["after"] and c["after"].get("name") == "新设县" for c in logged)
