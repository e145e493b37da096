"""API latency and throughput on a province-scale database, on SQLite and PostgreSQL.

Builds a province of 20 counties (jurisdictions under one city) × 10 plans × 150 tasks, 3,000 units (150 per
county's directory), 4 periods per plan and approved reports for half the tasks (bulk
inserts through the ledger's own models, after the real migrations), starts the real ``duban serve``, then
prints p50/p95 of ``GET /api/tasks?unit=…`` and ``GET /api/status?plan=…`` as the first county's office (its
plans and units; every query narrowed to its jurisdiction) and report submissions per second from concurrent
unit accounts. Goals (issue 3): list p95 < 100 ms, status p95 < 200 ms, ≥ 200 submissions/s.

Run: ``make bench`` or ``.venv/bin/python bench/api_bench.py [--plans 200] [--only sqlite|postgres]``.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import statistics
import sys
import tempfile
import threading
import time
import uuid
from datetime import date, datetime
from pathlib import Path

import httpx
import psycopg
from sqlalchemy import insert, select, text

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.web.server import running_server

from duban.ledger.services import auth
from duban.ledger.store.db import connect
from duban.ledger.store.models import (
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
NOW = datetime(2021, 7, 15, 9)


BIG_TASKS = 3000  # a city's plan: the figures endpoints on one large plan


def build(
    url: str, plans: int, tasks_per_plan: int, units: int, counties: int = 20
) -> tuple[list[str], list[int], list[int]]:
    """Fill the database; returns the first county office's token, unit tokens, then the city account's
    token; that county's plan ids (the last one: the 3,000-task plan) and unit ids. Each county's first plan
    is of 2021 (the year the city compares), its others of 2020."""
    database = connect(url)
    rng = random.Random(7)
    per_county = units // counties
    plans_per_county = max(1, plans // counties)

    def county_of_unit(i: int) -> int:
        return min((i - 1) // per_county, counties - 1) + 2  # jurisdiction ids: 1 the city, 2… the counties

    with database.writer() as session:
        session.execute(insert(Jurisdiction), [{"id": 1, "name": "示例市", "level": "市", "parent_id": None}])
        session.execute(
            insert(Jurisdiction),
            [{"id": c + 2, "name": f"第{c + 1}县", "level": "县", "parent_id": 1} for c in range(counties)],
        )
        session.execute(
            insert(Unit),
            [
                {"id": i, "name": f"县第{i}单位", "group_kind": None, "created_at": NOW,
                 "jurisdiction_id": county_of_unit(i)}
                for i in range(1, units + 1)
            ],
        )  # fmt: skip
        session.execute(
            insert(UnitAlias),
            [
                {
                    "unit_id": i,
                    "name": f"县第{i}单位",
                    "key": f"第{i}单位",
                    "jurisdiction_id": county_of_unit(i),
                }
                for i in range(1, units + 1)
            ],
        )
        plan_rows, period_rows, task_rows, link_rows, report_rows = [], [], [], [], []
        task_id = period_id = report_id = 0
        for p in range(1, plans + 2):
            big = p == plans + 1
            county = 0 if big else min((p - 1) // plans_per_county, counties - 1)
            own_units = range(county * per_county + 1, (county + 1) * per_county + 1)
            year = 2022 if big else 2021 if (p - 1) % plans_per_county == 0 else 2020
            plan_rows.append(
                {"id": p, "title": f"计划{p}", "year": year, "issued_on": date(2021, 2, 10), "state": "published",
                 "content_hash": uuid.uuid4().hex * 2, "document": {}, "created_at": NOW, "jurisdiction_id": county + 2}
            )  # fmt: skip
            dues = [date(2021, 3, 31), date(2021, 6, 30), date(2021, 9, 30), date(2021, 12, 31)]
            first_period = period_id + 1
            for q, due in enumerate(dues, 1):
                period_id += 1
                period_rows.append({"id": period_id, "plan_id": p, "name": f"第{q}季度", "due": due})
            for n in range(1, (BIG_TASKS if big else tasks_per_plan) + 1):
                task_id += 1
                chosen = rng.sample(own_units, 3)
                task_rows.append(
                    {"id": task_id, "plan_id": p, "position": n, "no": str(n), "kind": "task", "text": f"第{p}号计划第{n}项任务",
                     "leaders": [], "leaders_text": "", "reporting_unit_id": chosen[0], "reporting_unit_chosen": False}
                )  # fmt: skip
                for pos, unit in enumerate(chosen):
                    link_rows.append(
                        {
                            "task_id": task_id,
                            "unit_id": unit,
                            "role": "lead" if pos == 0 else "support",
                            "position": pos,
                        }
                    )
                for q in (0, 1) if n % 2 == 0 else (0,) if n % 3 == 0 else ():
                    report_id += 1
                    when = datetime.combine(dues[q], NOW.time()) if n % 5 else NOW  # some late
                    report_rows.append(
                        {"id": report_id, "task_id": task_id, "unit_id": chosen[0], "period_id": first_period + q, "revision": 1,
                         "state": "approved", "progress": rng.randint(0, 100), "text": "进展", "problems": "", "next_steps": "",
                         "completed": False, "values": [], "submitted_at": when, "first_submitted_at": when, "approved_at": when,
                         "created_at": when, "updated_at": when, "version": 2}
                    )  # fmt: skip
        for model, rows in (
            (Plan, plan_rows),
            (Period, period_rows),
            (Task, task_rows),
            (TaskUnit, link_rows),
            (Report, report_rows),
        ):
            for start in range(0, len(rows), 5000):
                session.execute(insert(model), rows[start : start + 5000])
        if not database.is_sqlite:
            for table in ("jurisdictions", "units", "plans", "periods", "tasks", "reports"):
                session.execute(
                    text(
                        f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))"
                    )
                )
        auth.add_user(session, "admin", "admin", "bench-password", None, NOW, jurisdiction="示例市/第1县")
        tokens = [auth.create_token(session, "admin", NOW)]
        for i in range(1, 61):
            session.add(
                User(username=f"u{i}", password_hash="x", role="unit", unit_id=i, active=True, created_at=NOW,
                     jurisdiction_id=county_of_unit(i))
            )  # fmt: skip
        session.flush()
        for i in range(1, 61):
            tokens.append(auth.create_token(session, f"u{i}", NOW))
        auth.add_user(session, "city", "leader", "bench-password", None, NOW, jurisdiction="示例市")
        tokens.append(auth.create_token(session, "city", NOW))
    database.dispose()
    return tokens, [*range(1, plans_per_county + 1), plans + 1], list(range(1, per_county + 1))


def percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[max(0, int(len(ordered) * 0.95) - 1)]


def timed(client: httpx.Client, path: str, rounds: int) -> tuple[float, float]:
    client.get(path).raise_for_status()  # warm
    samples = []
    for _ in range(rounds):
        start = time.perf_counter()
        client.get(path).raise_for_status()
        samples.append((time.perf_counter() - start) * 1000)
    return percentiles(samples)


def figures_endpoints(base: str, tokens: list[str], big: int, rounds: int) -> None:
    """The figures endpoints (issue 22): a city's comparison of its 20 counties' plans of one year, and the
    status, overview and rankings of the 3,000-task plan."""
    rounds = max(5, rounds // 5)
    with httpx.Client(
        base_url=base, timeout=120, headers={"Authorization": f"Bearer {tokens[-1]}"}
    ) as client:
        compared = client.get("/api/jurisdictions/1/comparison?on=2021-10-10").json()
        counted = sum(r["tasks"] for r in compared["items"])
        p50, p95 = timed(client, "/api/jurisdictions/1/comparison?on=2021-10-10", rounds)
        print(f"  (comparison: {len(compared['items'])} counties, {counted} tasks of {compared.get('year')})")
        print(f"  GET comparison (city)     p50 {p50:7.1f} ms  p95 {p95:7.1f} ms  (goal p95 < 300)")
    with httpx.Client(base_url=base, timeout=120, headers={"Authorization": f"Bearer {tokens[0]}"}) as client:
        for label, path in (
            ("status", f"/api/status?plan={big}&on=2021-10-10&size=1000"),
            ("overview", f"/api/overview?plan={big}&on=2021-10-10"),
            ("rankings", f"/api/rankings?plan={big}&on=2021-10-10&size=1000"),
        ):
            p50, p95 = timed(client, path, rounds)
            print(f"  GET {label:<9} 3,000 tasks p50 {p50:7.1f} ms  p95 {p95:7.1f} ms  (goal p95 < 200)")


def measure(base: str, url: str, tokens: list[str], plans: list[int], units: list[int], rounds: int) -> None:
    admin = {"Authorization": f"Bearer {tokens[0]}"}
    rng = random.Random(11)
    big = plans.pop()
    figures_endpoints(base, tokens, big, rounds)
    with httpx.Client(base_url=base, timeout=60, headers=admin) as client:
        warm = client.get(f"/api/status?plan={plans[0]}&size=1000").json()
        listed = client.get("/api/tasks?unit=1").json()
        print(f"  (status of plan 1: {warm['total']} tasks; unit 1 is on {listed['total']} tasks)")
        lists, statuses = [], []
        for _ in range(rounds):
            start = time.perf_counter()
            client.get(f"/api/tasks?unit={rng.choice(units)}").raise_for_status()
            lists.append((time.perf_counter() - start) * 1000)
            start = time.perf_counter()
            client.get(f"/api/status?plan={rng.choice(plans)}&size=1000").raise_for_status()
            statuses.append((time.perf_counter() - start) * 1000)
    targets = []
    database = connect(url, upgrade=False)
    with database.reader() as session:
        for i in range(1, 61):
            rows = session.execute(
                select(Task.id, Period.id)
                .join(Period, Period.plan_id == Task.plan_id)
                .where(Task.reporting_unit_id == i)
                .limit(8)
            ).all()
            targets.append([(int(t), int(p)) for t, p in rows])
    database.dispose()
    done = 0
    lock = threading.Lock()

    def worker(index: int) -> None:
        """A light load generator (http.client, keep-alive) so the 2-core machine's CPU goes to the server."""
        nonlocal done
        headers = {"Authorization": f"Bearer {tokens[index + 1]}", "Content-Type": "application/json"}
        host, port = base.removeprefix("http://").split(":")
        connection = http.client.HTTPConnection(host, int(port), timeout=60)
        for task, period in targets[index]:
            body = json.dumps({"period": period, "progress": 50, "submit": True})
            connection.request("POST", f"/api/tasks/{task}/reports", body=body, headers=headers)
            response = connection.getresponse()
            response.read()
            if response.status == 201:
                with lock:
                    done += 1
        connection.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(60)]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - start
    list_p50, list_p95 = percentiles(lists)
    status_p50, status_p95 = percentiles(statuses)
    print(f"  GET /api/tasks?unit=…    p50 {list_p50:7.1f} ms  p95 {list_p95:7.1f} ms  (goal p95 < 100)")
    print(f"  GET /api/status?plan=…   p50 {status_p50:7.1f} ms  p95 {status_p95:7.1f} ms  (goal p95 < 200)")
    print(
        f"  report submissions      {done / elapsed:7.0f} /s ({done} by 60 units in {elapsed:.1f} s; goal ≥ 200/s)"
    )


