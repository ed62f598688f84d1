"""One working-day rule: the store's SQL (calendar_days, deadline_due_dates, the fi_* macros of
sinks/views.sql) against the Python functions of schemas/deadlines.py, on a real store, every day
of 2023-2027 and random dates and amounts in it (hypothesis)."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import duckdb
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from schemas.deadlines import (
    CALENDAR_DAYS,
    WORKING_DAYS,
    Deadlines,
    due_date,
    holiday_name,
    is_working_day,
    working_days_between,
)
from sinks.calendar import LAST_YEAR, rule_fingerprint
from sinks.store import Store

FIRST, LAST = date(2023, 1, 1), date(2027, 12, 31)
DAYS = [FIRST + timedelta(days=k) for k in range((LAST - FIRST).days + 1)]
# Not the defaults, so that the table is seen to follow the deadlines it was given.
DEADLINES = Deadlines(acknowledge_working_days=5, decide_days=21, return_days_after_decision=7,
                      reply_days=45)
days = st.dates(FIRST, LAST)
examples = settings(max_examples=300, deadline=None, database=None)


@pytest.fixture(scope="module")
def con(tmp_path_factory: pytest.TempPathFactory) -> duckdb.DuckDBPyConnection:
    return Store(tmp_path_factory.mktemp("rule") / "s.duckdb", deadlines=DEADLINES).con


def one(con: duckdb.DuckDBPyConnection, sql: str, *params: object) -> object:
    row = con.execute(f"SELECT {sql}", list(params)).fetchone()
    assert row is not None
    return row[0]


def test_the_calendar_is_the_rules_days(con: duckdb.DuckDBPyConnection) -> None:
    rows = con.execute("SELECT day, is_working_day, holiday_name FROM calendar_days "
                       "WHERE day BETWEEN ? AND ? ORDER BY day", [FIRST, LAST]).fetchall()
    assert rows == [(d, is_working_day(d), holiday_name(d)) for d in DAYS]


def test_every_due_date_in_the_table_is_the_rules(con: duckdb.DuckDBPyConnection) -> None:
    got = con.execute("SELECT deadline, start_on, due_on FROM deadline_due_dates "
                      "WHERE start_on BETWEEN ? AND ?", [FIRST, LAST]).fetchall()
    want = [(name, d, due_date(d, amount, unit))
            for name, amount, unit, *_ in DEADLINES.rows() for d in DAYS]
    assert sorted(got) == sorted(want)
    # ... and the table holds nothing else: each start day of the calendar once per deadline,
    # but for the last days, whose due dates fall after the calendar's end.
    assert one(con, "count(*) FROM deadline_due_dates WHERE due_on > ?",
               date(LAST_YEAR, 12, 31)) == 0
    assert one(con, "count(*) - count(DISTINCT (deadline, start_on)) FROM deadline_due_dates") == 0
    assert one(con, "count(*) FROM deadline_due_dates AS d JOIN calendar_days AS c "
                    "ON c.day = d.start_on") == one(con, "count(*) FROM deadline_due_dates")


@examples
@given(start=days, amount=st.integers(0, 60))
def test_working_day_due_dates(con: duckdb.DuckDBPyConnection, start: date, amount: int) -> None:
    assert one(con, "fi_due_date(?, ?, ?)", start, amount, WORKING_DAYS) \
        == due_date(start, amount, WORKING_DAYS)


@examples
@given(start=days, amount=st.integers(0, 400))
def test_calendar_day_due_dates(con: duckdb.DuckDBPyConnection, start: date, amount: int) -> None:
    assert one(con, "fi_due_date(?, ?, ?)", start, amount, CALENDAR_DAYS) \
        == due_date(start, amount, CALENDAR_DAYS)


@examples
@given(first=days, second=days)
def test_working_days_between(con: duckdb.DuckDBPyConnection, first: date, second: date) -> None:
    assert one(con, "fi_working_days_between(?, ?)", first, second) \
        == working_days_between(first, second)


def test_a_store_computed_by_another_rule_is_recomputed_once(tmp_path: Path) -> None:
    path = tmp_path / "s.duckdb"
    store = Store(path)
    built_by = "SELECT comment FROM duckdb_tables() WHERE table_name = 'calendar_days'"
    assert store.con.execute(built_by).fetchone() == (rule_fingerprint(),)
    # A store of an older release: no fingerprint, a day and a due date that the rule (of, say,
    # a newer holidays library) no longer has.
    store.con.execute("COMMENT ON TABLE calendar_days IS NULL")
    store.con.execute("UPDATE calendar_days SET is_working_day = NOT is_working_day "
                      "WHERE day = '2024-12-06'")
    store.con.execute("UPDATE deadline_due_dates SET due_on = '2024-12-31' "
                      "WHERE deadline = 'acknowledge' AND start_on = '2024-12-05'")
    store.close()
    store = Store(path)
    con = store.con
    assert con.execute(built_by).fetchone() == (rule_fingerprint(),)
    assert one(con, "is_working_day FROM calendar_days WHERE day = '2024-12-06'") is False
    assert one(con, "due_on FROM deadline_due_dates WHERE deadline = 'acknowledge' "
                    "AND start_on = '2024-12-05'") == date(2024, 12, 11)
    store.close()
