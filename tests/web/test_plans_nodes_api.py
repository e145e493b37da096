"""Issue 21, plans half, through the API on SQLite and PostgreSQL: every new endpoint with every role
(anonymous, office, leader, reporting unit, supporting unit, city); a plan of nodes approved moves the
task's 序时进度; overdue rectifications cost points; a new period's form starts from the last report;
contributions appear under the reporting unit's report and count nowhere as reports."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from duban.ledger.services import auth, rectifications
from duban.ledger.store.db import Database, connect
from duban.ledger.store.models import Change, Event, Jurisdiction, Report, User
from duban.settings import Settings
from duban.web.app import create_app
from tests.ledger.conftest import NOW
from tests.ledger.helpers import NOTICE, import_text

PASSWORD = "correct-horse-1"
ROLES = [None, "admin", "leader", "unit", "support", "city"]
FOUR_NODES = [
    {"due": "2021-03-31", "title": "完成选址", "level": 20},
    {"due": "2021-06-30", "title": "主体开工", "level": 60},
    {"due": "2021-09-30", "title": "主体完工", "level": 80},
    {"due": "2021-12-31", "title": "竣工验收", "level": 100},
]


@dataclass
class World:
    client: TestClient
    database: Database
    tokens: dict[str, str]
    plan_id: int
    task: int  # led by 县发展和改革局 (unit); 县财政局 (support) is one of its units
    other_task: int
    periods: dict[str, int]  # due → id

    def call(self, role: str | None, method: str, url: str, **kwargs: Any) -> Any:
        headers = {"Authorization": f"Bearer {self.tokens[role]}"} if role else {}
        return self.client.request(method, url, headers=headers, **kwargs)

    def ok(self, role: str, method: str, url: str, status: int = 200, **kwargs: Any) -> Any:
        response = self.call(role, method, url, **kwargs)
        assert response.status_code == status, f"{method} {url}: {response.status_code} {response.text}"
        return response.json()


@pytest.fixture
def world(database_url: str) -> Iterator[World]:
    database = connect(database_url)
    with database.writer() as session:
        plan = import_text(session, NOTICE, NOW).plan
        county = session.get(Jurisdiction, plan.jurisdiction_id)
        assert county is not None
        city = Jurisdiction(name="示例市", level="市")
        session.add(city)
        session.flush()
        county.parent_id = city.id
        for name, role, unit, where in (
            ("admin", "admin", None, None),
            ("leader", "leader", None, None),
            ("unit", "unit", "县发展和改革局", None),
            ("support", "unit", "县财政局", None),
            ("city", "admin", None, "示例市"),
        ):
            auth.add_user(session, name, role, PASSWORD, unit, NOW, jurisdiction=where)
        tokens = {name: auth.create_token(session, name, NOW) for name in ROLES if name}
        plan_id = plan.id
    app = create_app(Settings(database_url=database_url, today=date(2021, 7, 15)), database)
    with TestClient(app) as client:
        headers = {"Authorization": f"Bearer {tokens['admin']}"}
        tasks = client.get(f"/api/tasks?plan={plan_id}", headers=headers).json()["items"]
        periods = client.get(f"/api/periods?plan={plan_id}", headers=headers).json()["items"]
        yield World(
            client,
            database,
            tokens,
            plan_id,
            next(t["id"] for t in tasks if t["no"] == "1"),
            next(t["id"] for t in tasks if t["no"] == "2"),
            {p["due"]: p["id"] for p in periods},
        )
    database.dispose()


def _status_of(world: World, task: int, role: str = "admin") -> dict[str, Any]:
    items = world.ok(role, "GET", f"/api/status?plan={world.plan_id}")["items"]
    return next(i for i in items if i["task"] == task)


def _report(world: World, due: str, progress: float, text: str, approve: bool = True) -> int:
    body = {
        "period": world.periods[due],
        "progress": progress,
        "text": text,
        "next_steps": "继续推进",
        "submit": True,
    }
    report = world.ok("unit", "POST", f"/api/tasks/{world.task}/reports", 201, json=body)
    if approve:
        world.ok("admin", "POST", f"/api/reports/{report['id']}/approve")
    return int(report["id"])


def test_a_plan_of_four_nodes_approved_moves_the_schedule_and_is_logged(world: World) -> None:
    _report(world, "2021-06-30", 55, "主体已开工")
    before = _status_of(world, world.task)
    assert before["schedule"] == 43.2 and before["colour"] == "blue"  # the straight line, without a plan
    saved = world.ok(
        "unit", "POST", f"/api/tasks/{world.task}/workplans", 201, json={"nodes": FOUR_NODES, "submit": True}
    )
    assert saved["state"] == "submitted" and [n["title"] for n in saved["nodes"]][1] == "主体开工"
    assert _status_of(world, world.task)["schedule"] == 43.2  # submitted is not approved
    assert [p["id"] for p in world.ok("admin", "GET", "/api/workplans/waiting")["items"]] == [saved["id"]]
    approved = world.ok("admin", "POST", f"/api/workplans/{saved['id']}/approve", json={})
    assert approved["state"] == "approved" and approved["in_force"]
    after = _status_of(world, world.task)
    # 6-30 is the checkpoint: 60 by the plan; p 55 is within 10, but 主体开工 (6-30) was not reported done
    assert (after["schedule"], after["colour"]) == (60.0, "yellow")
    assert "按实施方案，截至检查点（6月30日）应完成 60%" in after["reason"] and "主体开工" in after["reason"]
    node = approved["nodes"][1]["id"]
    world.ok("unit", "POST", f"/api/workplan-nodes/{node}/done", json={})
    assert _status_of(world, world.task)["colour"] == "blue"
    # a newer plan replaces the older once approved; the unit cannot rewrite an approved plan in place
    newer = [
        {"due": "2021-06-30", "title": "完成设计", "level": 40},
        {"due": "2021-12-31", "title": "竣工", "level": 100},
    ]
    second = world.ok(
        "unit", "POST", f"/api/tasks/{world.task}/workplans", 201, json={"nodes": newer, "submit": True}
    )
    assert second["id"] != saved["id"]
    returned = world.ok(
        "admin", "POST", f"/api/workplans/{second['id']}/return", json={"comment": "节点过少"}
    )
    assert returned["state"] == "returned"
    resubmitted = world.ok(
        "unit", "POST", f"/api/tasks/{world.task}/workplans", 201, json={"nodes": newer, "submit": True}
    )
    assert resubmitted["id"] == second["id"] and resubmitted["state"] == "submitted"
    world.ok("admin", "POST", f"/api/workplans/{second['id']}/approve", json={})
    assert _status_of(world, world.task)["schedule"] == 40.0
    listed = world.ok("leader", "GET", f"/api/tasks/{world.task}/workplans")["items"]
    assert [p["in_force"] for p in listed] == [True, False]
    with world.database.reader() as session:
        kinds = set(session.scalars(select(Event.kind).where(Event.object_type == "workplan")))
        actions = set(session.scalars(select(Change.action).where(Change.object_type == "workplan")))
    assert {"workplan.submitted", "workplan.approved", "workplan.returned", "workplan.node_done"} <= kinds
    assert {"create", "submit", "approve", "return", "node_done"} <= actions


def test_a_node_is_reported_done_with_the_report_in_one_request(world: World) -> None:
    """Report once: the progress report names the nodes done; a node of another task saves nothing."""
    saved = world.ok(
        "unit", "POST", f"/api/tasks/{world.task}/workplans", 201, json={"nodes": FOUR_NODES, "submit": True}
    )
    approved = world.ok("admin", "POST", f"/api/workplans/{saved['id']}/approve", json={})
    first, second = (n["id"] for n in approved["nodes"][:2])
    body = {
        "period": world.periods["2021-06-30"],
        "progress": 62,
        "text": "主体已开工",
        "next_steps": "继续推进",
    }
    # a draft marks nothing
    world.ok("unit", "POST", f"/api/tasks/{world.task}/reports", 201, json={**body, "nodes_done": [first]})
    nodes = world.ok("unit", "GET", f"/api/tasks/{world.task}/workplans")["items"][0]["nodes"]
    assert [n["done_on"] for n in nodes[:2]] == [None, None]
    # a node that is not this task's: refused in Chinese, and the report stays a draft
    refused = world.call(
        "unit",
        "POST",
        f"/api/tasks/{world.task}/reports",
        json={**body, "submit": True, "nodes_done": [first, 999999]},
    )
    assert refused.status_code == 422 and "不属于该任务的实施方案" in refused.json()["detail"]
    mine = world.ok("unit", "GET", f"/api/tasks/{world.task}/reports")["items"]
    assert [r["state"] for r in mine] == ["draft"]
    sent = world.ok(
        "unit",
        "POST",
        f"/api/tasks/{world.task}/reports",
        201,
        json={**body, "submit": True, "nodes_done": [first, second]},
    )
    assert sent["state"] == "submitted"
    nodes = world.ok("unit", "GET", f"/api/tasks/{world.task}/workplans")["items"][0]["nodes"]
    assert [n["done_on"] for n in nodes] == ["2021-07-15", "2021-07-15", None, None]
    world.ok("admin", "POST", f"/api/reports/{sent['id']}/approve")
    assert _status_of(world, world.task)["colour"] == "blue"  # 60 by the plan at 6-30, 主体开工 done


def test_bad_plans_are_refused_in_chinese(world: World) -> None:
    url = f"/api/tasks/{world.task}/workplans"
    falling = [
        {"due": "2021-03-31", "title": "甲", "level": 50},
        {"due": "2021-06-30", "title": "乙", "level": 30},
    ]
    response = world.call("unit", "POST", url, json={"nodes": falling})
    assert response.status_code == 422 and "逐步增加" in response.json()["detail"]
    assert world.call("unit", "POST", url, json={"nodes": []}).status_code == 422
    # only the reporting unit enters the plan
    assert world.call("support", "POST", url, json={"nodes": FOUR_NODES}).status_code == 403


def test_overdue_rectifications_cost_points_until_closed(world: World) -> None:
    q2 = world.periods["2021-06-30"]
    _report(world, "2021-06-30", 55, "主体已开工")
    ranking = {
        r["unit"]: r
        for r in world.ok("admin", "GET", f"/api/rankings?plan={world.plan_id}&period={q2}")["items"]
    }
    with world.database.writer() as session:
        unit = session.scalar(select(User).where(User.username == "unit"))
        admin = session.scalar(select(User).where(User.username == "admin"))
        assert unit is not None and admin is not None
        unit_id = unit.unit_id
        assert unit_id is not None
        data = rectifications.OpenInput(
            world.task, "厂房建设进度滞后", date(2021, 6, 30), unit_id, "加快施工"
        )
        old = rectifications.open_item(session, admin, data, datetime(2021, 6, 1, 9))
        old_id = old.id
    base = ranking[unit_id]["score"]
    after = {
        r["unit"]: r
        for r in world.ok("admin", "GET", f"/api/rankings?plan={world.plan_id}&period={q2}")["items"]
    }
    assert after[unit_id]["score"] == base - 5 and after[unit_id]["overdue_rectifications"] == 1
    mine = world.ok("unit", "GET", "/api/rectifications")
    assert [i["id"] for i in mine["items"]] == [old_id] and mine["items"][0]["state_label"] == "逾期"
    assert mine["by_unit"][0]["overdue"] == 1
    assert world.ok("support", "GET", "/api/rectifications")["items"] == []  # another unit's
    world.ok(
        "unit",
        "POST",
        f"/api/rectifications/{old_id}/answer",
        json={"text": "已完成主体施工", "measures": "倒排工期"},
    )
    back = world.ok(
        "admin", "POST", f"/api/rectifications/{old_id}/reopen", json={"comment": "请补充验收材料"}
    )
    assert (
        back["state"] == "open"
        and back["answers"][0]["text"] == "已完成主体施工"
        and back["measures"] == "倒排工期"
    )
    world.ok("unit", "POST", f"/api/rectifications/{old_id}/answer", json={"text": "已补充验收材料"})
    closed = world.ok("admin", "POST", f"/api/rectifications/{old_id}/close", json={"comment": "同意销号"})
    assert closed["state"] == "closed" and not closed["overdue"] and closed["closed_on"] == "2021-07-15"
    again = {
        r["unit"]: r
        for r in world.ok("admin", "GET", f"/api/rankings?plan={world.plan_id}&period={q2}")["items"]
    }
    assert again[unit_id]["score"] == base
    opened = world.ok(
        "admin",
        "POST",
        "/api/rectifications",
        201,
        json={"task": world.task, "problem": "台账不全", "deadline": "2021-08-31"},
    )
    assert opened["unit"] == unit_id and opened["state"] == "open" and not opened["overdue"]
    past = world.call(
        "admin",
        "POST",
        "/api/rectifications",
        json={"task": world.task, "problem": "x", "deadline": "2021-01-01"},
    )
    assert past.status_code == 422 and "不能早于今天" in past.json()["detail"]
    assert world.call("unit", "POST", f"/api/rectifications/{opened['id']}/close", json={}).status_code == 403


def test_a_new_period_starts_from_the_last_report_and_review_shows_the_words_changed(world: World) -> None:
    q3 = world.periods["2021-09-30"]
    empty = world.ok(
        "unit", "GET", f"/api/tasks/{world.task}/report-start?period={world.periods['2021-03-31']}"
    )
    assert empty["origin"] == "empty" and empty["progress"] is None
    _report(world, "2021-06-30", 55, "完成厂房主体施工5万平方米")
    start = world.ok("unit", "GET", f"/api/tasks/{world.task}/report-start?period={q3}")
    assert start["origin"] == "copied" and start["from_period"] and start["progress"] == 55
    assert start["text"] == "完成厂房主体施工5万平方米" and start["next_steps"] == "继续推进"
    body = {
        **{k: start[k] for k in ("progress", "problems", "next_steps", "completed")},
        "period": q3,
        "submit": True,
    }
    body.update(progress=80, text="完成厂房主体施工8万平方米")
    report = world.ok("unit", "POST", f"/api/tasks/{world.task}/reports", 201, json=body)
    own = world.ok("unit", "GET", f"/api/tasks/{world.task}/report-start?period={q3}")
    assert own["origin"] == "this_period" and own["from_report"] == report["id"]
    changes = world.ok("admin", "GET", f"/api/reports/{report['id']}/changes")
    assert changes["progress"] == {"before": 55, "after": 80}
    text = next(f for f in changes["fields"] if f["field"] == "text")
    assert text["changed"] and {"op": "removed", "text": "5"} in text["segments"]
    assert {"op": "added", "text": "8"} in text["segments"]
    assert "".join(s["text"] for s in text["segments"] if s["op"] != "removed") == "完成厂房主体施工8万平方米"
    steps = next(f for f in changes["fields"] if f["field"] == "next_steps")
    assert not steps["changed"] and steps["segments"] == [{"op": "same", "text": "继续推进"}]


def test_contributions_gather_under_the_reporting_units_report_and_count_nowhere(world: World) -> None:
    q2 = world.periods["2021-06-30"]
    before = _status_of(world, world.task)
    ranking_before = world.ok("admin", "GET", f"/api/rankings?plan={world.plan_id}&period={q2}")["items"]
    given = world.ok(
        "support",
        "POST",
        f"/api/tasks/{world.task}/contributions",
        201,
        json={"period": q2, "text": "已拨付资金2000万元"},
    )
    world.ok(
        "support",
        "POST",
        f"/api/tasks/{world.task}/contributions",
        201,
        json={"period": q2, "text": "已拨付资金3000万元"},
    )
    start = world.ok("unit", "GET", f"/api/tasks/{world.task}/report-start?period={q2}")
    assert [(c["unit_name"], c["text"]) for c in start["contributions"]] == [
        ("县财政局", "已拨付资金3000万元")
    ]
    assert (
        world.call(
            "unit", "POST", f"/api/tasks/{world.task}/contributions", json={"period": q2, "text": "x"}
        ).status_code
        == 422
    )
    # a supporting unit files no report of its own: its part is the contribution
    own = world.call(
        "support", "POST", f"/api/tasks/{world.task}/reports", json={"period": q2, "progress": 10}
    )
    assert own.status_code == 422 and "协办单位不单独报送" in own.json()["detail"]
    # nowhere a report: not in the task's reports, not in figures, missing still the reporting unit's
    assert world.ok("admin", "GET", f"/api/tasks/{world.task}/reports")["items"] == []
    after = _status_of(world, world.task)
    assert (after["missing"], after["reported"], after["colour"]) == (
        before["missing"],
        before["reported"],
        before["colour"],
    )
    assert (
        world.ok("admin", "GET", f"/api/rankings?plan={world.plan_id}&period={q2}")["items"] == ranking_before
    )
    with world.database.reader() as session:
        assert session.scalar(select(func.count()).select_from(Report)) == 0
    report = _report(world, "2021-06-30", 60, "汇总：已拨付资金3000万元", approve=False)
    review = world.ok("admin", "GET", f"/api/reports/{report}/changes")
    assert [c["id"] for c in review["contributions"]] == [given["id"]]


def endpoints(
    world: World, ids: dict[str, int]
) -> list[tuple[str, str, dict[str, Any] | None, dict[str | None, int]]]:
    """(method, path, json, status per role) for every endpoint of this half of issue 21."""
    t, other, q2 = world.task, world.other_task, world.periods["2021-06-30"]
    read = {None: 401, "admin": 200, "leader": 200, "unit": 200, "support": 200, "city": 200}
    office = {None: 401, "admin": 200, "leader": 403, "unit": 403, "support": 403, "city": 403}
    review = {**office, "support": 404}  # another unit's plan or problem is not found for a unit
    return [
        ("GET", f"/api/tasks/{t}/workplans", None, read),
        ("GET", f"/api/tasks/{other}/workplans", None, {**read, "unit": 404, "support": 404}),
        (
            "POST",
            f"/api/tasks/{t}/workplans",
            {"nodes": FOUR_NODES},
            {None: 401, "admin": 403, "leader": 403, "unit": 201, "support": 403, "city": 403},
        ),
        ("GET", "/api/workplans/waiting", None, {**office, "city": 200}),
        ("POST", f"/api/workplans/{ids['plan']}/return", {"comment": "请细化"}, review),
        ("POST", f"/api/workplans/{ids['plan2']}/approve", {}, review),
        (
            "POST",
            f"/api/workplan-nodes/{ids['node']}/done",
            {},
            {None: 401, "admin": 403, "leader": 403, "unit": 200, "support": 404, "city": 403},
        ),
        ("GET", "/api/rectifications", None, read),
        ("GET", f"/api/rectifications/{ids['rect']}", None, {**read, "support": 404}),
        (
            "POST",
            "/api/rectifications",
            {"task": t, "problem": "问题", "deadline": "2021-12-31"},
            {**office, "admin": 201},
        ),
        (
            "POST",
            f"/api/rectifications/{ids['rect']}/answer",
            {"text": "已整改"},
            {None: 401, "admin": 403, "leader": 403, "unit": 200, "support": 404, "city": 403},
        ),
        ("POST", f"/api/rectifications/{ids['rect']}/reopen", {"comment": "补充"}, review),
        ("POST", f"/api/rectifications/{ids['rect2']}/close", {}, review),
        ("GET", f"/api/tasks/{t}/report-start?period={q2}", None, read),
        ("GET", f"/api/tasks/{other}/report-start?period={q2}", None, {**read, "unit": 404, "support": 404}),
        ("GET", f"/api/tasks/{t}/contributions?period={q2}", None, read),
        (
            "POST",
            f"/api/tasks/{t}/contributions",
            {"period": q2, "text": "协办"},
            {None: 401, "admin": 403, "leader": 403, "unit": 422, "support": 201, "city": 403},
        ),
        ("GET", f"/api/reports/{ids['report']}/changes", None, {**read, "support": 404}),
    ]


@pytest.mark.parametrize("role", ROLES, ids=lambda r: r or "anonymous")
def test_every_new_endpoint_every_role(world: World, role: str | None) -> None:
    plan = world.ok(
        "unit", "POST", f"/api/tasks/{world.task}/workplans", 201, json={"nodes": FOUR_NODES, "submit": True}
    )
    node = world.ok("admin", "POST", f"/api/workplans/{plan['id']}/approve", json={})["nodes"][0]["id"]
    plan2 = world.ok(
        "unit", "POST", f"/api/tasks/{world.task}/workplans", 201, json={"nodes": FOUR_NODES[:2]}
    )
    rect = world.ok(
        "admin",
        "POST",
        "/api/rectifications",
        201,
        json={"task": world.task, "problem": "甲", "deadline": "2021-08-01"},
    )
    rect2 = world.ok(
        "admin",
        "POST",
        "/api/rectifications",
        201,
        json={"task": world.task, "problem": "乙", "deadline": "2021-08-01"},
    )
    world.ok("unit", "POST", f"/api/rectifications/{rect['id']}/answer", json={"text": "已整改"})
    report = _report(world, "2021-06-30", 40, "进展", approve=False)
    ids = {
        "plan": plan2["id"],
        "plan2": plan2["id"],
        "node": node,
        "rect": rect["id"],
        "rect2": rect2["id"],
        "report": report,
    }
    wrong = []
    for method, path, body, expected in endpoints(world, ids):
        if "/api/workplans/" in path and method == "POST":
            # the unit's second plan is submitted again before each review (a review moves it on)
            world.call(
                "unit",
                "POST",
                f"/api/tasks/{world.task}/workplans",
                json={"nodes": FOUR_NODES[:2], "submit": True},
            )
        response = world.call(role, method, path, json=body)
        if response.status_code != expected[role]:
            wrong.append(
                f"{method} {path}: {response.status_code} (want {expected[role]}) {response.text[:160]}"
            )
    assert wrong == [], "\n".join(wrong)


def test_the_workbook_has_a_rectification_sheet_and_the_bulletin_lists_overdue_ones(world: World) -> None:
    import io

    from docx import Document
    from openpyxl import load_workbook

    with world.database.writer() as session:
        admin = session.scalar(select(User).where(User.username == "admin"))
        unit = session.scalar(select(User).where(User.username == "unit"))
        assert admin is not None and unit is not None and unit.unit_id is not None
        data = rectifications.OpenInput(
            world.task, "厂房建设进度滞后", date(2021, 6, 30), unit.unit_id, "加快施工"
        )
        rectifications.open_item(session, admin, data, datetime(2021, 6, 1, 9))
    world.ok(
        "admin",
        "POST",
        "/api/rectifications",
        201,
        json={"task": world.task, "problem": "台账不全", "deadline": "2021-08-31"},
    )
    q2 = world.periods["2021-06-30"]
    response = world.call("admin", "GET", f"/api/plans/{world.plan_id}/ledger.xlsx?period={q2}")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content))["整改台账"]
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=4)]
    # taken on 2021-07-15 (the day asked, before Q3 is due): the first one is overdue, the second open
    assert [(r[2], r[3], r[6]) for r in rows] == [
        ("县发展和改革委员会", "厂房建设进度滞后", "逾期"),
        ("县发展和改革委员会", "台账不全", "整改中"),
    ]
    bulletin = world.call("admin", "GET", f"/api/periods/{q2}/bulletin.docx")
    assert bulletin.status_code == 200
    text = "\n".join(p.text for p in Document(io.BytesIO(bulletin.content)).paragraphs)
    assert "督查发现的问题逾期未完成整改1项，涉及单位：县发展和改革委员会。" in text
