"""CSV in the dialect Finnish Excel opens by a double click, with no import wizard.

Finnish Excel takes the list separator and the decimal sign from the Windows locale: a
semicolon between fields and a comma before decimals (`1,5`); it reads a file as UTF-8 only
when the file starts with a byte order mark (without one, ä and ö come out as Ã¤ and Ã¶); and
it recognises a date typed as `5.12.2026` and a time as `5.12.2026 14:30:00`, which ISO's
`2026-12-05T14:30:00+00:00` is not (it stays text and sorts as text). Times with a zone are
shown in Finnish time, as the people reading them count them.

A text cell that starts like a formula (`=`, `+`, `-`, `@`, a tab or a carriage return) would be
run by Excel: stored text is anyone's words, so such a cell gets an apostrophe in front, which
Excel shows as text (OWASP's advice on CSV injection). Numbers are never changed.

Pure: rows in, text out. Shared by `kokemusvirta query --csv --excel` and the dashboards'
exports.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

BOM = "\ufeff"
SEPARATOR = ";"
FINNISH_TIME = ZoneInfo("Europe/Helsinki")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def number(value: float | Decimal) -> str:
    """A decimal number with a decimal comma; no thousands separator (Excel would read a space
    or a dot there as text)."""
    if isinstance(value, float) and value != value:  # NaN: an empty cell, not the text "nan"
        return ""
    text = format(value, "f") if isinstance(value, Decimal) else repr(value)
    return text.replace(".", ",")


def day(value: date) -> str:
    return f"{value.day}.{value.month}.{value.year}"


def moment(value: datetime) -> str:
    if value.tzinfo is not None:
        value = value.astimezone(FINNISH_TIME)
    return f"{day(value)} {value:%H:%M:%S}"


def text(value: str) -> str:
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):  # before int: True is an int
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, (float, Decimal)):
        return number(value)
    if isinstance(value, datetime):  # before date: a datetime is a date
        return moment(value)
    if isinstance(value, date):
        return day(value)
    if isinstance(value, time):
        return f"{value:%H:%M:%S}"
    return text(value if isinstance(value, str) else str(value))


def as_excel_csv(columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    """The whole file's text, byte order mark first; lines end in CRLF as Excel writes them."""
    out = io.StringIO()
    out.write(BOM)
    w = csv.writer(out, delimiter=SEPARATOR, lineterminator="\r\n")
    w.writerow([text(c) for c in columns])
    w.writerows([cell(v) for v in row] for row in rows)
    return out.getvalue()
