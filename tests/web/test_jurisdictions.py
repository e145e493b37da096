"""Many counties in one duban: the three sample notices in one database give two county directories under
济宁市; each county's accounts see only their county, the city's account reads both and writes neither, and
a walk over every API operation as the other county's office finds nothing of this county."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from duban.ledger.services import auth, importing, jurisdictions, units
from duban.ledger.store.db import connect
from duban.ledger.store.models import Jurisdiction, Period, Plan, Report, Task, Unit, User
from duban.plan import parse
from duban.settings import Settings
from duban.web.app import create_app
from tests.conftest import CORPUS

NOW = datetime(2021, 7, 20, 9, 0)
PASSWORD = "county-test-pw"
ACCOUNTS = (
    ("jinxiang-admin", "admin", None, "济宁市/金乡县"),
    ("yanzhou-admin", "admin", None, "济宁市/兖州区"),
    ("city", "admin", None, "济宁市"),
    ("jinxiang-unit", "unit", "县财政局", "金乡县"),
    ("yanzhou-unit", "unit", "区财政局", "兖州区"),
    ("root", "admin", None, None),  # installation-wide
)
NO_ISSUER = """关于印发2021年重点工作责任分工的通知

各镇街，县政府各部门：
现将《2021年重点工作责任分工》印发给你们，请认真贯彻落实。

县政府办公室
2021年3月1日

