"""A chart's data as files: CSV in the dialect Finnish Excel opens by a double click, and XLSX.

    as_csv(result) -> bytes      `;`, decimal comma, dates as 5.12.2026, UTF-8 with a BOM
    as_xlsx(result, title) -> bytes
    filename(name, filters, ext) -> str

The rows are the chart query's as they are (dashboards/queries/<name>.sql): the file holds
what the chart drew, column names as in the SQL (documented in the query's header), suppressed
figures empty. Pure: results in, bytes out.
"""

from __future__ import annotations

import io
import re
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from openpyxl import Workbook

from dashboards.filters import Filters
from dashboards.queries import QueryResult
from sinks.excel_csv import FINNISH_TIME, as_excel_csv, text

CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def as_csv(result: QueryResult) -> bytes:
    return as_excel_csv(result.columns, result.rows).encode("utf-8")


def _xlsx_cell(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float):
        return value
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, datetime):  # Excel has no zones: in Finnish time, as people count
        if value.tzinfo is not None:
            value = value.astimezone(FINNISH_TIME)
        return value.replace(tzinfo=None)
    if isinstance(value, date):
        return value
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    return text(str(value))  # a text cell that starts like a formula stays text


def as_xlsx(result: QueryResult, title: str) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None  # a new workbook has its one sheet
    sheet.title = re.sub(r"[\[\]:*?/\\]", " ", title)[:31] or "data"
    sheet.append(list(result.columns))
    for row in result.rows:
        sheet.append([_xlsx_cell(v) for v in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def filename(name: str, filters: Filters, ext: str) -> str:
    """kokemusvirta-trend-lappi-2026-01.csv: the chart and its filters, safe in any file
    system and header."""
    parts = [name, *filters.query_string().values()]
    stem = re.sub(r"[^a-z0-9-]+", "-", "-".join(parts).lower()).strip("-")
    return f"kokemusvirta-{stem[:100]}.{ext}"
