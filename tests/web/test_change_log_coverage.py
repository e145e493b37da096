"""Every mutating endpoint leaves its trace: each POST/PUT/PATCH/DELETE under ``/api`` (enumerated from the
app's routes, so a new endpoint without a case here fails the test) is called with valid input, and must
leave at least one change-log row (table ``changes``) and, where its move raises one (``MOVES`` in
``ledger/store/transitions.py``), an event row (table ``events``). On SQLite and PostgreSQL, one app and one
database per module: the cases run in order, later ones using what earlier ones made; what a case
needs that writes to the log itself (publishing, the reminder engine) is done before the counts (``PREPARE``)."""

from __future__ import annotations

import io
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from duban.ledger.services import auth, chasing, delivery
from duban.ledger.store.db import Database, connect
from duban.ledger.store.models import Change, Event, Task, Unit
from duban.settings import Settings
from duban.web.app import create_app
from tests.ledger.conftest import NOW
from tests.ledger.helpers import NOTICE, import_text
from tests.web.conftest import PASSWORD, World, bearer
from tests.web.test_outputs_import import _export, _fill

MUTATING = {"POST", "PUT", "PATCH", "DELETE"}
SITE_DAY = date(2021, 7, 15)  # the site's today: the second quarter's reports are owed

# Endpoints that change no ledger object, so they write no change-log row — each with the reason.
EXEMPT = {
    # A login session is not a ledger object: signing in and out is not a change of the ledger (failed
    # logins are counted by the throttle, not logged).
    ("POST", "/api/session"): "sessions are not ledger objects",
    ("DELETE", "/api/session"): "sessions are not ledger objects",
    # The import preview parses the notice and stores nothing; the save is POST /api/plans(/import).
    ("POST", "/api/imports/preview"): "stores nothing",
    # The 导入 page asks how the chosen 行政区's directory reads the notice's names: a read.
    ("POST", "/api/imports/names"): "stores nothing",
}


def mutating_endpoints(app: FastAPI) -> set[tuple[str, str]]:
    """Every (method, path) under /api that may change something, from the app's routes (included
    routers opened up, whichever way this FastAPI keeps them)."""

    def walk(routes: list[Any]) -> Iterator[Any]:
        for route in routes:
            inner = getattr(route, "original_router", None)
            if inner is not None:
                yield from walk(inner.routes)
            else:
                yield route

    return {
        (method, route.path)
        for route in walk(list(app.routes))
        if getattr(route, "path", "").startswith("/api")
        for method in (getattr(route, "methods", None) or set()) & MUTATING
    }


