"""Finnish working days for the unit managers' inbox, by the counting rule of the store's
calendar (sinks/calendar.py, which builds the same calendar as a table for the SQL views):
Monday to Friday except Finnish public holidays of the maintained `holidays` library (its Finland
calendar includes juhannusaatto and jouluaatto). A deadline of N working days is the N-th working
day after the event's date in Finland; one of N calendar days is the date + N, moved to the next
working day when that is not one. Pure: no clock is read here, callers pass the dates.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays

FINNISH_TIME = ZoneInfo("Europe/Helsinki")


@dataclass(frozen=True)
class Deadlines:
    """docs/design.md §2.7 defaults; configurable through Settings (KOKEMUSVIRTA_DEADLINE_*)."""

    acknowledge_working_days: int = 3
    decide_days: int = 30
    return_days_after_decision: int = 14
    reply_days: int = 30

    def rows(self) -> list[tuple[str, int, str, str, str, str]]:
        """(deadline, amount, unit, counted_from, met_by, applies_to) for the `deadlines` table."""
        return [
            ("acknowledge", self.acknowledge_working_days, "working_days", "received",
             "the first acknowledged event (any role)", "every client knowledge item"),
            ("decide_or_answer", self.decide_days, "calendar_days", "received",
             "the first decided or returned event", "every client knowledge item"),
            ("return_after_decision", self.return_days_after_decision, "calendar_days", "decided",
             "the first returned event", "items with a decision"),
            ("reply_to_client", self.reply_days, "calendar_days", "received",
             "the first returned event with returned_to = client",
             "items whose client asked for a reply and gave contact details"),
        ]


@lru_cache(maxsize=32)
def _public_holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("FI", years=year))


def finnish_date(moment: datetime) -> date:
    """The calendar day in Finland at that moment (a deadline runs on Finnish days)."""
    return moment.astimezone(FINNISH_TIME).date()


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in _public_holidays(day.year)


def add_working_days(start: date, n: int) -> date:
    """The n-th working day after `start` (n >= 0; n = 0 is `start` itself)."""
    if n < 0:
        raise ValueError("n must not be negative")
    day = start
    while n:
        day += timedelta(days=1)
        if is_working_day(day):
            n -= 1
    return day


def calendar_deadline(start: date, days: int) -> date:
    """`days` calendar days after `start`, on the next working day if that is not one."""
    day = start + timedelta(days=days)
    while not is_working_day(day):
        day += timedelta(days=1)
    return day


def working_days_between(start: date, end: date) -> int:
    """Working days in (start, end]; negative when end is before start."""
    if end < start:
        return -working_days_between(end, start)
    return sum(1 for k in range(1, (end - start).days + 1)
               if is_working_day(start + timedelta(days=k)))
