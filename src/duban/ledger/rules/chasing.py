"""What the reminder engine owes on a day, from a task's facts (pure: no database).

The rules of issue 16, counted in working days (:mod:`workdays`):
- 临近提醒 (``remind``): the next period falls due within ``remind_days`` working days and the reporting unit
  has submitted nothing for it;
- 催报 (``chase``): the latest period due before the day is missing (the engine runs on working days only, so
  this is the next working day after the due date at the earliest), copied to the task's leaders;
- 红色督办单 (``red``): still missing ``escalate_days`` working days after the 催报; or the task is red that day
  (red includes two missing reports in a row, ``ledger.md``);
- 黄色督办单 (``yellow``): the task is yellow that day (and not red);
- 催报 for a returned report (``returned``): returned and not resubmitted within ``returned_days`` working days;
- 签收提醒 (``receipt``, issue 21): a task of a published plan not yet confirmed (签收) by a unit it is assigned
  to ``receipt_days`` working days after the plan was published (in the app only, like a 临近提醒).
A notice is one per (kind, task, unit, period): the engine inserts what these rules say and the database's
unique key drops what was already issued.
"""

from __future__ import annotations

from collections.abc import Container, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import NamedTuple

from duban.ledger.rules.workdays import Workdays

KINDS = ("remind", "chase", "returned", "yellow", "red", "receipt")
KIND_LABELS = {
    "remind": "临近提醒",
    "chase": "催报",
    "returned": "催报",
    "yellow": "黄色督办单",
    "red": "红色督办单",
    "receipt": "签收提醒",
}
DOCUMENT_KINDS = ("yellow", "red")  # the 督办单, numbered and printed
COPIED_KINDS = ("chase", "yellow", "red")  # copied to the task's leaders
IN_APP_ONLY_KINDS = ("receipt",)  # shown in the bell, never e-mailed or posted to a robot
COLOUR_WORDS = {"yellow": "黄色", "red": "红色"}


