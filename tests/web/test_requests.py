"""签收/调整, 延期, 申诉, 领导批示, 牵头领导 (issue 21): every new endpoint with every role, and what a granted
request does — a 延期 moves the due date and the colour follows; a 申诉 takes the case out of the ranking and
the bulletin. One app per database for the module (SQLite and PostgreSQL)."""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from sqlalchemy import delete, select, update

from duban.ledger.services import auth, publishing
from duban.ledger.services import requests as asks
from duban.ledger.store.db import Database, connect
from duban.ledger.store.models import Change, Event, Plan, Task, TaskReceipt, User
from duban.ledger.views import figures
from duban.settings import Settings
from duban.web.app import create_app
from tests.databases import fresh_postgres, sqlite_url
from tests.ledger.helpers import import_text

NOW = datetime(2021, 7, 15, 10, 0)
PASSWORD = "correct-horse-1"
NOTICE = """关于印发2021年示例县重点工作责任分工的通知
示政发〔2021〕5号
一、产业发展
1. 建设新材料产业园，新建标准化厂房10万平方米。（牵头单位：县发展和改革局；责任单位：县财政局）
2. 推进高端装备产业园提升。（牵头单位：县发展和改革局；责任单位：县工业和信息化局）
3. 实施老旧小区改造20个。（牵头单位：县住房和城乡建设局）
4. 建设智慧农业示范区。（牵头单位：县农业农村局）
5. 推进数字政府建设。（牵头单位：县发展和改革局）
二、社会事业
6. 新建学校两所。（牵头单位：县教育和体育局）
示例县人民政府
2021年2月10日
"""
ACCOUNTS = (
    ("admin", "admin", None, "示例县"),
    ("leader", "leader", None, "示例县"),
    ("unit", "unit", "县发展和改革局", None),
    ("other", "unit", "县住房和城乡建设局", None),
    ("farm", "unit", "县农业农村局", None),
    ("city", "admin", None, "济宁市"),
)
ROLES = [None, "admin", "leader", "unit", "other", "city"]


