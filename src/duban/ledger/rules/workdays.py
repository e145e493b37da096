"""Working days of the Chinese calendar: public holidays and 调休 make-up days (the ``chinese-calendar``
package, which the State Council's yearly notice updates), overridden by the dates the administrator adds.
Pure: the caller passes the administrator's dates in."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta

import chinese_calendar


class Workdays:
    """Answers "is this a working day" and counts working days, remembering each day it has decided (the
    engine asks about the same few days for every task)."""

    def __init__(self, extra: Mapping[date, bool] | None = None) -> None:
        self.extra = dict(extra or {})
        self._known: dict[date, bool] = {}
        self._between: dict[tuple[date, date], int] = {}

    def is_workday(self, day: date) -> bool:
        found = self._known.get(day)
        if found is None:
            found = self.extra.get(day)
            if found is None:
                try:
                    found = bool(chinese_calendar.is_workday(day))
                except NotImplementedError:  # a year the package does not know yet: Monday to Friday
                    found = day.weekday() < 5
            self._known[day] = found
        return found

    def between(self, start: date, end: date) -> int:
        """Working days after ``start`` up to and including ``end`` (0 when ``end`` is not after it); the
        engine asks the same few pairs for thousands of tasks, so each answer is kept."""
        known = self._between.get((start, end))
        if known is not None:
            return known
        count = 0
        day = start + timedelta(days=1)
        while day <= end:
            count += self.is_workday(day)
            day += timedelta(days=1)
        self._between[(start, end)] = count
        return count

    def next_workday(self, day: date) -> date:
        """The first working day after ``day``."""
        return self.add(day, 1)

    def add(self, start: date, days: int) -> date:
        """The ``days``-th working day after ``start``."""
        day = start
        while days > 0:
            day += timedelta(days=1)
            days -= self.is_workday(day)
        return day
