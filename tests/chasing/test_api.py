"""The chasing API on SQLite and PostgreSQL: the bell shows a unit only its own unit's notices (never
another unit's, by list, by id, by task or by document), the office sees its jurisdiction's with delivery
states, resends a failed delivery, downloads a 督办单, and edits contacts and chasing rules."""

from __future__ import annotations

import io
from datetime import date

import docx
from fastapi.testclient import TestClient

from duban.ledger.services import auth, chasing, contacts, delivery
from duban.ledger.store.db import connect
from duban.ledger.store.models import User
from duban.settings import Settings
from duban.web.app import create_app
from tests.chasing.scripted import at, published, review, submit

DAY = date(2021, 4, 1)


def test_bell_rbac_documents_contacts_rules_resend(database_url: str) -> None:
    database = connect(database_url)
    sample = published(database)
    with database.writer() as session:
        auth.add_user(session, "fgj", "unit", "password-1", "县发展和改革局", at(DAY))
        auth.add_user(session, "gxj", "unit", "password-1", "县工业和信息化局", at(DAY))
        tokens = {n: auth.create_token(session, n, at(DAY)) for n in ("office", "fgj", "gxj")}
        admin = session.get(User, sample.admin_id)
        assert admin is not None
        contacts.set_contact(  # a robot nobody listens to: its delivery fails
            session,
            admin,
            sample.units["2"],
            contacts.ContactInput(robot_kind="wecom", robot_url="http://127.0.0.1:9/nobody"),
            at(DAY),
        )
    on_time = submit(database, sample, "1", date(2021, 3, 31), 30, date(2021, 3, 30))  # task 1 on time
    review(database, sample, on_time, True, date(2021, 3, 30))
    with database.writer() as session:
        issued = chasing.run(session, DAY, at(DAY, 8))
    assert {(i.kind, i.task_no) for i in issued.issued} == {
        ("chase", "2"),
        ("yellow", "2"),
        ("chase", "3"),
        ("yellow", "3"),
    }
    settings = Settings(database_url=database_url, today=DAY, delivery_attempts=1)
    assert delivery.deliver_pending(database, settings, at(DAY, 9)).failed == 2  # 催报 and 督办单
    app = create_app(settings, database)
    heads = {n: {"Authorization": f"Bearer {t}"} for n, t in tokens.items()}
    with TestClient(app) as client:
        # A unit with nothing owed sees nothing of the others' notices.
        fgj = client.get("/api/notices", headers=heads["fgj"]).json()
        assert fgj["items"] == [] and fgj["unread"] == 0
        gxj = client.get("/api/notices", headers=heads["gxj"]).json()
        assert {n["task_no"] for n in gxj["items"]} == {"2"} and gxj["unread"] == 2
        assert {n["unit_id"] for n in gxj["items"]} == {sample.units["2"]}
        assert all(n["link"] == f"/tasks/{sample.tasks['2']}" for n in gxj["items"])
        yellow = next(n for n in gxj["items"] if n["kind"] == "yellow")
        assert yellow["number_text"].startswith("督办〔2021〕") and yellow["label"] == "黄色督办单"
        # By id, by task, by document, by marking read: another unit's notice does not exist for fgj.
        assert client.get(f"/api/notices/{yellow['id']}", headers=heads["fgj"]).status_code == 404
        assert (
            client.get(f"/api/notices/{yellow['id']}/document.docx", headers=heads["fgj"]).status_code == 404
        )
        seen = client.get(f"/api/tasks/{sample.tasks['2']}/notices", headers=heads["fgj"])
        assert seen.status_code == 404 or seen.json() == []
        marked = client.post("/api/notices/read", json={"ids": [yellow["id"]]}, headers=heads["fgj"]).json()
        assert marked["marked"] == 0
        assert client.get("/api/chasing", headers=heads["gxj"]).status_code == 403
        # The unit marks its own read; its 督办单 downloads as a Word document with the 编号 and the unit.
        marked = client.post(
            "/api/notices/read", json={"ids": [n["id"] for n in gxj["items"]]}, headers=heads["gxj"]
        ).json()
        assert marked == {"marked": 2, "unread": 0}
        assert client.get("/api/notices/unread", headers=heads["gxj"]).json() == {"unread": 0}
        got = client.get(f"/api/notices/{yellow['id']}/document.docx", headers=heads["gxj"])
        assert got.status_code == 200
        text = "\n".join(p.text for p in docx.Document(io.BytesIO(got.content)).paragraphs)
        assert "黄色督办单" in text and yellow["number_text"] in text and "县工业和信息化局" in text
        assert "盖章" in text and "前在督办系统中报送" in text
        # The office: every notice with its deliveries, the open 督办单, a resend of the failed one.
        page = client.get("/api/chasing", headers=heads["office"]).json()
        assert len(page["items"]) == 4 and page["open_documents"] == 2
        failed = [d for n in page["items"] for d in n["deliveries"] if d["state"] == "failed"]
        assert len(failed) == 2 and failed[0]["attempts"] == 1 and failed[0]["last_error"]
        only_failed = client.get("/api/chasing?delivery=failed", headers=heads["office"]).json()
        assert len(only_failed["items"]) == 2
        assert client.post(
            f"/api/chasing/deliveries/{failed[0]['id']}/resend", headers=heads["office"]
        ).json()
        again = client.get("/api/chasing?delivery=pending", headers=heads["office"]).json()
        assert len(again["items"]) == 1
        assert client.get("/api/chasing/open", headers=heads["office"]).json() == {"open_documents": 2}
        # The bell of the office shows what waits for it: none submitted since → nothing to review.
        submit(database, sample, "2", date(2021, 3, 31), 10, DAY)
        office = client.get("/api/notices", headers=heads["office"]).json()
        assert any(w["kind"] == "review" for w in office["waiting"])
        # Contacts: the office edits, a unit reads its own only; the secret is never sent back.
        put = client.put(
            f"/api/units/{sample.units['1']}/contact",
            json={"person": "李四", "email": "fgj@example.org", "robot_kind": "dingtalk",
                  "robot_url": "https://oapi.example/robot/send?access_token=x", "robot_secret": "SEC1"},
            headers=heads["office"],
        )  # fmt: skip
        assert put.status_code == 200 and put.json()["has_secret"] is True and "SEC1" not in put.text
        assert (
            client.get(f"/api/units/{sample.units['1']}/contact", headers=heads["fgj"]).json()["person"]
            == "李四"
        )
        assert client.get(f"/api/units/{sample.units['1']}/contact", headers=heads["gxj"]).status_code == 403
        refused = client.put(
            f"/api/units/{sample.units['1']}/contact",
            json={"email": "not-an-address"},
            headers=heads["office"],
        )
        assert refused.status_code == 422 and "邮箱格式不正确" in refused.json()["detail"]
        assert (
            client.put(f"/api/units/{sample.units['1']}/contact", json={}, headers=heads["fgj"]).status_code
            == 403
        )
        # Chasing rules per plan: read, changed (logged), refused in Chinese when wrong.
        rules = client.get(f"/api/plans/{sample.plan_id}/chasing-rules", headers=heads["office"]).json()
        assert rules["remind_days"] == 3 and rules["escalate_days"] == 5
        changed = client.put(
            f"/api/plans/{sample.plan_id}/chasing-rules",
            json={"remind_days": 5, "yellow": False, "copy_emails": ["ld@example.org"]},
            headers=heads["office"],
        ).json()
        assert changed["remind_days"] == 5 and changed["yellow"] is False
        bad = client.put(
            f"/api/plans/{sample.plan_id}/chasing-rules", json={"copy_emails": ["x"]}, headers=heads["office"]
        )
        assert bad.status_code == 422 and "抄送邮箱" in bad.json()["detail"]
        assert (
            client.get(f"/api/plans/{sample.plan_id}/chasing-rules", headers=heads["gxj"]).status_code == 403
        )
        # The office adds a holiday over the Chinese calendar (and may take it back).
        days = client.put(
            "/api/chasing/calendar", json={"day": "2021-04-02", "workday": False, "note": "县里调休"},
            headers=heads["office"],
        ).json()  # fmt: skip
        assert days == [{"day": "2021-04-02", "workday": False, "note": "县里调休"}]
        assert client.delete("/api/chasing/calendar/2021-04-02", headers=heads["office"]).json() == []
        assert client.get("/api/chasing/calendar", headers=heads["gxj"]).status_code == 403
        log = client.get("/api/changes?object_type=setting", headers=heads["office"])
        assert log.status_code == 200
    database.dispose()
