"""The county's open data: aggregate figures of its client knowledge, per unit, month and
quarter, all themes and each theme, with small groups suppressed by the store's own macros
(sinks/suppression.sql), so the site publishes no figure the dashboards would hide.
Columns: docs/open-data.md."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from datetime import date
from typing import Any

import duckdb

COLUMNS = ("county", "service_area", "unit", "period_type", "period", "theme", "items_received",
           "acknowledged", "decided", "returned", "suppressed")

# theme: 'all' (every item once), a theme code (items having it), 'none' (items without one).
_FIGURES = """
WITH base AS (
    SELECT county, service_area, coalesce(unit, '') AS unit, themes, month_received,
        acknowledged_at, decided_at, returned_at
    FROM item_milestones
    WHERE county = ? AND (CAST(? AS DATE) IS NULL
        OR month_received >= date_trunc('month', CAST(? AS DATE)))
), periods AS (
    SELECT *, 'month' AS period_type, strftime(month_received, '%Y-%m') AS period FROM base
    UNION ALL
    SELECT *, 'quarter', year(month_received) || '-Q' || quarter(month_received) FROM base
), themed AS (
    SELECT *, 'all' AS theme FROM periods
    UNION ALL
    SELECT * EXCLUDE (t), t FROM (
        SELECT *, unnest(CASE WHEN len(coalesce(themes, [])) = 0 THEN ['none']
                              ELSE themes END) AS t FROM periods)
), counted AS (
    SELECT county, service_area, unit, period_type, period, theme, count(*) AS received,
        count(acknowledged_at) AS acknowledged, count(decided_at) AS decided,
        count(returned_at) AS returned
    FROM themed GROUP BY ALL
)
SELECT county, service_area, unit, period_type, period, theme,
    suppress_small(received) AS items_received,
    suppress_small(acknowledged, received) AS acknowledged,
    suppress_small(decided, received) AS decided,
    suppress_small(returned, received) AS returned,
    is_small_group(received) AS suppressed
FROM counted
ORDER BY service_area, unit, period_type, period, theme = 'all' DESC, theme
"""


def figures(con: duckdb.DuckDBPyConnection, county: str,
            since: date | None = None) -> list[dict[str, Any]]:
    rows = con.execute(_FIGURES, [county, since, since]).fetchall()
    return [dict(zip(COLUMNS, row, strict=True)) for row in rows]


def as_csv(rows: Sequence[dict[str, Any]]) -> str:
    """Comma-separated, a header row; a suppressed figure is empty and `suppressed` is true."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow(["" if row[c] is None else str(row[c]).lower() if isinstance(row[c], bool)
                         else row[c] for c in COLUMNS])
    return buffer.getvalue()


def as_json(county: str, rows: Sequence[dict[str, Any]], small_group_limit: int) -> str:
    """The rows with what a reader needs to read them: the threshold and where the columns are
    described."""
    document = {"county": county, "small_group_limit": small_group_limit,
                "columns": "docs/open-data.md", "rows": list(rows)}
    return json.dumps(document, ensure_ascii=False, indent=1) + "\n"
