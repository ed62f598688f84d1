"""A big benchmark store from a smaller faithful one: every item copied K times under new ids.

Why: writing an item the faithful way (scenario/bench_store.py: the worker's pure decisions,
the managers' steps, the sink's write path) costs about 1.6 ms of CPU, so a million items
take about half an hour of both cores on a quiet machine and hours on a busy one. The
dashboards' cost depends on how many rows there are and how they group (counties, units,
weeks, themes), not on which texts they hold, so a store of N/K faithful items copied K times
has what a store of N items has: K times the rows in the same groups over the same 56 weeks.

How: each copy k (1..K-1) of an item gets a new id of the same form (`fb-` and 16 hex digits),
every event and lifecycle row a new event id, and Kafka offsets become offset * K + k, so that
they stay unique per topic and grow in the order the rows are written. Rows are written back
interleaved (row by row, copy by copy), so the table is ordered as a live sink writes it: by
arrival, with K times the density. What the sink derives (item_milestones_materialised,
open_obligations) is then recomputed by the sink's own rebuild (sinks/store.rebuild_milestones),
which gives the same rows as its per-batch upkeep.

What differs from a store of N generated items: texts repeat K times, and the weekly signals
are the base's signals copied (a denser week may cross a signal's threshold more often).
"""

from __future__ import annotations

import time
from collections.abc import Callable

import duckdb

from sinks.store import rebuild_milestones

Say = Callable[[str], None]


def _item(column: str) -> str:
    """The copy's id of an item: the same prefix, 16 new hex digits; copy 0 keeps its id."""
    return (f"CASE WHEN k = 0 OR {column} IS NULL THEN {column} ELSE "
            f"left({column}, 3) || left(md5({column} || '#' || k), 16) END")


def _uuid(column: str) -> str:
    """The copy's event id (a UUID from the id and the copy number)."""
    return (f"CASE WHEN k = 0 OR {column} IS NULL THEN CAST({column} AS UUID) ELSE "
            f"md5(CAST({column} AS VARCHAR) || '#' || k)::UUID END")


def _workshop(column: str) -> str:
    return f"CASE WHEN k = 0 OR {column} IS NULL THEN {column} ELSE {column} || '-' || k END"


def _offset(copies: int) -> str:
    return f'"offset" * {copies} + k'


def replacements(copies: int) -> dict[str, dict[str, str]]:
    """Per table, the columns a copy changes and how (every other column is kept)."""
    return {
        "knowledge_items": {"item_id": _item("item_id"),
                            "source_event_id": f"CAST({_uuid('source_event_id')} AS VARCHAR)",
                            "workshop_id": _workshop("workshop_id"),
                            # arrival numbers (sinks/item_seq.py): unique, in the rows' order
                            "item_seq": f"item_seq * {copies} + k"},
        "events": {"event_id": _uuid("event_id"), "item_id": _item("item_id"),
                   "caused_by": _uuid("caused_by"), "offset": _offset(copies),
                   "payload": (f"CASE WHEN k = 0 OR item_id IS NULL THEN payload ELSE "
                               f"replace(CAST(payload AS VARCHAR), item_id, {_item('item_id')})"
                               f"::JSON END")},
        "lifecycle": {"event_id": _uuid("event_id"), "item_id": _item("item_id"),
                      "offset": _offset(copies)},
        "aggregate_members": {"aggregate_item_id": _item("aggregate_item_id"),
                              "member_item_id": _item("member_item_id")},
        "workshops": {"event_id": _uuid("event_id"), "workshop_id": _workshop("workshop_id")},
    }


def replicate(con: duckdb.DuckDBPyConnection, copies: int, say: Say) -> None:
    """Make every item `copies` items (see the module's docstring), in one transaction."""
    if copies <= 1:
        return
    # Interleaving sorts every table whole: let it spill to disk rather than take a shared
    # machine's memory (DuckDB's default is 80 % of it).
    con.execute("SET memory_limit = '4GB'")
    con.execute("SET preserve_insertion_order = true")
    con.execute("BEGIN TRANSACTION")
    try:
        for table, changes in replacements(copies).items():
            started = time.monotonic()
            columns = [r[0] for r in con.execute(
                "SELECT column_name FROM duckdb_columns() WHERE table_name = ? AND NOT internal "
                "ORDER BY column_index", [table]).fetchall()]
            picked = ", ".join(f"{changes.get(c, _quoted(c))} AS {_quoted(c)}" for c in columns)
            con.execute(f"CREATE TEMP TABLE base_rows AS SELECT *, rowid AS base_row FROM {table}")
            con.execute(f"DELETE FROM {table}")
            con.execute(f"INSERT INTO {table} SELECT {picked} FROM base_rows, "
                        f"(SELECT range AS k FROM range({copies})) ORDER BY base_row, k")
            rows = con.execute(f"SELECT count(*) FROM {table}").fetchone()
            con.execute("DROP TABLE base_rows")
            say(f"  {table}: {rows[0] if rows else 0:,} rows "
                f"({time.monotonic() - started:,.0f} s)")
        con.execute(f'UPDATE sink_offsets SET "offset" = "offset" * {copies} + {copies - 1}')
        con.execute(f"UPDATE sink_counters SET value = value * {copies}")
        started = time.monotonic()
        rebuild_milestones(con)
        say(f"  the sink's milestones and obligations rebuilt "
            f"({time.monotonic() - started:,.0f} s)")
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise


def _quoted(column: str) -> str:
    return '"' + column.replace('"', '""') + '"'
