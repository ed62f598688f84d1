"""The SQL behind each chart: `dashboards/queries/<name>.sql`, the same files analysts run.

Each file is one SELECT over the store's tables, views and analytics macros, with a header
comment saying which chart it feeds, its grain, its columns and the parameters it takes. A chart
only draws what its query returns: it never adds, divides or rounds figures itself (rounding for
display aside). What several charts share lives in the store, created by the sink, so that the
snapshot carries it to analysts too: the reach and return rates by any dimension are the table
macro `rates_by` (sinks/analytics.sql; each `rates_by_<dimension>.sql` is one call of it), and
small groups are suppressed by `is_small_group` / `suppress_small` (sinks/suppression.sql, where
the threshold is written once).

Parameters are DuckDB named parameters (`$county`, ...; see dashboards/filters.py); a file is
given exactly the parameters it mentions. To run one by hand:

    kokemusvirta query "$(cat dashboards/queries/funnel.sql)"      -- with literals for $...
"""

from __future__ import annotations

import re
import time
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import duckdb

from dashboards.filters import Filters

QUERY_DIR = Path(__file__).with_name("queries")
_PARAM = re.compile(r"\$([a-z_]+)")
_COMMENT = re.compile(r"--[^\n]*")


# The trend's choices besides the filters (dashboards/queries/trend.sql): what a reader picks
# among, each with its default (first).
CHOICES: dict[str, tuple[str, ...]] = {
    "grain": ("month", "week"),
    "milestone": ("returned", "acknowledged", "decided"),
}


class BadChoice(ValueError):
    """A grain or milestone the trend does not know (shown to the reader as it is)."""


def choices(given: Mapping[str, str | None] | None = None) -> dict[str, str]:
    """The trend's choices: each given one checked, the rest defaulted."""
    out: dict[str, str] = {}
    for name, allowed in CHOICES.items():
        value = (given or {}).get(name) or allowed[0]
        if value not in allowed:
            raise BadChoice(f"{name}: expected one of {', '.join(allowed)}, got {value[:40]!r}")
        out[name] = value
    return out


@dataclass(frozen=True)
class QueryResult:
    name: str
    columns: list[str]
    rows: list[tuple[Any, ...]]
    seconds: float

    def records(self) -> list[dict[str, Any]]:
        return [dict(zip(self.columns, r, strict=True)) for r in self.rows]


def names() -> list[str]:
    return sorted(p.stem for p in QUERY_DIR.glob("*.sql"))


@cache
def sql(name: str) -> str:
    path = QUERY_DIR / f"{name}.sql"
    if not path.is_file():
        raise KeyError(f"no chart query {name!r} in {QUERY_DIR} (have: {', '.join(names())})")
    return path.read_text(encoding="utf-8")


def parameters(name: str) -> set[str]:
    """The parameters a query file uses (comments ignored)."""
    return set(_PARAM.findall(_COMMENT.sub("", sql(name))))


def run(con: duckdb.DuckDBPyConnection, name: str, filters: Filters | None = None,
        picked: Mapping[str, str | None] | None = None) -> QueryResult:
    """`picked`: the trend's choices (CHOICES; defaults for those not given)."""
    given = (filters or Filters()).params() | choices(picked)
    wanted = parameters(name)
    unknown = wanted - given.keys()
    if unknown:
        raise KeyError(f"query {name!r} uses parameters nobody gives: {sorted(unknown)}")
    started = time.perf_counter()
    cur = con.execute(sql(name), {k: given[k] for k in wanted})
    columns = [d[0] for d in cur.description or []]
    rows = cur.fetchall()
    return QueryResult(name, columns, rows, time.perf_counter() - started)
