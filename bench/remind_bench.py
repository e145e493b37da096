"""How long a day's run of the reminder engine takes on a province-scale database, on SQLite and PostgreSQL.

Builds the province of ``api_bench`` (20 counties, 200 plans × 150 tasks plus one 3,000-task plan, 3,000
units, quarterly periods, approved reports for about half the tasks; every unit with an e-mail contact),
then times ``chasing.run`` on 2021-07-01, the first working day after the Q2 due date (the heaviest day:
催报 and 督办单 for every task missing Q2, with their deliveries), the same day again (nothing new: the
idempotent case), and 2021-07-02 (an ordinary day), each ``--repeat`` times (the heaviest day from a fresh
copy of the database each time), best first. Goal (issue 16): under 5 s for a day's run.

Run: ``.venv/bin/python bench/remind_bench.py [--plans 200] [--only sqlite|postgres] [--repeat 3]``.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
import uuid
from datetime import date, datetime
from pathlib import Path

import psycopg
from sqlalchemy import func, insert, select

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from api_bench import PG_SERVER, build
from duban.cli_chasing import quiet_collector
from duban.ledger.services import chasing
from duban.ledger.store.db import connect
from duban.ledger.store.models import Delivery, Notice, UnitContact
from machine import print_reference


def timed_run(url: str, day: date) -> tuple[float, chasing.RunResult]:
    database = connect(url, upgrade=False)
    quiet_collector()  # as ``duban remind`` and ``duban serve`` run it
    try:
        started = time.perf_counter()
        with database.writer() as session:
            now = datetime.combine(day, datetime.min.time().replace(hour=8))
            result = chasing.run(session, day, now, reads=database.reader)  # as ``duban remind`` runs it
        return time.perf_counter() - started, result
    finally:
        database.dispose()


def fresh_copy(url: str, kind: str) -> str:
    """A copy of the built database, to run the heaviest day on again from the same start: a file copy on
    SQLite, a database made from it as a template on PostgreSQL."""
    if kind == "sqlite":
        source = Path(url.removeprefix("sqlite:///"))
        copy = source.with_name("copy.db")
        for leftover in (copy, copy.with_name("copy.db-wal"), copy.with_name("copy.db-shm")):
            leftover.unlink(missing_ok=True)
        shutil.copyfile(source, copy)
        return f"sqlite:///{copy}"
    name = url.rsplit("/", 1)[1]
    with psycopg.connect(PG_SERVER, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}_copy" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}_copy" TEMPLATE "{name}"')
    return f"{url}_copy"


def report(label: str, runs: list[tuple[float, chasing.RunResult]]) -> None:
    seconds = sorted(s for s, _ in runs)
    result = runs[-1][1]
    print(
        f"  {label}: best {seconds[0]:.2f} s of {len(runs)} ({', '.join(f'{s:.2f}' for s, _ in runs)}) — "
        f"{result.plans} plans, {result.tasks} tasks, {len(result.issued)} notices issued, "
        f"{result.deliveries} deliveries queued"
    )


def bench(url: str, args: argparse.Namespace, kind: str) -> None:
    started = time.perf_counter()
    build(url, args.plans, args.tasks, args.units, args.counties)
    database = connect(url)
    with database.writer() as session:
        session.execute(
            insert(UnitContact),
            [
                {"unit_id": i, "person": "", "phone": "", "email": f"u{i}@example.org", "robot_kind": None,
                 "robot_url": "", "robot_secret": "", "updated_at": datetime(2021, 1, 1)}
                for i in range(1, args.units + 1)
            ],
        )  # fmt: skip
    database.dispose()
    print(
        f"{kind}: {args.plans} plans × {args.tasks} tasks (+1 × 3,000), {args.units} units, built in "
        f"{time.perf_counter() - started:.0f} s"
    )
    # The machine's speed drifts from run to run: each day is run ``--repeat`` times and the best is the
    # figure. The heaviest day starts each time from a fresh copy of the built database.
    heaviest = [timed_run(fresh_copy(url, kind), date(2021, 7, 1)) for _ in range(args.repeat - 1)]
    heaviest.append(timed_run(url, date(2021, 7, 1)))
    report("2021-07-01 (催报/督办单 day)", heaviest)
    if kind == "postgres":  # what autovacuum has done by the next day's run, done now rather than meanwhile
        name = url.rsplit("/", 1)[1]
        with psycopg.connect(PG_SERVER, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}_copy" WITH (FORCE)')
        with psycopg.connect(url.replace("+psycopg", ""), autocommit=True) as conn:
            conn.execute("VACUUM ANALYZE")
    report("2021-07-01 again (idempotent)", [timed_run(url, date(2021, 7, 1)) for _ in range(args.repeat)])
    report("2021-07-02 (ordinary day)", [timed_run(url, date(2021, 7, 2)) for _ in range(args.repeat)])
    database = connect(url, upgrade=False)
    with database.reader() as session:
        notices = session.scalar(select(func.count()).select_from(Notice))
        deliveries = session.scalar(select(func.count()).select_from(Delivery))
    print(f"  stored: {notices} notices, {deliveries} deliveries")
    database.dispose()


def main() -> None:
    print_reference()
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--plans", type=int, default=200)
    parser.add_argument("--tasks", type=int, default=150)
    parser.add_argument("--units", type=int, default=3000)
    parser.add_argument("--counties", type=int, default=20)
    parser.add_argument("--only", choices=["sqlite", "postgres"])
    parser.add_argument("--repeat", type=int, default=3, help="runs of each day; the best is the figure")
    args = parser.parse_args()
    for kind in ("sqlite", "postgres"):
        if args.only and kind != args.only:
            continue
        with tempfile.TemporaryDirectory() as folder:
            drop = None
            if kind == "sqlite":
                url = f"sqlite:///{folder}/bench.db"
            else:
                drop = f"duban_bench_{uuid.uuid4().hex[:8]}"
                with psycopg.connect(PG_SERVER, autocommit=True) as conn:
                    conn.execute(f'CREATE DATABASE "{drop}"')
                url = PG_SERVER.rsplit("/", 1)[0] + "/" + drop
            try:
                bench(url, args, kind)
            finally:
                if drop:
                    with psycopg.connect(PG_SERVER, autocommit=True) as conn:
                        conn.execute(f'DROP DATABASE IF EXISTS "{drop}_copy" WITH (FORCE)')
                        conn.execute(f'DROP DATABASE IF EXISTS "{drop}" WITH (FORCE)')


if __name__ == "__main__":
    main()
