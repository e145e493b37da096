"""Migration 0003 moves a 0001 database to jurisdictions: plans and their units get the issuer's 行政区."""

from __future__ import annotations

from sqlalchemy import text

from duban.ledger.store.db import Database, migrate

PLAN = (
    "INSERT INTO plans (id, title, issuer, year, state, content_hash, document, created_at)"
    " VALUES (:id, 't', :issuer, 2021, 'active', :h, '{}', '2021-01-01 00:00:00')"
)


def _migrate(database: Database, target: str, downgrade: bool = False) -> None:
    migrate(database, target, downgrade=downgrade)


def test_upgrade_assigns_plans_to_issuer_jurisdictions(database: Database) -> None:
    _migrate(database, "0001", downgrade=True)
    with database.write_engine.begin() as conn:
        conn.execute(text(PLAN), {"id": 1, "issuer": "金乡县人民政府", "h": "a"})
        conn.execute(text(PLAN), {"id": 2, "issuer": "济宁市兖州区人民政府", "h": "b"})
    _migrate(database, "head")
    with database.write_engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT p.id, j.name, j.level, parent.name FROM plans p JOIN jurisdictions j"
                " ON j.id = p.jurisdiction_id LEFT JOIN jurisdictions parent ON parent.id = j.parent_id ORDER BY p.id"
            )
        ).all()
    assert [tuple(r) for r in rows] == [(1, "金乡县", "县", None), (2, "兖州区", "区", "济宁市")]
