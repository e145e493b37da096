"""Per-plan rules, attachments, task corrections before publishing, unit merges through the API."""

from __future__ import annotations

from tests.web.conftest import World, bearer


def _status_of(world: World, task: int) -> dict[str, object]:
    items = world.client.get(
        f"/api/status?plan={world.plan_id}&size=100", headers=bearer(world, "admin")
    ).json()["items"]
    return next(s for s in items if s["task"] == task)


def test_admin_changes_thresholds_per_plan(world: World) -> None:
    admin = bearer(world, "admin")
    report = world.client.post(
        f"/api/tasks/{world.own_task}/reports",
        json={"period": world.period_id, "progress": 30, "submit": True},
        headers=bearer(world, "unit"),
    ).json()
    world.client.post(f"/api/reports/{report['id']}/approve", headers=admin)
    assert _status_of(world, world.own_task)["colour"] == "yellow"  # 30 < 43.2 - 10
    assert (
        world.client.put(
            f"/api/plans/{world.plan_id}/rules", json={"yellow_gap": 20}, headers=bearer(world, "leader")
        ).status_code
        == 403
    )
    bad = world.client.put(f"/api/plans/{world.plan_id}/rules", json={"yellow_gap": 50}, headers=admin)
    assert bad.status_code == 422
    changed = world.client.put(f"/api/plans/{world.plan_id}/rules", json={"yellow_gap": 20}, headers=admin)
    assert changed.status_code == 200 and changed.json()["yellow_gap"] == 20
    assert _status_of(world, world.own_task)["colour"] == "blue"
    log = world.client.get("/api/changes?object=setting", headers=admin).json()["items"]
    assert log[0]["before"]["yellow_gap"] == 10 and log[0]["after"]["yellow_gap"] == 20


def test_attachments_belong_to_the_units_own_report(world: World) -> None:
    unit = bearer(world, "unit")
    report = world.client.post(
        f"/api/tasks/{world.own_task}/reports", json={"period": world.period_id, "progress": 10}, headers=unit
    ).json()
    files = {"file": ("现场照片.jpg", b"\xff\xd8 photo", "image/jpeg")}
    added = world.client.post(f"/api/reports/{report['id']}/attachments", files=files, headers=unit)
    assert added.status_code == 201
    assert (
        world.client.post(
            f"/api/reports/{report['id']}/attachments", files=files, headers=bearer(world, "admin")
        ).status_code
        == 403
    )
    listed = world.client.get(f"/api/reports/{report['id']}", headers=bearer(world, "admin")).json()[
        "attachments"
    ]
    assert listed == [{"id": added.json()["id"], "filename": "现场照片.jpg", "size": 8}]
    got = world.client.get(f"/api/reports/{report['id']}/attachments/{listed[0]['id']}", headers=unit)
    assert got.status_code == 200 and got.content == b"\xff\xd8 photo"


def test_corrections_are_logged_and_stop_at_publishing(world: World) -> None:
    admin = bearer(world, "admin")
    body = {
        "text": "改正后的任务内容。",
        "units": [{"name": "县财政局", "role": "lead"}],
        "due": "2021-09-30",
    }
    corrected = world.client.patch(f"/api/tasks/{world.other_task}", json=body, headers=admin)
    assert corrected.status_code == 200
    task = corrected.json()
    assert task["text"] == "改正后的任务内容。" and task["due"] == "2021-09-30"
    assert [u["name"] for u in task["units"]] == ["县财政局"] and task["reporting_unit_id"] == task["units"][
        0
    ]["unit_id"]
    log = world.client.get(f"/api/changes?object=task:{world.other_task}", headers=admin).json()["items"]
    assert log[0]["action"] == "correct" and log[0]["after"]["text"] == "改正后的任务内容。"
    assert world.client.post(f"/api/plans/{world.plan_id}/publish", headers=admin).status_code == 200
    assert (
        world.client.patch(f"/api/tasks/{world.other_task}", json={"text": "再改"}, headers=admin).status_code
        == 409
    )


def test_merge_through_the_api(world: World) -> None:
    admin = bearer(world, "admin")
    units = world.client.get("/api/units?size=100", headers=admin).json()["items"]
    finance = next(u for u in units if u["name"] == "县财政局")
    land = next(u for u in units if u["name"] == "县自然资源局")
    merged = world.client.post(
        "/api/units/merge", json={"keep": finance["id"], "merge": [land["id"]]}, headers=admin
    )
    assert merged.status_code == 200 and "县自然资源局" in merged.json()["aliases"]
    after = world.client.get("/api/units?size=100", headers=admin).json()["items"]
    assert all(u["id"] != land["id"] for u in after)


def test_import_preview_of_a_notice_without_tasks_shows_what_was_read(world: World) -> None:
    notice = "关于印发2024年示例县重点工作责任分工的通知\n\n一、发展经济\n建成产业园区一个。\n"
    answer = world.client.post(
        "/api/plans?dry_run=true",
        files={"file": ("n.txt", notice.encode(), "text/plain")},
        headers={"Authorization": f"Bearer {world.tokens['admin']}"},
    )
    assert answer.status_code == 201, answer.text  # a dry run stores nothing; the route answers 201
    body = answer.json()
    assert (
        body["id"] is None and body["tasks"] == 0 and body["warnings"] and "建成产业园区一个" in body["text"]
    )
    assert body["plan"]["document"]["title"] == "关于印发2024年示例县重点工作责任分工的通知"
    stored = world.client.post(
        "/api/plans",
        files={"file": ("n.txt", notice.encode(), "text/plain")},
        headers={"Authorization": f"Bearer {world.tokens['admin']}"},
    )
    assert stored.status_code == 422 and "没有读出任何任务" in stored.json()["detail"]
    assert stored.json()["partial_plan"]["tasks"] == []


def test_task_detail_lists_its_numeric_targets(world: World) -> None:
    admin = {"Authorization": f"Bearer {world.tokens['admin']}"}
    tasks = world.client.get(f"/api/tasks?plan={world.plan_id}&size=200", headers=admin).json()["items"]
    details = [world.client.get(f"/api/tasks/{t['id']}", headers=admin).json() for t in tasks]
    with_targets = [d for d in details if d["targets"]]
    assert with_targets, "the sample notice has tasks with numeric targets"
    first = with_targets[0]["targets"][0]
    assert set(first) == {"index", "value", "unit", "op"} and first["index"] == 0
