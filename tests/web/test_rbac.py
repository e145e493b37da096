"""Every endpoint with every role and with no credentials: the status code each must get."""

from __future__ import annotations

from typing import Any

import pytest

from tests.web.conftest import World, bearer

ROLES = [None, "admin", "leader", "unit"]


def _report_id(world: World, period: int | None = None) -> int:
    body = {"period": period or world.period_id, "progress": 40, "submit": True}
    response = world.client.post(
        f"/api/tasks/{world.own_task}/reports", json=body, headers=bearer(world, "unit")
    )
    assert response.status_code == 201, response.text
    return int(response.json()["id"])


def endpoints(
    world: World, report_id: int, second_report: int
) -> list[tuple[str, str, dict[str, Any] | None, dict[str | None, int]]]:
    """(method, path, json, expected status per role); ``None`` is the anonymous caller."""
    p, own, other, period = world.plan_id, world.own_task, world.other_task, world.period_id
    read_all = {None: 401, "admin": 200, "leader": 200, "unit": 200}
    admin_only = {None: 401, "admin": 200, "leader": 403, "unit": 403}
    return [
        ("GET", "/api/plans", None, read_all),
        ("GET", f"/api/plans/{p}", None, read_all),
        ("GET", "/api/plans/999999", None, {None: 401, "admin": 404, "leader": 404, "unit": 404}),
        ("GET", f"/api/tasks?plan={p}", None, read_all),
        ("GET", f"/api/tasks/{own}", None, read_all),
        ("GET", f"/api/tasks/{other}", None, {None: 401, "admin": 200, "leader": 200, "unit": 404}),
        ("GET", f"/api/tasks/{own}/reports", None, read_all),
        ("GET", "/api/units", None, read_all),
        ("GET", "/api/units/suggestions", None, admin_only),
        ("GET", f"/api/periods?plan={p}", None, read_all),
        ("GET", f"/api/status?plan={p}", None, read_all),
        ("GET", f"/api/rankings?plan={p}&period={period}", None, read_all),
        ("GET", "/api/changes", None, admin_only),
        ("GET", f"/api/reports/{report_id}", None, read_all),
        ("GET", "/api/session", None, read_all),
        (
            "POST",
            "/api/periods",
            {"plan": p, "name": "专项", "due": "2021-08-01"},
            {None: 401, "admin": 201, "leader": 403, "unit": 403},
        ),
        (
            "PATCH",
            f"/api/tasks/{other}",
            {"text": "修改后的任务"},
            {None: 401, "admin": 200, "leader": 403, "unit": 403},
        ),
        (
            "POST",
            f"/api/tasks/{other}/reports",
            {"period": period, "progress": 10},
            {None: 401, "admin": 403, "leader": 403, "unit": 404},
        ),
        (
            "POST",
            "/api/units/merge",
            {"keep": 1, "merge": [999999]},
            {None: 401, "admin": 404, "leader": 403, "unit": 403},
        ),
        (
            "POST",
            f"/api/reports/{report_id}/return",
            {"comment": "补充"},
            {None: 401, "admin": 200, "leader": 403, "unit": 403},
        ),
        (
            "POST",
            f"/api/reports/{second_report}/approve",
            None,
            {None: 401, "admin": 200, "leader": 403, "unit": 403},
        ),
        ("GET", f"/api/plans/{p}/rules", None, read_all),
        ("PUT", f"/api/plans/{p}/rules", {"yellow_gap": 12}, admin_only),
        (
            "PUT",
            "/api/units/999999/members",
            {"members": []},
            {None: 401, "admin": 404, "leader": 403, "unit": 403},
        ),
        (
            "GET",
            f"/api/reports/{report_id}/attachments/9999",
            None,
            {None: 401, "admin": 404, "leader": 404, "unit": 404},
        ),
        ("GET", f"/api/plans/{p}/ledger.xlsx", None, {None: 401, "admin": 200, "leader": 200, "unit": 403}),
        (
            "GET",
            f"/api/periods/{period}/bulletin.docx",
            None,
            {None: 401, "admin": 200, "leader": 200, "unit": 403},
        ),
        ("POST", f"/api/plans/{p}/publish", None, {None: 401, "admin": 200, "leader": 403, "unit": 403}),
    ]


@pytest.mark.parametrize("role", ROLES, ids=lambda r: r or "anonymous")
def test_every_endpoint_every_role(world: World, role: str | None) -> None:
    report_id = _report_id(world)
    periods = world.client.get(f"/api/periods?plan={world.plan_id}", headers=bearer(world, "admin")).json()[
        "items"
    ]
    second = _report_id(world, next(q["id"] for q in periods if q["due"] == "2021-09-30"))
    wrong = []
    for method, path, body, expected in endpoints(world, report_id, second):
        response = world.client.request(method, path, json=body, headers=bearer(world, role))
        if response.status_code != expected[role]:
            wrong.append(
                f"{method} {path}: {response.status_code} (want {expected[role]}) {response.text[:120]}"
            )
    assert wrong == []


def test_upload_needs_admin_and_rejects_bad_files(world: World) -> None:
    files = {"file": ("x.txt", "不是通知的一段话。".encode())}
    assert world.client.post("/api/plans", files=files).status_code == 401
    assert world.client.post("/api/plans", files=files, headers=bearer(world, "unit")).status_code == 403
    response = world.client.post("/api/plans", files=files, headers=bearer(world, "admin"))
    assert response.status_code == 422 and "不是责任分工通知" in response.json()["detail"]
    empty = world.client.post("/api/plans", files={"file": ("e.txt", b"")}, headers=bearer(world, "admin"))
    assert empty.status_code == 422


def test_unit_sees_only_its_own_tasks_and_status(world: World) -> None:
    mine = world.client.get(f"/api/tasks?plan={world.plan_id}", headers=bearer(world, "unit")).json()
    assert [t["id"] for t in mine["items"]] == [world.own_task]
    status = world.client.get(f"/api/status?plan={world.plan_id}", headers=bearer(world, "unit")).json()
    assert [s["task"] for s in status["items"]] == [world.own_task]
