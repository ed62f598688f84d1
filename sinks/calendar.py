"""The Finnish working-day calendar, the deadlines and their due dates, as tables the views read.

They live in the store itself (tables `calendar_days`, `deadlines` and `deadline_due_dates`, see
sinks/views.sql), so that the read-only snapshot answers every question without Python: analysts
and auditors open the file with any DuckDB client.

The rule is not written here: `calendar_days` is `schemas.deadlines.is_working_day` and
`holiday_name` day by day, and `deadline_due_dates` is `schemas.deadlines.due_date` for every
deadline and start day, the same functions the unit managers' inbox calls. The SQL macros count
on `calendar_days` (tests/integration/sinks/test_deadline_rule.py holds them to the functions).
"""

from __future__ import annotations

import hashlib
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path

import duckdb
import holidays
import pyarrow as pa

from schemas import deadlines as rule
from schemas.deadlines import Deadlines
from sinks.calendar_years import FIRST_YEAR, LAST_YEAR  # the calendar's years (see there)

_CALENDAR_SCHEMA = pa.schema([
    ("day", pa.date32()), ("is_working_day", pa.bool_()), ("holiday_name", pa.string()),
    ("working_day_number", pa.int32()),
])
_DUE_DATES_SCHEMA = pa.schema([
    ("deadline", pa.string()), ("start_on", pa.date32()), ("due_on", pa.date32()),
])


def rule_fingerprint() -> str:
    """What the tables were computed by: the rule's source, the holidays release, the years.
    Kept as the comment of `calendar_days`, so that a store rewrites them once after any of
    these changes, and not at every start (computing them takes longer than opening a store)."""
    source = hashlib.sha256(Path(rule.__file__).read_bytes()).hexdigest()[:16]
    return f"schemas/deadlines.py {source}, holidays {holidays.__version__}, " \
           f"{FIRST_YEAR}-{LAST_YEAR}"


def _days(first_year: int, last_year: int) -> list[date]:
    first = date(first_year, 1, 1)
    return [first + timedelta(days=k) for k in range((date(last_year, 12, 31) - first).days + 1)]


# Cached: pure functions of the rule, and a process that opens many stores (tests, benchmarks)
# then computes them once.
@lru_cache(maxsize=2)
def calendar_rows(first_year: int = FIRST_YEAR, last_year: int = LAST_YEAR) -> pa.Table:
    """One row per day: working day or not, the holiday's Finnish name, running working-day
    number (working days from the calendar's start up to and including the day)."""
    days = _days(first_year, last_year)
    working = [rule.is_working_day(day) for day in days]
    numbers, number = [], 0
    for is_working in working:
        number += is_working
        numbers.append(number)
    return pa.Table.from_pydict(
        {"day": days, "is_working_day": working,
         "holiday_name": [rule.holiday_name(day) for day in days],
         "working_day_number": numbers}, schema=_CALENDAR_SCHEMA)


@lru_cache(maxsize=4)
def due_date_rows(deadlines: Deadlines, first_year: int = FIRST_YEAR,
                  last_year: int = LAST_YEAR) -> pa.Table:
    """Every deadline's due date for every start day of the calendar. A due date after the
    calendar's end is left out, as the views have no working-day number for it."""
    days = _days(first_year, last_year)
    names, starts, dues = [], [], []
    for deadline, amount, unit, *_ in deadlines.rows():
        for day in days:
            due = rule.due_date(day, amount, unit)
            if due.year <= last_year:
                names.append(deadline)
                starts.append(day)
                dues.append(due)
    return pa.Table.from_pydict({"deadline": names, "start_on": starts, "due_on": dues},
                                schema=_DUE_DATES_SCHEMA)


def _replace(con: duckdb.DuckDBPyConnection, table: str, rows: pa.Table) -> bool:
    """Make `table` hold exactly `rows`; True when its rows changed."""
    con.register("stage_rule", rows)
    try:
        row = con.execute(
            f"SELECT (SELECT count(*) FROM (FROM {table} EXCEPT ALL FROM stage_rule)) "
            f"+ (SELECT count(*) FROM (FROM stage_rule EXCEPT ALL FROM {table}))").fetchone()
        if row == (0,):
            return False
        con.execute(f"DELETE FROM {table}")
        con.execute(f"INSERT INTO {table} FROM stage_rule")
    finally:
        con.unregister("stage_rule")
    return True


def write_calendar(con: duckdb.DuckDBPyConnection, deadlines: Deadlines,
                   deadlines_changed: bool) -> bool:
    """Make `calendar_days` and `deadline_due_dates` those of the rule and these deadlines, when
    the store's were computed by another rule (or none) or the deadlines changed; True when
    their rows changed, so that what was materialised from them must be recomputed."""
    fingerprint = rule_fingerprint()
    built_by = con.execute(
        "SELECT comment FROM duckdb_tables() WHERE table_name = 'calendar_days' AND "
        "database_name = current_database() AND schema_name = current_schema()").fetchone()
    if built_by == (fingerprint,) and not deadlines_changed:
        return False
    changed = built_by != (fingerprint,) and _replace(con, "calendar_days", calendar_rows())
    changed = _replace(con, "deadline_due_dates", due_date_rows(deadlines)) or changed
    con.execute("COMMENT ON TABLE calendar_days IS $$" + fingerprint + "$$")
    return changed


def write_deadlines(con: duckdb.DuckDBPyConnection, deadlines: Deadlines) -> None:
    con.execute("DELETE FROM deadlines")
    con.executemany("INSERT INTO deadlines VALUES (?, ?, ?, ?, ?, ?)", deadlines.rows())
