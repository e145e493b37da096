"""Per-plan thresholds and weights (``ledger.md``: "an administrator may change the thresholds and weights per
plan"), stored as a ``Setting`` with scope ``plan:ID``; every change is logged."""

from __future__ import annotations

from dataclasses import asdict, fields
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from duban.ledger.errors import Invalid, NotFound
from duban.ledger.rules.chasing import ChasingRules
from duban.ledger.rules.status import Rules
from duban.ledger.store import changelog
from duban.ledger.store.models import Plan, Setting, User

KEY = "rules"


def _scope(plan_id: int) -> str:
    return f"plan:{plan_id}"


def rules_for(session: Session, plan_id: int) -> Rules:
    row = session.scalar(select(Setting).where(Setting.scope == _scope(plan_id), Setting.key == KEY))
    return Rules(**row.value) if row is not None else Rules()


def rules_for_many(session: Session, plan_ids: list[int]) -> dict[int, Rules]:
    """Every plan's rules in one query (a city's comparison reads twenty plans at once)."""
    rows = session.execute(
        select(Setting.scope, Setting.value).where(
            Setting.scope.in_([_scope(p) for p in plan_ids]), Setting.key == KEY
        )
    )
    stored = {int(scope.split(":")[1]): Rules(**value) for scope, value in rows}
    return {plan_id: stored.get(plan_id, Rules()) for plan_id in plan_ids}


def set_rules(session: Session, plan_id: int, changes: dict[str, Any], actor: User, now: datetime) -> Rules:
    if session.get(Plan, plan_id) is None:
        raise NotFound("计划不存在 / no such plan")
    known = {f.name for f in fields(Rules)}
    unknown = set(changes) - known
    if unknown:
        raise Invalid(f"未知的规则项 / unknown rule: {', '.join(sorted(unknown))}")
    for name, value in changes.items():
        if (
            not isinstance(value, int | float)
            or value < 0
            or (name.startswith("weight") and value > 1)
            or (name == "units_see_full_ranking" and value not in (0, 1))
            or value > 100
        ):
            raise Invalid(f"规则项 {name} 的取值不合理 / {name} out of range")
    before = rules_for(session, plan_id)
    after = Rules(**{**asdict(before), **{k: float(v) for k, v in changes.items()}})
    if after.yellow_gap > after.red_gap:
        raise Invalid("黄色阈值不能大于红色阈值 / the yellow gap cannot exceed the red gap")
    row = session.scalar(select(Setting).where(Setting.scope == _scope(plan_id), Setting.key == KEY))
    if row is None:
        session.add(Setting(scope=_scope(plan_id), key=KEY, value=asdict(after)))
    else:
        row.value = asdict(after)
    # Not a transition: thresholds and weights are settings, not a state.
    changelog.record(session, actor, "setting", plan_id, "rules", asdict(before), asdict(after), now)
    session.flush()
    return after


# --- chasing rules (issue 16): N days, which kinds are on, who is copied, the plan's group robot ---

CHASING_KEY = "chasing"
_CHASING_DAYS = ("remind_days", "escalate_days", "returned_days", "respond_days", "receipt_days")
_CHASING_SWITCHES = ("remind", "chase", "returned", "yellow", "red", "receipt", "copy_leaders")
_ROBOT_KINDS = ("dingtalk", "wecom")


def _chasing_from(value: dict[str, Any] | None) -> ChasingRules:
    if not value:
        return ChasingRules()
    known = {f.name for f in fields(ChasingRules)}
    kept = {k: v for k, v in value.items() if k in known}
    if "copy_emails" in kept:
        kept["copy_emails"] = tuple(kept["copy_emails"])
    return ChasingRules(**kept)


def chasing_json(rules: ChasingRules) -> dict[str, Any]:
    value = asdict(rules)
    value["copy_emails"] = list(rules.copy_emails)
    return value


def chasing_for(session: Session, plan_id: int) -> ChasingRules:
    row = session.scalar(select(Setting).where(Setting.scope == _scope(plan_id), Setting.key == CHASING_KEY))
    return _chasing_from(row.value if row is not None else None)


def chasing_for_many(session: Session, plan_ids: list[int]) -> dict[int, ChasingRules]:
    rows = session.execute(
        select(Setting.scope, Setting.value).where(
            Setting.scope.in_([_scope(p) for p in plan_ids]), Setting.key == CHASING_KEY
        )
    )
    stored = {int(scope.split(":")[1]): _chasing_from(value) for scope, value in rows}
    return {plan_id: stored.get(plan_id, ChasingRules()) for plan_id in plan_ids}


def set_chasing(
    session: Session, plan_id: int, changes: dict[str, Any], actor: User, now: datetime
) -> ChasingRules:
    """Change a plan's chasing rules (checked, in Chinese) and log the values before and after."""
    if session.get(Plan, plan_id) is None:
        raise NotFound("计划不存在 / no such plan")
    known = {f.name for f in fields(ChasingRules)}
    unknown = set(changes) - known
    if unknown:
        raise Invalid(f"未知的督办规则项 / unknown chasing rule: {', '.join(sorted(unknown))}")
    for name, value in changes.items():
        if name in _CHASING_DAYS and (
            isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 60
        ):
            raise Invalid(f"督办规则 {name} 应为0到60之间的工作日数 / {name} must be 0–60 working days")
        if name in _CHASING_SWITCHES and not isinstance(value, bool):
            raise Invalid(f"督办规则 {name} 应为开或关 / {name} must be true or false")
        if name == "copy_emails" and (
            not isinstance(value, list) or not all(isinstance(v, str) and "@" in v for v in value)
        ):
            raise Invalid("抄送邮箱格式不正确 / copy_emails must be a list of e-mail addresses")
        if name == "robot_kind" and value not in (None, *_ROBOT_KINDS):
            raise Invalid("机器人类型应为钉钉或企业微信 / robot_kind must be dingtalk or wecom")
        if name == "robot_url" and value and not str(value).startswith(("http://", "https://")):
            raise Invalid("机器人地址应以 http:// 或 https:// 开头 / robot_url must be an http(s) address")
        if name in ("robot_url", "robot_secret") and not isinstance(value, str):
            raise Invalid(f"督办规则 {name} 应为文字 / {name} must be text")
    before = chasing_for(session, plan_id)
    merged = {**chasing_json(before), **changes}
    after = _chasing_from(merged)
    row = session.scalar(select(Setting).where(Setting.scope == _scope(plan_id), Setting.key == CHASING_KEY))
    if row is None:
        session.add(Setting(scope=_scope(plan_id), key=CHASING_KEY, value=chasing_json(after)))
    else:
        row.value = chasing_json(after)
    logged_before = {**chasing_json(before), "robot_secret": "***" if before.robot_secret else ""}
    logged_after = {**chasing_json(after), "robot_secret": "***" if after.robot_secret else ""}
    # Not a transition: the chasing rules are settings, not a state.
    changelog.record(session, actor, "setting", plan_id, "chasing", logged_before, logged_after, now)
    session.flush()
    return after