@dataclass
class Site:
    world: World
    database: Database
    made: dict[str, Any] = field(default_factory=dict)

    def call(self, method: str, path: str, role: str = "admin", **kwargs: Any) -> Any:
        answer = self.world.client.request(method, path, headers=bearer(self.world, role), **kwargs)
        assert answer.status_code < 300, f"{method} {path}: {answer.status_code} {answer.text}"
        return answer.json() if answer.content else None

    def counts(self) -> tuple[int, dict[str, int]]:
        with self.database.reader() as session:
            changes = session.scalar(select(func.count()).select_from(Change)) or 0
            events = dict(session.execute(select(Event.kind, func.count()).group_by(Event.kind)).all())
        return changes, events


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def site(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    from tests.databases import fresh_postgres, sqlite_url

    if request.param == "sqlite":
        yield from _site(sqlite_url(tmp_path_factory.mktemp("log")))
    else:
        with fresh_postgres() as url:
            yield from _site(url)


def _site(url: str) -> Iterator[Site]:
    database = connect(url)
    with database.writer() as session:
        plan_id = import_text(session, NOTICE, NOW).plan.id
        accounts = [("admin", "admin", None), ("leader", "leader", None), ("unit", "unit", "县发展和改革局")]
        accounts += [("spare", "leader", None), ("spent", "leader", None)]
        accounts += [("helper", "unit", "县财政局")]  # a supporting unit of task 1: it contributes
        accounts += [("root", "admin", None)]  # installation-wide: it may add a 行政区
        for name, role, unit in accounts:
            made = auth.add_user(session, name, role, PASSWORD, unit, NOW)
            if name == "root":
                made.jurisdiction_id = None
        tokens = {name: auth.create_token(session, name, NOW) for name, _, _ in accounts}
    settings = Settings(database_url=url, today=SITE_DAY)
    with TestClient(create_app(settings, database)) as client:
        admin = {"Authorization": f"Bearer {tokens['admin']}"}
        tasks = client.get(f"/api/tasks?plan={plan_id}", headers=admin).json()["items"]
        periods = client.get(f"/api/periods?plan={plan_id}", headers=admin).json()["items"]
        own = next(t["id"] for t in tasks if t["no"] == "1")
        other = next(t["id"] for t in tasks if t["no"] == "2")
        q2 = next(p["id"] for p in periods if p["due"] == "2021-06-30")
        yield Site(World(client, tokens, plan_id, own, other, q2), database)
    database.dispose()


def _notice(number: int) -> bytes:
    return NOTICE.replace("示政发〔2021〕2号", f"示政发〔2021〕{number}号").encode("utf-8")


def _upload(number: int) -> dict[str, Any]:
    return {"file": ("notice.txt", _notice(number), "text/plain")}


def _user_id(site: Site, name: str) -> int:
    users = site.call("GET", "/api/users?size=1000")["items"]
    return int(next(u["id"] for u in users if u["username"] == name))


def _report(site: Site, submit: bool = True) -> int:
    body = {"period": site.world.period_id, "progress": 40, "text": "厂房主体施工", "submit": submit}
    return int(site.call("POST", f"/api/tasks/{site.world.own_task}/reports", "unit", json=body)["id"])


def _workbook(site: Site) -> dict[str, Any]:
    book = _export(site.world)
    _fill(book, f"T{site.world.other_task}", 30)
    buffer = io.BytesIO()
    book.save(buffer)
    return {"file": ("台账.xlsx", buffer.getvalue(), "application/octet-stream")}


def _group(site: Site) -> tuple[int, int]:
    """A 各… group of the directory and a unit of its jurisdiction to make its member."""
    with site.database.reader() as session:
        group = session.scalars(select(Unit).where(Unit.group_kind.is_not(None)).order_by(Unit.id)).first()
        assert group is not None
        member = session.scalar(
            select(Unit.id).where(Unit.group_kind.is_(None), Unit.jurisdiction_id == group.jurisdiction_id)
        )
        assert member is not None
        return group.id, member


def _rules(site: Site) -> dict[str, float]:
    current = site.call("GET", f"/api/plans/{site.world.plan_id}/rules")
    key, value = next(
        (k, v) for k, v in current.items() if isinstance(v, int | float) and not isinstance(v, bool)
    )
    return {key: value + 1}


def _task(site: Site, no: str) -> Task:
    """A task of the world's plan by its number (for its section and its reporting unit)."""
    with site.database.reader() as session:
        task = session.scalar(select(Task).where(Task.plan_id == site.world.plan_id, Task.no == no))
        assert task is not None
        session.expunge(task)
        return task


NODES = [
    {"due": "2021-06-30", "title": "完成厂房设计", "level": 30},
    {"due": "2021-12-31", "title": "厂房竣工验收", "level": 100},
]


def _workplan(site: Site) -> dict[str, Any]:
    body = {"nodes": NODES, "note": "按季度推进", "submit": True}
    return dict(site.call("POST", f"/api/tasks/{site.world.own_task}/workplans", "unit", json=body))


def _failed_deliveries(site: Site) -> None:
    """The reminder engine on the site's day, when task 3 is owed (its unit's contact is a robot nobody
    listens to), then one delivery round that gives up at the first failure: notices, failed deliveries."""
    day = SITE_DAY
    with site.database.writer() as session:
        assert chasing.run(session, day, datetime.combine(day, time(8))).issued
    settings = Settings(database_url="sqlite://", today=day, delivery_attempts=1)
    assert delivery.deliver_pending(site.database, settings, datetime.combine(day, time(9))).failed


# One case per mutating endpoint, in the order they run: what the call is, and the event its move raises.
Case = Callable[[Site], Any]
CASES: list[tuple[str, str, Case, str | None]] = [
    ("POST", "/api/units", lambda s: s.made.update(unit=s.call("POST", "/api/units", json={"name": "县大数据中心"})), None),
    ("POST", "/api/units/{unit_id}/aliases",
     lambda s: s.call("POST", f"/api/units/{s.made['unit']['id']}/aliases", json={"name": "县数据中心"}), None),
    ("POST", "/api/units/merge",
     lambda s: s.call("POST", "/api/units/merge", json={
         "keep": s.made["unit"]["id"],
         "merge": [s.call("POST", "/api/units", json={"name": "县大数据管理中心"})["id"]]}), None),
    ("PUT", "/api/units/{unit_id}/members",
     lambda s: s.call("PUT", f"/api/units/{_group(s)[0]}/members", json={"members": [_group(s)[1]]}), None),
    ("POST", "/api/users",
     lambda s: s.made.update(user=s.call("POST", "/api/users", json={"username": "新账号", "role": "leader"})), None),
    ("POST", "/api/users/unit-accounts", lambda s: s.call("POST", "/api/users/unit-accounts", json={}), None),
    ("PUT", "/api/users/{user_id}/password",
     lambda s: s.call("PUT", f"/api/users/{s.made['user']['id']}/password", json={}), None),
    ("POST", "/api/users/{user_id}/disable",
     lambda s: s.call("POST", f"/api/users/{s.made['user']['id']}/disable"), None),
    ("POST", "/api/users/{user_id}/enable", lambda s: s.call("POST", f"/api/users/{s.made['user']['id']}/enable"), None),
    ("POST", "/api/users/{user_id}/unlock", lambda s: s.call("POST", f"/api/users/{s.made['user']['id']}/unlock"), None),
    ("DELETE", "/api/tokens/{token_id}",
     lambda s: s.call("DELETE", f"/api/tokens/{next(t['id'] for t in s.call('GET', '/api/tokens')['items'] if t['username'] == 'spent')}"),
     None),
    ("PUT", "/api/session/password",
     lambda s: s.call("PUT", "/api/session/password", "spare",
                      json={"old_password": PASSWORD, "new_password": "another-horse-2"}), None),
    ("POST", "/api/plans", lambda s: s.made.update(draft=s.call("POST", "/api/plans", files=_upload(11))), None),
    ("POST", "/api/plans/{plan_id}/publish",
     lambda s: s.call("POST", f"/api/plans/{s.made['draft']['id']}/publish"), "plan.published"),
    ("POST", "/api/plans/import",
     lambda s: s.call("POST", "/api/plans/import", files=_upload(12), data={"changes": json.dumps({"publish": True})}),
     "plan.published"),
    ("PUT", "/api/plans/{plan_id}/rules", lambda s: s.call("PUT", f"/api/plans/{s.world.plan_id}/rules", json=_rules(s)), None),
    ("PATCH", "/api/tasks/{task_id}",
     lambda s: s.call("PATCH", f"/api/tasks/{s.world.other_task}", json={"leaders": ["张县长"]}), None),
    ("POST", "/api/tasks/{task_id}/reports", lambda s: s.made.update(report=_report(s)), "report.submitted"),
    ("POST", "/api/reports/{report_id}/attachments",
     lambda s: s.call("POST", f"/api/reports/{s.made['report']}/attachments", "unit",
                      files={"file": ("说明.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf")}), None),
    ("POST", "/api/reports/{report_id}/return",
     lambda s: s.call("POST", f"/api/reports/{s.made['report']}/return", json={"comment": "请补充数据"}), "report.returned"),
    ("POST", "/api/reports/{report_id}/approve",
     lambda s: s.call("POST", f"/api/reports/{_report(s)}/approve", json={"comment": "同意"}), "report.approved"),
    ("POST", "/api/periods/{period_id}/import-reports",
     lambda s: s.call("POST", f"/api/periods/{s.world.period_id}/import-reports", files=_workbook(s)), "report.submitted"),
    ("POST", "/api/periods/{period_id}/bulletins",
     lambda s: s.call("POST", f"/api/periods/{s.world.period_id}/bulletins", json={}), "bulletin.issued"),
    ("POST", "/api/periods",
     lambda s: s.made.update(period=s.call("POST", "/api/periods", json={
         "plan": s.world.plan_id, "name": "补充报送期", "due": "2021-11-30"})), None),
    ("PATCH", "/api/periods/{period_id}",
     lambda s: s.call("PATCH", f"/api/periods/{s.made['period']['id']}", json={"name": "十一月报送期"}), None),
    ("DELETE", "/api/periods/{period_id}", lambda s: s.call("DELETE", f"/api/periods/{s.made['period']['id']}"), None),
    ("PUT", "/api/users/{user_id}/leader-name",
     lambda s: s.call("PUT", f"/api/users/{_user_id(s, 'leader')}/leader-name", json={"leader_name": "王县长"}), None),
    ("PUT", "/api/plans/{plan_id}/sections/{section_key}/leaders",  # tasks 1 and 3 name no leader yet
     lambda s: s.call("PUT", f"/api/plans/{s.world.plan_id}/sections/{_task(s, '1').section_key}/leaders",
                      json={"leaders": ["赵副县长"]}), None),
    ("PUT", "/api/tasks/{task_id}/leaders",
     lambda s: s.call("PUT", f"/api/tasks/{s.world.own_task}/leaders", json={"leaders": ["王县长"]}), None),
    ("PUT", "/api/plans/{plan_id}/chasing-rules",
     lambda s: s.call("PUT", f"/api/plans/{s.world.plan_id}/chasing-rules", json={"remind_days": 4}), None),
    ("PUT", "/api/chasing/calendar",
     lambda s: s.call("PUT", "/api/chasing/calendar", json={"day": "2021-10-09", "workday": True, "note": "国庆调休"}),
     None),
    ("DELETE", "/api/chasing/calendar/{day}",  # the day the case above added
     lambda s: s.call("DELETE", "/api/chasing/calendar/2021-10-09"), None),
    ("POST", "/api/tasks/{task_id}/receipt",  # prepared: the world's plan published
     lambda s: s.call("POST", f"/api/tasks/{s.world.own_task}/receipt", "unit"), "task.confirmed"),
    ("POST", "/api/tasks/{task_id}/adjustments",
     lambda s: s.made.update(adjustment=s.call("POST", f"/api/tasks/{s.world.own_task}/adjustments", "unit", json={
         "what": "text", "reason": "表述与立项批复不一致", "text": "建设新材料产业园，新建标准化厂房12万平方米。"})),
     "adjustment.requested"),
    ("POST", "/api/adjustments/{request_id}/decision",
     lambda s: s.call("POST", f"/api/adjustments/{s.made['adjustment']['id']}/decision",
                      json={"grant": True, "comment": "同意"}), "adjustment.granted"),
    ("POST", "/api/tasks/{task_id}/extensions",
     lambda s: s.made.update(extension=s.call("POST", f"/api/tasks/{s.world.own_task}/extensions", "unit",
                                              json={"reason": "用地报批未完成", "due": "2022-03-31"})),
     "extension.requested"),
    ("POST", "/api/extensions/{request_id}/decision",
     lambda s: s.call("POST", f"/api/extensions/{s.made['extension']['id']}/decision",
                      json={"grant": True, "comment": "同意延期"}), "extension.granted"),
    ("POST", "/api/tasks/{task_id}/appeals",
     lambda s: s.made.update(appeal=s.call("POST", f"/api/tasks/{s.world.own_task}/appeals", "unit", json={
         "period": s.world.period_id, "what": "late", "reason": "系统故障未能按时报送"})), "appeal.requested"),
    ("POST", "/api/appeals/{request_id}/decision",
     lambda s: s.call("POST", f"/api/appeals/{s.made['appeal']['id']}/decision",
                      json={"grant": False, "comment": "当日系统运行正常"}), "appeal.refused"),
    ("POST", "/api/tasks/{task_id}/instructions",
     lambda s: s.made.update(instruction=s.call("POST", f"/api/tasks/{s.world.own_task}/instructions", "leader",
                                                json={"text": "请加快进度，确保年底竣工。"})), "instruction.written"),
    ("POST", "/api/instructions/{instruction_id}/answers",
     lambda s: s.call("POST", f"/api/instructions/{s.made['instruction']['id']}/answers", "unit",
                      json={"text": "已制定倒排工期计划。"}), "instruction.answered"),
    ("POST", "/api/tasks/{task_id}/workplans", lambda s: s.made.update(workplan=_workplan(s)), "workplan.submitted"),
    ("POST", "/api/workplans/{plan_id}/return",
     lambda s: s.call("POST", f"/api/workplans/{s.made['workplan']['id']}/return", json={"comment": "请细化节点"}),
     "workplan.returned"),
    ("POST", "/api/workplans/{plan_id}/approve",  # prepared: the unit sent the returned plan again
     lambda s: s.made.update(workplan=s.call("POST", f"/api/workplans/{s.made['workplan']['id']}/approve",
                                             json={"comment": "同意"})), "workplan.approved"),
    ("POST", "/api/workplan-nodes/{node_id}/done",
     lambda s: s.call("POST", f"/api/workplan-nodes/{s.made['workplan']['nodes'][0]['id']}/done", "unit",
                      json={"done_on": "2021-07-10"}), "workplan.node_done"),
    ("POST", "/api/rectifications",
     lambda s: s.made.update(rectification=s.call("POST", "/api/rectifications", json={
         "task": s.world.own_task, "problem": "厂房建设进度滞后", "deadline": "2021-09-30"})), "rectification.opened"),
    ("POST", "/api/rectifications/{item_id}/answer",
     lambda s: s.call("POST", f"/api/rectifications/{s.made['rectification']['id']}/answer", "unit",
                      json={"text": "已增加施工班组"}), "rectification.answered"),
    ("POST", "/api/rectifications/{item_id}/reopen",
     lambda s: s.call("POST", f"/api/rectifications/{s.made['rectification']['id']}/reopen",
                      json={"comment": "请附进度数据"}), "rectification.reopened"),
    ("POST", "/api/rectifications/{item_id}/close",
     lambda s: s.call("POST", f"/api/rectifications/{s.made['rectification']['id']}/close", json={"comment": "销号"}),
     "rectification.closed"),
    ("POST", "/api/tasks/{task_id}/contributions",
     lambda s: s.call("POST", f"/api/tasks/{s.world.own_task}/contributions", "helper",
                      json={"period": s.world.period_id, "text": "已拨付园区建设资金2000万元"}), "contribution.submitted"),
    ("PUT", "/api/units/{unit_id}/contact",  # task 3's unit: a robot nobody listens to, so its deliveries fail
     lambda s: s.call("PUT", f"/api/units/{_task(s, '3').reporting_unit_id}/contact", json={
         "person": "李四", "robot_kind": "wecom", "robot_url": "http://127.0.0.1:9/nobody"}), None),
    ("POST", "/api/notices/read",  # prepared: the engine issued notices, their deliveries failed
     lambda s: s.call("POST", "/api/notices/read", json={
         "ids": [n["id"] for n in s.call("GET", "/api/chasing")["items"]][:2]}), None),
    ("POST", "/api/chasing/deliveries/{delivery_id}/resend",
     lambda s: s.call("POST", "/api/chasing/deliveries/"
                      f"{next(d['id'] for n in s.call('GET', '/api/chasing?delivery=failed')['items'] for d in n['deliveries'] if d['state'] == 'failed')}/resend"),
     None),
    ("POST", "/api/jurisdictions", lambda s: s.call("POST", "/api/jurisdictions", "root", json={"path": "示例市/新设县"}), None),
    # A draft plan's tasks (prepared: a second notice imported as a draft).
    ("POST", "/api/drafts/{plan_id}/tasks",
     lambda s: s.made.update(added=s.call("POST", f"/api/drafts/{s.made['second']['id']}/tasks", json={
         "text": "推进数字政府建设", "units": [{"name": "县发展和改革局", "role": "lead"}]})), None),
    ("PUT", "/api/drafts/tasks/{task_id}/leaders",
     lambda s: s.call("PUT", f"/api/drafts/tasks/{s.made['added']['id']}/leaders", json={"leaders": ["张县长"]}), None),
    ("POST", "/api/drafts/tasks/{task_id}/move",
     lambda s: s.call("POST", f"/api/drafts/tasks/{s.made['added']['id']}/move",
                      json={"section_key": s.made["added"]["section_key"], "after_task_id": None}), None),
    ("POST", "/api/drafts/tasks/{task_id}/split",
     lambda s: s.made.update(parts=s.call("POST", f"/api/drafts/tasks/{s.made['added']['id']}/split",
                                          json={"parts": ["建设政务云平台", "推进一网通办"]})), None),
    ("DELETE", "/api/drafts/tasks/{task_id}",
     lambda s: s.call("DELETE", f"/api/drafts/tasks/{s.made['parts']['items'][-1]['id']}"), None),
    # Last: a browser session of an account (prepared: it signs in), ended by the office.
    ("DELETE", "/api/sessions/{session_id}",
     lambda s: s.call("DELETE", f"/api/sessions/{_session_of(s, 'unit')}"),
     None),
]  # fmt: skip


def _session_of(site: Site, name: str) -> int:
    sessions = site.call("GET", f"/api/users/{_user_id(site, name)}/sessions")["items"]
    return int(sessions[0]["id"])


def _second_draft(site: Site) -> None:
    site.made["second"] = site.call("POST", "/api/plans", files=_upload(13))


def _browser_session(site: Site) -> None:
    """The unit signs in as a browser does; the test client keeps no cookie of it, so later calls stay
    token calls."""
    answer = site.world.client.post("/api/session", json={"username": "unit", "password": PASSWORD})
    assert answer.status_code == 200, answer.text
    site.world.client.cookies.clear()


# What a case needs that itself writes to the change log, done before the counts (so that work can never
# stand in for the case's own row).
PREPARE: dict[tuple[str, str], Case] = {
    # 签收 and the requests are of a published plan only.
    ("POST", "/api/tasks/{task_id}/receipt"): lambda s: s.call("POST", f"/api/plans/{s.world.plan_id}/publish"),
    # Only a submitted plan is approved: the returned one is sent again.
    ("POST", "/api/workplans/{plan_id}/approve"): _workplan,
    ("POST", "/api/notices/read"): _failed_deliveries,
    ("POST", "/api/drafts/{plan_id}/tasks"): _second_draft,
    ("DELETE", "/api/sessions/{session_id}"): _browser_session,
}  # fmt: skip


def test_every_mutating_endpoint_has_a_case(site: Site) -> None:
    found = mutating_endpoints(site.world.client.app)  # type: ignore[arg-type]
    covered = {(method, path) for method, path, _, _ in CASES}
    assert found - set(EXEMPT) - covered == set(), "a mutating endpoint without a change-log case"
    assert covered - found == set(), "a case for an endpoint that no longer exists"
    assert set(EXEMPT) <= found


def test_every_mutating_endpoint_logs_and_raises_its_event(site: Site) -> None:
    silent = []
    for method, path, case, event in CASES:
        if (method, path) in PREPARE:
            PREPARE[(method, path)](site)
        changes, events = site.counts()
        case(site)
        after_changes, after_events = site.counts()
        if after_changes <= changes:
            silent.append(f"{method} {path}: no change-log row")
        if event is not None and after_events.get(event, 0) <= events.get(event, 0):
            silent.append(f"{method} {path}: no {event} event")
    assert silent == []


def test_the_events_name_moves_of_the_table() -> None:
    from duban.ledger.store.transitions import MOVES

    raised = {m.event for m in MOVES if m.event}
    assert {event for _, _, _, event in CASES if event} <= raised
