"""``duban remind`` (dry run grouped by unit, then the real run, idempotent) and the daily run inside
``duban serve``: with several processes (here: workers with their own connections) exactly one runs it."""

from __future__ import annotations

import threading
from datetime import date, time
from pathlib import Path

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from duban.cli import app
from duban.ledger.services.chasing_daily import ChasingWorker
from duban.ledger.store.db import Database, connect
from duban.ledger.store.models import Notice, RemindRun
from duban.settings import Settings
from tests.chasing.scripted import published
from tests.databases import fresh_postgres, sqlite_url

runner = CliRunner()


def test_remind_dry_run_then_run(tmp_path: Path) -> None:
    url = sqlite_url(tmp_path)
    database = connect(url)
    try:
        published(database)
    finally:
        database.dispose()
    dry = runner.invoke(app, ["remind", "--on", "2021-04-01", "--dry-run", "--db", url])
    assert dry.exit_code == 0, dry.output
    assert "县工业和信息化局（2条）" in dry.stdout and "将发送6条通知" in dry.stdout
    assert "黄色督办单" in dry.stdout and "催报" in dry.stdout
    first = runner.invoke(app, ["remind", "--on", "2021-04-01", "--db", url])
    assert first.exit_code == 0 and "已发出6条通知" in first.stdout
    assert "督办〔2021〕1号" in first.stdout
    again = runner.invoke(app, ["remind", "--on", "2021-04-01", "--db", url])
    assert again.exit_code == 0 and "已发出0条通知" in again.stdout
    rest = runner.invoke(app, ["remind", "--on", "2021-04-04", "--db", url])
    assert "不是工作日" in rest.stdout
    bad = runner.invoke(app, ["remind", "--on", "4月1日", "--db", url])
    assert bad.exit_code == 2 and "日期格式不正确" in bad.output and "Traceback" not in bad.output


def _workers_at_once(url: str, database: Database) -> None:
    published(database)
    settings = Settings(database_url=url, today=date(2021, 4, 1), remind_at=time(0, 0))
    results = []
    barrier = threading.Barrier(4)

    def one() -> None:
        own = connect(url, upgrade=False)
        try:
            barrier.wait()
            results.append(ChasingWorker(settings, own).tick())
        finally:
            own.dispose()

    threads = [threading.Thread(target=one) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert sum(r is not None for r in results) == 1  # exactly one process ran the day
    with database.reader() as session:
        assert session.scalar(select(func.count()).select_from(RemindRun)) == 1
        assert session.scalar(select(func.count()).select_from(Notice)) == 6
    # Later ticks the same day do nothing more.
    assert ChasingWorker(settings, database).tick() is None


def test_daily_run_once_with_four_workers_sqlite(tmp_path: Path) -> None:
    url = sqlite_url(tmp_path)
    database = connect(url)
    try:
        _workers_at_once(url, database)
    finally:
        database.dispose()


@pytest.mark.postgres
def test_daily_run_once_with_four_workers_postgres() -> None:
    with fresh_postgres() as url:
        database = connect(url)
        try:
            _workers_at_once(url, database)
        finally:
            database.dispose()


def test_not_before_the_time_of_day(tmp_path: Path) -> None:
    url = sqlite_url(tmp_path)
    database = connect(url)
    try:
        published(database)
        settings = Settings(database_url=url, today=date(2021, 4, 1), remind_at=time(23, 59, 59))
        assert ChasingWorker(settings, database).tick() is None
        with database.reader() as session:
            assert session.scalar(select(func.count()).select_from(RemindRun)) == 0
    finally:
        database.dispose()
