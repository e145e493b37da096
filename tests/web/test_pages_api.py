"""The endpoints the web app's pages need: 总览 in one call, the reason behind each colour, the 审核 queue
with the previous approved report, and 我的任务 with what is due, overdue or returned."""

from __future__ import annotations

from typing import Any

from tests.web.conftest import World, bearer


def _report(world: World, progress: float, period: int | None = None, submit: bool = True) -> dict[str, Any]:
    body = {"period": period or world.period_id, "progress": progress, "submit": submit}
    made = world.client.post(f"/api/tasks/{world.own_task}/reports", json=body, headers=bearer(world, "unit"))
    assert made.status_code == 201, made.text
    return dict(made.json())


def _q1(world: World) -> int:
    periods = world.client.get(f"/api/periods?plan={world.plan_id}", headers=bearer(world, "admin")).json()
    return int(next(p["id"] for p in periods["items"] if p["due"] == "2021-03-31"))


def test_status_items_say_why(world: World) -> None:
    items = world.client.get(
        f"/api/status?plan={world.plan_id}&size=100", headers=bearer(world, "admin")
    ).json()["items"]
    own = next(i for i in items if i["task"] == world.own_task)
    assert own["colour"] == "red"
    assert own["reason"].startswith("红：") and "序时进度 43.2" in own["reason"] and "30" in own["reason"]
    assert "未报送" in own["reason"] and own["reported"] is False and own["state"] == "未报送"
    report = _report(world, 50)
    world.client.post(f"/api/reports/{report['id']}/approve", headers=bearer(world, "admin"))
    items = world.client.get(
        f"/api/status?plan={world.plan_id}&size=100", headers=bearer(world, "admin")
    ).json()["items"]
    own = next(i for i in items if i["task"] == world.own_task)
    assert own["colour"] == "blue" and own["reason"].startswith("蓝：进度 50") and "43.2" in own["reason"]


def test_overview_in_one_call(world: World) -> None:
    admin = bearer(world, "admin")
    late = _report(world, 50)  # the Q2 report, filed on 07-15: late
    world.client.post(f"/api/reports/{late['id']}/approve", headers=admin)
    view = world.client.get(f"/api/overview?plan={world.plan_id}", headers=admin)
    assert view.status_code == 200
    data = view.json()
    total = world.client.get(f"/api/tasks?plan={world.plan_id}", headers=admin).json()["total"]
    assert (
        data["counts"]["total"] == total == sum(data["counts"][c] for c in ("done", "blue", "yellow", "red"))
    )
    assert data["counts"]["blue"] >= 1 and sum(data["arrows"].values()) == total
    assert sum(s["counts"]["total"] for s in data["by_section"]) == total
    assert data["by_unit"] and data["by_leader"]
    assert data["period"]["due"] == "2021-06-30"
    assert [m["task"] for m in data["late"]] == [world.own_task]
    assert world.own_task not in [m["task"] for m in data["missing"]]
    assert len(data["missing"]) >= 1
    assert data["changes"][0]["action"] == "approve"
    assert data["by_leader"] == [{"name": "（未列领导）", "counts": data["counts"]}]
    narrowed = world.client.get(
        f"/api/overview?plan={world.plan_id}&leader=张三&on=2021-05-01", headers=admin
    ).json()
    assert narrowed["counts"]["total"] == 0 and narrowed["leader"] == "张三"
    assert narrowed["on"] == "2021-05-01" and narrowed["period"]["due"] == "2021-03-31"
    unit_view = world.client.get(f"/api/overview?plan={world.plan_id}", headers=bearer(world, "unit")).json()
    assert unit_view["counts"]["total"] < total and unit_view["changes"] == []
    assert world.client.get(f"/api/overview?plan={world.plan_id}").status_code == 401
    assert world.client.get("/api/overview?plan=999999", headers=admin).status_code == 404


