"""The engine working out the next batch of plans in a second thread, on a session of its own, while the
database writes this one (``chasing.run(..., reads=...)``, as ``duban remind`` and ``duban serve`` run it):
the same notices, numbered in the same order, as working them out in turn; an error in the thread undoes the
whole run. On PostgreSQL the thread does the work; on SQLite the engine stays in one thread (the thread
measured slower there) and the results must be the same. Both databases."""

from __future__ import annotations

import threading
from datetime import date
from typing import Any

import pytest
from sqlalchemy import func, select

from duban.ledger.services import chasing
from duban.ledger.store.db import Database
from duban.ledger.store.models import Notice
from tests.chasing.scripted import at, published, published_copies

DAY = date(2021, 4, 1)  # Q1 due on 03-31: 催报 and 督办单 in every plan


def three_plans(database: Database) -> list[int]:
    sample = published(database)
    return [sample.plan_id, *published_copies(database, sample, 2)]


def case(item: chasing.Issued) -> tuple[Any, ...]:
    return (item.kind, item.plan_id, item.task_id, item.unit_id, item.period_id, item.reason)


def watch_threads(monkeypatch: pytest.MonkeyPatch, fail_on_plan: int | None = None) -> list[str]:
    """One plan a batch; records which thread worked out each batch (and fails on ``fail_on_plan``)."""
    monkeypatch.setattr(chasing, "PLANS_PER_BATCH", 1)
    work_out = chasing._work_out_batch
    threads: list[str] = []

    def watched(session: Any, batch: list[int], *args: Any) -> Any:
        threads.append(threading.current_thread().name)
        if fail_on_plan in batch:
            raise RuntimeError("读取失败")
        return work_out(session, batch, *args)

    monkeypatch.setattr(chasing, "_work_out_batch", watched)
    return threads


def test_reads_ahead_issue_what_working_in_turn_would(
    database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    plan_ids = three_plans(database)
    threads = watch_threads(monkeypatch)
    with database.reader() as session:
        expected = chasing.run(session, DAY, at(DAY, 8), dry_run=True)  # in turn, on one session
    assert threads == ["MainThread"] * 3
    threads.clear()

    with database.writer() as session:
        result = chasing.run(session, DAY, at(DAY, 8), reads=database.reader)
    ahead = database.is_sqlite is False
    assert all(name.startswith("duban-chasing-reads") == ahead for name in threads) and len(threads) == 3
    assert [case(i) for i in result.issued] == [case(i) for i in expected.issued]
    assert {i.plan_id for i in result.issued} == set(plan_ids)
    numbers = [i.number for i in result.issued if i.kind in ("yellow", "red")]
    assert numbers and numbers == list(range(1, len(numbers) + 1))  # one office: numbered in issue order
    assert (result.plans, result.tasks) == (expected.plans, expected.tasks)
    with database.reader() as session:
        stored = session.scalar(select(func.count()).select_from(Notice))
    assert stored == len(result.issued)


def test_an_error_while_reading_ahead_undoes_the_run(
    database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    plan_ids = three_plans(database)
    watch_threads(monkeypatch, fail_on_plan=plan_ids[2])  # the first two batches are written first
    with pytest.raises(RuntimeError, match="读取失败"), database.writer() as session:
        chasing.run(session, DAY, at(DAY, 8), reads=database.reader)
    with database.reader() as session:
        assert session.scalar(select(func.count()).select_from(Notice)) == 0
