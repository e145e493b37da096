"""The ledger's tables as SQLAlchemy 2 typed models.

The schema is created and changed only by the Alembic migrations in ``migrations/`` (a test checks that
they and these models agree). Timestamps are naive local time: a county office runs in one time zone and
``DUBAN_TODAY`` pins the date part.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    false,
    text,
    true,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


class Base(DeclarativeBase):
    pass


class Jurisdiction(Base):
    """A 行政区 (县, 区, 县级市, 市, 省) that owns plans, units and accounts; ``parent_id`` points up (区 → 市)."""

    __tablename__ = "jurisdictions"
    __table_args__ = (UniqueConstraint("parent_id", "name", name="uq_jurisdictions_parent_name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    level: Mapped[str] = mapped_column(String(10))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("jurisdictions.id"), index=True)


class Unit(Base):
    """One organisation, or a collective designation (group) such as 各镇街.

    ``group_kind`` is ``None`` for a real unit, ``"all"`` for 各…/县政府各部门 (every member is assigned),
    ``"chosen"`` for 相关…/有关… (the administrator picks members per task).
    """

    __tablename__ = "units"
    __table_args__ = (UniqueConstraint("jurisdiction_id", "name", name="uq_units_jurisdiction_name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    group_kind: Mapped[str | None] = mapped_column(String(10))
    jurisdiction_id: Mapped[int | None] = mapped_column(ForeignKey("jurisdictions.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime)

    aliases: Mapped[list[UnitAlias]] = relationship(back_populates="unit", order_by="UnitAlias.id")

    @property
    def is_group(self) -> bool:
        return self.group_kind is not None


class UnitAlias(Base):
    """A name that means this unit. ``key`` is the name normalised for matching (see ``units.match_key``);
    the unit's own name is also stored here so resolution is one lookup."""

    __tablename__ = "unit_aliases"
    __table_args__ = (UniqueConstraint("jurisdiction_id", "name", name="uq_unit_aliases_jurisdiction_name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id", ondelete="CASCADE"), index=True)
    jurisdiction_id: Mapped[int | None] = mapped_column(ForeignKey("jurisdictions.id"))
    name: Mapped[str] = mapped_column(String(200))
    key: Mapped[str] = mapped_column(String(200), index=True)

    unit: Mapped[Unit] = relationship(back_populates="aliases")


class GroupMember(Base):
    __tablename__ = "group_members"

    group_id: Mapped[int] = mapped_column(ForeignKey("units.id", ondelete="CASCADE"), primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("units.id", ondelete="CASCADE"), primary_key=True)

    __table_args__ = (Index("ix_group_members_member", "member_id"),)


class Plan(Base):
    """One imported notice. ``content_hash`` (sha256 of the uploaded bytes) makes import idempotent."""

    __tablename__ = "plans"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(500))
    doc_number: Mapped[str | None] = mapped_column(String(200))
    issuer: Mapped[str | None] = mapped_column(String(200))
    issued_on: Mapped[date | None] = mapped_column(Date)
    year: Mapped[int] = mapped_column(Integer)
    supervisor: Mapped[str | None] = mapped_column(String(200))
    state: Mapped[str] = mapped_column(String(20))
    content_hash: Mapped[str] = mapped_column(String(64), unique=True)
    source_name: Mapped[str | None] = mapped_column(String(300))
    document: Mapped[dict[str, Any]] = mapped_column(JSON)
    jurisdiction_id: Mapped[int | None] = mapped_column(ForeignKey("jurisdictions.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime)


class Section(Base):
    __tablename__ = "sections"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(String(50))
    number: Mapped[str | None] = mapped_column(String(50))
    title: Mapped[str] = mapped_column(Text)
    level: Mapped[int] = mapped_column(Integer)
    parent_key: Mapped[str | None] = mapped_column(String(50))
    position: Mapped[int] = mapped_column(Integer)


class Task(Base):
    __tablename__ = "tasks"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    no: Mapped[str] = mapped_column(String(50))
    section_key: Mapped[str | None] = mapped_column(String(50))
    kind: Mapped[str] = mapped_column(String(20))
    name: Mapped[str | None] = mapped_column(String(300))
    text: Mapped[str] = mapped_column(Text)
    leaders: Mapped[list[str]] = mapped_column(JSON)
    leaders_text: Mapped[str] = mapped_column(Text, default="")
    due: Mapped[date | None] = mapped_column(Date)
    reporting_unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), index=True)
    reporting_unit_chosen: Mapped[bool] = mapped_column(Boolean, default=False)
    # False: 不考核 — kept in the ledger, left out of colours, counts and rankings (visibly).
    assessed: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())

    units: Mapped[list[TaskUnit]] = relationship(order_by="TaskUnit.position", cascade="all, delete-orphan")
    targets: Mapped[list[Target]] = relationship(order_by="Target.index", cascade="all, delete-orphan")

    __table_args__ = (
        Index("ix_tasks_plan_position", "plan_id", "position"),
        # What a notice's (task, plan) key refers to: a notice's plan is its task's plan.
        Index("uq_tasks_id_plan", "id", "plan_id", unique=True),
    )


