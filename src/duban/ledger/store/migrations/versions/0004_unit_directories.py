"""one unit directory per jurisdiction: names unique within a 行政区, shared units split

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25

Before this revision a unit name was unique in the whole database, so 兖州区's 区财政局 and 金乡县's 县财政局
(one match key) were one unit, and both counties' 各镇街 one group. Now a unit, its aliases and a jurisdiction's
name are unique within their jurisdiction (parent for jurisdictions). A unit named by plans of two
jurisdictions is split: it stays with the first, and each other jurisdiction gets its own copy carrying that
jurisdiction's task assignments, reporting duties and reports, written to the change log as ``split``. A plan
without a jurisdiction joins the only one there is, or a new ``本级`` one, so no row is left outside.
"""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import datetime

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

_OLD_UNIQUE = (("units", "name"), ("unit_aliases", "name"), ("jurisdictions", "name"))
_NEW_UNIQUE = (
    ("units", "uq_units_jurisdiction_name", ["jurisdiction_id", "name"]),
    ("unit_aliases", "uq_unit_aliases_jurisdiction_name", ["jurisdiction_id", "name"]),
    ("jurisdictions", "uq_jurisdictions_parent_name", ["parent_id", "name"]),
)


def _drop_name_unique(table: str, column: str) -> None:
    """Drop the UNIQUE(name) of the first revisions, whatever it is called: PostgreSQL named it
    ``<table>_name_key``, SQLite left it unnamed (the batch copy is told a name through a naming convention),
    and a downgrade names it ``uq_<table>_name``."""
    found = [
        c["name"]
        for c in sa.inspect(op.get_bind()).get_unique_constraints(table)
        if c["column_names"] == [column]
    ]
    name = found[0] if found and found[0] else f"uq_{table}_{column}"
    if op.get_bind().dialect.name == "sqlite":
        convention = {"uq": "uq_%(table_name)s_%(column_0_name)s"}
        with op.batch_alter_table(table, naming_convention=convention, recreate="always") as batch_op:
            batch_op.drop_constraint(name, type_="unique")
    else:
        op.drop_constraint(name, table, type_="unique")


def _scalar(conn: sa.Connection, sql: str, **params: object) -> object:
    return conn.execute(sa.text(sql), params).scalar()


def _home_for_orphans(conn: sa.Connection) -> None:
    """Plans without a jurisdiction join the only one there is, or a new ``本级``."""
    if _scalar(conn, "SELECT COUNT(*) FROM plans WHERE jurisdiction_id IS NULL") == 0:
        return
    ids = [r[0] for r in conn.execute(sa.text("SELECT id FROM jurisdictions")).all()]
    if len(ids) == 1:
        home = ids[0]
    else:
        conn.execute(sa.text("INSERT INTO jurisdictions (name, level) VALUES ('本级', '本级')"))
        home = _scalar(conn, "SELECT MAX(id) FROM jurisdictions")
    conn.execute(sa.text("UPDATE plans SET jurisdiction_id = :j WHERE jurisdiction_id IS NULL"), {"j": home})


def _uses(conn: sa.Connection) -> dict[int, set[int]]:
    """unit id → the jurisdictions of the plans that name it, make it report, or hold its reports."""
    found: dict[int, set[int]] = defaultdict(set)
    queries = (
        "SELECT tu.unit_id, p.jurisdiction_id FROM task_units tu JOIN tasks t ON t.id = tu.task_id"
        " JOIN plans p ON p.id = t.plan_id",
        "SELECT t.reporting_unit_id, p.jurisdiction_id FROM tasks t JOIN plans p ON p.id = t.plan_id"
        " WHERE t.reporting_unit_id IS NOT NULL",
        "SELECT r.unit_id, p.jurisdiction_id FROM reports r JOIN tasks t ON t.id = r.task_id"
        " JOIN plans p ON p.id = t.plan_id",
    )
    for query in queries:
        for unit_id, jurisdiction_id in conn.execute(sa.text(query)).all():
            if jurisdiction_id is not None:
                found[unit_id].add(jurisdiction_id)
    return found


_IN_JURISDICTION = (
    "task_id IN (SELECT t.id FROM tasks t JOIN plans p ON p.id = t.plan_id WHERE p.jurisdiction_id = :j)"
)


def _split(conn: sa.Connection, unit_id: int, home: int, other: int, now: datetime) -> int:
    """Copy a unit into ``other`` and move that jurisdiction's assignments and reports to the copy."""
    name, kind = conn.execute(
        sa.text("SELECT name, group_kind FROM units WHERE id = :u"), {"u": unit_id}
    ).one()
    conn.execute(
        sa.text("INSERT INTO units (name, group_kind, jurisdiction_id, created_at) VALUES (:n, :k, :j, :at)"),
        {"n": name, "k": kind, "j": other, "at": now},
    )
    copy = int(str(_scalar(conn, "SELECT MAX(id) FROM units")))
    conn.execute(
        sa.text(
            "INSERT INTO unit_aliases (unit_id, name, key, jurisdiction_id)"
            " SELECT :c, name, key, :j FROM unit_aliases WHERE unit_id = :u"
        ),
        {"c": copy, "j": other, "u": unit_id},
    )
    moved = {}
    for table, column in (("task_units", "unit_id"), ("task_units", "via_group_id"), ("reports", "unit_id")):
        result = conn.execute(
            sa.text(f"UPDATE {table} SET {column} = :c WHERE {column} = :u AND {_IN_JURISDICTION}"),
            {"c": copy, "u": unit_id, "j": other},
        )
        moved[f"{table}.{column}"] = result.rowcount
    conn.execute(
        sa.text(
            "UPDATE tasks SET reporting_unit_id = :c WHERE reporting_unit_id = :u"
            " AND plan_id IN (SELECT id FROM plans WHERE jurisdiction_id = :j)"
        ),
        {"c": copy, "u": unit_id, "j": other},
    )
    _log(conn, copy, unit_id, name, home, other, moved, now)
    return copy


