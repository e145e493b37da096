"""最近变更 in words: ``县发展和改革委员会 报送了 第1项「…」2021年第二季度进展``, built once in a ledger read model
and answered by ``/api/changes`` and 总览; never ``system · 报告 #303``. SQLite and PostgreSQL."""

from __future__ import annotations

from tests.web.conftest import World, bearer


def test_changes_read_as_sentences(world: World) -> None:
    client, admin = world.client, bearer(world, "admin")
    body = {"period": world.period_id, "progress": 40, "text": "推进中", "next_steps": "继续", "submit": True}
    made = client.post(f"/api/tasks/{world.own_task}/reports", json=body, headers=bearer(world, "unit"))
    assert made.status_code in (200, 201), made.text
    report = made.json()["id"]
    assert (
        client.post(f"/api/reports/{report}/return", json={"comment": "请补充"}, headers=admin).status_code
        == 200
    )

    items = client.get("/api/changes?size=50", headers=admin).json()["items"]
    texts = [i["text"] for i in items]
    submitted = next(t for t in texts if "报送了" in t)
    assert submitted.startswith("县发展和改革委员会 报送了 第1项「")
    assert submitted.endswith("2021年第二季度进展")
    assert any(t.startswith("admin 退回了 第1项「") for t in texts)
    assert all("#" not in t or "令牌" in t for t in texts), texts

    overview = client.get(f"/api/overview?plan={world.plan_id}", headers=admin).json()
    assert overview["changes"][0]["text"].startswith("admin 退回了 第1项")