def main() -> None:
    print_reference()
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--plans", type=int, default=200)
    parser.add_argument("--tasks", type=int, default=150)
    parser.add_argument("--units", type=int, default=3000)
    parser.add_argument("--counties", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=100)
    parser.add_argument("--only", choices=["sqlite", "postgres"])
    parser.add_argument("--workers", type=int, default=1, help="server worker processes")
    args = parser.parse_args()
    for kind in ("sqlite", "postgres"):
        if args.only and kind != args.only:
            continue
        with tempfile.TemporaryDirectory() as folder:
            if kind == "sqlite":
                url = f"sqlite:///{folder}/bench.db"
                drop = None
            else:
                name = f"duban_bench_{uuid.uuid4().hex[:8]}"
                with psycopg.connect(PG_SERVER, autocommit=True) as conn:
                    conn.execute(f'CREATE DATABASE "{name}"')
                url = PG_SERVER.rsplit("/", 1)[0] + "/" + name
                drop = name
            try:
                started = time.perf_counter()
                tokens, plans, units = build(url, args.plans, args.tasks, args.units, args.counties)
                print(
                    f"{kind}: {args.counties} counties, {args.plans} plans × {args.tasks} tasks, {args.units} units"
                    f" built in {time.perf_counter() - started:.0f} s; measured as the first county's office"
                )
                with running_server(url, workers=args.workers) as base:
                    measure(base, url, tokens, plans, units, args.rounds)
            finally:
                if drop:
                    with psycopg.connect(PG_SERVER, autocommit=True) as conn:
                        conn.execute(f'DROP DATABASE IF EXISTS "{drop}" WITH (FORCE)')


if __name__ == "__main__":
    main()
