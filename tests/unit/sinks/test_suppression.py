"""The small-group rule (sinks/suppression.sql): the macros every published count goes through."""

from __future__ import annotations

from importlib import resources

import duckdb
import pytest


@pytest.fixture(scope="module")
def con() -> duckdb.DuckDBPyConnection:
    c = duckdb.connect()
    c.execute(resources.files("sinks").joinpath("suppression.sql").read_text(encoding="utf-8"))
    return c


def test_the_threshold_is_five(con: duckdb.DuckDBPyConnection) -> None:
    assert con.execute("SELECT small_group_limit()").fetchone() == (5,)


def test_four_is_suppressed_five_is_shown_and_nobody_is_shown(
    con: duckdb.DuckDBPyConnection,
) -> None:
    rows = con.execute("""
        SELECT n, is_small_group(n), suppress_small(n), suppress_small(n / 10, n)
        FROM (VALUES (0), (1), (4), (5), (6), (NULL)) AS t(n)
        ORDER BY n NULLS LAST
    """).fetchall()
    assert rows == [(0, False, 0, 0.0), (1, True, None, None), (4, True, None, None),
                    (5, False, 5, 0.5), (6, False, 6, 0.6), (None, None, None, None)]
