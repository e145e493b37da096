"""login_sessions.last_seen_at, user_agent, address: the 账号 page lists an account's browser sessions

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("login_sessions") as batch:
        batch.add_column(sa.Column("last_seen_at", sa.DateTime(), nullable=True))
        batch.add_column(sa.Column("user_agent", sa.String(300), nullable=True))
        batch.add_column(sa.Column("address", sa.String(100), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("login_sessions") as batch:
        batch.drop_column("address")
        batch.drop_column("user_agent")
        batch.drop_column("last_seen_at")
