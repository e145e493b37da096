"""150 unit accounts submit their reports for the same period at once against the real server, on both
databases: every report is stored exactly once and the server stays up."""

from __future__ import annotations

import threading
from datetime import datetime

import httpx
import pytest
from sqlalchemy import func, select

from duban.ledger.services import auth
from duban.ledger.store.db import connect
from duban.ledger.store.models import Period, Report, Task
from tests.ledger.helpers import import_text
from tests.web.server import running_server

UNITS = 150


def big_notice() -> str:
    lines = ["关于印发2021年示例县重点工作责任分工的通知", "一、重点工作"]
    lines += [f"{n}. 完成第{n}项重点工作。（责任单位：县第{n}服务中心）" for n in range(1, UNITS + 1)]
    return "\n".join([*lines, "示例县人民政府", "2021年2月10日"])


@pytest.mark.slow
def test_150_units_submit_at_once(database_url: str) -> None:
    now = datetime(2021, 7, 15, 9)
    database = connect(database_url)
    with database.writer() as session:
        plan_id = import_text(session, big_notice(), now).plan.id
        tasks = {t.no: t.id for t in session.scalars(select(Task).where(Task.plan_id == plan_id))}
        period = session.scalar(
            select(Period.id).where(Period.plan_id == plan_id).order_by(Period.due.desc())
        )
        tokens = {}
        for n in range(1, UNITS + 1):
            auth.add_user(session, f"u{n}", "unit", "password-123", f"县第{n}服务中心", now)
            tokens[n] = auth.create_token(session, f"u{n}", now)
    assert len(tasks) == UNITS
    statuses: list[int] = []
    barrier = threading.Barrier(UNITS)
    with running_server(database_url) as base:

        def submit(n: int) -> None:
            body = {"period": period, "progress": n % 100, "text": f"第{n}项进展", "submit": True}
            with httpx.Client(base_url=base, timeout=120) as client:
                barrier.wait()
                response = client.post(
                    f"/api/tasks/{tasks[str(n)]}/reports",
                    json=body,
                    headers={"Authorization": f"Bearer {tokens[n]}"},
                )
                statuses.append(response.status_code)

        threads = [threading.Thread(target=submit, args=(n,)) for n in range(1, UNITS + 1)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        alive = httpx.get(f"{base}/api/plans", headers={"Authorization": f"Bearer {tokens[1]}"}, timeout=30)
        assert alive.status_code == 200
    assert statuses.count(201) == UNITS, sorted(set(statuses))
    with database.reader() as session:
        assert session.scalar(select(func.count(Report.id))) == UNITS
        pairs = session.execute(select(Report.task_id, Report.unit_id)).all()
        assert len(set(pairs)) == UNITS
    database.dispose()
