"""unit accounts sit in their unit's county: accounts found elsewhere are moved there, each move logged

A unit account whose ``jurisdiction_id`` differs from its unit's (the demo ``unit`` account was 金乡县's while
its unit, 区财政局, is 兖州区's) broke its own pages and let the wrong county's office manage it and read the
change log of the other county's reports. Each repair is a change-log row (``user`` / ``repair``) with the
county before and after. Data only: the schema is unchanged.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-06
"""

from __future__ import annotations

import json
from datetime import datetime

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

_MISPLACED = (
    "SELECT us.id, us.username, us.jurisdiction_id, un.jurisdiction_id, un.id FROM users us"
    " JOIN units un ON un.id = us.unit_id"
    " WHERE (us.jurisdiction_id IS NULL AND un.jurisdiction_id IS NOT NULL)"
    " OR (us.jurisdiction_id IS NOT NULL AND un.jurisdiction_id IS NULL)"
    " OR us.jurisdiction_id <> un.jurisdiction_id"
    " ORDER BY us.id"
)


def upgrade() -> None:
    conn = op.get_bind()
    now = datetime.now().replace(microsecond=0)
    for user_id, username, was, county, unit_id in conn.execute(sa.text(_MISPLACED)).all():
        conn.execute(
            sa.text("UPDATE users SET jurisdiction_id = :j WHERE id = :u"), {"j": county, "u": user_id}
        )
        before = {"username": username, "jurisdiction": was}
        after = {
            "username": username,
            "jurisdiction": county,
            "unit": unit_id,
            "reason": "单位账号随其单位所在行政区",
        }
        conn.execute(
            sa.text(
                "INSERT INTO changes (at, user_id, actor, object_type, object_id, action, before, after)"
                " VALUES (:at, NULL, 'system', 'user', :o, 'repair', :b, :a)"
            ),
            {
                "at": now,
                "o": user_id,
                "b": json.dumps(before, ensure_ascii=False),
                "a": json.dumps(after, ensure_ascii=False),
            },
        )


def downgrade() -> None:
    """Nothing to undo: the accounts' old counties were wrong, and the log keeps them."""
