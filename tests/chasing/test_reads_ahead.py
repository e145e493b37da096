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

from duban.ledger.services import chasing, publishing
from duban.ledger.store.db import Database
from duban.ledger.store.models import Notice, Plan
from tests.chasing.scripted import START, at, published
from tests.ledger.helpers import NOTICE, imported

DAY = date(2021, 4, 1)  # Q1 due on 03-31: 催报 and 督办单 in every plan


def three_plans(database: Database) -> list[int]:
    first = published(database).plan_id
    others = [  # the same tasks under other numbers (the same file again would be the same plan)
        imported(database, NOTICE.replace("〔2021〕2号", f"〔2021〕{n}号"), START) for n in (7, 8)
    ]
    with database.writer() as session:
        for plan_id in others:
            plan = session.get(Plan, plan_id)
            assert plan is not None
            publishing.publish(session, plan, None, START)
    return [first, *others]


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
