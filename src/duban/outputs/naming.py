"""How documents name a plan: its subject without 关于印发…的通知, for titles and file names."""

from __future__ import annotations

from duban.ledger.rules.text import clean_text
from duban.ledger.store.models import Plan


def short_title(plan: Plan) -> str:
    """The notice's subject without 关于印发…的通知, for titles and file names."""
    subject = clean_text(plan.title).strip()
    for prefix in ("关于印发", "关于"):
        subject = subject.removeprefix(prefix)
    return subject.removesuffix("的通知").removesuffix("通知") or f"{plan.year}年重点工作"
