"""The shapes several areas share: the base of every response model, lists, periods and counts.

Every public JSON answer of the API is one of the models in this package (``response_model=`` on its route):
the one place a shape is written. The front end's types are generated from the OpenAPI document these
models make (``make types``), so a field renamed here shows up as a type error in the views."""

from __future__ import annotations

from typing import Generic, Literal, TypeVar

from pydantic import BaseModel, ConfigDict

Colour = Literal["done", "blue", "yellow", "red"]
Arrow = Literal["up", "down", "same"]
Role = Literal["admin", "leader", "unit"]
ItemT = TypeVar("ItemT")


class Shape(BaseModel):
    """A response shape. Unknown keys are refused: a field added to an answer without being declared here
    fails the tests (a 500) instead of silently reaching the client untyped or being dropped."""

    model_config = ConfigDict(extra="forbid")


class ItemList(Shape, Generic[ItemT]):
    """A whole list: ``{"items": [...], "total": N}``."""

    items: list[ItemT]
    total: int


class PagedList(ItemList[ItemT], Generic[ItemT]):
    """One page of a list (``page`` and ``size`` query parameters): ``total`` counts every item."""

    page: int
    size: int


class PeriodRef(Shape):
    """A reporting period where an answer names one (口径, work lists, 总览)."""

    id: int
    name: str
    due: str


class PeriodName(Shape):
    """A period named without its due day (a previous period, an issued bulletin's)."""

    id: int
    name: str


class Counts(Shape):
    """Assessed tasks by colour, and their total."""

    done: int
    blue: int
    yellow: int
    red: int
    total: int


class NamedRef(Shape):
    id: int
    name: str