def _log(
    conn: sa.Connection,
    copy: int,
    unit_id: int,
    name: str,
    home: int,
    other: int,
    moved: dict[str, int],
    now: datetime,
) -> None:
    before = {"unit": unit_id, "name": name, "jurisdiction": home}
    after = {
        "unit": copy,
        "jurisdiction": other,
        "tasks": moved["task_units.unit_id"],
        "reports": moved["reports.unit_id"],
    }
    conn.execute(
        sa.text(
            "INSERT INTO changes (at, user_id, actor, object_type, object_id, action, before, after)"
            " VALUES (:at, NULL, 'system', 'unit', :o, 'split', :b, :a)"
        ),
        {"at": now, "o": copy, "b": json.dumps(before, ensure_ascii=False), "a": json.dumps(after)},
    )


def _split_shared_units(conn: sa.Connection, now: datetime) -> None:
    copies: dict[tuple[int, int], int] = {}
    for unit_id, used_by in sorted(_uses(conn).items()):
        home = _scalar(conn, "SELECT jurisdiction_id FROM units WHERE id = :u", u=unit_id)
        if home is None or home not in used_by:
            home = min(used_by)
            conn.execute(
                sa.text("UPDATE units SET jurisdiction_id = :j WHERE id = :u"), {"j": home, "u": unit_id}
            )
        for other in sorted(used_by - {int(str(home))}):
            copies[(unit_id, other)] = _split(conn, unit_id, int(str(home)), other, now)
    _split_memberships(conn, copies)


def _split_memberships(conn: sa.Connection, copies: dict[tuple[int, int], int]) -> None:
    """Each group keeps the members of its own jurisdiction: a member from elsewhere is replaced by its
    copy in the group's jurisdiction, or left out where it has none."""
    jurisdiction: dict[int, int | None] = dict(
        conn.execute(sa.text("SELECT id, jurisdiction_id FROM units")).all()
    )
    for (group, other), copy in copies.items():
        for (member,) in conn.execute(
            sa.text("SELECT member_id FROM group_members WHERE group_id = :g"), {"g": group}
        ).all():
            conn.execute(
                sa.text("INSERT INTO group_members (group_id, member_id) VALUES (:g, :m)"),
                {"g": copy, "m": copies.get((member, other), member)},
            )
    rows = conn.execute(sa.text("SELECT group_id, member_id FROM group_members")).all()
    for group, member in rows:
        if jurisdiction.get(group) == jurisdiction.get(member):
            continue
        conn.execute(
            sa.text("DELETE FROM group_members WHERE group_id = :g AND member_id = :m"),
            {"g": group, "m": member},
        )
        replacement = copies.get((member, jurisdiction.get(group) or 0))
        if replacement is not None:
            exists = _scalar(
                conn,
                "SELECT COUNT(*) FROM group_members WHERE group_id = :g AND member_id = :m",
                g=group,
                m=replacement,
            )
            if not exists:
                conn.execute(
                    sa.text("INSERT INTO group_members (group_id, member_id) VALUES (:g, :m)"),
                    {"g": group, "m": replacement},
                )


def _settle(conn: sa.Connection) -> None:
    """Units nobody names join the only jurisdiction (if one); aliases and unit accounts follow their unit."""
    ids = [r[0] for r in conn.execute(sa.text("SELECT id FROM jurisdictions")).all()]
    if len(ids) == 1:
        conn.execute(
            sa.text("UPDATE units SET jurisdiction_id = :j WHERE jurisdiction_id IS NULL"), {"j": ids[0]}
        )
    conn.execute(
        sa.text(
            "UPDATE unit_aliases SET jurisdiction_id ="
            " (SELECT u.jurisdiction_id FROM units u WHERE u.id = unit_aliases.unit_id)"
        )
    )
    conn.execute(
        sa.text(
            "UPDATE users SET jurisdiction_id = (SELECT u.jurisdiction_id FROM units u WHERE u.id = users.unit_id)"
            " WHERE unit_id IS NOT NULL AND jurisdiction_id IS NULL"
        )
    )


def upgrade() -> None:
    with op.batch_alter_table("unit_aliases", schema=None) as batch_op:
        batch_op.add_column(sa.Column("jurisdiction_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            "fk_unit_aliases_jurisdiction", "jurisdictions", ["jurisdiction_id"], ["id"]
        )
    for table, column in _OLD_UNIQUE:
        _drop_name_unique(table, column)
    conn = op.get_bind()
    now = datetime.now().replace(microsecond=0)
    _home_for_orphans(conn)
    _split_shared_units(conn, now)
    _settle(conn)
    for table, name, columns in _NEW_UNIQUE:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.create_unique_constraint(name, columns)


def downgrade() -> None:
    """Back to one directory: only possible while no name occurs in two jurisdictions."""
    for table, name, _ in _NEW_UNIQUE:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(name, type_="unique")
    for table, column in _OLD_UNIQUE:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.create_unique_constraint(f"uq_{table}_{column}", [column])
    with op.batch_alter_table("unit_aliases", schema=None) as batch_op:
        batch_op.drop_constraint("fk_unit_aliases_jurisdiction", type_="foreignkey")
        batch_op.drop_column("jurisdiction_id")
