"""What waits for the reader in the bell, besides reminders, on SQLite and PostgreSQL: for a unit its own
领导批示 to answer, tasks to confirm (签收), rectifications to answer and returned reports; for the office the
requests to decide and the reports and 实施方案 to review. A unit never counts another unit's."""

from __future__ import annotations

from datetime import date

from fastapi.testclient import TestClient
from sqlalchemy import select

from duban.ledger.services import auth, rectifications, requests, workplans
from duban.ledger.store.db import Database
from duban.ledger.store.models import Unit, User
from duban.ledger.views import notices
from duban.settings import Settings
from duban.web.app import create_app
from tests.chasing.scripted import at, published, review, submit

DAY = date(2021, 3, 10)


def _waiting(database: Database, user_id: int) -> dict[str, tuple[int, str]]:
    with database.reader() as session:
        user = session.get(User, user_id)
        assert user is not None
        return {w["kind"]: (w["count"], w["link"]) for w in notices.waiting(session, user)}


def test_waiting_for_units_and_office(database: Database) -> None:
    sample = published(database)
    with database.writer() as session:
        names = dict(session.execute(select(Unit.id, Unit.name)).all())
        unit_ids = {"lead1": sample.units["1"], "lead2": sample.units["2"], "lead3": sample.units["3"]}
        users = {
            key: auth.add_user(session, key, "unit", "password-1", names[unit_id], at(DAY)).id
            for key, unit_id in unit_ids.items()
        }
        leader = auth.add_user(session, "leader", "leader", "password-1", None, at(DAY)).id
        office = sample.admin_id
    # Just published: each unit has its task to confirm (签收), and nothing else; the office nothing.
    for key in users:
        assert _waiting(database, users[key]) == {"receipts": (1, "/my")}, key
    assert _waiting(database, office) == {}
    with database.writer() as session:
        lead1 = session.get(User, users["lead1"])
        assert lead1 is not None
        requests.confirm(session, lead1, sample.tasks["1"], at(DAY))
    assert "receipts" not in _waiting(database, users["lead1"])
    assert _waiting(database, users["lead2"])["receipts"] == (1, "/my")  # only its own confirmation counts

    # A 批示 on task 2 waits for its unit only, until answered.
    with database.writer() as session:
        writer = session.get(User, leader)
        assert writer is not None
        written = requests.write_instruction(session, writer, sample.tasks["2"], "请加快进度", None, at(DAY))
    assert _waiting(database, users["lead2"])["instructions"] == (1, "/requests?tab=instructions")
    assert "instructions" not in _waiting(database, users["lead1"])
    assert "instructions" not in _waiting(database, users["lead3"])
    # A rectification for the unit of task 3 waits for it only, until answered.
    with database.writer() as session:
        admin = session.get(User, office)
        assert admin is not None
        item = rectifications.open_item(
            session,
            admin,
            rectifications.OpenInput(task=sample.tasks["3"], problem="台账不全", deadline=date(2021, 4, 30)),
            at(DAY),
        )
        item_id, item_version = item.id, item.version
    assert _waiting(database, users["lead3"])["rectifications"] == (1, "/rectifications")
    assert "rectifications" not in _waiting(database, users["lead2"])
    # The unit of task 2 asks for an extension; the unit of task 1 submits its 实施方案: both wait for the office.
    with database.writer() as session:
        lead2 = session.get(User, users["lead2"])
        lead1 = session.get(User, users["lead1"])
        assert lead2 is not None and lead1 is not None
        requests.request_extension(
            session, lead2, sample.tasks["2"], "资金未到位", date(2022, 3, 31), at(DAY)
        )
        workplans.save(
            session,
            lead1,
            sample.tasks["1"],
            [
                workplans.NodeInput(date(2021, 6, 30), "完成选址"),
                workplans.NodeInput(date(2021, 12, 31), "建成"),
            ],
            "",
            True,
            at(DAY),
        )
    assert _waiting(database, office) == {
        "requests": (1, "/requests"),
        "workplans": (1, "/review"),
    }
    for key in users:  # the units see none of the office's queue
        assert not {"requests", "workplans", "review"} & set(_waiting(database, users[key]))
    # Answered, they stop waiting; a returned report waits for its unit.
    report_id = submit(database, sample, "2", date(2021, 3, 31), 10, DAY)
    review(database, sample, report_id, False, DAY)
    with database.writer() as session:
        lead2 = session.get(User, users["lead2"])
        lead3 = session.get(User, users["lead3"])
        assert lead2 is not None and lead3 is not None
        requests.answer_instruction(session, lead2, written["id"], "已部署", at(DAY, 15))
        rectifications.answer(session, lead3, item_id, "已补齐", None, at(DAY, 15), item_version)
    assert _waiting(database, users["lead2"]) == {"returned": (1, "/my"), "receipts": (1, "/my")}
    assert _waiting(database, users["lead3"]) == {"receipts": (1, "/my")}
    assert _waiting(database, office)["requests"] == (1, "/requests")

    # Through the API: the bell of each account carries its own waiting items.
    app = create_app(Settings(database_url=database.url, today=DAY), database)
    with database.writer() as session:
        tokens = {n: auth.create_token(session, n, at(DAY)) for n in ("office", "lead2", "lead3")}
    with TestClient(app) as client:

        def bell(name: str) -> set[str]:
            got = client.get("/api/notices", headers={"Authorization": f"Bearer {tokens[name]}"})
            assert got.status_code == 200
            return {w["kind"] for w in got.json()["waiting"]}

        assert bell("lead2") == {"returned", "receipts"}
        assert bell("lead3") == {"receipts"}
        assert bell("office") == {"requests", "workplans"}
