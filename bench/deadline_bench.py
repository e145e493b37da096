"""The deadline day: every unit account opens 我的任务, submits its reports and looks again, on PostgreSQL.

Builds 20 counties under one city, each with a published plan whose tasks are reported by its 150 units (3
tasks a unit, 3,000 units in all; bulk inserts after the real migrations), starts the real ``duban serve
--workers 2`` with today pinned to the quarter's due date, then lets the unit accounts arrive evenly over the
window, each on its own connection: ``GET /api/my`` (我的任务), one ``POST /api/tasks/{id}/reports`` per task
it reports, ``GET /api/my`` again. Prints p50/p95/max of submissions and of 我的任务 (goal p95 < 300 ms), any
non-2xx answer, and checks that nothing was lost: every 201 is a stored, submitted report and every account's
last 我的任务 shows its tasks submitted.

The default run is a fifth of the day at the same arrival rate (600 accounts in 2 minutes, 5 a second);
``--full`` is the whole day: 3,000 accounts in 10 minutes.

Run: ``.venv/bin/python bench/deadline_bench.py [--full] [--accounts N --minutes M] [--workers 2]``.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import statistics
import sys
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import psycopg
from sqlalchemy import func, insert, select, text

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.web.server import running_server

from duban.ledger.services import auth
from duban.ledger.store.db import connect
from duban.ledger.store.models import (
    ApiToken,
    Jurisdiction,
    Period,
    Plan,
    Report,
    Task,
    TaskUnit,
    Unit,
    UnitAlias,
    User,
)
from machine import print_reference

PG_SERVER = os.environ.get("DUBAN_TEST_PG", "postgresql://postgres@127.0.0.1:5432/test")
NOW = datetime(2021, 6, 1, 9)
DEADLINE = "2021-06-30"  # the second quarter's due date: 我的任务 asks for that period
COUNTIES = 20
TASKS_PER_UNIT = 3


def build(url: str, accounts: int) -> list[str]:
    """The province, with one unit account (and API token) per unit; returns the tokens."""
    database = connect(url)
    per_county = max(1, accounts // COUNTIES)
    dues = [date(2021, 3, 31), date(2021, 6, 30), date(2021, 9, 30), date(2021, 12, 31)]
    with database.writer() as session:
        session.execute(insert(Jurisdiction), [{"id": 1, "name": "示例市", "level": "市", "parent_id": None}])
        session.execute(
            insert(Jurisdiction),
            [{"id": c + 2, "name": f"第{c + 1}县", "level": "县", "parent_id": 1} for c in range(COUNTIES)],
        )
        units, aliases, plans, periods, tasks, links, users = [], [], [], [], [], [], []
        for i in range(1, accounts + 1):
            county = min((i - 1) // per_county, COUNTIES - 1) + 2
            units.append(
                {
                    "id": i,
                    "name": f"县第{i}单位",
                    "group_kind": None,
                    "created_at": NOW,
                    "jurisdiction_id": county,
                }
            )
            aliases.append(
                {"unit_id": i, "name": f"县第{i}单位", "key": f"第{i}单位", "jurisdiction_id": county}
            )
            users.append(
                {"id": i, "username": f"u{i}", "password_hash": "x", "role": "unit", "unit_id": i, "active": True,
                 "created_at": NOW, "jurisdiction_id": county}
            )  # fmt: skip
        for c in range(COUNTIES):
            plans.append(
                {"id": c + 1, "title": f"第{c + 1}县重点工作", "year": 2021, "issued_on": date(2021, 2, 10),
                 "state": "published", "content_hash": uuid.uuid4().hex * 2, "document": {}, "created_at": NOW,
                 "jurisdiction_id": c + 2}
            )  # fmt: skip
            for q, due in enumerate(dues, 1):
                periods.append({"id": c * 4 + q, "plan_id": c + 1, "name": f"第{q}季度", "due": due})
        for i in range(1, accounts + 1):
            county = min((i - 1) // per_county, COUNTIES - 1)
            for n in range(TASKS_PER_UNIT):
                task_id = (i - 1) * TASKS_PER_UNIT + n + 1
                tasks.append(
                    {"id": task_id, "plan_id": county + 1, "position": task_id, "no": str(task_id), "kind": "task",
                     "text": f"第{task_id}项任务", "leaders": [], "leaders_text": "", "reporting_unit_id": i,
                     "reporting_unit_chosen": False}
                )  # fmt: skip
                links.append({"task_id": task_id, "unit_id": i, "role": "lead", "position": 0})
        for model, rows in (
            (Unit, units),
            (UnitAlias, aliases),
            (Plan, plans),
            (Period, periods),
            (Task, tasks),
            (TaskUnit, links),
            (User, users),
        ):
            for start in range(0, len(rows), 5000):
                session.execute(insert(model), rows[start : start + 5000])
        for table in ("jurisdictions", "units", "plans", "periods", "tasks", "users"):
            session.execute(
                text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))")
            )
        tokens = [auth.create_token(session, f"u{i}", NOW, name="bench") for i in range(1, accounts + 1)]
        session.execute(text("ANALYZE"))
    database.dispose()
    return tokens


@dataclass
class Tally:
    submissions: list[float] = field(default_factory=list)
    my_tasks: list[float] = field(default_factory=list)
    stored: set[int] = field(default_factory=set)
    failures: list[str] = field(default_factory=list)
    unfinished: int = 0
    late_starts: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)


def _call(
    connection: http.client.HTTPConnection, method: str, path: str, token: str, body: object = None
) -> tuple[int, object, float]:
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    started = time.perf_counter()
    connection.request(method, path, body=json.dumps(body) if body is not None else None, headers=headers)
    response = connection.getresponse()
    raw = response.read()
    took = (time.perf_counter() - started) * 1000
    return response.status, json.loads(raw) if raw else None, took


def one_account(base: str, token: str, plan: int, tally: Tally) -> None:
    """A unit on deadline day: open 我的任务, report every task it reports, open 我的任务 again."""
    host, port = base.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=120)
    try:
        status, mine, took = _call(connection, "GET", f"/api/my?plan={plan}", token)
        with tally.lock:
            tally.my_tasks.append(took)
        if status != 200 or not isinstance(mine, dict):
            with tally.lock:
                tally.failures.append(f"GET /api/my {status}")
            return
        for item in mine["items"]:
            if not item["reporting"] or item["period"] is None:
                continue
            body = {"period": item["period"]["id"], "progress": 50, "text": "按期推进", "submit": True}
            status, made, took = _call(
                connection, "POST", f"/api/tasks/{item['task']['id']}/reports", token, body
            )
            with tally.lock:
                tally.submissions.append(took)
                if status == 201 and isinstance(made, dict):
                    tally.stored.add(int(made["id"]))
                else:
                    tally.failures.append(f"POST reports {status}")
        status, again, took = _call(connection, "GET", f"/api/my?plan={plan}", token)
        with tally.lock:
            tally.my_tasks.append(took)
            if status != 200 or not isinstance(again, dict):
                tally.failures.append(f"GET /api/my {status}")
            elif any(i["reporting"] and i["state"] != "submitted" for i in again["items"]):
                tally.unfinished += 1
    except (OSError, http.client.HTTPException) as exc:
        with tally.lock:
            tally.failures.append(type(exc).__name__)
    finally:
        connection.close()


def percentiles(samples: list[float]) -> str:
    if not samples:
        return "no samples"
    ordered = sorted(samples)
    p95 = ordered[max(0, int(len(ordered) * 0.95) - 1)]
    return f"p50 {statistics.median(ordered):6.1f} ms  p95 {p95:6.1f} ms  max {ordered[-1]:7.1f} ms"


def run(base: str, tokens: list[str], seconds: float, tally: Tally) -> float:
    """Accounts arrive evenly over ``seconds``; each runs in its own thread of a large pool."""
    per_county = max(1, len(tokens) // COUNTIES)
    gap = seconds / len(tokens)
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=200) as pool:
        for index, token in enumerate(tokens):
            due = started + index * gap
            delay = due - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
            elif delay < -1:
                tally.late_starts += 1
            plan = min(index // per_county, COUNTIES - 1) + 1
            pool.submit(one_account, base, token, plan, tally)
    return time.perf_counter() - started


def check_stored(url: str, tally: Tally, accounts: int) -> tuple[int, int]:
    database = connect(url, upgrade=False)
    with database.reader() as session:
        submitted = set(session.scalars(select(Report.id).where(Report.state == "submitted")))
        tokens = session.scalar(select(func.count(ApiToken.id))) or 0
    database.dispose()
    assert tokens == accounts
    return len(submitted), len(tally.stored - submitted)


def main() -> None:
    print_reference()
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--full", action="store_true", help="3,000 accounts in 10 minutes")
    parser.add_argument("--accounts", type=int, help="unit accounts (default 600, --full 3000)")
    parser.add_argument("--minutes", type=float, help="the window they arrive in (default 2, --full 10)")
    parser.add_argument("--workers", type=int, default=2, help="server worker processes")
    args = parser.parse_args()
    accounts = args.accounts or (3000 if args.full else 600)
    minutes = args.minutes or (10.0 if args.full else 2.0)
    name = f"duban_deadline_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(PG_SERVER, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    url = PG_SERVER.rsplit("/", 1)[0] + "/" + name
    try:
        started = time.perf_counter()
        tokens = build(url, accounts)
        print(
            f"postgres: {COUNTIES} counties, {accounts} unit accounts × {TASKS_PER_UNIT} tasks, built in "
            f"{time.perf_counter() - started:.0f} s; {accounts} accounts arrive over {minutes:g} min, "
            f"server --workers {args.workers}"
        )
        tally = Tally()
        with running_server(url, today=DEADLINE, workers=args.workers) as base:
            took = run(base, tokens, minutes * 60, tally)
        submitted, lost = check_stored(url, tally, accounts)
        expected = accounts * TASKS_PER_UNIT
        print(
            f"  submissions  {percentiles(tally.submissions)}  ({len(tally.submissions)} in {took:.0f} s; goal p95 < 300)"
        )
        print(f"  我的任务     {percentiles(tally.my_tasks)}  ({len(tally.my_tasks)}; goal p95 < 300)")
        print(
            f"  stored: {submitted} submitted reports of {expected} expected; 201s not stored: {lost}; "
            f"accounts whose last 我的任务 was not all submitted: {tally.unfinished}; failures: {len(tally.failures)}"
            + (f" ({', '.join(sorted(set(tally.failures))[:5])})" if tally.failures else "")
            + (
                f"; {tally.late_starts} accounts started over 1 s late (load generator behind)"
                if tally.late_starts
                else ""
            )
        )
        if submitted != expected or lost or tally.unfinished or tally.failures:
            print("  LOST OR FAILED: see above")
            sys.exit(1)
    finally:
        with psycopg.connect(PG_SERVER, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


if __name__ == "__main__":
    main()
