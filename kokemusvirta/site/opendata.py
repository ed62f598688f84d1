"""The county's open data: aggregate figures of its client knowledge, per unit, month and
quarter, all themes and each theme, with small groups suppressed by the store's own macros
(sinks/suppression.sql), so the site publishes no figure the dashboards would hide, and a second
cell suppressed wherever a suppressed one could be recovered by subtraction (`complementary`).
Columns and the rule: docs/open-data.md."""

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
SELECT county, service_area, unit, period_type, period, theme, received AS items_received,
    acknowledged, decided, returned, is_small_group(received) AS suppressed
FROM counted
ORDER BY service_area, unit, period_type, period, theme = 'all' DESC, theme
"""


_FIGURE_COLUMNS = ("items_received", "acknowledged", "decided", "returned")

# (service_area, unit, period_type, period, theme): one cell of the table
Key = tuple[str, str, str, str, str]


def figures(con: duckdb.DuckDBPyConnection, county: str,
            since: date | None = None) -> list[dict[str, Any]]:
    """The county's rows as published: the store's rule (is_small_group) marks the small
    groups, `complementary` adds the cells that would give them away, and every figure of a
    suppressed row is None."""
    rows = con.execute(_FIGURES, [county, since, since]).fetchall()
    return published([dict(zip(COLUMNS, row, strict=True)) for row in rows])


def published(rows: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows with their raw counts and the store's own `suppressed` flag, as they may be
    published: complementary suppression applied, figures of suppressed rows None."""
    counts = {_key(r): int(r["items_received"]) for r in rows}
    hidden = complementary(counts, {_key(r) for r in rows if r["suppressed"]})
    return [{**r, **({c: None for c in _FIGURE_COLUMNS} if _key(r) in hidden else {}),
             "suppressed": _key(r) in hidden} for r in rows]


def complementary(counts: dict[Key, int], primary: set[Key]) -> set[Key]:
    """The suppressed cells: the primary ones and, until none is left, one more in every sum
    that has exactly one hidden cell, since that cell is the sum minus the others (a month is
    its quarter minus the other months; a theme is `all` minus the other themes, exactly so when
    each item has one theme, and counting as if so is the safe side). The next smallest shown
    part is hidden (the least information lost); the total only when no part is left (then it
    equals the hidden part). A cell absent from `counts` is a known 0 and never counts as
    hidden. Deterministic: ties go to the first key in sort order."""
    hidden = set(primary)
    sums = _sums(counts)
    changed = True
    while changed:
        changed = False
        for total, parts in sums:
            if not parts or sum(c in hidden for c in (total, *parts)) != 1:
                continue
            shown = sorted((counts[p], p) for p in parts if p not in hidden)
            hidden.add(shown[0][1] if shown else total)  # a new cell: the count rises
            changed = True
    return hidden


def _sums(counts: dict[Key, int]) -> list[tuple[Key, list[Key]]]:
    """Every additive relation among the cells: (total, its parts)."""
    months: dict[Key, list[Key]] = {}  # a quarter's cell -> the same unit and theme's months
    themes: dict[Key, list[Key]] = {}  # an 'all' cell -> the same unit and period's themes
    for key in sorted(counts):
        area, unit, period_type, period, theme = key
        if period_type == "month":
            year, month = period.split("-")
            quarter = f"{year}-Q{(int(month) - 1) // 3 + 1}"
            months.setdefault((area, unit, "quarter", quarter, theme), []).append(key)
        if theme != "all":
            themes.setdefault((area, unit, period_type, period, "all"), []).append(key)
    cells = sorted(counts)
    return ([(total, months.get(total, [])) for total in cells if total[2] == "quarter"]
            + [(total, themes.get(total, [])) for total in cells if total[4] == "all"])


def _key(row: dict[str, Any]) -> Key:
    return (row["service_area"], row["unit"], row["period_type"], row["period"], row["theme"])


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
