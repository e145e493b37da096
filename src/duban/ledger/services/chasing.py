"""The reminder engine: for a day, what the stored facts and the plans' chasing rules say is owed
(``rules/chasing.py``), issued once per (kind, task, unit, period) as a notice with its deliveries.

It reads; it is not a second place where state changes: colours, missing and late come from the figures
(``views/figures.py``), a returned report from the ``report.returned`` event rows, and every notice it issues
or sees answered goes through ``transitions`` (change log and event rows). Idempotence is the database's: the
unique key on (kind, task, unit, period) drops a notice already issued, and on PostgreSQL a transaction-level
advisory lock makes a second engine started at the same moment wait and then find everything done (on
SQLite the writer's ``BEGIN IMMEDIATE`` serialises them the same way).

Only this engine inserts notices, and only under that lock: so the notices with an id above the largest one
seen before a batch was inserted are that batch's, and the database writes their change-log, event and
delivery rows itself from them (INSERT … SELECT), three rows a notice that never pass through Python.
"""

from __future__ import annotations

import os
import socket
from collections import defaultdict
from collections.abc import Callable, Generator, Iterable
from concurrent.futures import ThreadPoolExecutor
from contextlib import AbstractContextManager, closing
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from operator import itemgetter
from typing import Any, cast

from sqlalchemy import (
    Boolean,
    ColumnElement,
    DateTime,
    Integer,
    Select,
    String,
    Table,
    Text,
    and_,
    bindparam,
    exists,
    func,
    literal,
    null,
    or_,
    select,
    text,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from duban.ledger.rules import chasing as rules
from duban.ledger.rules.workdays import Workdays
from duban.ledger.services import plan_rules, requests
from duban.ledger.store import transitions
from duban.ledger.store.db import Database, insert_rows, insert_selected, json_object
from duban.ledger.store.models import (
    CalendarDay,
    Delivery,
    Event,
    Notice,
    Period,
    Plan,
    RemindRun,
    Report,
    Task,
    TaskReceipt,
    Unit,
    UnitContact,
)
from duban.ledger.views import figures, standing

ADVISORY_LOCK = 16_016_016  # pg_advisory_xact_lock key of the engine (any constant unique to duban)
PLANS_PER_BATCH = 25
NOTICES = cast(Table, Notice.__table__)
NOTICE_KEY = ("kind", "task_id", "unit_id", "period_id")  # one notice per case
case_key = itemgetter(*NOTICE_KEY)  # a notice row's case key


@dataclass(frozen=True)
class Issued:
    """A notice the run issued (or, in a dry run, would issue)."""

    kind: str
    plan_id: int
    plan_title: str
    task_id: int
    task_no: str
    unit_id: int
    unit_name: str
    period_id: int
    reason: str
    number: int | None = None

    @property
    def label(self) -> str:
        return rules.KIND_LABELS[self.kind]


@dataclass
class RunResult:
    day: date
    workday: bool
    issued: list[Issued] = field(default_factory=list)
    answered: int = 0
    deliveries: int = 0
    plans: int = 0
    tasks: int = 0

    def by_unit(self) -> dict[str, list[Issued]]:
        grouped: dict[str, list[Issued]] = defaultdict(list)
        for item in sorted(self.issued, key=lambda i: (i.unit_name, i.plan_id, i.task_no, i.kind)):
            grouped[item.unit_name].append(item)
        return dict(grouped)


def workdays(session: Session) -> Workdays:
    """The Chinese calendar with the administrator's own holidays and make-up days over it."""
    return Workdays(dict(session.execute(select(CalendarDay.day, CalendarDay.workday)).all()))


def _lock(session: Session) -> None:
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": ADVISORY_LOCK})


def _insert_ignoring(session: Session, rows: list[dict[str, Any]], before: int) -> list[Any]:
    """INSERT … ON CONFLICT DO NOTHING on the case key, then the rows this run actually inserted: on SQLite
    one executemany, read back as the ids after ``before``; on PostgreSQL through a staging table."""
    if session.get_bind().dialect.name == "postgresql":
        return _insert_ignoring_staged(session, rows)
    insert_rows(session.connection(), NOTICES, rows, skip_conflicts_on=NOTICE_KEY)
    return list(
        session.execute(
            select(Notice.id, Notice.kind, Notice.task_id, Notice.unit_id, Notice.period_id)
            .where(Notice.id > before)
            .order_by(Notice.id)
        ).all()
    )


def _insert_ignoring_staged(session: Session, rows: list[dict[str, Any]]) -> list[Any]:
    """PostgreSQL: the rows COPYed into a temporary table of this transaction, then moved into ``notices`` by
    one INSERT … SELECT … ON CONFLICT DO NOTHING RETURNING what it inserted. An executemany sent one INSERT a
    row (fifty thousand on a province's heaviest day); COPY has no ON CONFLICT, hence the stage."""
    columns = list(rows[0])
    names = ", ".join(columns)  # the model's own column names, not input
    connection = session.connection()
    connection.execute(
        text(
            f"CREATE TEMP TABLE IF NOT EXISTS notices_incoming ON COMMIT DROP AS SELECT {names} FROM notices WITH NO DATA"
        )
    )
    connection.execute(text("TRUNCATE notices_incoming"))
    insert_rows(connection, NOTICES, rows, into="notices_incoming")
    moved = connection.execute(
        text(
            f"INSERT INTO notices ({names}) SELECT {names} FROM notices_incoming "
            f"ON CONFLICT ({', '.join(NOTICE_KEY)}) DO NOTHING RETURNING id, {', '.join(NOTICE_KEY)}"
        )
    )
    return list(moved.all())


def _returned(session: Session, plan_ids: list[int]) -> dict[tuple[int, int, int], date]:
    """(task, unit, period) → the day its report was last returned, for reports still not resubmitted
    (returned, or edited back to a draft), read from the ``report.returned`` events."""
    found: dict[tuple[int, int, int], date] = {}
    for task_id, unit_id, period_id, at in session.execute(
        select(Report.task_id, Report.unit_id, Report.period_id, func.max(Event.created_at))
        .join(Report, Report.id == Event.object_id)
        .join(Task, Task.id == Report.task_id)
        .where(
            Event.kind == "report.returned",
            Event.object_type == "report",
            Report.state.in_(("returned", "draft")),
            Task.plan_id.in_(plan_ids),
        )
        .group_by(Report.task_id, Report.unit_id, Report.period_id)
    ):
        found[(task_id, unit_id, period_id)] = at.date()
    return found


def answer_pass(session: Session, now: datetime) -> int:
    """Mark answered the open notices a unit has since answered with a report: a report submitted for the
    notice's period (催报, 临近提醒), or any report submitted after a 督办单 was issued (even if the office
    later returns it: the unit did answer; a return starts its own 催报). One compare-and-set UPDATE for
    all of them and the moves' log and event rows through ``transitions``."""
    matches: list[tuple[int, int, int, int, int | None]] = [
        (notice_id, plan_id, unit_id, period_id, report_id)
        for notice_id, plan_id, unit_id, period_id, report_id in session.execute(
            select(Notice.id, Notice.plan_id, Notice.unit_id, Notice.period_id, func.min(Report.id))
            .join(
                Report,
                and_(
                    Report.task_id == Notice.task_id,
                    Report.unit_id == Notice.unit_id,
                    Report.submitted_at.is_not(None),
                    Report.submitted_at >= Notice.created_at,
                    Report.submitted_at <= now,
                    or_(Notice.kind.in_(rules.DOCUMENT_KINDS), Report.period_id == Notice.period_id),
                ),
            )
            .where(Notice.state == "issued", Notice.kind != "receipt")
            .group_by(Notice.id, Notice.plan_id, Notice.unit_id, Notice.period_id)
        )
    ]
    # A 签收提醒 is answered by the unit's 签收 (no report to point at).
    matches += [
        (notice_id, plan_id, unit_id, period_id, None)
        for notice_id, plan_id, unit_id, period_id in session.execute(
            select(Notice.id, Notice.plan_id, Notice.unit_id, Notice.period_id)
            .join(
                TaskReceipt,
                and_(
                    TaskReceipt.task_id == Notice.task_id,
                    TaskReceipt.unit_id == Notice.unit_id,
                    TaskReceipt.created_at <= now,
                ),
            )
            .where(Notice.state == "issued", Notice.kind == "receipt")
        )
    ]
    if not matches:
        return 0
    move = transitions.check("notice", "answer", "issued", None)
    table = NOTICES
    session.connection().execute(
        table.update()
        .where(table.c.id == bindparam("notice_id"), table.c.state == move.sources[0])
        .values(
            state=move.target,
            answered_at=now,
            answer_report_id=bindparam("report_id"),
            version=table.c.version + 1,
        ),
        [{"notice_id": m[0], "report_id": m[4]} for m in matches],
    )
    transitions.record_many(
        session,
        move,
        [
            {
                "object_id": notice_id,
                "after": {"state": move.target, "answer_report_id": report_id},
                "plan_id": plan_id,
                "unit_id": unit_id,
                "period_id": period_id,
            }
            for notice_id, plan_id, unit_id, period_id, report_id in matches
        ],
        now,
    )
    session.expire_all()
    return len(matches)


def _published_on(session: Session, plan_ids: list[int]) -> dict[int, date]:
    """Plan → the day it was (last) published, from the ``plan.published`` events."""
    return {
        plan_id: at.date()
        for plan_id, at in session.execute(
            select(Event.object_id, func.max(Event.created_at))
            .where(Event.kind == "plan.published", Event.object_type == "plan", Event.object_id.in_(plan_ids))
            .group_by(Event.object_id)
        )
    }


def _unconfirmed(session: Session, loaded: dict[int, standing.PlanFacts]) -> dict[int, set[int]]:
    """Task → the units it is assigned to (named, or members of a 各… group) that have not confirmed it."""
    task_ids = [t.id for facts in loaded.values() for t in facts.tasks]
    assigned = requests.assignees(session, task_ids)
    if not assigned:
        return {}
    for task_id, unit_id in session.execute(
        select(TaskReceipt.task_id, TaskReceipt.unit_id).where(TaskReceipt.task_id.in_(list(assigned)))
    ):
        assigned[task_id].discard(unit_id)
    return {task_id: units for task_id, units in assigned.items() if units}


def _receipts_owed(
    facts: standing.PlanFacts,
    unconfirmed: dict[int, set[int]],
    published_on: date | None,
    day: date,
    plan_chasing: rules.ChasingRules,
    calendar: Workdays,
) -> Iterable[rules.Owed]:
    """签收提醒 owed in one plan; keyed on the plan's first period (one per task and unit, ever)."""
    if published_on is None or not facts.periods or not plan_chasing.receipt:
        return
    first = min(facts.periods, key=lambda p: p.due).id
    for task in facts.tasks:
        for unit_id in sorted(unconfirmed.get(task.id, ())):
            found = rules.receipt_owed(task.id, unit_id, first, published_on, day, plan_chasing, calendar)
            if found is not None:
                yield found


def _cases(
    loaded: standing.PlanFacts,
    computed: figures.PlanFigures,
    returned: dict[tuple[int, int, int], date],
    chased: dict[int, dict[int, date]],
    day: date,
    existing: set[tuple[str, int, int, int]],
) -> Iterable[rules.TaskCase]:
    names = {p.id: p.name for p in loaded.periods}
    # Colour notices follow the figures of the current period, the latest one already due: before the first
    # due date (when the figures fall back to the first period) a task is not yet judged at a checkpoint.
    due = computed.basis.period_due
    current = computed.basis.period_id if due is not None and due < day else None
    for item in computed.tasks:
        task = item.task
        if not item.assessed or task.reporting_unit_id is None:
            continue
        facts = loaded.facts[task.id]
        submitted = facts.first_submitted
        unit_id = task.reporting_unit_id
        periods = [
            rules.PeriodState(
                p.id, names[p.id], p.due, submitted.get(p.id), returned.get((task.id, unit_id, p.id))
            )
            for p in facts.periods
        ]
        colour = item.status.colour
        explain = (
            colour in ("yellow", "red")
            and current is not None
            and (colour, task.id, unit_id, current) not in existing
        )  # a reason is worded only for a 督办单 not issued yet (thousands of tasks stay red for weeks)
        yield rules.TaskCase(
            task_id=task.id,
            unit_id=unit_id,
            colour=colour,
            colour_reason=item.reason if explain else "",
            current_period_id=current,
            periods=periods,
            chased=chased.get(task.id, {}),
        )


def _next_numbers(session: Session, year: int) -> dict[int | None, int]:
    """The last 督办单 number of each jurisdiction in ``year`` (numbers run per issuing office and year)."""
    return {
        jurisdiction: number or 0
        for jurisdiction, number in session.execute(
            select(Plan.jurisdiction_id, func.max(Notice.number))
            .join(Plan, Plan.id == Notice.plan_id)
            .where(Notice.year == year, Notice.number.is_not(None))
            .group_by(Plan.jurisdiction_id)
        )
    }


def run(
    session: Session,
    day: date,
    now: datetime,
    *,
    dry_run: bool = False,
    email: bool = True,
    progress: Callable[[int, int], None] | None = None,
    reads: Callable[[], AbstractContextManager[Session]] | None = None,
) -> RunResult:
    """Issue what is owed on ``day`` (a dry run only works it out). Runs on working days; on other days it
    only marks answered notices. Safe to run twice, or from two processes at once.

    Plans go in batches: a batch's facts are read and its notices worked out (``_work_out_batch``), then
    written (``_write``). Given ``reads`` (a second session of the same database: ``Database.reader``),
    the next batch is worked out on it in a second thread while the database writes this one, so the
    server's work and Python's overlap (on PostgreSQL's heaviest day about half of each). Only committed
    data is read there, so ``run`` takes it only from callers with nothing uncommitted to see: the engine's
    own writes before the batches (``answer_pass``) change no fact a batch reads, and its lock, taken
    first, means every earlier run's notices are committed."""
    if not dry_run:
        _lock(session)
    calendar = workdays(session)
    result = RunResult(day, calendar.is_workday(day))
    if not dry_run:
        result.answered = answer_pass(session, now)
    if not result.workday:
        return result
    plan_ids = chased_plans(session, day)
    numbers = _next_numbers(session, day.year) if not dry_run else {}
    batches = [
        plan_ids[start : start + PLANS_PER_BATCH] for start in range(0, len(plan_ids), PLANS_PER_BATCH)
    ]

    def work_out(reader: Session, batch: list[int]) -> list[_PlanNotices]:
        return _work_out_batch(reader, batch, day, now, calendar, numbers, result, dry_run)

    done = 0
    with closing(_worked_out(session, batches, work_out, reads)) as ready:  # stops the thread on an error
        for batch, planned in ready:
            _write(session, planned, now, result, dry_run, email)
            done += len(batch)
            if progress is not None:
                progress(done, len(plan_ids))
    return result


def _worked_out(
    session: Session,
    batches: list[list[int]],
    work_out: Callable[[Session, list[int]], list[_PlanNotices]],
    reads: Callable[[], AbstractContextManager[Session]] | None,
) -> Generator[tuple[list[int], list[_PlanNotices]], None, None]:
    """Each batch with its notices worked out: in turn on ``session``, or, given ``reads`` on PostgreSQL, one
    batch ahead in a worker thread on a session of its own (only that thread touches it; numbering stays in
    order). Not on SQLite: its writes run in this process and hold the interpreter lock for much of their
    time, so the thread measured slower there (3.0 s instead of 2.8 s on the heaviest day)."""
    if reads is None or len(batches) < 2 or session.get_bind().dialect.name != "postgresql":
        for batch in batches:
            yield batch, work_out(session, batch)
        return
    with reads() as reader, ThreadPoolExecutor(1, thread_name_prefix="duban-chasing-reads") as ahead:
        pending = ahead.submit(work_out, reader, batches[0])
        for index, batch in enumerate(batches):
            planned = pending.result()
            if index + 1 < len(batches):
                pending = ahead.submit(work_out, reader, batches[index + 1])
            yield batch, planned


@dataclass
class _PlanNotices:
    """One plan's notices worked out for the day, numbered, not yet written."""

    plan_id: int
    plan_title: str
    chasing: rules.ChasingRules
    task_nos: dict[int, str]
    unit_names: dict[int, str]
    rows: list[dict[str, Any]]


def _work_out_batch(
    session: Session,
    batch: list[int],
    day: date,
    now: datetime,
    calendar: Workdays,
    numbers: dict[int | None, int],
    result: RunResult,
    dry_run: bool,
) -> list[_PlanNotices]:
    """What a batch of plans owes on ``day`` and not yet issued, as notice rows: reads only."""
    loaded = standing.load_many(session, batch)
    issued_bulletins = figures.issued_bulletins(session, batch)
    colour_rules = plan_rules.rules_for_many(session, batch)
    chase_rules = plan_rules.chasing_for_many(session, batch)
    returned = _returned(session, batch)
    published_on = _published_on(session, batch)
    receipt_due = {  # plans whose 签收 window has passed: only they need the assignments read
        plan_id: facts
        for plan_id, facts in loaded.items()
        if chase_rules[plan_id].receipt
        and plan_id in published_on
        and calendar.between(published_on[plan_id], day) >= chase_rules[plan_id].receipt_days
    }
    unconfirmed = _unconfirmed(session, receipt_due)
    wanted = {
        t.reporting_unit_id for p in loaded.values() for t in p.tasks if t.reporting_unit_id is not None
    } | {unit_id for units in unconfirmed.values() for unit_id in units}
    unit_names = dict(session.execute(select(Unit.id, Unit.name).where(Unit.id.in_(wanted))).all())
    existing: set[tuple[str, int, int, int]] = set()
    chased: dict[int, dict[int, dict[int, date]]] = defaultdict(lambda: defaultdict(dict))
    for kind, plan_id, task_id, unit_id, period_id, issued_on in session.execute(
        select(
            Notice.kind, Notice.plan_id, Notice.task_id, Notice.unit_id, Notice.period_id, Notice.day
        ).where(Notice.plan_id.in_(batch))
    ):
        existing.add((kind, task_id, unit_id, period_id))
        if kind == "chase":
            chased[plan_id][task_id][period_id] = issued_on
    planned: list[_PlanNotices] = []
    for plan_id, facts in loaded.items():
        result.plans += 1
        result.tasks += len(facts.tasks)
        computed = figures.compute(
            session,
            facts,
            None,
            day,
            plan_rules=colour_rules[plan_id],
            issued=issued_bulletins,
            unit_names=unit_names,
            section_titles={},
            compare=False,
            rank=False,
        )
        plan_chasing = chase_rules[plan_id]
        owed: list[rules.Owed] = []
        for case in _cases(facts, computed, returned, chased[plan_id], day, existing):
            owed.extend(rules.owed(case, day, plan_chasing, calendar, existing))
        owed.extend(
            o
            for o in _receipts_owed(
                facts, unconfirmed, published_on.get(plan_id), day, plan_chasing, calendar
            )
            if (o.kind, o.task_id, o.unit_id, o.period_id) not in existing
        )
        if not owed:
            continue
        plan = facts.plan
        tasks = {t.id: t for t in facts.tasks}
        respond_by = calendar.add(day, plan_chasing.respond_days)  # the plan's answer day of a 督办单
        # One list per task and one empty list for all rows: rows that share a list share its JSON text.
        copied = {t.id: list(t.leaders) for t in facts.tasks} if plan_chasing.copy_leaders else {}
        no_leaders: list[str] = []
        rows: list[dict[str, Any]] = []
        for o in owed:
            number = None
            if o.kind in rules.DOCUMENT_KINDS and not dry_run:
                numbers[plan.jurisdiction_id] = numbers.get(plan.jurisdiction_id, 0) + 1
                number = numbers[plan.jurisdiction_id]
            rows.append(
                {
                    "kind": o.kind,
                    "state": "issued",
                    "plan_id": plan_id,
                    "task_id": o.task_id,
                    "unit_id": o.unit_id,
                    "period_id": o.period_id,
                    "day": day,
                    "year": day.year,
                    "number": number,
                    "reason": o.reason,
                    "leaders": copied[o.task_id] if o.kind in rules.COPIED_KINDS and copied else no_leaders,
                    "respond_by": respond_by if o.kind in rules.DOCUMENT_KINDS else None,
                    "answered_at": None,
                    "answer_report_id": None,
                    "created_at": now,
                    "version": 1,
                }
            )
        planned.append(
            _PlanNotices(
                plan_id,
                plan.title,
                plan_chasing,
                {o.task_id: tasks[o.task_id].no for o in owed},
                {o.unit_id: unit_names.get(o.unit_id) or computed.unit_name(o.unit_id) for o in owed},
                rows,
            )
        )
    return planned


def _write(
    session: Session,
    planned: list[_PlanNotices],
    now: datetime,
    result: RunResult,
    dry_run: bool,
    email: bool,
) -> None:
    """Insert a batch's notices (the unique key drops any already issued); the database then writes their
    change-log, event and delivery rows itself, from the notices just inserted (INSERT … SELECT: on the
    heaviest day that is 150,000 rows that never pass through Python). A dry run only lists them. Only the
    engine inserts notices, under its lock, so the rows after the largest id seen before are this run's."""
    rows = [row for plan in planned for row in plan.rows]
    if not rows:
        return
    of_plan = {plan.plan_id: plan for plan in planned}
    if dry_run:
        inserted: list[Any] = [(0, *case_key(r)) for r in rows]
    else:
        before = session.scalar(select(func.coalesce(func.max(Notice.id), 0))) or 0
        inserted = _insert_ignoring(session, rows, before)
    by_key = {case_key(r): r for r in rows}
    for _notice_id, kind, task_id, unit_id, period_id in inserted:
        row = by_key[(kind, task_id, unit_id, period_id)]
        plan = of_plan[row["plan_id"]]
        result.issued.append(
            Issued(
                kind,
                plan.plan_id,
                plan.plan_title,
                task_id,
                plan.task_nos[task_id],
                unit_id,
                plan.unit_names[unit_id],
                period_id,
                row["reason"],
                row["number"],
            )
        )
    if dry_run or not inserted:
        return
    new = Notice.id > before
    issue = transitions.find("notice", "issue")
    dialect = session.get_bind().dialect.name
    after = json_object(
        dialect, state=issue.target, kind=Notice.kind, task_id=Notice.task_id, number=Notice.number
    )
    transitions.record_selected(
        session,
        issue,
        select(
            Notice.id.label("object_id"),
            Notice.plan_id,
            Notice.unit_id,
            Notice.period_id,
            after.label("after"),
        ).where(new),
        now,
    )
    result.deliveries += _queue_deliveries(
        session, new, {plan.plan_id: plan.chasing for plan in planned}, now, email
    )


def _queue_deliveries(
    session: Session,
    new: ColumnElement[bool],
    plan_chasing: dict[int, rules.ChasingRules],
    now: datetime,
    email: bool,
) -> int:
    """Where the new notices go besides the bell: the unit's e-mail and group robot; for a 催报 or 督办单,
    also the plan's copy addresses and robot (the leaders' office) if the plan copies them, unless that
    address already gets the notice as the unit's own. Written by the database (INSERT … SELECT), pending,
    for the delivery worker. Returns how many were queued."""
    connection = session.connection()

    def queue(channel: Any, target: Any, secret: Any, copy: bool, source: Select[Any]) -> None:
        pending = source.with_only_columns(
            Notice.id.label("notice_id"),
            channel.label("channel"),
            target.label("target"),
            secret.label("secret"),
            literal(copy, Boolean).label("copy"),
            literal("pending", String).label("state"),
            literal(0, Integer).label("attempts"),
            null().cast(Text).label("last_error"),
            literal(now, DateTime).label("next_try_at"),
            null().cast(DateTime).label("sent_at"),
            literal(now, DateTime).label("created_at"),
        )
        insert_selected(connection, cast(Table, Delivery.__table__), pending)

    sent_out = select(Notice.id).where(new, Notice.kind.not_in(rules.IN_APP_ONLY_KINDS))
    of_unit = sent_out.join(UnitContact, UnitContact.unit_id == Notice.unit_id)
    if email:
        queue(
            literal("email", String),
            UnitContact.email,
            null().cast(String),
            False,
            of_unit.where(UnitContact.email != ""),
        )
    queue(
        UnitContact.robot_kind,
        UnitContact.robot_url,
        func.nullif(UnitContact.robot_secret, ""),
        False,
        of_unit.where(
            UnitContact.robot_kind.is_not(None), UnitContact.robot_kind != "", UnitContact.robot_url != ""
        ),
    )
    for plan_id, chasing in plan_chasing.items():
        if not chasing.copy_leaders:
            continue
        targets: dict[tuple[str, str], str | None] = {}
        if email:
            targets.update({("email", address): None for address in chasing.copy_emails})
        if chasing.robot_kind and chasing.robot_url:
            targets.setdefault((chasing.robot_kind, chasing.robot_url), chasing.robot_secret or None)
        for (channel, target), secret in targets.items():
            taken = exists().where(
                Delivery.notice_id == Notice.id, Delivery.channel == channel, Delivery.target == target
            )
            queue(
                literal(channel, String),
                literal(target, String),
                literal(secret, String) if secret else null().cast(String),
                True,
                sent_out.where(Notice.plan_id == plan_id, Notice.kind.in_(rules.COPIED_KINDS), ~taken),
            )
    return int(
        session.scalar(select(func.count()).select_from(Delivery).where(Delivery.notice_id.in_(sent_out)))
        or 0
    )


def runner_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def claim_and_run(database: Database, day: date, now: datetime, *, email: bool = True) -> RunResult | None:
    """The daily run inside ``duban serve``: the first process to insert the day's ``remind_runs`` row runs
    the engine in the same transaction; every other process (another worker, another server on the same
    PostgreSQL) fails the insert on the primary key and does nothing. None when someone else has it."""
    try:
        with database.writer() as session:
            if session.get(RemindRun, day) is not None:
                return None
            session.add(RemindRun(day=day, started_at=now, issued=0, runner=runner_name()))
            session.flush()
            result = run(session, day, now, email=email, reads=database.reader)
            stored = session.get(RemindRun, day)
            assert stored is not None
            stored.finished_at = datetime.now() if now.date() == datetime.now().date() else now
            stored.issued = len(result.issued)
            return result
    except IntegrityError:
        return None


CHASED_AFTER_LAST_DUE = timedelta(days=31)


def chased_plans(session: Session, day: date) -> list[int]:
    """The plans the engine goes through on ``day``: published, and not over for more than a month. A plan
    is chased until ``CHASED_AFTER_LAST_DUE`` after its last period falls due (its year's 12-31 when it has no
    periods): long enough for the last 催报 and its 红色督办单 in January, and a past year's plan kept for
    comparison, or imported late for the record, never gets a burst of 督办单 for work years over."""
    last_due = (
        select(Plan.id, Plan.year, func.max(Period.due).label("last_due"))
        .outerjoin(Period, Period.plan_id == Plan.id)
        .where(Plan.state == transitions.PlanState.PUBLISHED.value)
        .group_by(Plan.id, Plan.year)
        .order_by(Plan.id)
    )
    return [
        plan_id
        for plan_id, year, due in session.execute(last_due)
        if day <= (due or date(year, 12, 31)) + CHASED_AFTER_LAST_DUE
    ]


def ran_on(session: Session, day: date) -> bool:
    return session.get(RemindRun, day) is not None
