"""Response models of the 导入 page's draft editing, name mapping and county creation."""

from __future__ import annotations

from pydantic import BaseModel


class DraftTask(BaseModel):
    id: int
    plan: int
    no: str
    section_key: str | None
    position: int
    text: str
    leaders: list[str]


class DraftTaskList(BaseModel):
    items: list[DraftTask]
    total: int


class Suggestion(BaseModel):
    unit_id: int
    name: str
    similarity: float


class ResolvedUnit(BaseModel):
    id: int
    name: str


class NameMapping(BaseModel):
    """A name of the notice in the chosen 行政区's directory: the unit it is (``unit``), or suggestions."""

    name: str
    group_kind: str | None
    unit: ResolvedUnit | None
    suggestions: list[Suggestion]


class NameMappingList(BaseModel):
    items: list[NameMapping]
    total: int


class CreatedJurisdiction(BaseModel):
    id: int
    name: str
    path: str
    level: str
    parent_id: int | None
