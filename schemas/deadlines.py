"""The one rule for Finnish working days and deadlines' due dates, for Python and SQL alike.

Working days: Monday to Friday except Finnish public holidays of the maintained `holidays`
library (its Finland calendar includes juhannusaatto and jouluaatto, when offices are closed).
A deadline of N working days is due on the N-th working day after its start date in Finland; one
of N calendar days on the start date + N, moved to the next working day when that is not one.

The unit managers' inbox (managers/inbox.py) calls these functions; the store's SQL gets them as
data: sinks/calendar.py writes the table `calendar_days` from `is_working_day` and
`holiday_name`, and `deadline_due_dates` from `due_date` for every start day, so the views and
the `fi_*` macros of sinks/views.sql count on this rule's days (tests/integration/sinks/
test_deadline_rule.py holds the macros and tables to these functions). Pure: no clock is read
here, callers pass the dates.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from holidays.countries.finland import Finland

FINNISH_TIME = ZoneInfo("Europe/Helsinki")
WORKING_DAYS = "working_days"  # the units of a deadline, as the `deadlines` table names them
CALENDAR_DAYS = "calendar_days"


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
            ("acknowledge", self.acknowledge_working_days, WORKING_DAYS, "received",
             "the first acknowledged event (any role)", "every client knowledge item"),
            ("decide_or_answer", self.decide_days, CALENDAR_DAYS, "received",
             "the first decided or returned event", "every client knowledge item"),
            ("return_after_decision", self.return_days_after_decision, CALENDAR_DAYS, "decided",
             "the first returned event", "items with a decision"),
            ("reply_to_client", self.reply_days, CALENDAR_DAYS, "received",
             "the first returned event with returned_to = client",
             "items whose client asked for a reply and gave contact details"),
        ]


@lru_cache(maxsize=64)
def _public_holidays(year: int) -> dict[date, str]:
    """The year's Finnish public holidays with their Finnish names (as `calendar_days` shows)."""
    # Finland itself, not holidays.country_holidays("FI"), which first imports every
    # country's module (0.15 s of `kokemusvirta inbox`, which answers in under one).
    return dict(Finland(years=year, language="fi"))


def finnish_date(moment: datetime) -> date:
    """The calendar day in Finland at that moment (a deadline runs on Finnish days)."""
    return moment.astimezone(FINNISH_TIME).date()


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in _public_holidays(day.year)


def holiday_name(day: date) -> str | None:
    """The public holiday's Finnish name (e.g. Itsenäisyyspäivä), None on other days."""
    return _public_holidays(day.year).get(day)


# The day arithmetic below is kept per arguments: an inbox of tens of thousands of items asks
# the same few hundred (day, deadline) questions again and again, and each answer walks the
# calendar day by day (working_days_between from a year back: 4 s for a 44,000-item inbox).
@lru_cache(maxsize=16_384)
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


@lru_cache(maxsize=16_384)
def calendar_deadline(start: date, days: int) -> date:
    """`days` calendar days after `start`, on the next working day if that is not one."""
    day = start + timedelta(days=days)
    while not is_working_day(day):
        day += timedelta(days=1)
    return day


@lru_cache(maxsize=16_384)
def working_days_between(start: date, end: date) -> int:
    """Working days in (start, end]; negative when end is before start."""
    if end < start:
        return -working_days_between(end, start)
    return sum(1 for k in range(1, (end - start).days + 1)
               if is_working_day(start + timedelta(days=k)))


def due_date(start: date, amount: int, unit: str) -> date:
    """The due date of a deadline of `amount` days of `unit` (the `deadlines` table's unit:
    working_days or calendar_days) that starts on `start`."""
    if unit == WORKING_DAYS:
        return add_working_days(start, amount)
    if unit == CALENDAR_DAYS:
        return calendar_deadline(start, amount)
    raise ValueError(f"unknown deadline unit {unit!r}")
