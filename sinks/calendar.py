"""The Finnish working-day calendar and the flow's deadlines, as tables the metric views read.

Both live in the store itself (tables `calendar_days` and `deadlines`, see sinks/views.sql), so
that the read-only snapshot answers every question without Python: analysts and auditors open
the file with any DuckDB client.

Working days: Monday to Friday, except Finnish public holidays as the maintained `holidays`
library lists them (its Finland calendar includes juhannusaatto and jouluaatto, when offices are
closed). Counting rule (docs/data-dictionary.md): a deadline of N working days from an event is
the N-th working day after the event's date in Finland; a deadline of N calendar days falls on
the event's date + N, moved to the next working day when that is not one.
"""

from __future__ import annotations

from datetime import date, timedelta

import duckdb
import holidays
import pyarrow as pa

from schemas.deadlines import Deadlines

# Generous, so that replays of old history and long-running deadlines stay inside it. A date
# outside it has no working-day number: the views then show NULL rather than a wrong count.
FIRST_YEAR = 2010
LAST_YEAR = 2045

_CALENDAR_SCHEMA = pa.schema([
    ("day", pa.date32()), ("is_working_day", pa.bool_()), ("holiday_name", pa.string()),
    ("working_day_number", pa.int32()),
])


def calendar_rows(first_year: int = FIRST_YEAR, last_year: int = LAST_YEAR) -> pa.Table:
    """One row per day: working day or not, the holiday's Finnish name, running working-day
    number (working days from the calendar's start up to and including the day)."""
    public = holidays.country_holidays("FI", years=range(first_year, last_year + 1),
                                       language="fi")
    days, working, names, numbers = [], [], [], []
    day, number = date(first_year, 1, 1), 0
    while day.year <= last_year:
        name = public.get(day)
        is_working = day.weekday() < 5 and name is None
        number += is_working
        days.append(day)
        working.append(is_working)
        names.append(name)
        numbers.append(number)
        day += timedelta(days=1)
    return pa.Table.from_pydict(
        {"day": days, "is_working_day": working, "holiday_name": names,
         "working_day_number": numbers}, schema=_CALENDAR_SCHEMA)


def write_calendar(con: duckdb.DuckDBPyConnection) -> bool:
    """Fill `calendar_days` when it is missing or covers other years; True when written."""
    first, last = date(FIRST_YEAR, 1, 1), date(LAST_YEAR, 12, 31)
    row = con.execute("SELECT min(day), max(day), count(*) FROM calendar_days").fetchone()
    if row == (first, last, (last - first).days + 1):
        return False
    table = calendar_rows()
    con.register("stage_calendar", table)
    try:
        con.execute("DELETE FROM calendar_days")
        con.execute("INSERT INTO calendar_days SELECT * FROM stage_calendar")
    finally:
        con.unregister("stage_calendar")
    return True


def write_deadlines(con: duckdb.DuckDBPyConnection, deadlines: Deadlines) -> None:
    con.execute("DELETE FROM deadlines")
    con.executemany("INSERT INTO deadlines VALUES (?, ?, ?, ?, ?, ?)", deadlines.rows())
