"""Dates as the store holds them, of any year.

A store may hold times no client or manager meant (a feedback dated 9999-12-31 23:59:59 UTC is
10000-01-01 in Finland; one dated 1900 is older than the working-day calendar). DuckDB holds
such dates, but Python's `date` stops at year 9999, so DuckDB hands those over as text
('10000-01-01', '0001-12-31 (BC)'). The pages must never fail on them, nor show them as another
date: a month or day is read from whatever DuckDB gave, and shown as it is when it cannot be
read.
"""

from __future__ import annotations

import re
from datetime import date

# 'YYYY-MM', 'YYYY-MM-DD', 'YYYYY-MM-DD hh:mm:ss', '0001-12-31 (BC)': any number of year digits.
_YEAR_MONTH = re.compile(r"^\s*(\d+)-(\d{1,2})(?:-\d{1,2})?(?:[ T][0-9:.+-]*)?\s*(\(BC\))?\s*$")


def year_month(value: object) -> tuple[int, int] | None:
    """(year, month) of a date, a datetime or DuckDB's text of one; None when it is neither
    (e.g. 'infinity'). A year before 1 is 0 or negative, as DuckDB's '(BC)' years are counted."""
    if isinstance(value, date):
        return value.year, value.month
    match = _YEAR_MONTH.match(str(value))
    if match is None:
        return None
    year, month = int(match[1]), int(match[2])
    if not 1 <= month <= 12:
        return None
    return (1 - year if match[3] else year), month


def month_key(value: object) -> tuple[int, int, str]:
    """A sort key that puts months in time order whatever their form (text sorts '10000-01'
    before '1900-01'); what cannot be read goes last."""
    ym = year_month(value)
    return (*ym, "") if ym else (1 << 31, 0, str(value))


def month_code(value: object) -> str | None:
    """'YYYY-MM' as a filter takes it (a year of four digits, as `Filters` reads one); None for
    a month no filter can name (before year 1 or after 9999)."""
    ym = year_month(value)
    if ym is None or not 1 <= ym[0] <= 9999:
        return None
    return f"{ym[0]:04d}-{ym[1]:02d}"


def day_text(value: object) -> str:
    """A day as YYYY-MM-DD, or DuckDB's text of it as it is."""
    if value is None:
        return "–"
    if isinstance(value, date):
        return f"{value.year:04d}-{value.month:02d}-{value.day:02d}"
    return str(value)
