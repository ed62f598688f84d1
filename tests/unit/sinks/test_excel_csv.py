"""Finnish Excel's CSV dialect (sinks/excel_csv.py): what Excel in a Finnish locale opens as
numbers, dates and text by a double click."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime
from decimal import Decimal

from sinks.excel_csv import as_excel_csv, cell


def _parsed(text: str) -> list[list[str]]:
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:], newline=""), delimiter=";"))


def test_byte_order_mark_semicolons_and_crlf() -> None:
    text = as_excel_csv(["yksikkö", "määrä"], [("Åbo; Turku", 3)])
    assert text.encode("utf-8").startswith(b"\xef\xbb\xbf")  # Excel reads UTF-8 only with it
    assert text[1:] == 'yksikkö;määrä\r\n"Åbo; Turku";3\r\n'
    assert _parsed(text) == [["yksikkö", "määrä"], ["Åbo; Turku", "3"]]


def test_decimal_comma_and_no_thousands_separator() -> None:
    assert cell(1.5) == "1,5"
    assert cell(-0.25) == "-0,25"
    assert cell(Decimal("1234567.50")) == "1234567,50"
    assert cell(12345) == "12345"
    assert cell(float("nan")) == ""


def test_dates_and_times_as_finnish_excel_reads_them() -> None:
    assert cell(date(2026, 12, 5)) == "5.12.2026"
    # A stored UTC time shows in Finnish time (UTC+2 in winter, +3 in summer).
    assert cell(datetime(2026, 12, 5, 12, 30, tzinfo=UTC)) == "5.12.2026 14:30:00"
    assert cell(datetime(2026, 7, 1, 21, 0, tzinfo=UTC)) == "2.7.2026 00:00:00"
    assert cell(datetime(2026, 3, 4, 8, 5, 9)) == "4.3.2026 08:05:09"  # no zone: as stored


def test_text_that_looks_like_a_formula_stays_text() -> None:
    for dangerous in ("=HYPERLINK(\"http://x\")", "+358 40", "-1+1", "@SUM(A1)", "\tx"):
        assert cell(dangerous) == "'" + dangerous
    assert cell(-1.5) == "-1,5"  # a number is a number, never quoted
    assert cell("hyvä palvelu") == "hyvä palvelu"


def test_empty_booleans_and_lists() -> None:
    assert cell(None) == ""
    assert cell(True) == "true"
    assert cell(["a", "b"]) == "['a', 'b']"
