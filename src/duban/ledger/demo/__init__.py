"""Demo data for ``duban serve --demo``: the sample notices and one account per role, loaded only into an
empty database. The notices come from ``DUBAN_DEMO_CORPUS`` or the ``shared/corpus`` folder beside the
repository (the intranet has no internet, so nothing is downloaded)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from duban.ledger.demo.activity import add_activity, busiest_unit, current_plan
from duban.ledger.errors import NotFound
from duban.ledger.rules.chasing import DOCUMENT_KINDS
from duban.ledger.rules.refusals import chinese_part, not_a_notice
from duban.ledger.services import auth, chasing, importing, jurisdictions
from duban.ledger.store.db import Database
from duban.ledger.store.models import Jurisdiction, Plan, Task, User
from duban.plan import PlanError, parse
from duban.settings import Clock

DEMO_PASSWORD = "duban-demo"


def corpus_dirs() -> list[Path]:
    here = Path(__file__).resolve()
    candidates = [os.environ.get("DUBAN_DEMO_CORPUS", ""), str(Path.cwd().parent / "shared" / "corpus")]
    candidates += [str(parent.parent / "shared" / "corpus") for parent in here.parents[:5]]
    return [Path(c) for c in candidates if c and Path(c).is_dir()]


# The sample notices' counties both belong to 济宁市; its office follows them with the ``city`` account.
CITY = "济宁市"
COUNTIES = ("金乡县", "兖州区")
COUNTY_ACCOUNTS = (
    ("jinxiang-admin", "济宁市/金乡县"),
    ("yanzhou-admin", "济宁市/兖州区"),
    ("city", "济宁市"),
)


def _known(session: Session, path: str) -> bool:
    try:
        jurisdictions.find(session, path)
    except NotFound:
        return False
    return True


def _city(session: Session, clock: Clock) -> Iterator[str]:
    """Place the sample counties under 济宁市 (a county's own notice names only itself)."""
    placed = [c for c in COUNTIES if _known(session, c)]
    for county in placed:
        jurisdictions.ensure_path(session, f"{CITY}/{county}", None, clock.now())
    if placed:
        yield f"行政区：{CITY}（下辖 {'、'.join(placed)}）"


def load_demo(database: Database, clock: Clock) -> Iterator[str]:
    """Import the sample notices and create demo accounts, if the database holds no plan yet."""
    with database.writer() as session:
        if session.scalar(select(func.count(Plan.id))):
            yield "数据库中已有计划，未载入演示数据"
            return
        dirs = corpus_dirs()
        if not dirs:
            yield "未找到示例通知（可设置 DUBAN_DEMO_CORPUS）"
            return
        for path in sorted(dirs[0].glob("*.txt")):
            data = path.read_bytes()
            try:
                parsed = parse(data, filename=path.name)
            except PlanError as exc:
                head = data[:2000].decode("utf-8", errors="replace")
                yield (
                    not_a_notice(path.name, exc.message, head)
                    or f"跳过 {path.name}：{chinese_part(exc.message)}"
                )
                continue
            result = importing.import_plan(
                session, parsed, importing.content_hash(data), None, clock.now(), path.name
            )
            yield f"已导入 {result.plan.title}（{result.tasks} 项任务）"
        yield from _city(session, clock)
        # One unit for the demo ``unit`` account, chosen once: the busiest of the plan the demo activity
        # fills (so 我的任务 has reports to show), named the same in every line printed.
        current = current_plan(session, clock.today())
        chosen = busiest_unit(session, current) if current is not None else None
        unit_name = chosen.name if chosen else None
        home = (
            session.get(Jurisdiction, chosen.jurisdiction_id) if chosen and chosen.jurisdiction_id else None
        )
        place = jurisdictions.path(session, home) if home is not None else None
        for username, role, account_unit in (
            ("admin", "admin", None),
            ("leader", "leader", None),
            ("unit", "unit", unit_name),
        ):
            if session.scalar(select(User.id).where(User.username == username)) is None and (
                role != "unit" or account_unit
            ):
                where = place if role == "unit" else None  # two counties may both have the unit's name
                auth.add_user(
                    session, username, role, DEMO_PASSWORD, account_unit, clock.now(), jurisdiction=where
                )
        _name_the_leader(session)
        for username, jurisdiction in COUNTY_ACCOUNTS:
            if _known(session, jurisdiction):
                auth.add_user(
                    session, username, "admin", DEMO_PASSWORD, None, clock.now(), jurisdiction=jurisdiction
                )
        yield f"演示账号：admin / leader / unit（责任单位：{unit_name}），密码 {DEMO_PASSWORD}"
        yield (
            "各县区与市级账号：jinxiang-admin（金乡县督查室）、yanzhou-admin（兖州区督查室）、"
            f"city（济宁市，只读下辖县区），密码 {DEMO_PASSWORD}"
        )
        yield from add_activity(session, clock)
    yield _chase(database, clock)


def _chase(database: Database, clock: Clock) -> str:
    """The day's reminder run right away, as ``duban serve`` would do at its time of day, so that the bell,
    督办 and 总览's open 督办单 show the demo's late and missing reports from the first page (recorded as the
    day's run: the server does not run it again today). E-mail is off in the demo."""
    result = chasing.claim_and_run(database, clock.today(), clock.now(), email=False)
    if result is None:
        return "督办提醒：今天已运行过"
    if not result.workday:
        return "督办提醒：今天不是工作日，将在下一个工作日发出"
    documents = sum(1 for item in result.issued if item.kind in DOCUMENT_KINDS)
    return f"督办提醒：已发出 {len(result.issued)} 条通知（其中督办单 {documents} 份）"


def _name_the_leader(session: Session) -> None:
    """The demo ``leader`` is the first 牵头领导 the sample notices name, so its 我分管的 is not empty."""
    leader = session.scalar(select(User).where(User.username == "leader"))
    named = session.scalar(
        select(Task.leaders_text)
        .where(Task.leaders_text != "")
        .order_by(Task.plan_id, Task.position)
        .limit(1)
    )
    if leader is not None and named and not leader.leader_name:
        leader.leader_name = named.split("、")[0]