class TaskUnit(Base):
    """A unit named on a task, as written (a group stays a group), or a member the administrator chose for
    a 相关… group on this task (``via_group_id`` set)."""

    __tablename__ = "task_units"

    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("tasks.id", ondelete="CASCADE"))
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    role: Mapped[str] = mapped_column(String(20))
    position: Mapped[int] = mapped_column(Integer)
    via_group_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))

    unit: Mapped[Unit] = relationship(foreign_keys=[unit_id])

    __table_args__ = (UniqueConstraint("task_id", "unit_id", name="uq_task_units_task_unit"),)


class Target(Base):
    """A numeric target of a task (``index`` is its place in the task's text, from 0)."""

    __tablename__ = "targets"

    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("tasks.id", ondelete="CASCADE"))
    index: Mapped[int] = mapped_column(Integer)
    value: Mapped[float] = mapped_column(Float)
    unit: Mapped[str] = mapped_column(String(50))
    op: Mapped[str | None] = mapped_column(String(5))

    __table_args__ = (UniqueConstraint("task_id", "index", name="uq_targets_task_index"),)


class Period(Base):
    __tablename__ = "periods"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    due: Mapped[date] = mapped_column(Date)

    __table_args__ = (UniqueConstraint("plan_id", "name", name="uq_periods_plan_name"),)


class Report(Base):
    """A unit's report on a task for a period. ``revision`` grows when a new report supersedes an approved
    one; the unique (task, unit, period, revision) key is what makes concurrent submission safe.
    ``version`` is the optimistic lock for review."""

    __tablename__ = "reports"

    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("tasks.id", ondelete="CASCADE"))
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    period_id: Mapped[int] = mapped_column(ForeignKey("periods.id", ondelete="CASCADE"), index=True)
    revision: Mapped[int] = mapped_column(Integer, default=1)
    state: Mapped[str] = mapped_column(String(20))
    progress: Mapped[float] = mapped_column(Float, default=0)
    text: Mapped[str] = mapped_column(Text, default="")
    problems: Mapped[str] = mapped_column(Text, default="")
    next_steps: Mapped[str] = mapped_column(Text, default="")
    completed: Mapped[bool] = mapped_column(Boolean, default=False)
    values: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime)
    first_submitted_at: Mapped[datetime | None] = mapped_column(DateTime)
    approved_at: Mapped[datetime | None] = mapped_column(DateTime)
    reviewed_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    review_comment: Mapped[str | None] = mapped_column(Text)
    supersedes_id: Mapped[int | None] = mapped_column(ForeignKey("reports.id"))
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime)
    updated_at: Mapped[datetime] = mapped_column(DateTime)
    version: Mapped[int] = mapped_column(Integer, default=1)

    __table_args__ = (
        UniqueConstraint("task_id", "unit_id", "period_id", "revision", name="uq_reports_revision"),
        Index("ix_reports_task_period", "task_id", "period_id"),
    )


