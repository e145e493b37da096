"""The README's table of allowed state moves is the table ``ledger/store/transitions.py`` enforces.

The README shows the workflow of every object (报告, 计划, 签收, 整改…) as a table a newcomer can read; this
test renders ``MOVES`` the same way and fails when the two differ. Refresh the README's copy with
``.venv/bin/python -m tests.test_transition_table``."""

from __future__ import annotations

from pathlib import Path

from duban.ledger.store.transitions import MOVES, NEW, STATE_LABELS

README = Path(__file__).resolve().parent.parent / "README.md"
BEGIN, END = "<!-- transition table: begin -->", "<!-- transition table: end -->"
KINDS = {
    "report": "报告",
    "plan": "计划",
    "bulletin": "通报",
    "notice": "督办通知",
    "receipt": "签收",
    "adjustment": "调整申请",
    "extension": "延期申请",
    "appeal": "申诉",
    "instruction": "领导批示",
    "workplan": "实施方案",
    "rectification": "整改",
    "contribution": "协办材料",
}
ROLES = {"admin": "督查室", "leader": "领导", "unit": "单位"}
SCOPES = {"unit": "本单位", "jurisdiction": "本行政区"}


def _state(kind: str, state: str) -> str:
    if state == NEW:
        return "（新）"
    return f"{STATE_LABELS.get(kind, {}).get(state, state)} `{state}`"


def render() -> str:
    """``MOVES`` as a Markdown table: object, action, from, to, who, scope, event."""
    lines = [
        "| 对象 | 动作 | 从 | 到 | 谁 | 范围 | 事件 |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for m in MOVES:
        sources = "、".join(_state(m.kind, s) for s in m.sources)
        who = "、".join(ROLES[r] for r in m.roles)
        lines.append(
            f"| {KINDS[m.kind]} `{m.kind}` | {m.label} `{m.action}` | {sources} | {_state(m.kind, m.target)} "
            f"| {who} | {SCOPES[m.scope]} | {f'`{m.event}`' if m.event else '—'} |"
        )
    return "\n".join(lines)


def _readme_table() -> str:
    text = README.read_text(encoding="utf-8")
    return text[text.index(BEGIN) + len(BEGIN) : text.index(END)].strip()


def test_every_kind_has_a_name() -> None:
    assert {m.kind for m in MOVES} <= set(KINDS)


def test_the_readme_shows_the_table_the_code_enforces() -> None:
    assert _readme_table() == render(), (
        "README's transition table is stale: python -m tests.test_transition_table"
    )


if __name__ == "__main__":
    text = README.read_text(encoding="utf-8")
    start, end = text.index(BEGIN) + len(BEGIN), text.index(END)
    README.write_text(f"{text[:start]}\n{render()}\n{text[end:]}", encoding="utf-8")
