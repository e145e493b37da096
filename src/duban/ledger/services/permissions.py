"""What an account may open and do, as data the API reports (``GET /api/session``) and the web app follows:
its menu (``pages``) and its buttons (``actions``). Defined here once, from the role and the jurisdiction
scope, so the front end holds no role list of its own.

The scope rule is ``access``'s: an account writes only its own jurisdiction's objects. An office account
whose jurisdiction has jurisdictions below it (a city's 督查室) follows the counties' work and changes none of
it: it reads the office's pages and is given no office action."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from duban.ledger.services.access import ROLE_LABELS
from duban.ledger.store.models import Jurisdiction, User

# The pages of the web app, in menu order, and the roles that open them.
PAGES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("leading", ("leader",)),
    ("overview", ("admin", "leader")),
    ("ledger", ("admin", "leader", "unit")),
    ("my", ("unit",)),
    ("review", ("admin",)),
    ("import", ("admin",)),
    ("units", ("admin",)),
    ("periods", ("admin",)),
    ("accounts", ("admin",)),
    ("rankings", ("admin", "leader")),
    ("bulletins", ("admin", "leader")),
    ("chasing", ("admin",)),
    ("requests", ("admin", "leader", "unit")),
    ("rectifications", ("admin", "leader", "unit")),
    ("help", ("admin", "leader", "unit")),
)
# Pages that only change things: a supervising (read-only) office does not get them.
WRITING_PAGES = frozenset({"import", "periods", "accounts", "chasing"})

# The actions behind the web app's buttons, and the roles that may take them within their own jurisdiction.
ACTIONS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("plan.import", ("admin",)),
    ("plan.publish", ("admin",)),
    ("plan.rules", ("admin",)),
    ("task.correct", ("admin",)),
    ("report.write", ("admin", "unit")),
    ("report.approve", ("admin",)),
    ("report.return", ("admin",)),
    ("unit.create", ("admin",)),
    ("unit.merge", ("admin",)),
    ("unit.alias", ("admin",)),
    ("unit.members", ("admin",)),
    ("period.manage", ("admin",)),
    ("bulletin.issue", ("admin",)),
    ("account.manage", ("admin",)),
    ("changes.read", ("admin",)),
    ("unit.contacts", ("admin",)),
    ("notice.resend", ("admin",)),
    ("chasing.rules", ("admin",)),
    ("chasing.calendar", ("admin",)),
    ("request.decide", ("admin",)),
    ("task.leaders", ("admin",)),
    ("instruction.write", ("admin", "leader")),
    ("instruction.record", ("admin",)),
    ("request.make", ("unit",)),
    ("rectification.manage", ("admin",)),
    ("workplan.review", ("admin",)),
)
# Reading actions a supervising office keeps.
READING_ACTIONS = frozenset({"changes.read"})

SUPERVISING_LABEL = "上级督查室（只读）"
START_PAGES = {"unit": "my", "leader": "leading"}


@dataclass(frozen=True)
class Capabilities:
    pages: list[str]
    actions: list[str]
    role_label: str
    start_page: str


def supervises_only(session: Session, user: User) -> bool:
    """An office account of a jurisdiction with jurisdictions below it (a city): it reads them, writes none."""
    if user.role != "admin" or user.jurisdiction_id is None:
        return False
    below = select(Jurisdiction.id).where(Jurisdiction.parent_id == user.jurisdiction_id).limit(1)
    return session.scalar(below) is not None


def capabilities(session: Session, user: User) -> Capabilities:
    """The pages (menu order) and actions of ``user``, and the label its role is shown with."""
    reader = supervises_only(session, user)
    pages = [key for key, roles in PAGES if user.role in roles and not (reader and key in WRITING_PAGES)]
    actions = [key for key, roles in ACTIONS if user.role in roles and (not reader or key in READING_ACTIONS)]
    start = START_PAGES.get(user.role, "overview")
    return Capabilities(
        pages=pages,
        actions=actions,
        role_label=SUPERVISING_LABEL if reader else ROLE_LABELS[user.role],
        start_page=start if start in pages else pages[0],
    )