一、经济发展
1.完成地区生产总值增长6%。（牵头单位：县发展改革局；责任单位：县统计局）
2.新开工重点项目30个。（牵头单位：县发展改革局）
"""


@dataclass
class Counties:
    client: TestClient
    tokens: dict[str, str]
    plans: dict[str, list[int]]  # county → its plans
    ids: dict[str, dict[str, int]]  # county → one object of each kind, for the walk

    def get(self, who: str, url: str, **kwargs: Any) -> Any:
        return self.client.get(url, headers={"Authorization": f"Bearer {self.tokens[who]}"}, **kwargs)

    def call(self, who: str, method: str, url: str, **kwargs: Any) -> Any:
        headers = {"Authorization": f"Bearer {self.tokens[who]}"}
        return self.client.request(method, url, headers=headers, **kwargs)


def _notice(prefix: str) -> Any:
    path = next(CORPUS.glob(f"{prefix}_*.txt"))
    return path, path.read_bytes()


@pytest.fixture
def counties(database_url: str) -> Iterator[Counties]:
    database = connect(database_url)
    with database.writer() as session:
        for prefix in ("000", "001", "004"):
            path, data = _notice(prefix)
            importing.import_plan(
                session, parse(data, filename=path.name), importing.content_hash(data), None, NOW, path.name
            )
        jurisdictions.ensure_path(session, "济宁市/金乡县", None, NOW)
        for name, role, unit, where in ACCOUNTS:
            auth.add_user(session, name, role, PASSWORD, unit, NOW, jurisdiction=where)
        tokens = {name: auth.create_token(session, name, NOW) for name, *_ in ACCOUNTS}
        plans = {
            county: list(
                session.scalars(
                    select(Plan.id)
                    .join(Jurisdiction, Jurisdiction.id == Plan.jurisdiction_id)
                    .where(Jurisdiction.name == county)
                    .order_by(Plan.id)
                )
            )
            for county in ("金乡县", "兖州区")
        }
        ids = {county: _objects(session, county, plans[county][-1]) for county in plans}
    app = create_app(Settings(database_url=database_url, today=date(2021, 7, 20)), database)
    with TestClient(app) as client:
        yield Counties(client, tokens, plans, ids)
    database.dispose()


def _objects(session: Any, county: str, plan_id: int) -> dict[str, int]:
    """One task, period, report, unit and account of the county, stored for the walk."""
    task = session.scalar(
        select(Task).where(Task.plan_id == plan_id, Task.reporting_unit_id.is_not(None)).limit(1)
    )
    period = session.scalar(select(Period).where(Period.plan_id == plan_id).order_by(Period.due).limit(1))
    unit_account = session.scalar(
        select(User).where(User.username == ("jinxiang-unit" if county == "金乡县" else "yanzhou-unit"))
    )
    report = Report(
        task_id=task.id, unit_id=task.reporting_unit_id, period_id=period.id, revision=1, version=1,
        state="submitted", progress=40, text="按计划推进", problems="", next_steps="", completed=False,
        values=[], created_by=unit_account.id, created_at=NOW, updated_at=NOW, submitted_at=NOW,
        first_submitted_at=NOW,
    )  # fmt: skip
    session.add(report)
    session.flush()
    home = session.scalar(select(Jurisdiction.id).where(Jurisdiction.name == county))
    return {
        "plan_id": plan_id,
        "task_id": task.id,
        "period_id": period.id,
        "report_id": report.id,
        "unit_id": task.reporting_unit_id,
        "user_id": unit_account.id,
        "jurisdiction_id": home,
        "token_id": 4
        if county == "金乡县"
        else 5,  # the county's unit account's token (made in ACCOUNTS order)
        "attachment_id": 1,
    }


def test_two_county_directories(counties: Counties, database_url: str) -> None:
    database = connect(database_url)
    with database.reader() as session:
        jinxiang = jurisdictions.find(session, "金乡县")
        yanzhou = jurisdictions.find(session, "济宁市/兖州区")
        assert jurisdictions.path(session, jinxiang) == "济宁市/金乡县"
        finance = {units.find(session, "县财政局", jinxiang), units.find(session, "区财政局", yanzhou)}
        assert None not in finance and len({u.id for u in finance if u}) == 2
        assert units.find(session, "区财政局", jinxiang) is None or units.find(
            session, "区财政局", jinxiang
        ) != units.find(session, "区财政局", yanzhou)
        towns = [units.find(session, "各镇街", j) for j in (jinxiang, yanzhou)]
        assert towns[0] is not None and towns[1] is not None and towns[0].id != towns[1].id
        assert {towns[0].jurisdiction_id, towns[1].jurisdiction_id} == {jinxiang.id, yanzhou.id}
        yanzhou_town = session.scalar(
            select(Unit).where(
                Unit.jurisdiction_id == yanzhou.id, Unit.name.like("%镇"), Unit.group_kind.is_(None)
            )
        )
        jinxiang_town = session.scalar(
            select(Unit).where(
                Unit.jurisdiction_id == jinxiang.id, Unit.name.like("%镇"), Unit.group_kind.is_(None)
            )
        )
        assert yanzhou_town is not None and jinxiang_town is not None
        group_ids = (towns[1].id, towns[0].id)
    database.dispose()
    own = counties.call(
        "yanzhou-admin", "PUT", f"/api/units/{group_ids[0]}/members", json={"members": [yanzhou_town.id]}
    )
    assert own.status_code == 200 and own.json()["members"] == [yanzhou_town.id]
    foreign = counties.call(
        "yanzhou-admin", "PUT", f"/api/units/{group_ids[0]}/members", json={"members": [jinxiang_town.id]}
    )
    assert foreign.status_code == 422 and "另一个行政区" in foreign.json()["detail"]
    other_group = counties.call(
        "yanzhou-admin", "PUT", f"/api/units/{group_ids[1]}/members", json={"members": [yanzhou_town.id]}
    )
    assert other_group.status_code == 404


def test_unit_account_sees_only_its_county(counties: Counties) -> None:
    mine = counties.get("yanzhou-unit", "/api/tasks", params={"size": 1000}).json()["items"]
    assert mine and {t["plan"] for t in mine} <= set(counties.plans["兖州区"])
    jinxiang_task = counties.ids["金乡县"]["task_id"]
    assert counties.get("yanzhou-unit", f"/api/tasks/{jinxiang_task}").status_code == 404
    assert counties.get("yanzhou-unit", f"/api/plans/{counties.plans['金乡县'][0]}").status_code == 404


def test_county_admin_sees_none_of_the_other_county(counties: Counties) -> None:
    plans = counties.get("jinxiang-admin", "/api/plans").json()["items"]
    assert sorted(p["id"] for p in plans) == counties.plans["金乡县"]
    other = counties.ids["兖州区"]
    assert counties.get("jinxiang-admin", f"/api/plans/{other['plan_id']}").status_code == 404
    assert counties.get("jinxiang-admin", f"/api/tasks/{other['task_id']}").status_code == 404
    assert (
        counties.get("jinxiang-admin", "/api/overview", params={"plan": other["plan_id"]}).status_code == 404
    )
    assert (
        counties.get("jinxiang-admin", "/api/tasks", params={"plan": other["plan_id"]}).json()["items"] == []
    )
    unit_ids = {
        u["id"] for u in counties.get("jinxiang-admin", "/api/units", params={"size": 1000}).json()["items"]
    }
    assert other["unit_id"] not in unit_ids and counties.ids["金乡县"]["unit_id"] in unit_ids
    names = {u["username"] for u in counties.get("jinxiang-admin", "/api/users").json()["items"]}
    assert names == {"jinxiang-admin", "jinxiang-unit"}
    queue = counties.get("jinxiang-admin", "/api/review").json()["items"]
    assert queue and all(item["report"]["id"] != other["report_id"] for item in queue)
    changes = counties.get("jinxiang-admin", "/api/changes", params={"size": 1000}).json()["items"]
    assert not any(c["object"] == "plan" and c["object_id"] == other["plan_id"] for c in changes)


def test_city_reads_both_counties_and_writes_neither(counties: Counties) -> None:
    plans = {p["id"] for p in counties.get("city", "/api/plans").json()["items"]}
    assert plans == set(counties.plans["金乡县"] + counties.plans["兖州区"])
    for county, ids in counties.ids.items():
        assert counties.get("city", f"/api/tasks/{ids['task_id']}").status_code == 200, county
        refused = [
            counties.call("city", "POST", f"/api/plans/{ids['plan_id']}/publish"),
            counties.call("city", "PATCH", f"/api/tasks/{ids['task_id']}", json={"text": "改写"}),
            counties.call("city", "PUT", f"/api/plans/{ids['plan_id']}/rules", json={"yellow_gap": 10}),
            counties.call(
                "city",
                "POST",
                "/api/periods",
                json={"plan": ids["plan_id"], "name": "补充期", "due": "2021-11-30"},
            ),
            counties.call("city", "POST", f"/api/reports/{ids['report_id']}/approve", json={}),
            counties.call("city", "PUT", f"/api/units/{ids['unit_id']}/members", json={"members": []}),
            counties.call("city", "POST", f"/api/users/{ids['user_id']}/disable"),
        ]
        assert [r.status_code for r in refused] == [403] * len(refused), [r.text for r in refused]
    compared = counties.get(
        "city",
        f"/api/jurisdictions/{counties.ids['金乡县']['jurisdiction_id'] and _city_id(counties)}/comparison",
        params={"year": 2021},
    ).json()
    assert {r["name"] for r in compared["items"]} == {"金乡县", "兖州区"}
    assert all(r["tasks"] > 0 and r["rank"] in (1, 2) for r in compared["items"])
    assert (
        counties.get("jinxiang-admin", f"/api/jurisdictions/{_city_id(counties)}/comparison").status_code
        == 404
    )


def test_import_places_a_notice_without_issuer_where_the_office_says(counties: Counties) -> None:
    upload = {"file": ("通知.txt", NO_ISSUER.encode(), "text/plain")}
    preview = counties.call("root", "POST", "/api/imports/preview", files=upload).json()
    assert preview["jurisdiction"] is None  # several to choose from
    asked = counties.call("root", "POST", "/api/plans", files=upload)
    assert asked.status_code == 422 and "请选择所属行政区" in asked.json()["detail"]
    assert {j["name"] for j in asked.json()["jurisdictions"]} >= {"济宁市/金乡县", "济宁市/兖州区"}
    yanzhou = counties.ids["兖州区"]["jurisdiction_id"]
    stored = counties.call("root", "POST", "/api/plans", files=upload, params={"jurisdiction_id": yanzhou})
    assert stored.status_code == 201, stored.text
    plan = counties.get("yanzhou-admin", f"/api/plans/{stored.json()['id']}").json()
    assert plan["jurisdiction_id"] == yanzhou
    assert counties.get("jinxiang-admin", f"/api/plans/{stored.json()['id']}").status_code == 404
    path = next(CORPUS.glob("004_*.txt"))  # 兖州's notice, already imported by 兖州
    again = counties.call(
        "jinxiang-admin", "POST", "/api/plans", files={"file": (path.name, path.read_bytes())}
    )
    assert again.status_code == 409 and "其他行政区" in again.json()["detail"]


def _city_id(counties: Counties) -> int:
    items = counties.get("city", "/api/jurisdictions").json()["items"]
    return next(j["id"] for j in items if j["name"] == "济宁市")


def _operations(client: TestClient) -> list[tuple[str, str]]:
    spec = client.get("/api/openapi.json").json()
    return [(method.upper(), path) for path, item in spec["paths"].items() for method in item]


def test_rbac_walk_finds_nothing_of_the_other_county(counties: Counties) -> None:
    """Every operation with an object of 兖州区 in its path or query, called by 金乡县's office: never a
    success, never a server error; and the city's account never changes anything of either county."""
    other = counties.ids["兖州区"]
    walked = 0
    for method, path in _operations(counties.client):
        names = re.findall(r"{(\w+)}", path)
        if not names:
            continue
        url = path.format(**{n: other.get(n, 1) for n in names})
        params = {"plan": other["plan_id"], "period": other["period_id"]}
        body = {
            "members": [],
            "name": "x",
            "text": "x",
            "period": other["period_id"],
            "new_password": "abcdefghij",
        }
        got = counties.call("jinxiang-admin", method, url, params=params, json=body)
        assert got.status_code in (403, 404, 405, 409, 422), (method, path, got.status_code, got.text[:200])
        assert not got.text.startswith("{") or "detail" in got.json()
        if method != "GET":
            as_city = counties.call("city", method, url, params=params, json=body)
            assert as_city.status_code not in (200, 201, 204, 500), (method, path, as_city.status_code)
        walked += 1
    assert walked >= 20


def test_rbac_walk_of_lists_shows_nothing_of_the_other_county(counties: Counties) -> None:
    """Every list or page without an id in its path, asked by 金乡县's office (with 兖州区's plan and period
    as query where it takes them): refused, or an answer naming nothing of 兖州区."""
    other = counties.ids["兖州区"]
    marks = ("区财政局", "关于分解落实2021年政府工作报告任务目标的通知")
    params = {"plan": other["plan_id"], "period": other["period_id"], "size": 1000}
    walked = 0
    for method, path in _operations(counties.client):
        if "{" in path or method != "GET" or path in ("/api/openapi.json",):
            continue
        got = counties.get("jinxiang-admin", path, params=params)
        assert got.status_code in (200, 403, 404, 422), (path, got.status_code)
        assert not any(mark in got.text for mark in marks), path
        walked += 1
    added = counties.call(
        "jinxiang-admin",
        "POST",
        "/api/periods",
        json={"plan": other["plan_id"], "name": "补充期", "due": "2021-11-30"},
    )
    assert added.status_code == 404
    assert walked >= 10
