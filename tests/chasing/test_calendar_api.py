"""The office's calendar days on SQLite and PostgreSQL: added (``PUT /api/chasing/calendar``), listed, removed
(``DELETE /api/chasing/calendar/{day}``), each change logged; units, leaders and a city office change
nothing; a bad date is refused in Chinese; and the engine's working-day count follows every change."""

from __future__ import annotations

from datetime import date

from fastapi.testclient import TestClient
from sqlalchemy import select

from duban.ledger.services import auth, chasing, jurisdictions
from duban.ledger.store.db import connect
from duban.ledger.store.models import Change
from duban.settings import Settings
from duban.web.app import create_app
from tests.chasing.scripted import at, published

DAY = date(2021, 6, 28)  # a Monday; the second quarter is due on Wednesday 2021-06-30


def _reminders(database_url: str) -> set[str]:
    """The reasons of the 临近提醒 a dry run of the engine would issue on ``DAY``."""
    database = connect(database_url, upgrade=False)
    try:
        with database.reader() as session:
            result = chasing.run(session, DAY, at(DAY, 8), dry_run=True)
            return {i.reason for i in result.issued if i.kind == "remind"}
    finally:
        database.dispose()


def test_office_adds_lists_and_removes_calendar_days(database_url: str) -> None:
    database = connect(database_url)
    published(database)
    with database.writer() as session:
        jurisdictions.ensure_path(session, "济宁市/金乡县", None, at(DAY))
        auth.add_user(session, "gxj", "unit", "password-1", "县工业和信息化局", at(DAY))
        auth.add_user(session, "leader", "leader", "password-1", None, at(DAY))
        auth.add_user(session, "city", "admin", "password-1", None, at(DAY), jurisdiction="济宁市")
        tokens = {n: auth.create_token(session, n, at(DAY)) for n in ("office", "gxj", "leader", "city")}
    heads = {n: {"Authorization": f"Bearer {t}"} for n, t in tokens.items()}
    app = create_app(Settings(database_url=database_url, today=DAY), database)
    with TestClient(app) as client:
        assert client.get("/api/chasing/calendar", headers=heads["office"]).json() == []
        # Two days to the due date; the office's holiday on Tuesday leaves one.
        assert {r for r in _reminders(database_url) if "还有2个工作日" in r}
        added = client.put(
            "/api/chasing/calendar", json={"day": "2021-06-29", "workday": False, "note": "县庆放假"},
            headers=heads["office"],
        )  # fmt: skip
        assert added.status_code == 200
        assert added.json() == [{"day": "2021-06-29", "workday": False, "note": "县庆放假"}]
        reasons = _reminders(database_url)
        assert reasons and all("还有1个工作日" in r for r in reasons)
        with database.reader() as session:
            assert chasing.workdays(session).between(DAY, date(2021, 6, 30)) == 1
        # A Saturday made a working day (调休), listed in date order after the holiday.
        client.put(
            "/api/chasing/calendar", json={"day": "2021-06-26", "workday": True, "note": "调休上班"},
            headers=heads["office"],
        )  # fmt: skip
        listed = client.get("/api/chasing/calendar", headers=heads["office"]).json()
        assert [(d["day"], d["workday"]) for d in listed] == [("2021-06-26", True), ("2021-06-29", False)]
        # One day by the Chinese calendar and with the office's entry: what a removal would change.
        check = client.get("/api/chasing/calendar/2021-06-29", headers=heads["office"]).json()
        assert check["national_workday"] is True and check["workday"] is False
        assert check["office"] == {"day": "2021-06-29", "workday": False, "note": "县庆放假"}
        national = client.get("/api/chasing/calendar/2021-10-06", headers=heads["office"]).json()
        assert national == {"day": "2021-10-06", "national_workday": False, "workday": False, "office": None}
        # Nobody else changes the calendar: units and leaders are refused, a city office only reads.
        for name in ("gxj", "leader", "city"):
            put = client.put(
                "/api/chasing/calendar", json={"day": "2021-06-30", "workday": False}, headers=heads[name]
            )
            assert put.status_code == 403, name
            gone = client.delete("/api/chasing/calendar/2021-06-29", headers=heads[name])
            assert gone.status_code == 403, name
            assert "督查室" in gone.json()["detail"]
        for name in ("gxj", "leader"):
            assert client.get("/api/chasing/calendar", headers=heads[name]).status_code == 403
            assert client.get("/api/chasing/calendar/2021-06-29", headers=heads[name]).status_code == 403
        assert len(client.get("/api/chasing/calendar", headers=heads["city"]).json()) == 2
        # Bad dates and a day the office never added: a Chinese 4xx.
        for bad in ("2021-02-30", "明天", "20210629"):
            refused = client.delete(f"/api/chasing/calendar/{bad}", headers=heads["office"])
            assert refused.status_code == 422, bad
            assert "日期" in refused.json()["detail"], bad
        refused = client.put(
            "/api/chasing/calendar", json={"day": "2021-13-01", "workday": True}, headers=heads["office"]
        )
        assert refused.status_code == 422 and "日期" in refused.json()["detail"]
        # One way to take an entry back (DELETE, confirmed in the browser): a PUT without 放假/上班 is refused.
        for body in ({"day": "2021-06-29", "workday": None}, {"day": "2021-06-29"}):
            refused = client.put("/api/chasing/calendar", json=body, headers=heads["office"])
            assert refused.status_code == 422 and refused.json()["detail"].startswith(
                "输入有误：请求内容 workday"
            )
        missing = client.delete("/api/chasing/calendar/2021-07-05", headers=heads["office"])
        assert missing.status_code == 404 and "不是本室添加的" in missing.json()["detail"]
        # Removed: the Chinese calendar decides again, and the engine counts two days again.
        removed = client.delete("/api/chasing/calendar/2021-06-29", headers=heads["office"])
        assert removed.status_code == 200
        assert removed.json() == [{"day": "2021-06-26", "workday": True, "note": "调休上班"}]
        reasons = _reminders(database_url)
        assert reasons and all("还有2个工作日" in r for r in reasons)
        with database.reader() as session:
            assert chasing.workdays(session).between(DAY, date(2021, 6, 30)) == 2
            log = session.scalars(
                select(Change).where(Change.object_type == "calendar_day").order_by(Change.id)
            ).all()
        assert [c.action for c in log] == ["set", "set", "remove"]
        assert log[-1].actor == "office"
        assert log[-1].before == {"day": "2021-06-29", "workday": False, "note": "县庆放假"}
    database.dispose()
