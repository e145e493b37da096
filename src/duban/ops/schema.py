"""Where a database's schema stands against the migrations shipped with this release."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from duban.ledger.store.db import MIGRATIONS, Database


@cache  # the shipped migrations do not change while the process runs; readiness probes come often
def head_revision() -> str:
    """The newest migration this release ships (what ``connect`` upgrades every database to)."""
    script = ScriptDirectory(str(MIGRATIONS))
    head = script.get_current_head()
    assert head is not None, "no migrations shipped"
    return head


@cache
def all_revisions() -> tuple[str, ...]:
    """Every shipped migration, oldest first (to tell an older database from a newer one)."""
    script = ScriptDirectory(str(MIGRATIONS))
    return tuple(rev.revision for rev in reversed(list(script.walk_revisions())))


@dataclass(frozen=True)
class SchemaState:
    current: str | None
    head: str

    @property
    def is_current(self) -> bool:
        return self.current == self.head

    @property
    def is_newer(self) -> bool:
        """A database written by a later release (its revision is not one this release knows)."""
        return self.current is not None and self.current not in all_revisions()

    def describe(self) -> str:
        """One Chinese sentence for the doctor, the health endpoint and the logs."""
        if self.is_current:
            return f"数据库结构为最新版本（{self.head}）"
        if self.current is None:
            return f"数据库尚未初始化（需要升级到 {self.head}，运行 duban upgrade）"
        if self.is_newer:
            return f"数据库结构 {self.current} 比本程序新（本程序为 {self.head}），请安装新版本的督办"
        return f"数据库结构 {self.current} 不是最新（应为 {self.head}），请运行 duban upgrade"


def schema_state(database: Database) -> SchemaState:
    """Read the database's Alembic revision (raises when the database cannot be reached)."""
    with database.read_engine.connect() as connection:
        current = MigrationContext.configure(connection).get_current_revision()
    return SchemaState(current, head_revision())
