"""Months and days of any year, as DuckDB hands them over (a date, or text past year 9999)."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from dashboards.dates import day_text, month_code, month_key, year_month
from dashboards.labels import Labels


@pytest.mark.parametrize(("value", "expected"), [
    (date(2026, 9, 1), (2026, 9)), (datetime(1, 1, 1), (1, 1)), ("2026-09", (2026, 9)),
    ("10000-01", (10000, 1)), ("10000-01-01", (10000, 1)), ("10000-01-01 02:59:59", (10000, 1)),
    ("0001-12-31 (BC)", (0, 12)), ("infinity", None), ("2026-13", None), ("", None),
])
def test_year_and_month_of_whatever_duckdb_gives(value: object,
                                                 expected: tuple[int, int] | None) -> None:
    assert year_month(value) == expected


def test_months_sort_in_time_not_as_text() -> None:
    months = ["2026-10", "10000-01", "1900-01", "infinity", date(1, 1, 1)]
    assert sorted(months, key=month_key) == [date(1, 1, 1), "1900-01", "2026-10", "10000-01",
                                             "infinity"]


def test_only_months_a_filter_can_name_have_a_code() -> None:
    assert month_code(date(1, 1, 1)) == "0001-01" and month_code("1900-01") == "1900-01"
    assert month_code("10000-01") is None and month_code("0001-12-31 (BC)") is None


def test_labels_show_a_month_past_9999_as_it_is() -> None:
    fi, en = Labels("fi"), Labels("en")
    assert fi.month("10000-01") == "tammikuu 10000"  # not "joulukuu 1000"
    assert en.month_short("10000-01-01") == "1/10000" and fi.month(date(1, 3, 1)) == "maaliskuu 1"
    assert fi.month("infinity") == "infinity"
    assert day_text("10000-01-05") == "10000-01-05" and day_text(date(1, 1, 2)) == "0001-01-02"
