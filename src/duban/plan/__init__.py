"""The pure parser: a responsibility-division notice in, a ``duban.plan/1`` ``Plan`` out.

Pipeline (each step its own module, each testable alone, none touching a database or HTTP):
read (``read``) → normalise (``normalise``) → structure (``structure``) → clauses/units (``clauses``)
→ quantities (``quantities``), assembled in ``pipeline``.
"""

from duban.plan.errors import PlanError
from duban.plan.limits import Limits
from duban.plan.model import DocumentInfo, Indicator, Plan, Section, Target, Task, UnitRef
from duban.plan.pipeline import parse

__all__ = [
    "DocumentInfo",
    "Indicator",
    "Limits",
    "Plan",
    "PlanError",
    "Section",
    "Target",
    "Task",
    "UnitRef",
    "parse",
]