class Bulletin(Base):
    """An issued 督查通报: its 期号, the figures as printed and the document, kept unchanged (``ledger.md``:
    published figures stand, and the next period's arrows compare with them)."""

    __tablename__ = "bulletins"
    __table_args__ = (
        UniqueConstraint("period_id", name="uq_bulletins_period"),
        UniqueConstraint("plan_id", "year", "number", name="uq_bulletins_plan_year_number"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    period_id: Mapped[int] = mapped_column(ForeignKey("periods.id", ondelete="CASCADE"))
    year: Mapped[int] = mapped_column(Integer)
    number: Mapped[int] = mapped_column(Integer)
    issued_on: Mapped[date] = mapped_column(Date)
    taken_on: Mapped[date] = mapped_column(Date)
    copy_to: Mapped[str | None] = mapped_column(Text)
    masthead: Mapped[bool] = mapped_column(Boolean)
    figures: Mapped[dict[str, Any]] = mapped_column(JSON)
    document: Mapped[bytes] = mapped_column(LargeBinary)
    filename: Mapped[str] = mapped_column(String(300))
    issued_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime)


class Attachment(Base):
    """A file attached to a report (kept in the database so a backup is one file)."""

    __tablename__ = "attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id", ondelete="CASCADE"), index=True)
    filename: Mapped[str] = mapped_column(String(300))
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    data: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(DateTime)


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(100), unique=True)
    password_hash: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(10))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))
    jurisdiction_id: Mapped[int | None] = mapped_column(ForeignKey("jurisdictions.id"), index=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    # Set when an office gives the account a password through the web app (a new account or a reset): the
    # web app then asks for a new one before anything else; cleared when the user changes their own.
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # A leader account names the 领导 it is (as the notices write them, 王丹): its 我分管的 tasks are those
    # whose leaders include this name.
    leader_name: Mapped[str | None] = mapped_column(String(100))


class ApiToken(Base):
    """An API token, stored as its sha256 (tokens are long random strings, so a fast hash is enough)."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime)


class LoginSession(Base):
    """A browser session (cookie = random token, stored hashed) with its CSRF token."""

    __tablename__ = "login_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime)
    expires_at: Mapped[datetime] = mapped_column(DateTime)
    # Shown on the 账号 page so an office can tell a clerk's own browser from a stranger's and end it:
    # when it was last used (updated at most every few minutes), the browser's name and the address.
    last_seen_at: Mapped[datetime | None] = mapped_column(DateTime)
    user_agent: Mapped[str | None] = mapped_column(String(300))
    address: Mapped[str | None] = mapped_column(String(100))


class LoginAttempt(Base):
    """Login attempts counted per key (an address, or a username at an address) in a fixed window. A row
    is incremented atomically by one UPDATE, so parallel guesses cannot all pass the check before any of
    them is counted, and every server process sees the same count."""

    __tablename__ = "login_attempts"

    key: Mapped[str] = mapped_column(String(300), primary_key=True)
    window_start: Mapped[datetime] = mapped_column(DateTime)
    attempts: Mapped[int] = mapped_column(Integer)


class Change(Base):
    """One entry of the append-only change log: who changed what, when, and the values before and after."""

    __tablename__ = "changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    actor: Mapped[str] = mapped_column(String(100))
    object_type: Mapped[str] = mapped_column(String(30))
    object_id: Mapped[int | None] = mapped_column(Integer)
    action: Mapped[str] = mapped_column(String(30))
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON)

    __table_args__ = (Index("ix_changes_object", "object_type", "object_id"),)


class Event(Base):
    """An outbox row: something happened that reminders and notifications may follow (``transitions``
    writes it in the same transaction as the state change; a reader marks it handled)."""

    __tablename__ = "events"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))
    object_type: Mapped[str] = mapped_column(String(30))
    object_id: Mapped[int] = mapped_column(Integer)
    plan_id: Mapped[int | None] = mapped_column(Integer)
    unit_id: Mapped[int | None] = mapped_column(Integer)
    period_id: Mapped[int | None] = mapped_column(Integer)
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    handled_at: Mapped[datetime | None] = mapped_column(DateTime)

    __table_args__ = (Index("ix_events_unhandled", "handled_at", "id"),)


class Setting(Base):
    """A configurable value, global (``scope`` "global") or for one plan (``scope`` "plan:ID")."""

    __tablename__ = "settings"

    id: Mapped[int] = mapped_column(primary_key=True)
    scope: Mapped[str] = mapped_column(String(50))
    key: Mapped[str] = mapped_column(String(100))
    value: Mapped[Any] = mapped_column(JSON)

    __table_args__ = (UniqueConstraint("scope", "key", name="uq_settings_scope_key"),)


# --- chasing (issue 16): notices the reminder engine issues, their delivery, unit contacts, the calendar ---


class Notice(Base):
    """A reminder or a 督办单 the engine issued: 临近提醒 (``remind``), 催报 (``chase``; ``returned`` for a
    returned report not resubmitted), 黄色督办单 (``yellow``), 红色督办单 (``red``). The unique key on
    (kind, task, unit, period) is what makes the engine idempotent: a second run, or a second server at
    the same moment, inserts nothing. ``number`` is the 督办单's 编号 in its year (督办〔2026〕12号)."""

    __tablename__ = "notices"
    __table_args__ = (
        UniqueConstraint("kind", "task_id", "unit_id", "period_id", name="uq_notices_case"),
        # One key for task and plan (deleting either removes the notice, through the task): one check a
        # notice fewer on the engine's heaviest day than a key on each, and the plan is bound to the task's.
        ForeignKeyConstraint(
            ["task_id", "plan_id"],
            ["tasks.id", "tasks.plan_id"],
            ondelete="CASCADE",
            name="fk_notices_task_plan",
        ),
        Index("ix_notices_unit_day", "unit_id", "day"),
        Index("ix_notices_plan_day", "plan_id", "day"),
        # The answer pass looks up the open notices only: answered ones pile up over the years.
        Index(
            "ix_notices_open",
            "task_id",
            "unit_id",
            postgresql_where=text("state = 'issued'"),
            sqlite_where=text("state = 'issued'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    state: Mapped[str] = mapped_column(String(20))
    plan_id: Mapped[int] = mapped_column(Integer)
    task_id: Mapped[int] = mapped_column(Integer)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    period_id: Mapped[int] = mapped_column(ForeignKey("periods.id", ondelete="CASCADE"))
    day: Mapped[date] = mapped_column(Date)
    year: Mapped[int] = mapped_column(Integer)
    number: Mapped[int | None] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(Text, default="")
    leaders: Mapped[list[str]] = mapped_column(JSON, default=list)
    respond_by: Mapped[date | None] = mapped_column(Date)
    answered_at: Mapped[datetime | None] = mapped_column(DateTime)
    answer_report_id: Mapped[int | None] = mapped_column(ForeignKey("reports.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime)
    version: Mapped[int] = mapped_column(Integer, default=1)


class NoticeRead(Base):
    """Who has read a notice in the app (the bell's unread count is per account)."""

    __tablename__ = "notice_reads"

    notice_id: Mapped[int] = mapped_column(ForeignKey("notices.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    read_at: Mapped[datetime] = mapped_column(DateTime)


class Delivery(Base):
    """One notice sent on one channel (``email``, ``dingtalk``, ``wecom``) to one target: every attempt is
    counted, the last error kept, and ``next_try_at`` says when the worker tries again (back-off);
    ``state`` pending → sent, or failed once the attempts are spent (a resend puts it back to pending)."""

    __tablename__ = "deliveries"
    __table_args__ = (
        # The unique key's first column also serves look-ups by notice: no index of its own on notice_id.
        UniqueConstraint("notice_id", "channel", "target", name="uq_deliveries_notice_channel_target"),
        # The worker reads only what is pending; sent deliveries pile up over the years.
        Index(
            "ix_deliveries_pending",
            "next_try_at",
            postgresql_where=text("state = 'pending'"),
            sqlite_where=text("state = 'pending'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    notice_id: Mapped[int] = mapped_column(ForeignKey("notices.id", ondelete="CASCADE"))
    channel: Mapped[str] = mapped_column(String(20))
    target: Mapped[str] = mapped_column(String(500))
    secret: Mapped[str | None] = mapped_column(String(200))
    copy: Mapped[bool] = mapped_column(Boolean, default=False)
    state: Mapped[str] = mapped_column(String(20))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    next_try_at: Mapped[datetime] = mapped_column(DateTime)
    sent_at: Mapped[datetime | None] = mapped_column(DateTime)
    created_at: Mapped[datetime] = mapped_column(DateTime)


class UnitContact(Base):
    """A unit's contact for chasing: 联系人, phone, e-mail, and its group robot (DingTalk or WeCom)."""

    __tablename__ = "unit_contacts"

    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id", ondelete="CASCADE"), primary_key=True)
    person: Mapped[str] = mapped_column(String(100), default="")
    phone: Mapped[str] = mapped_column(String(50), default="")
    email: Mapped[str] = mapped_column(String(200), default="")
    robot_kind: Mapped[str | None] = mapped_column(String(20))
    robot_url: Mapped[str] = mapped_column(String(500), default="")
    robot_secret: Mapped[str] = mapped_column(String(200), default="")
    updated_at: Mapped[datetime] = mapped_column(DateTime)


class CalendarDay(Base):
    """A day the administrator declared a holiday (``workday`` false) or a 调休 make-up working day (true),
    over what the chinese-calendar package knows."""

    __tablename__ = "calendar_days"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    workday: Mapped[bool] = mapped_column(Boolean)
    note: Mapped[str] = mapped_column(String(200), default="")


class RemindRun(Base):
    """One day's run of the reminder engine inside ``duban serve``: the primary key on the day is what
    lets exactly one of several server processes run it."""

    __tablename__ = "remind_runs"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    started_at: Mapped[datetime] = mapped_column(DateTime)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime)
    issued: Mapped[int] = mapped_column(Integer, default=0)
    runner: Mapped[str] = mapped_column(String(200), default="")


class TaskReceipt(Base):
    """签收: a unit confirms a task of a published plan assigned to it (one row per task and unit)."""

    __tablename__ = "task_receipts"
    __table_args__ = (UniqueConstraint("task_id", "unit_id", name="uq_task_receipts_task_unit"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("tasks.id", ondelete="CASCADE"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    state: Mapped[str] = mapped_column(String(20))
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime)


class _UnitRequest:
    """What a unit's request to the office has (调整, 延期, 申诉): its reason, the office's decision with a
    comment, and the version the office saw (two reviewers cannot both decide it)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("tasks.id", ondelete="CASCADE"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    reason: Mapped[str] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String(20))
    comment: Mapped[str | None] = mapped_column(Text)
    decided_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None] = mapped_column(DateTime)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime)
    version: Mapped[int] = mapped_column(Integer, default=1)


class TaskAdjustment(_UnitRequest, Base):
    """调整: a unit asks to change a task assigned to it: its wording (``text``), its lead unit (``lead``,
    ``proposed_unit_id``) or to be taken off it (``not_ours``)."""

    __tablename__ = "task_adjustments"

    what: Mapped[str] = mapped_column(String(20))
    proposed_text: Mapped[str | None] = mapped_column(Text)
    proposed_unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))


class Extension(_UnitRequest, Base):
    """延期申请: a unit asks to move a task's due date from ``old_due`` (None: the year's end) to ``new_due``."""

    __tablename__ = "extensions"

    old_due: Mapped[date | None] = mapped_column(Date)
    new_due: Mapped[date] = mapped_column(Date)


class Appeal(_UnitRequest, Base):
    """申诉: a unit asks to have a period's mark (未报送 ``missing``, 逾期 ``late``, or the ``colour``) set aside;
    granted, the case (task, unit, period) is left out of that period's ranking and lists (figures.py)."""

    __tablename__ = "appeals"

    period_id: Mapped[int] = mapped_column(ForeignKey("periods.id", ondelete="CASCADE"), index=True)
    what: Mapped[str] = mapped_column(String(20))


class Instruction(Base):
    """领导批示 on a task (or on one of its reports): the task's units answer it; ``open`` until one does."""

    __tablename__ = "instructions"

    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("tasks.id", ondelete="CASCADE"), index=True)
    report_id: Mapped[int | None] = mapped_column(ForeignKey("reports.id", ondelete="SET NULL"))
    leader_name: Mapped[str] = mapped_column(String(100))
    text: Mapped[str] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String(20))
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime)
    answered_at: Mapped[datetime | None] = mapped_column(DateTime)


class InstructionAnswer(Base):
    """A unit's answer to a 批示 (each unit of the task may answer; the first answer closes it)."""

    __tablename__ = "instruction_answers"

    id: Mapped[int] = mapped_column(primary_key=True)
    instruction_id: Mapped[int] = mapped_column(ForeignKey("instructions.id", ondelete="CASCADE"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    text: Mapped[str] = mapped_column(Text)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime)


class WorkPlan(Base):
    """A unit's 实施方案 for a task it leads (issue 21): dated nodes, submitted and approved (or returned) by
    the office like a report. The approved plan approved last replaces the older ones in the figures."""

    __tablename__ = "work_plans"

    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("tasks.id", ondelete="CASCADE"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    state: Mapped[str] = mapped_column(String(20))
    note: Mapped[str] = mapped_column(Text, default="")
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime)
    approved_at: Mapped[datetime | None] = mapped_column(DateTime)
    reviewed_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    review_comment: Mapped[str | None] = mapped_column(Text)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime)
    updated_at: Mapped[datetime] = mapped_column(DateTime)
    version: Mapped[int] = mapped_column(Integer, default=1)

    nodes: Mapped[list[WorkPlanNode]] = relationship(
        order_by="WorkPlanNode.position", cascade="all, delete-orphan"
    )


class WorkPlanNode(Base):
    """One node (节点) of a 实施方案: what is to be done by ``due``, with an optional planned 形象进度
    (``level``, cumulative %) or target value; ``done_on`` once the unit reports it done."""

    __tablename__ = "work_plan_nodes"

    id: Mapped[int] = mapped_column(primary_key=True)
    work_plan_id: Mapped[int] = mapped_column(ForeignKey("work_plans.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    due: Mapped[date] = mapped_column(Date)
    title: Mapped[str] = mapped_column(Text)
    level: Mapped[float | None] = mapped_column(Float)
    value: Mapped[float | None] = mapped_column(Float)
    done_on: Mapped[date | None] = mapped_column(Date)


class Rectification(Base):
    """A problem found in supervision (督查发现的问题), tied to a task and a unit (整改台账): open until the
    office closes it (销号) after review; open past ``deadline`` it is 逾期 and costs the unit points."""

    __tablename__ = "rectifications"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("tasks.id", ondelete="CASCADE"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    problem: Mapped[str] = mapped_column(Text)
    measures: Mapped[str] = mapped_column(Text, default="")
    deadline: Mapped[date] = mapped_column(Date)
    state: Mapped[str] = mapped_column(String(20))
    answers: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    opened_on: Mapped[date] = mapped_column(Date)
    closed_on: Mapped[date | None] = mapped_column(Date)
    close_comment: Mapped[str | None] = mapped_column(Text)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime)
    updated_at: Mapped[datetime] = mapped_column(DateTime)
    version: Mapped[int] = mapped_column(Integer, default=1)


class Contribution(Base):
    """A supporting unit's (协办) contribution to the reporting unit's report on a task for a period: gathered
    under that report and consolidated by the reporting unit, never a report of its own."""

    __tablename__ = "contributions"
    __table_args__ = (
        UniqueConstraint("task_id", "unit_id", "period_id", name="uq_contributions_task_unit_period"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("tasks.id", ondelete="CASCADE"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    period_id: Mapped[int] = mapped_column(ForeignKey("periods.id", ondelete="CASCADE"), index=True)
    state: Mapped[str] = mapped_column(String(20))
    text: Mapped[str] = mapped_column(Text, default="")
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime)
    updated_at: Mapped[datetime] = mapped_column(DateTime)
    version: Mapped[int] = mapped_column(Integer, default=1)