@dataclass
class App:
    client: TestClient
    database: Database
    tokens: dict[str, str]
    plan: int
    tasks: dict[str, int]  # by 序号
    periods: dict[str, int]  # by due date
    users: dict[str, int]


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def app(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[App]:
    if request.param == "sqlite":
        yield from _app(sqlite_url(Path(tmp_path_factory.mktemp("requests"))))
        return
    with fresh_postgres() as url:
        yield from _app(url)


def _app(url: str) -> Iterator[App]:
    database = connect(url)
    with database.writer() as session:
        plan = import_text(session, NOTICE, NOW).plan
        from duban.ledger.services import jurisdictions

        jurisdictions.ensure_path(session, "济宁市/示例县", None, NOW)
        for name, role, unit, where in ACCOUNTS:
            auth.add_user(session, name, role, PASSWORD, unit, NOW, jurisdiction=where)
        tokens = {name: auth.create_token(session, name, NOW) for name, *_ in ACCOUNTS}
        tasks = {t.no: t.id for t in session.scalars(select(Task).where(Task.plan_id == plan.id))}
        session.execute(update(Task).where(Task.id == tasks["5"]).values(due=date(2021, 6, 30)))
        publishing.publish(session, plan, None, NOW)
        users = {u.username: u.id for u in session.scalars(select(User))}
        plan_id = plan.id
    app = create_app(Settings(database_url=url, today=date(2021, 7, 15)), database)
    with TestClient(app) as client:
        admin = {"Authorization": f"Bearer {tokens['admin']}"}
        periods = client.get(f"/api/periods?plan={plan_id}", headers=admin).json()["items"]
        yield App(client, database, tokens, plan_id, tasks, {p["due"]: p["id"] for p in periods}, users)
    database.dispose()


def auth_of(app: App, role: str | None) -> dict[str, str]:
    return {"Authorization": f"Bearer {app.tokens[role]}"} if role else {}


def call(app: App, role: str | None, method: str, path: str, body: Any = None) -> Any:
    return app.client.request(method, path, json=body, headers=auth_of(app, role))


def ok(response: Any, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json()


def _fresh_objects(app: App) -> dict[str, int]:
    """Before each role's pass: nothing pending, no 签收 of task 1, and one request of each kind (on task 2)
    and one open 批示 (on task 1) for the decisions and the answer to act on."""
    with app.database.writer() as session:
        admin = session.get(User, app.users["admin"])
        unit = session.get(User, app.users["unit"])
        assert admin is not None and unit is not None
        for item in asks.queue(session, admin, app.plan)["requests"]:
            asks.decide(session, admin, item["kind"], item["id"], False, "重新测试", None, NOW)
        session.execute(delete(TaskReceipt).where(TaskReceipt.task_id == app.tasks["1"]))
        t2 = app.tasks["2"]
        data = asks.AdjustmentInput("text", "表述有误", text="推进高端装备产业园提质增效。")
        made = {
            "adjustment": asks.request_adjustment(session, unit, t2, data, NOW)["id"],
            "extension": asks.request_extension(session, unit, t2, "汛期停工", date(2022, 3, 31), NOW)["id"],
            "appeal": asks.request_appeal(
                session, unit, t2, app.periods["2021-03-31"], "late", "系统故障", NOW
            )["id"],
            "instruction": asks.write_instruction(session, admin, app.tasks["1"], "抓紧推进", None, NOW)[
                "id"
            ],
        }
    return made


def endpoints(app: App, made: dict[str, int]) -> list[tuple[str, str, Any, dict[str | None, int]]]:
    p, t1, q2 = app.plan, app.tasks["1"], app.periods["2021-06-30"]
    reads = {None: 401, "admin": 200, "leader": 200, "unit": 200, "other": 200, "city": 200}
    task_read = {**reads, "other": 404}
    unit_asks = {None: 401, "admin": 403, "leader": 403, "unit": 201, "other": 404, "city": 403}
    decides = {None: 401, "admin": 200, "leader": 403, "unit": 403, "other": 404, "city": 403}
    office = {None: 401, "admin": 200, "leader": 403, "unit": 403, "other": 403, "city": 403}
    return [
        ("GET", f"/api/plans/{p}/receipts", None, reads),
        ("POST", f"/api/tasks/{t1}/receipt", None, unit_asks),
        (
            "POST",
            f"/api/tasks/{t1}/adjustments",
            {"what": "lead", "unit": "县财政局", "reason": "县财政局职责"},
            unit_asks,
        ),
        ("POST", f"/api/tasks/{t1}/extensions", {"reason": "资金未到位", "due": "2022-06-30"}, unit_asks),
        ("POST", f"/api/tasks/{t1}/appeals", {"period": q2, "what": "missing", "reason": "断网"}, unit_asks),
        (
            "POST",
            f"/api/adjustments/{made['adjustment']}/decision",
            {"grant": False, "comment": "否"},
            decides,
        ),
        ("POST", f"/api/extensions/{made['extension']}/decision", {"grant": False, "comment": "否"}, decides),
        ("POST", f"/api/appeals/{made['appeal']}/decision", {"grant": False, "comment": "否"}, decides),
        (
            "POST",
            f"/api/tasks/{t1}/instructions",
            {"text": "请加快进度"},
            {None: 401, "admin": 201, "leader": 201, "unit": 403, "other": 404, "city": 403},
        ),
        ("POST", f"/api/instructions/{made['instruction']}/answers", {"text": "已落实"}, unit_asks),
        ("GET", f"/api/tasks/{t1}/requests", None, task_read),
        ("GET", f"/api/requests?plan={p}", None, reads),
        ("GET", "/api/requests?all=true", None, reads),
        ("GET", "/api/leading", None, reads),
        ("PUT", f"/api/tasks/{t1}/leaders", {"leaders": ["王丹"]}, office),
        ("PUT", f"/api/plans/{p}/sections/2/leaders", {"leaders": ["李明"]}, office),
        ("PUT", f"/api/users/{app.users['leader']}/leader-name", {"leader_name": "王丹"}, office),
    ]


@pytest.mark.parametrize("role", ROLES, ids=lambda r: r or "anonymous")
def test_every_new_endpoint_every_role(app: App, role: str | None) -> None:
    made = _fresh_objects(app)
    wrong = []
    for method, path, body, expected in endpoints(app, made):
        response = call(app, role, method, path, body)
        if response.status_code != expected[role]:
            wrong.append(
                f"{method} {path}: {response.status_code} (want {expected[role]}) {response.text[:150]}"
            )
    assert wrong == []


def test_unit_sees_only_its_own(app: App) -> None:
    _fresh_objects(app)
    mine = ok(call(app, "other", "GET", f"/api/requests?plan={app.plan}&all=true"))
    assert mine["requests"] == [] and mine["instructions"] == []
    office = ok(call(app, "admin", "GET", f"/api/requests?plan={app.plan}"))
    assert {r["kind"] for r in office["requests"]} == {"adjustment", "extension", "appeal"}
    receipts = ok(call(app, "other", "GET", f"/api/plans/{app.plan}/receipts"))
    assert {u["name"] for u in receipts["units"]} <= {"县住房和城乡建设局"}


def test_receipts_and_a_granted_lead_change(app: App) -> None:
    """签收 counts down in 总览's figures; a granted 调整 makes the proposed unit the lead, logged."""
    _fresh_objects(app)
    before = ok(call(app, "admin", "GET", f"/api/plans/{app.plan}/receipts"))
    ok(call(app, "unit", "POST", f"/api/tasks/{app.tasks['1']}/receipt"), 201)
    after = ok(call(app, "admin", "GET", f"/api/plans/{app.plan}/receipts"))
    assert after["pending"] == before["pending"] - 1 and after["confirmed"] == before["confirmed"] + 1
    assert call(app, "unit", "POST", f"/api/tasks/{app.tasks['1']}/receipt").status_code == 409
    asked = ok(
        call(
            app,
            "unit",
            "POST",
            f"/api/tasks/{app.tasks['1']}/adjustments",
            {"what": "lead", "unit": "县财政局", "reason": "产业园由财政局牵头"},
        ),
        201,
    )
    refused = call(app, "admin", "POST", f"/api/adjustments/{asked['id']}/decision", {"grant": False})
    assert refused.status_code == 422 and "意见" in refused.json()["detail"]
    granted = ok(
        call(
            app,
            "admin",
            "POST",
            f"/api/adjustments/{asked['id']}/decision",
            {"grant": True, "comment": "同意"},
        )
    )
    assert granted["state"] == "granted" and granted["proposed_unit_name"] == "县财政局"
    task = ok(call(app, "admin", "GET", f"/api/tasks/{app.tasks['1']}"))
    lead = next(u for u in task["units"] if u["role"] == "lead")
    assert lead["name"] == "县财政局" and task["reporting_unit_id"] == lead["unit_id"]
    again = call(app, "admin", "POST", f"/api/adjustments/{asked['id']}/decision", {"grant": True})
    assert again.status_code == 409
    with app.database.reader() as session:
        logged = session.scalars(
            select(Change.action).where(Change.object_type == "task", Change.object_id == app.tasks["1"])
        ).all()
        events = session.scalars(select(Event.kind).where(Event.object_id == asked["id"])).all()
    assert "adjust" in logged and {"adjustment.requested", "adjustment.granted"} <= set(events)
    # Put it back for the other tests (the office's own correction of the reporting unit).
    with app.database.writer() as session:
        task_row = session.get(Task, app.tasks["1"])
        assert task_row is not None
        asks._make_lead(session, task_row, int(asked["unit"]))


def test_instruction_answered_stays_in_the_timeline(app: App) -> None:
    ok(call(app, "admin", "PUT", f"/api/users/{app.users['leader']}/leader-name", {"leader_name": "王丹"}))
    ok(call(app, "admin", "PUT", f"/api/tasks/{app.tasks['1']}/leaders", {"leaders": ["王丹"]}))
    leading = ok(call(app, "leader", "GET", "/api/leading"))
    assert leading["leader_name"] == "王丹" and [t["id"] for t in leading["items"]] == [app.tasks["1"]]
    written = ok(
        call(app, "leader", "POST", f"/api/tasks/{app.tasks['1']}/instructions", {"text": "月底前见效"}), 201
    )
    assert written["leader"] == "王丹" and written["state"] == "open"
    open_ids = [i["id"] for i in ok(call(app, "admin", "GET", "/api/requests"))["instructions"]]
    assert written["id"] in open_ids
    answered = ok(
        call(app, "unit", "POST", f"/api/instructions/{written['id']}/answers", {"text": "已部署"}), 201
    )
    assert answered["state"] == "answered" and answered["answers"][0]["text"] == "已部署"
    assert written["id"] not in [
        i["id"] for i in ok(call(app, "admin", "GET", "/api/requests"))["instructions"]
    ]
    recorded = call(
        app,
        "admin",
        "POST",
        f"/api/tasks/{app.tasks['1']}/instructions",
        {"text": "加强调度", "leader": "赵强"},
    )
    assert ok(recorded, 201)["leader"] == "赵强"  # the office records a 批示 given on paper
    timeline = ok(call(app, "unit", "GET", f"/api/tasks/{app.tasks['1']}/requests"))
    kept = next(i for i in timeline["instructions"] if i["id"] == written["id"])
    assert kept["state_label"] == "已答复" and kept["answers"][0]["unit_name"] == "县发展和改革局"


def test_section_leaders_fill_only_tasks_without_one(app: App) -> None:
    # set here, not left to an earlier test: with pytest-xdist the module's tests may run on two workers
    ok(call(app, "admin", "PUT", f"/api/tasks/{app.tasks['1']}/leaders", {"leaders": ["王丹"]}))
    ok(call(app, "admin", "PUT", f"/api/tasks/{app.tasks['6']}/leaders", {"leaders": ["赵强"]}))
    done = ok(call(app, "admin", "PUT", f"/api/plans/{app.plan}/sections/1/leaders", {"leaders": ["李明"]}))
    with app.database.reader() as session:
        leaders = {t.no: t.leaders for t in session.scalars(select(Task).where(Task.plan_id == app.plan))}
    assert leaders["6"] == ["赵强"] and leaders["2"] == ["李明"] and leaders["1"] == ["王丹"]
    assert done["changed"] == sum(1 for no in "2345" if leaders[no] == ["李明"])


def _status(app: App, task: int, period: int | None = None) -> dict[str, Any]:
    query = f"/api/status?plan={app.plan}" + (f"&period={period}" if period else "")
    items = ok(call(app, "admin", "GET", query))["items"]
    return next(i for i in items if i["task"] == task)


def test_granted_extension_moves_the_due_date_and_the_colour_follows(app: App) -> None:
    """Task 5 was due 2021-06-30: on 2021-07-15 it is red although its reports keep pace (50 %). Extended
    to the year's end, 序时进度 at 6-30 is 43 %, so the same reports make it blue."""
    task = app.tasks["5"]
    for due in ("2021-03-31", "2021-06-30"):
        body = {"period": app.periods[due], "progress": 50, "submit": True}
        report = ok(call(app, "unit", "POST", f"/api/tasks/{task}/reports", body), 201)
        ok(call(app, "admin", "POST", f"/api/reports/{report['id']}/approve"))
    assert _status(app, task)["colour"] == "red"
    asked = ok(
        call(
            app,
            "unit",
            "POST",
            f"/api/tasks/{task}/extensions",
            {"reason": "上级政策调整", "due": "2021-12-31"},
        ),
        201,
    )
    assert asked["old_due"] == "2021-06-30" and asked["state"] == "requested"
    assert _status(app, task)["colour"] == "red"  # asking changes nothing
    ok(
        call(
            app,
            "admin",
            "POST",
            f"/api/extensions/{asked['id']}/decision",
            {"grant": True, "comment": "同意"},
        )
    )
    assert ok(call(app, "admin", "GET", f"/api/tasks/{task}"))["due"] == "2021-12-31"
    assert _status(app, task)["colour"] == "blue"
    with app.database.reader() as session:
        change = session.scalars(
            select(Change).where(
                Change.object_type == "task", Change.object_id == task, Change.action == "extend"
            )
        ).one()
    assert change.before == {"due": "2021-06-30"} and change.after == {"due": "2021-12-31"}


def _bulletin_text(app: App, period: int) -> str:
    response = call(app, "admin", "GET", f"/api/periods/{period}/bulletin.docx")
    assert response.status_code == 200, response.text
    document = Document(io.BytesIO(response.content))
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def test_granted_appeal_takes_the_case_out_of_ranking_and_bulletin(app: App) -> None:
    """县农业农村局 never reported task 4: in Q2's figures it is missing, red and ranked last, and the bulletin
    names it. Its 申诉 granted, Q2's ranking and the bulletin's lists leave it out, marked 已申诉免责."""
    task, q2 = app.tasks["4"], app.periods["2021-06-30"]
    with app.database.reader() as session:
        before = figures.of_period(session, q2, date(2021, 7, 15))
    farm = next(r for r in before.ranking if r.name == "县农业农村局")
    assert farm.missing == 1 and any(t.task.id == task for t in before.missing_tasks())
    assert "县农业农村局" in _bulletin_text(app, q2)
    wrong_unit = call(
        app, "unit", "POST", f"/api/tasks/{task}/appeals", {"period": q2, "what": "missing", "reason": "x"}
    )
    assert wrong_unit.status_code == 404
    asked = ok(
        call(
            app,
            "farm",
            "POST",
            f"/api/tasks/{task}/appeals",
            {"period": q2, "what": "missing", "reason": "不可抗力：洪灾"},
        ),
        201,
    )
    ok(
        call(
            app,
            "admin",
            "POST",
            f"/api/appeals/{asked['id']}/decision",
            {"grant": True, "comment": "情况属实"},
        )
    )
    with app.database.reader() as session:
        after = figures.of_period(session, q2, date(2021, 7, 15))
    assert "县农业农村局" not in {r.name for r in after.ranking}
    assert task not in {t.task.id for t in after.missing_tasks()}
    excused = next(t for t in after.tasks if t.task.id == task)
    assert excused.excused and excused.state_words == "已申诉免责" and "已申诉免责" in excused.reason
    shown = _status(app, task, q2)
    assert shown["excused"] is True and shown["colour_label"] == "已申诉免责"
    printed = _bulletin_text(app, q2)
    assert "县农业农村局" not in printed and "已申诉免责" in printed
    workbook = call(app, "admin", "GET", f"/api/plans/{app.plan}/ledger.xlsx?period={q2}")
    assert workbook.status_code == 200, workbook.text
    sheet = load_workbook(io.BytesIO(workbook.content)).worksheets[0]
    marked = [row for row in sheet.iter_rows(values_only=True) if "已申诉免责" in row]
    assert len(marked) == 1 and "建设智慧农业示范区。" in marked[0]
    # Only that period's case: Q1's figures still count it.
    with app.database.reader() as session:
        q1 = figures.of_period(session, app.periods["2021-03-31"], date(2021, 7, 15))
    assert "县农业农村局" in {r.name for r in q1.ranking}


def test_requests_refused_in_chinese(app: App) -> None:
    t5 = app.tasks["5"]
    early = call(app, "unit", "POST", f"/api/tasks/{t5}/extensions", {"reason": "r", "due": "2021-01-01"})
    assert early.status_code == 422 and "应晚于" in early.json()["detail"]
    unknown = call(
        app, "unit", "POST", f"/api/tasks/{t5}/adjustments", {"what": "lead", "unit": "火星局", "reason": "r"}
    )
    assert unknown.status_code == 422 and "火星局" in unknown.json()["detail"]
    blank = call(app, "unit", "POST", f"/api/tasks/{t5}/extensions", {"reason": "", "due": "2022-01-01"})
    assert blank.status_code == 422
    with app.database.writer() as session:
        plan = session.get(Plan, app.plan)
        assert plan is not None
        plan.state = "draft"
    try:
        draft = call(app, "unit", "POST", f"/api/tasks/{t5}/receipt")
        assert draft.status_code == 409 and "尚未发布" in draft.json()["detail"]
    finally:
        with app.database.writer() as session:
            plan = session.get(Plan, app.plan)
            assert plan is not None
            plan.state = "published"
