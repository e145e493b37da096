"""The ``duban.plan/1`` contract as Pydantic models (``shared/spec/plan-format.md``).

The parser builds these; ``Plan.to_json()`` prints exactly the documented object, and the ledger imports
from them. Field order follows the spec so the JSON reads like the examples.
"""

from __future__ import annotations

import json
from typing import Final, Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr

SCHEMA_ID: Final = "duban.plan/1"

Op = Literal[">=", "<=", "~", "=", ">", "<"]
Role = Literal["lead", "support", "responsible"]
Kind = Literal["indicator", "task", "livelihood"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class DocumentInfo(_Model):
    title: str | None = None
    doc_number: str | None = None
    issuer: str | None = None
    issued_on: str | None = None
    year: int | None = None
    report_deadlines: list[str] = Field(default_factory=list)
    supervisor: str | None = None


class Indicator(_Model):
    name: str
    value: float | int
    unit: str
    op: Op = "="


class Section(_Model):
    key: str
    number: str | None
    title: str
    level: int
    parent: str | None = None


class UnitRef(_Model):
    name: str
    role: Role


class Target(_Model):
    value: float | int
    unit: str
    op: Op | None = None


class Task(_Model):
    no: str
    section: str | None = None
    kind: Kind = "task"
    name: str | None = None
    text: str
    leaders: list[str] = Field(default_factory=list)
    units: list[UnitRef] = Field(default_factory=list)
    targets: list[Target] = Field(default_factory=list)
    due: str | None = None


class Plan(_Model):
    schema_: Literal["duban.plan/1"] = Field(default=SCHEMA_ID, alias="schema")
    document: DocumentInfo = Field(default_factory=DocumentInfo)
    indicators: list[Indicator] = Field(default_factory=list)
    sections: list[Section] = Field(default_factory=list)
    tasks: list[Task] = Field(default_factory=list)

    model_config = ConfigDict(extra="forbid", populate_by_name=True)
    # Read by OCR from a scan: not part of duban.plan/1 (never serialised), shown by the import preview.
    _read_by_ocr: bool = PrivateAttr(default=False)
    # Parts of the notice the parser could not read (in Chinese, one per part), and the notice's text as
    # read: not part of duban.plan/1 either; the import preview shows them so the office can finish by hand.
    _warnings: list[str] = PrivateAttr(default_factory=list)
    _text: str = PrivateAttr(default="")

    @property
    def read_by_ocr(self) -> bool:
        return self._read_by_ocr

    @property
    def warnings(self) -> list[str]:
        return self._warnings

    @property
    def text(self) -> str:
        return self._text

    def to_dict(self) -> dict[str, object]:
        """The plan as the plain ``duban.plan/1`` object (key ``schema``, not ``schema_``)."""
        return self.model_dump(by_alias=True)

    def to_json(self, indent: int | None = 2) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=indent)

    def section_by_key(self) -> dict[str, Section]:
        return {s.key: s for s in self.sections}
