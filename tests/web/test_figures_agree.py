"""One period's figures taken on one day are the same everywhere: ``/api/overview``, ``/api/status``,
``/api/rankings``, the ledger workbook (main sheet and 汇总) and the bulletin, on SQLite and PostgreSQL; an
issued bulletin keeps its figures, and the next period's arrows follow its printed ranks.

The plan has reports over three periods: on time, late, missing, returned, and a correction. They are
written as rows with their real dates (the API would stamp them all with one "today")."""

from __future__ import annotations

import io
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

import docx
import openpyxl
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from duban.ledger.services import auth
from duban.ledger.store.db import Database, connect
from duban.ledger.store.models import Period, Report, Task
from duban.settings import Settings
from duban.web.app import create_app
from tests.ledger.helpers import import_text

Y = 2021
NOTICE = """关于印发2021年示例县重点工作任务分工的通知
示政发〔2021〕5号
一、产业发展
1. 建设新材料产业园。（牵头单位：县发展和改革局；责任单位：县财政局）
2. 推进高端装备产业园提升。（牵头单位：县工业和信息化局）
3. 培育规模以上企业20家。（牵头单位：县工业和信息化局；责任单位：县市场监督管理局）
二、民生保障
4. 新建幼儿园3所。（牵头单位：县教育和体育局）
5. 改造老旧小区20个。（牵头单位：县住房和城乡建设局；责任单位：县财政局）
6. 新增城镇就业3000人。（牵头单位：县人力资源和社会保障局）
7. 建设养老服务中心2处。（牵头单位：县民政局）
8. 完成农村公路提升100公里。（牵头单位：县交通运输局）
示例县人民政府
2021年2月10日
"""
DUES = [date(Y, 3, 31), date(Y, 6, 30), date(Y, 9, 30), date(Y, 12, 31)]
# (task no, quarter, progress, submitted, approved or None, state, revision, completed)
FILINGS = [
    ("1", 1, 20, date(Y, 3, 30), date(Y, 3, 31), "approved", 1, False),
    ("1", 2, 45, date(Y, 6, 29), date(Y, 6, 30), "approved", 1, False),
    ("1", 3, 70, date(Y, 9, 28), date(Y, 9, 29), "approved", 1, False),  # on time throughout
    ("2", 2, 50, date(Y, 7, 5), date(Y, 7, 6), "approved", 1, False),  # Q1 missing, Q2 late
    ("2", 3, 65, date(Y, 10, 8), date(Y, 10, 9), "approved", 1, False),  # Q3 late
    ("3", 1, 30, date(Y, 3, 28), date(Y, 3, 29), "approved", 1, False),  # then missing
    ("4", 1, 25, date(Y, 3, 30), date(Y, 3, 31), "approved", 1, False),
    ("4", 2, 40, date(Y, 6, 28), date(Y, 6, 29), "approved", 1, False),
    ("4", 3, 60, date(Y, 9, 27), None, "returned", 1, False),  # returned: reported, not approved
    ("5", 2, 30, date(Y, 6, 20), date(Y, 6, 21), "approved", 1, False),
    ("5", 2, 55, date(Y, 7, 20), date(Y, 7, 21), "approved", 2, False),  # a correction
    ("5", 3, 100, date(Y, 9, 25), date(Y, 9, 26), "approved", 1, True),  # completed
    ("6", 3, 75, date(Y, 10, 1), date(Y, 10, 2), "approved", 1, False),  # late by a day
    ("8", 2, 10, date(Y, 6, 30), date(Y, 7, 1), "approved", 1, False),
]
ON = date(Y, 10, 20)  # Q3's figures, Q4 not yet due


@dataclass
class Office:
    client: TestClient
    database: Database
    plan: int
    periods: dict[int, int]  # quarter → period id
    admin: dict[str, str]

    def get(self, path: str) -> Any:
        answer = self.client.get(path, headers=self.admin)
        assert answer.status_code == 200, answer.text
        return (
            answer.json() if answer.headers["content-type"].startswith("application/json") else answer.content
        )


def _at(day: date) -> datetime:
    return datetime.combine(day, time(10))