def chinese_day(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


@dataclass(frozen=True)
class ChasingRules:
    """A plan's chasing rules, next to its colour thresholds (``plan_rules``); the administrator changes
    them and every change is logged."""

    remind_days: int = 3
    escalate_days: int = 5
    returned_days: int = 3
    respond_days: int = 5  # a 督办单 asks for an answer within this many working days
    receipt_days: int = 3  # 签收提醒 this many working days after the plan was published
    remind: bool = True
    chase: bool = True
    returned: bool = True
    yellow: bool = True
    red: bool = True
    receipt: bool = True
    copy_leaders: bool = True
    copy_emails: tuple[str, ...] = ()
    robot_kind: str | None = None  # the plan's group robot: "dingtalk" or "wecom"
    robot_url: str = ""
    robot_secret: str = ""

    def enabled(self, kind: str) -> bool:
        return bool(getattr(self, "red" if kind == "red" else kind))


class PeriodState(NamedTuple):
    """One period of a task as the engine sees it on the day (a named tuple: the engine makes one for each
    period of each task, 130,000 on a province's run)."""

    id: int
    name: str
    due: date
    submitted_on: date | None = None  # first submission by the reporting unit
    returned_on: date | None = None  # returned and not resubmitted since


@dataclass(frozen=True)
class TaskCase:
    task_id: int
    unit_id: int
    colour: str  # from the figures (views/figures.py), never recomputed here
    colour_reason: str
    current_period_id: int | None
    periods: Sequence[PeriodState]
    chased: Mapping[int, date] = field(default_factory=dict)  # period id → day its 催报 was issued


@dataclass(frozen=True)
class Owed:
    kind: str
    task_id: int
    unit_id: int
    period_id: int
    reason: str


def _missing(period: PeriodState, day: date) -> bool:
    return period.due < day and (period.submitted_on is None or period.submitted_on > day)


def owed(
    case: TaskCase,
    day: date,
    rules: ChasingRules,
    calendar: Workdays,
    issued: Container[tuple[str, int, int, int]] = (),
) -> list[Owed]:
    """The notices ``case`` calls for on ``day`` (a working day) that are not in ``issued`` yet (keys
    (kind, task, unit, period)). Every reason is a sentence the unit can act on; it is worded only for a
    notice not issued before (thousands of tasks stay red for weeks)."""
    if case.colour == "done":
        return []
    found: list[Owed] = []
    called_for: set[tuple[str, int]] = set()  # what the rules call for, issued before or not

    def wanted(kind: str, period_id: int) -> bool:
        if not rules.enabled(kind) or (kind, period_id) in called_for:
            return False
        called_for.add((kind, period_id))
        return (kind, case.task_id, case.unit_id, period_id) not in issued

    def add(kind: str, period_id: int, reason: str) -> None:
        found.append(Owed(kind, case.task_id, case.unit_id, period_id, reason))

    ordered = sorted(case.periods, key=lambda p: p.due)
    upcoming = next((p for p in ordered if p.due >= day), None)
    if upcoming is not None and (upcoming.submitted_on is None or upcoming.submitted_on > day):
        left = calendar.between(day, upcoming.due)
        if left <= rules.remind_days and wanted("remind", upcoming.id):
            add(
                "remind",
                upcoming.id,
                f"{upcoming.name}报送期将于{chinese_day(upcoming.due)}截止（还有{left}个工作日），"
                "尚未报送，请按时报送。",
            )
    past = [p for p in ordered if p.due < day]
    latest = past[-1] if past else None
    if latest is not None and _missing(latest, day):
        if wanted("chase", latest.id):
            add(
                "chase",
                latest.id,
                f"{latest.name}报送期已于{chinese_day(latest.due)}截止，至今未报送，请尽快报送。",
            )
        chased_on = case.chased.get(latest.id)
        if chased_on is not None:
            waited = calendar.between(chased_on, day)
            if waited >= rules.escalate_days and wanted("red", latest.id):
                add(
                    "red",
                    latest.id,
                    f"{latest.name}报送期已于{chinese_day(latest.due)}截止，{chinese_day(chased_on)}催报后"
                    f"{waited}个工作日仍未报送。",
                )
    colour_period = case.current_period_id
    if colour_period is not None:
        if case.colour == "red":
            if wanted("red", colour_period):
                add("red", colour_period, f"截至{chinese_day(day)}任务为红色（督办）：{case.colour_reason}")
        elif (
            case.colour == "yellow"
            and not any(kind == "red" for kind, _ in called_for)
            and wanted("yellow", colour_period)
        ):
            add("yellow", colour_period, f"截至{chinese_day(day)}任务为黄色（预警）：{case.colour_reason}")
    for period in ordered:
        if period.returned_on is not None:
            waited = calendar.between(period.returned_on, day)
            if waited >= rules.returned_days and wanted("returned", period.id):
                add(
                    "returned",
                    period.id,
                    f"{period.name}的报告于{chinese_day(period.returned_on)}被退回，{waited}个工作日内"
                    "未重新报送，请修改后报送。",
                )
    return found


def receipt_owed(
    task_id: int,
    unit_id: int,
    period_id: int,
    published_on: date,
    day: date,
    rules: ChasingRules,
    calendar: Workdays,
) -> Owed | None:
    """签收提醒: ``unit_id`` has not confirmed ``task_id`` ``receipt_days`` working days after its plan was
    published on ``published_on`` (``period_id``, the plan's first period, only makes the notice's key)."""
    if not rules.receipt:
        return None
    waited = calendar.between(published_on, day)
    if waited < rules.receipt_days:
        return None
    return Owed(
        "receipt",
        task_id,
        unit_id,
        period_id,
        f"计划已于{chinese_day(published_on)}发布，{waited}个工作日后本单位仍未签收此任务，"
        "请在“我的任务”中签收，或提出调整申请。",
    )
