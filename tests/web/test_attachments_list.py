"""Attachments a unit uploads are listed for the pages that show its report (审核, 任务详情, its own form) and
always served as downloads: ``Content-Disposition: attachment``, ``nosniff``, and HTML never as HTML.
SQLite and PostgreSQL."""

from __future__ import annotations

from tests.web.conftest import World, bearer

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8ffff3f0005fe02fea7d6a4f30000000049454e44ae426082"
)


def _report(world: World) -> int:
    body = {"period": world.period_id, "progress": 40, "text": "推进中", "next_steps": "继续", "submit": True}
    made = world.client.post(f"/api/tasks/{world.own_task}/reports", json=body, headers=bearer(world, "unit"))
    assert made.status_code in (200, 201), made.text
    return int(made.json()["id"])


def test_files_are_listed_for_those_who_see_the_report_and_served_as_downloads(world: World) -> None:
    client, unit, admin = world.client, bearer(world, "unit"), bearer(world, "admin")
    report = _report(world)
    sent = {
        "进度说明.pdf": (PDF, "application/pdf"),
        "现场.png": (PNG, "image/png"),
        "页面.html": (b"<script>alert(1)</script>", "text/html"),
    }
    for name, (data, kind) in sent.items():
        answer = client.post(
            f"/api/reports/{report}/attachments", files={"file": (name, data, kind)}, headers=unit
        )
        assert answer.status_code == 201, answer.text

    for who in ("admin", "leader", "unit"):
        listed = client.get(f"/api/attachments?report={report}&report=999999", headers=bearer(world, who))
        assert listed.status_code == 200, listed.text
        items = listed.json()["items"]
        assert [i["filename"] for i in items] == list(sent)
    types = {i["filename"]: i["content_type"] for i in items}
    assert types == {
        "进度说明.pdf": "application/pdf",
        "现场.png": "image/png",
        "页面.html": "application/octet-stream",
    }

    for item in items:
        got = client.get(item["url"], headers=admin)
        assert got.status_code == 200 and got.content == sent[item["filename"]][0]
        assert got.headers["content-disposition"].startswith("attachment;")
        assert "filename*=UTF-8''" in got.headers["content-disposition"]
        assert got.headers["x-content-type-options"] == "nosniff"
        assert "text/html" not in got.headers["content-type"]

    assert client.get(f"/api/attachments?report={report}", headers=admin).json()["total"] == 3
    assert client.get("/api/attachments", headers=admin).status_code == 422
    assert client.get(f"/api/attachments?report={report}").status_code == 401


def test_another_unit_sees_no_file(world: World) -> None:
    from datetime import datetime

    from duban.ledger.services import auth

    report = _report(world)
    client = world.client
    up = client.post(
        f"/api/reports/{report}/attachments",
        files={"file": ("a.pdf", PDF, "application/pdf")},
        headers=bearer(world, "unit"),
    )
    assert up.status_code == 201
    database = client.app.state.duban.database  # type: ignore[attr-defined]
    with database.writer() as session:
        auth.add_user(session, "caizheng", "unit", "correct-horse-1", "县财政局", datetime(2021, 7, 1))
        token = auth.create_token(session, "caizheng", datetime(2021, 7, 1))
    other = {"Authorization": f"Bearer {token}"}
    assert client.get(f"/api/attachments?report={report}", headers=other).json()["items"] == []
    item = up.json()["id"]
    assert client.get(f"/api/reports/{report}/attachments/{item}", headers=other).status_code == 404