def file(database: Database, filings: list[tuple[Any, ...]]) -> None:
    with database.writer() as session:
        tasks = {t.no: t for t in session.scalars(select(Task))}
        periods = {p.due: p.id for p in session.scalars(select(Period))}
        for no, quarter, progress, submitted, approved, state, revision, completed in filings:
            task = tasks[no]
            session.add(
                Report(
                    task_id=task.id,
                    unit_id=task.reporting_unit_id,
                    period_id=periods[DUES[quarter - 1]],
                    revision=revision,
                    state=state,
                    progress=progress,
                    text=f"第{quarter}季度进展",
                    completed=completed,
                    values=[],
                    submitted_at=_at(submitted),
                    first_submitted_at=_at(submitted),
                    approved_at=_at(approved) if approved else None,
                    review_comment="请补充" if state == "returned" else None,
                    created_at=_at(submitted),
                    updated_at=_at(submitted),
                )
            )


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def office(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Office]:
    from tests.databases import fresh_postgres, sqlite_url

    def run(url: str) -> Iterator[Office]:
        database = connect(url)
        with database.writer() as session:
            plan = import_text(session, NOTICE, _at(date(Y, 2, 12))).plan
            plan.state = "published"
            auth.add_user(session, "office", "admin", "office-password-1", None, _at(date(Y, 2, 12)))
            token = auth.create_token(session, "office", _at(date(Y, 2, 12)))
            plan_id = plan.id
        file(database, FILINGS)
        with database.reader() as session:
            periods = {DUES.index(p.due) + 1: p.id for p in session.scalars(select(Period))}
        app = create_app(Settings(database_url=url, today=date(2021, 12, 6)), database)
        with TestClient(app) as client:
            yield Office(client, database, plan_id, periods, {"Authorization": f"Bearer {token}"})
        database.dispose()

    if request.param == "sqlite":
        yield from run(sqlite_url(tmp_path_factory.mktemp("agree")))
    else:
        with fresh_postgres() as url:
            yield from run(url)


def query(office: Office, quarter: int) -> str:
    return f"plan={office.plan}&period={office.periods[quarter]}&on={ON.isoformat()}"


def api_figures(office: Office, quarter: int) -> dict[str, Any]:
    overview = office.get(f"/api/overview?{query(office, quarter)}")
    status = office.get(f"/api/status?{query(office, quarter)}&size=1000")
    ranking = office.get(f"/api/rankings?{query(office, quarter)}&size=1000")
    return {"overview": overview, "status": status, "ranking": ranking}


def test_the_api_agrees_with_itself(office: Office) -> None:
    got = api_figures(office, 3)
    overview, status, ranking = got["overview"], got["status"], got["ranking"]
    basis = overview["basis"]
    assert basis == status["basis"] == ranking["basis"]
    assert basis["label"] == "2021年第三季度 · 截至2021年10月20日" and basis["on"] == "2021-10-20"
    colours = Counter(i["colour"] for i in status["items"] if i["assessed"])
    assert {c: overview["counts"][c] for c in ("done", "blue", "yellow", "red")} == {
        c: colours[c] for c in ("done", "blue", "yellow", "red")
    }
    assert sum(overview["arrows"].values()) == overview["counts"]["total"] == 8
    missing = {i["no"] for i in status["items"] if i["missing"]}
    late = {i["no"] for i in status["items"] if i["late"]}
    assert missing == {m["no"] for m in overview["missing"]} == {"3", "7", "8"}
    assert late == {m["no"] for m in overview["late"]} == {"2", "6"}
    by_unit = {r["name"]: r for r in ranking["items"]}
    assert by_unit["县工业和信息化局"]["late"] == 1 and by_unit["县工业和信息化局"]["missing"] == 1
    assert by_unit["县财政局" if "县财政局" in by_unit else "县发展和改革局"]["missing"] == 0
    assert (
        "县财政局" not in by_unit and "县市场监督管理局" not in by_unit
    )  # supporting units are never ranked
    assert all(r["score"] >= 0 for r in ranking["items"])
    # Nobody reported task 7: 未报送, not "0 %"
    seven = next(i for i in status["items"] if i["no"] == "7")
    assert seven["reported"] is False and seven["state"] == "未报送" and "进度 0" not in seven["reason"]


