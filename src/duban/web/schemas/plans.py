"""``/api/plans`` and ``/api/imports``: plans, their rules, an import's result and the import preview."""

from __future__ import annotations

from typing import Any

from pydantic import ConfigDict, Field

from duban.web.schemas.common import NamedRef, PagedList, Shape


class Plan(Shape):
    id: int
    title: str
    year: int
    doc_number: str | None
    issuer: str | None
    issued_on: str | None
    supervisor: str | None
    state: str
    source_name: str | None
    report_deadlines: list[str]
    jurisdiction_id: int | None
    tasks: int | None = Field(default=None, description="how many tasks (absent in a publish's answer)")


class SectionInfo(Shape):
    key: str
    number: str | None
    title: str
    level: int
    parent: str | None


class PlanDetail(Plan):
    tasks: int  # always counted here
    sections: list[SectionInfo]


class PlanList(PagedList[Plan]):
    pass


class PlanRules(Shape):
    """The thresholds and weights of a plan's colours and rankings (``ledger.rules.status.Rules``)."""

    red_gap: float
    yellow_gap: float
    weight_done: float
    weight_blue: float
    weight_yellow: float
    weight_red: float
    late_penalty: float
    missing_penalty: float
    rectification_penalty: float
    units_see_full_ranking: float


class ImportResult(Shape):
    """A stored import (``existing``: the same file was imported before; nothing new stored)."""

    id: int
    title: str
    year: int
    tasks: int
    units: int
    unresolved: list[str]
    existing: bool


class ImportSaved(ImportResult):
    """The 导入 page's save in one request: the stored import, how many corrections it applied, and whether
    the plan was published with it (``state``)."""

    corrected: int
    published: bool
    state: str


class ParsedUnit(Shape):
    model_config = ConfigDict(extra="allow")
    name: str
    role: str


class SourceRef(Shape):
    """Where a parsed task stands in the notice's lines, when the parser says."""

    model_config = ConfigDict(extra="allow")
    line: int | None = None
    lines: list[int] = Field(default_factory=list)


class ParsedTask(Shape):
    """A task as the parser read it (``duban.plan/1``; more fields than these are kept)."""

    model_config = ConfigDict(extra="allow")
    no: str | None = None
    name: str | None = None
    text: str
    due: str | None = None
    units: list[ParsedUnit] = Field(default_factory=list)
    leaders: list[str] = Field(default_factory=list)
    source: SourceRef | None = None


class ParsedPlan(Shape):
    """The notice as read, the ``duban.plan/1`` document (open-ended: its other parts pass through)."""

    model_config = ConfigDict(extra="allow")
    sections: list[dict[str, Any]] = Field(default_factory=list)
    tasks: list[ParsedTask] = Field(default_factory=list)


class ImportDryRun(Shape):
    """``dry_run=true``: the parse, nothing stored."""

    id: None
    title: str | None
    year: int | None
    tasks: int
    units: int
    unresolved: list[str]
    ocr: bool
    warnings: list[str]
    text: str
    plan: ParsedPlan


class UnitSuggestion(Shape):
    unit_id: int
    name: str
    similarity: float


class ImportName(Shape):
    """A unit name of the notice: the directory's unit it maps to, or suggestions."""

    name: str
    group_kind: str | None
    unit: NamedRef | None
    suggestions: list[UnitSuggestion]


class JurisdictionPath(Shape):
    id: int
    path: str


class ImportPreview(Shape):
    jurisdiction: JurisdictionPath | None = Field(
        description="the existing 行政区 the notice joins by its issuer; null: new, or to be chosen"
    )
    title: str | None
    year: int | None
    tasks: int
    source_lines: list[str]
    names: list[ImportName]
    unresolved: list[str]
    warnings: list[str] = Field(description="one Chinese message per part the parser could not read")
    text: str = Field(description="the notice as read")
    plan: ParsedPlan
