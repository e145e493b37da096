"""Per-plan thresholds and weights (``ledger.md``: "an administrator may change the thresholds and weights per
plan"), stored as a ``Setting`` with scope ``plan:ID``; every change is logged."""

from __future__ import annotations

from dataclasses import asdict, fields
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from duban.ledger.errors import Invalid, NotFound
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