def test_review_queue_shows_the_previous_approved_report(world: World) -> None:
    admin = bearer(world, "admin")
    first = _report(world, 20, period=_q1(world))
    world.client.post(f"/api/reports/{first['id']}/approve", headers=admin)
    second = _report(world, 55)
    assert world.client.get("/api/review", headers=bearer(world, "unit")).status_code == 403
    assert world.client.get("/api/review", headers=bearer(world, "leader")).status_code == 403
    queue = world.client.get(f"/api/review?plan={world.plan_id}", headers=admin).json()
    assert queue["total"] == 1
    item = queue["items"][0]
    assert item["report"]["id"] == second["id"] and item["report"]["progress"] == 55
    assert item["report"]["late"] is True and item["task"]["id"] == world.own_task
    assert item["previous"]["id"] == first["id"] and item["previous"]["progress"] == 20
    assert item["returned_comment"] is None and item["task"]["section"] is not None
    # Returned and sent again: the office sees why it was returned beside the new text.
    world.client.post(f"/api/reports/{second['id']}/return", json={"comment": "请补充数据"}, headers=admin)
    again = _report(world, 60)
    item = world.client.get(f"/api/review?plan={world.plan_id}", headers=admin).json()["items"][0]
    assert item["report"]["id"] == again["id"] and item["returned_comment"] == "请补充数据"
    second = again
    world.client.post(f"/api/reports/{second['id']}/approve", headers=admin)
    assert world.client.get("/api/review", headers=admin).json()["total"] == 0


def test_my_tasks_show_due_overdue_and_returned(world: World) -> None:
    unit = bearer(world, "unit")
    mine = world.client.get(f"/api/my?plan={world.plan_id}", headers=unit).json()
    assert world.client.get("/api/my", headers=unit).json() == mine
    assert mine["period"]["due"] == "2021-09-30"
    visible = world.client.get(f"/api/tasks?plan={world.plan_id}", headers=unit).json()["total"]
    assert mine["total"] == visible and world.other_task not in [i["task"]["id"] for i in mine["items"]]
    own = next(i for i in mine["items"] if i["task"]["id"] == world.own_task)
    assert own["period"]["due"] == "2021-06-30"  # the form writes the latest past period first
    assert own["state"] == "overdue" and [p["due"] for p in own["overdue_periods"]] == [
        "2021-03-31",
        "2021-06-30",
    ]
    report = _report(world, 30)
    world.client.post(
        f"/api/reports/{report['id']}/return", json={"comment": "请补充数据"}, headers=bearer(world, "admin")
    )
    own = next(
        i
        for i in world.client.get(f"/api/my?plan={world.plan_id}", headers=unit).json()["items"]
        if i["task"]["id"] == world.own_task
    )
    assert own["state"] == "returned" and own["state_label"] == "被退回"
    assert own["report"]["review_comment"] == "请补充数据"
    assert (
        world.client.get(f"/api/my?plan={world.plan_id}", headers=bearer(world, "admin")).json()["total"] == 0
    )


def test_session_gives_a_reloaded_page_its_csrf_token(world: World) -> None:
    from tests.web.conftest import PASSWORD

    opened = world.client.post("/api/session", json={"username": "admin", "password": PASSWORD}).json()
    again = world.client.get("/api/session").json()
    assert again["csrf_token"] == opened["csrf_token"] and again["username"] == "admin"
    assert "csrf_token" not in world.client.get("/api/session", headers=bearer(world, "unit")).json()


def test_a_leader_sees_their_own_portfolio_by_default(world: World) -> None:
    from duban.ledger.services import auth
    from duban.ledger.store.db import connect
    from tests.ledger.conftest import NOW

    notice = (
        "关于印发2021年示例县领导分工的通知\n一、发展\n"
        "1. 建设产业园。（牵头领导：张三；责任单位：县财政局）\n"
        "2. 改造老旧小区。（牵头领导：李四；责任单位：县财政局）\n"
        "3. 新建公园。（牵头领导：张三、李四；责任单位：县财政局）\n"
    )
    admin = {"Authorization": f"Bearer {world.tokens['admin']}"}
    imported = world.client.post(
        "/api/plans", files={"file": ("n.txt", notice.encode(), "text/plain")}, headers=admin
    )
    plan = imported.json()["id"]
    database = connect(str(world.client.app.state.duban.settings.database_url))  # type: ignore[attr-defined]
    with database.writer() as session:
        auth.add_user(session, "张三", "leader", "leader-pass-1", None, NOW)
        token = auth.create_token(session, "张三", NOW)
    database.dispose()
    own = {"Authorization": f"Bearer {token}"}
    narrowed = world.client.get(f"/api/overview?plan={plan}", headers=own).json()
    assert narrowed["leader"] == "张三" and narrowed["counts"]["total"] == 2
    everything = world.client.get(f"/api/overview?plan={plan}&leader=全部", headers=own).json()
    assert everything["counts"]["total"] == 3
    other_leader = world.client.get(f"/api/overview?plan={plan}", headers=bearer(world, "leader")).json()
    assert other_leader["counts"]["total"] == 3  # an account named for no leader sees the whole plan
