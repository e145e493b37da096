"""jurisdictions (行政区) owning plans, units and users

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25

Existing plans get the jurisdiction named by their issuer (``济宁市兖州区人民政府`` → 兖州区 under 济宁市);
existing units get the jurisdiction of the plans that name them, so nothing is lost on upgrade.
"""

from __future__ import annotations

import re

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

_TABLES = ("plans", "units", "users")
_LEVELS = ("县级市", "县", "区", "市", "省")
_PART = re.compile(r"[^省市县区]+?(?:省|自治区|市|县|区)")


def _split_issuer(issuer: str | None) -> list[tuple[str, str]]:
    """Split an issuer into (name, level) pairs, top first; empty when no 行政区 can be read from it."""
    if not issuer:
        return []
    head = re.sub(r"(人民政府|办公室|委员会|党委).*$", "", issuer.strip())
    parts = _PART.findall(head)
    return [(name, next(lv for lv in _LEVELS if name.endswith(lv))) for name in parts]


def _ensure(conn: sa.Connection, name: str, level: str, parent_id: int | None) -> int:
    """Return the id of the named jurisdiction, creating it under ``parent_id`` when missing."""
    found = conn.execute(sa.text("SELECT id FROM jurisdictions WHERE name = :n"), {"n": name}).scalar()
    if found is not None:
        return int(found)
    conn.execute(
        sa.text("INSERT INTO jurisdictions (name, level, parent_id) VALUES (:n, :l, :p)"),
        {"n": name, "l": level, "p": parent_id},
    )
    return int(
        conn.execute(sa.text("SELECT id FROM jurisdictions WHERE name = :n"), {"n": name}).scalar_one()
    )


def _backfill(conn: sa.Connection) -> None:
    """Attach every plan to its issuer's jurisdiction and every unit to that of the plans naming it."""
    for plan_id, issuer in conn.execute(sa.text("SELECT id, issuer FROM plans")).all():
        parent: int | None = None
        for name, level in _split_issuer(issuer):
            parent = _ensure(conn, name, level, parent)
        if parent is not None:
            conn.execute(
                sa.text("UPDATE plans SET jurisdiction_id = :j WHERE id = :p"), {"j": parent, "p": plan_id}
            )
    conn.execute(
        sa.text(
            "UPDATE units SET jurisdiction_id = (SELECT MIN(p.jurisdiction_id) FROM task_units tu"
            " JOIN tasks t ON t.id = tu.task_id JOIN plans p ON p.id = t.plan_id WHERE tu.unit_id = units.id)"
        )
    )


def upgrade() -> None:
    op.create_table(
        "jurisdictions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("level", sa.String(length=10), nullable=False),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["parent_id"], ["jurisdictions.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("name"),
    )
    with op.batch_alter_table("jurisdictions", schema=None) as batch_op:
        batch_op.create_index("ix_jurisdictions_parent_id", ["parent_id"], unique=False)
    for table in _TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column("jurisdiction_id", sa.Integer(), nullable=True))
            batch_op.create_foreign_key(
                f"fk_{table}_jurisdiction", "jurisdictions", ["jurisdiction_id"], ["id"]
            )
            batch_op.create_index(f"ix_{table}_jurisdiction_id", ["jurisdiction_id"], unique=False)
    _backfill(op.get_bind())


def downgrade() -> None:
    for table in _TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_index(f"ix_{table}_jurisdiction_id")
            batch_op.drop_constraint(f"fk_{table}_jurisdiction", type_="foreignkey")
            batch_op.drop_column("jurisdiction_id")
    op.drop_table("jurisdictions")