def test_the_workbook_agrees_with_the_api(office: Office) -> None:
    got = api_figures(office, 3)
    data = office.get(f"/api/plans/{office.plan}/ledger.xlsx?{query(office, 3).split('&', 1)[1]}")
    book = openpyxl.load_workbook(io.BytesIO(data))
    sheet = book["台账"]
    cells = [[c for c in row] for row in sheet.iter_rows(values_only=True)]
    assert any("截至2021年10月20日" in str(row[0] or "") for row in cells[:3])
    header = next(i for i, row in enumerate(cells) if "状态" in row)
    state_col = cells[header].index("状态")
    states = {str(row[0]): str(row[state_col] or "") for row in cells[header + 1 :] if row[state_col]}
    for item in got["status"]["items"]:
        words = states[str(item["no"])]
        assert item["colour_label"] in words
        assert (
            (item["state"] in words) if item["state"] else ("未报送" not in words and "逾期（" not in words)
        )
    summary = [list(row) for row in book["汇总"].iter_rows(values_only=True)]
    head, ranks = _table_after(summary, "名次")
    rank, unit, score = head.index("名次"), head.index("单位"), head.index("得分")
    assert {(str(r[unit]), int(r[rank]), float(r[score])) for r in ranks} == {
        (r["name"], r["rank"], round(r["score"], 1)) for r in got["ranking"]["items"]
    }


def test_the_bulletin_agrees_with_the_api(office: Office) -> None:
    got = api_figures(office, 3)
    data = office.get(f"/api/periods/{office.periods[3]}/bulletin.docx?on={ON.isoformat()}")
    document = docx.Document(io.BytesIO(data))
    text = "\n".join(p.text for p in document.paragraphs)
    counts = got["overview"]["counts"]
    assert f"已完成{counts['done']}项" in text and f"{counts['red']}项" in text
    assert "截至2021年10月20日" in text
    named = {m["unit"] for m in got["overview"]["missing"]} | {m["unit"] for m in got["overview"]["late"]}
    for unit in named:
        assert unit in text
    printed: set[tuple[str, int, float]] = set()
    for table in document.tables:
        head = [c.text.strip() for c in table.rows[0].cells] if table.rows else []
        if not {"名次", "单位", "得分"} <= set(head):
            continue
        rank, unit, score = head.index("名次"), head.index("单位"), head.index("得分")
        for row in table.rows[1:]:
            cells = [c.text.strip() for c in row.cells]
            if cells[rank].isdigit():
                printed.add((cells[unit], int(cells[rank]), float(cells[score])))
    assert printed == {(r["name"], r["rank"], round(r["score"], 1)) for r in got["ranking"]["items"]}


def test_an_issued_bulletin_stands_and_leads_the_next_arrows(office: Office) -> None:
    q2 = office.periods[2]
    issued = office.client.post(
        f"/api/periods/{q2}/bulletins", json={"on": "2021-07-10", "masthead": True}, headers=office.admin
    )
    assert issued.status_code == 201, issued.text
    body = issued.json()
    assert body["number"] == 1 and body["taken_on"] == "2021-07-10" and body["issued_on"] == "2021-12-06"
    listed = office.get(f"/api/plans/{office.plan}/bulletins")["items"]
    assert [b["number"] for b in listed] == [1]
    first = office.get(f"/api/bulletins/{body['id']}.docx")
    printed = {r["name"]: r["rank"] for r in office.get(
        f"/api/rankings?plan={office.plan}&period={q2}&on=2021-07-10&size=1000"
    )["items"]}  # fmt: skip
    # a late Q2 report after issuing: the live Q2 figures change, the issued ones do not
    file(office.database, [("7", 2, 80, date(Y, 7, 15), date(Y, 7, 16), "approved", 1, False)])
    live = {r["name"]: r["rank"] for r in office.get(
        f"/api/rankings?plan={office.plan}&period={q2}&on=2021-09-29&size=1000"
    )["items"]}  # fmt: skip
    assert live != printed
    assert office.get(f"/api/bulletins/{body['id']}.docx") == first
    again = office.client.post(f"/api/periods/{q2}/bulletins", json={}, headers=office.admin)
    assert again.status_code == 409 and "已印发" in again.json()["detail"]
    q3 = office.get(f"/api/rankings?{query(office, 3)}&size=1000")
    assert q3["basis"]["previous"]["source"] == "issued" and q3["basis"]["previous"]["number"] == 1
    for row in q3["items"]:
        before = printed.get(row["name"])
        if before is not None:
            assert row["arrow"] == (
                "up" if row["rank"] < before else "down" if row["rank"] > before else "same"
            )


def _table_after(rows: list[list[Any]], header: str) -> tuple[list[str], list[list[Any]]]:
    """The header row holding ``header`` and the rows below it whose first cell is a number."""
    start = next(i for i, row in enumerate(rows) if row and header in [str(c) for c in row])
    head = [str(c) if c is not None else "" for c in rows[start]]
    found = []
    for row in rows[start + 1 :]:
        if not row or row[0] is None or not str(row[0]).strip().isdigit():
            break
        found.append(row)
    return head, found
