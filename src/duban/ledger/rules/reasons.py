"""Why a task has its colour: the rule of ``ledger.md`` that decided it, with the figures, in Chinese.

The web app shows this when a colour is hovered or tapped, so a unit that is red can see exactly which
rule made it red and what would change it. It walks the same rules in the same order as
``status.colour_on`` (and uses its helpers), so the explanation cannot drift from the colour.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from duban.ledger.rules import status


def _fmt(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def explain(
    facts: status.TaskFacts,
    on: date,
    rules: status.Rules | None = None,
    period_names: Mapping[int, str] | None = None,
    decided: tuple[status.Colour, float, float] | None = None,
) -> str:
    """The deciding rule for the task's colour on ``on``, e.g. ``红：进度 10，序时进度 47.8，落后超过 30 个百分点``.
    ``decided`` is ``status.colour_on``'s answer when the caller has it already. A task never reported
    says 未报送 (a period missing) or 尚无通过的报告, never ``进度 0``."""
    names = period_names or {}
    rules = rules or status.Rules()
    colour, p, s = decided or status.colour_on(facts, on, rules)
    latest = status.latest_approved(facts, on)
    past = status.periods_due_before(facts, on)
    missing = [period for period in past[:2] if status.is_missing(facts, period, on)]
    progress = f"进度 {_fmt(p)}" if latest is not None else "未报送" if missing else "尚无通过的报告"
    planned = status.schedule_of(facts, on, latest)
    figures = f"{progress}，序时进度 {_fmt(s)}"
    if planned.plan is not None:
        at = f"{planned.at.month}月{planned.at.day}日"
        figures = f"{progress}；按实施方案，截至检查点（{at}）应完成 {_fmt(s)}%"
    if colour == "done":
        period = names.get(latest.period_id, "") if latest else ""
        return f"已完成：最近通过的报告（{period}）标明已完成。"
    if colour == "red":
        if on > facts.due:
            return f"红：已过完成时限 {facts.due.isoformat()} 仍未完成（{figures}）。"
        if p < s - rules.red_gap:
            return f"红：{figures}，落后超过 {_fmt(rules.red_gap)} 个百分点。"
        labels = "、".join(names.get(period.id, period.due.isoformat()) for period in missing)
        return f"红：最近两个报送期（{labels}）均未报送（{figures}）。"
    if colour == "yellow":
        if p < s - rules.yellow_gap:
            return f"黄：{figures}，落后超过 {_fmt(rules.yellow_gap)} 个百分点。"
        if past and status.is_missing(facts, past[0], on):
            label = names.get(past[0].id, past[0].due.isoformat())
            return f"黄：最近一个报送期（{label}）未报送（{figures}）。"
        nodes = "、".join(f"“{n.title or '节点'}”（{n.due.month}月{n.due.day}日）" for n in planned.overdue)
        return f"黄：实施方案节点{nodes}已到期，尚未报告完成（{figures}）。"
    if latest is None:
        return f"蓝：{figures}，尚未落后于序时进度。"
    source = f"依据 {names.get(latest.period_id, '')} 通过的报告"
    if p >= s:
        return f"蓝：{figures}，进度不低于序时进度（{source}）。"
    return f"蓝：{figures}，落后不超过 {_fmt(rules.yellow_gap)} 个百分点，按序时推进（{source}）。"
