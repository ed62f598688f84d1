"""The store's side of the quality check: what it holds, the frames the suites validate (written
as Parquet files for Great Expectations to read) and the figures some expectations compare with.

Everything runs in one read-only connection to the published snapshot and in one transaction, so
that every frame sees the same data and the same now() (views and the sum checks agree).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from sinks.quality import codes
from sinks.quality.identifiers import (
    CANDIDATE_SQL_REGEX,
    MACHINE_VALUE_SQL_REGEX,
    describe,
    identifier_kinds,
)
from sinks.quality.suites import IDENTIFIERS, Suite

SETTLE_SECONDS = 60  # how long a fresh forwarded copy may wait for its item (sql/macros.sql)
_FRAME_BATCH_ROWS = 100_000
_TEXT_TYPES = ("VARCHAR", "JSON", "VARCHAR[]")
# The sealed contact's ciphertext is random base64 (see identifiers.py): blanked before a scan.
_CIPHERTEXT = r'"ciphertext"\s*:\s*"[^"]*"'
_SCAN_BATCH_ROWS = 10_000


def _sql(name: str) -> str:
    return resources.files("sinks.quality.sql").joinpath(name).read_text("utf-8")


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


@dataclass(frozen=True)
class StoreContents:
    relations: set[str]  # tables and views
    text_columns: dict[str, tuple[tuple[str, str], ...]]  # base table -> (column, type)
    keys: dict[str, tuple[str, ...]]  # base table -> its primary key (or first column)

    def text_column_names(self) -> dict[str, tuple[str, ...]]:
        return {t: tuple(c for c, _ in cols) for t, cols in self.text_columns.items()}


def contents(con: duckdb.DuckDBPyConnection) -> StoreContents:
    relations = {r[0] for r in con.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main'"
    ).fetchall()}
    text: dict[str, list[tuple[str, str]]] = {}
    first: dict[str, str] = {}
    for table, column, data_type in con.execute("""
            SELECT c.table_name, c.column_name, c.data_type
            FROM information_schema.columns AS c
            JOIN information_schema.tables AS t USING (table_schema, table_name)
            WHERE t.table_schema = 'main' AND t.table_type = 'BASE TABLE'
            ORDER BY c.table_name, c.ordinal_position""").fetchall():
        first.setdefault(table, column)
        if data_type in _TEXT_TYPES:
            text.setdefault(table, []).append((column, data_type))
    keys: dict[str, tuple[str, ...]] = {table: (column,) for table, column in first.items()}
    for table, columns in con.execute("""
            SELECT table_name, constraint_column_names FROM duckdb_constraints()
            WHERE schema_name = 'main' AND constraint_type = 'PRIMARY KEY'""").fetchall():
        keys[table] = tuple(columns)
    return StoreContents(relations, {t: tuple(c) for t, c in text.items()}, keys)


def _key_sql(columns: tuple[str, ...]) -> str:
    """The row key: the primary key's columns as text joined by '|' (the frames use the same)."""
    return "concat_ws('|', " + ", ".join(f"CAST({_ident(c)} AS VARCHAR)" for c in columns) + ")"


def _candidates_sql(column: str, data_type: str) -> str:
    """The column's strings that could hold an identifier (prefiltered in DuckDB): the value
    itself, a list's elements, or every string anywhere in a JSON document."""
    keep = (f"lambda s: regexp_matches(s, {_literal(CANDIDATE_SQL_REGEX)}) "
            f"AND NOT regexp_full_match(s, {_literal(MACHINE_VALUE_SQL_REGEX)})")
    c = _ident(column)
    if data_type == "VARCHAR":
        strings = f"[{c}]"
    elif data_type == "VARCHAR[]":
        strings = c
    else:  # JSON: every value, whatever the nesting; objects and arrays come as JSON text too,
        # and are dropped (their strings are values of their own). The fastest of the ways
        # tried (json_extract with a json_type filter took twice as long).
        blanked = f"regexp_replace(CAST({c} AS VARCHAR), {_literal(_CIPHERTEXT)}, " \
                  "'\"ciphertext\":null', 'g')"
        strings = f"json_extract_string({blanked}, '$..*')"
        keep += " AND NOT (s[1] IN ('{', '[') AND json_valid(s))"
    return f"list_filter({strings}, {keep})"


def scan_identifiers(con: duckdb.DuckDBPyConnection, store: StoreContents) -> pa.Table:
    """(table_name, row_key, identifiers_found) for every row of every base table whose text
    columns hold something redaction would still remove: the column and the kind, no value.

    Stores repeat their strings (versions, references, template texts), so each column's
    distinct candidate strings are judged first; only when some hold an identifier are the
    rows holding them looked up. A clean store costs one pass per text column."""
    found: dict[tuple[str, str], dict[str, list[str]]] = {}
    for table, columns in store.text_columns.items():
        for column, data_type in columns:
            for row_key, kinds in _scan_column(con, table, store.keys[table], column,
                                               data_type):
                seen = found.setdefault((table, row_key), {}).setdefault(column, [])
                seen += [k for k in kinds if k not in seen]
    return pa.table({
        "table_name": pa.array([table for table, _ in found], pa.string()),
        "row_key": pa.array([row_key for _, row_key in found], pa.string()),
        IDENTIFIERS: pa.array([describe(by_column) for by_column in found.values()],
                              pa.string()),
    })


def _scan_column(
    con: duckdb.DuckDBPyConnection, table: str, key: tuple[str, ...], column: str,
    data_type: str,
) -> Iterator[tuple[str, list[str]]]:
    strings = (f"SELECT {_key_sql(key)} AS row_key, unnest({_candidates_sql(column, data_type)})"
               f" AS s FROM {_ident(table)}")
    flagged: dict[str, list[str]] = {}
    reader = con.execute(f"SELECT DISTINCT s FROM ({strings})").to_arrow_reader(
        _SCAN_BATCH_ROWS)
    for batch in reader:
        for text in batch.column(0).to_pylist():
            kinds = identifier_kinds(text)
            if kinds:
                flagged[text] = kinds
    if not flagged:
        return
    con.register("flagged_strings", pa.table({"s": list(flagged)}))
    try:
        rows = con.execute(f"SELECT row_key, s FROM ({strings}) "
                           "WHERE s IN (SELECT s FROM flagged_strings)").fetchall()
    finally:
        con.unregister("flagged_strings")
    for row_key, text in rows:
        yield row_key, flagged[text]


def prepare(con: duckdb.DuckDBPyConnection) -> None:
    """The macros and variables the frames use, in this connection only."""
    con.execute("SET enable_progress_bar = false")  # DuckDB draws one on a terminal
    con.execute(_sql("macros.sql"))
    con.execute("SET VARIABLE settle_seconds = ?", [SETTLE_SECONDS])
    con.execute("SET VARIABLE themes = ?", [list(codes.THEMES)])
    con.execute("SET VARIABLE not_stored = ?", [list(codes.NOT_STORED_COUNTERS)])


def write_frame(
    con: duckdb.DuckDBPyConnection, suite: Suite, store: StoreContents, target: Path
) -> frozenset[str]:
    """Write the suite's frame as Parquet; return its columns. identifier findings are joined in
    for base tables (the `identifier_findings` relation registered by the caller)."""
    if suite.frame is None:
        frame = f"SELECT {_key_sql(store.keys[suite.name])} AS row_key FROM {_ident(suite.name)}"
    else:
        con.execute("SET VARIABLE relation = ?", [suite.name])
        frame = _sql(f"{suite.frame}.sql")
    if suite.name in store.text_columns:
        frame = (f"SELECT f.*, i.{IDENTIFIERS} FROM ({frame}) AS f LEFT JOIN ("
                 f"SELECT row_key, string_agg({IDENTIFIERS}, '; ') AS {IDENTIFIERS} "
                 f"FROM identifier_findings WHERE table_name = {_literal(suite.name)} "
                 "GROUP BY row_key) AS i ON i.row_key = f.row_key")
    # Written by pyarrow, streamed: the reader's DuckDB has no file access (sinks/reader.py).
    batches = con.execute(frame).to_arrow_reader(_FRAME_BATCH_ROWS)
    with pq.ParquetWriter(str(target), batches.schema) as out:
        for batch in batches:
            out.write_batch(batch)
    return frozenset(batches.schema.names)


def parameters(con: duckdb.DuckDBPyConnection, relations: set[str]) -> dict[str, int]:
    """Figures the SUM_IS expectations compare with, from item_milestones (the funnels' base)."""
    if "item_milestones" not in relations:
        return {}
    items, by_theme = con.execute("""
        SELECT count(*), coalesce(sum(greatest(len(coalesce(themes, [])), 1)), 0)
        FROM item_milestones""").fetchone() or (0, 0)
    # What the view would hold if recomputed from every stored lifecycle row (macros.sql).
    recomputed = con.execute(
        "SELECT count(DISTINCT item_id) FROM item_milestones_at(TIMESTAMPTZ 'infinity', "
        "recorded_by := TIMESTAMPTZ 'infinity')").fetchone() or (0,)
    out = {"flow_funnel_by_theme_items": int(by_theme),
           "items_from_lifecycle": int(recomputed[0])}
    if "flow_funnel" in relations:
        # Before the funnel counted each item once it had a theme column (one row per theme).
        has_theme = con.execute(
            "SELECT count(*) FROM (DESCRIBE flow_funnel) WHERE column_name = 'theme'"
        ).fetchone()
        out["flow_funnel_items"] = int(by_theme if has_theme and has_theme[0] else items)
    return out


def rejection_count(con: duckdb.DuckDBPyConnection, relations: set[str]) -> int | None:
    """Records the sink could not project (None: a store older than sink_rejections)."""
    if "sink_rejections" not in relations:
        return None
    row = con.execute("SELECT count(*) FROM sink_rejections").fetchone()
    return int(row[0]) if row else 0


def row_counts(con: duckdb.DuckDBPyConnection) -> tuple[int, int]:
    """Knowledge items and events in the snapshot, for the summary's first line."""
    row = con.execute("SELECT (SELECT count(*) FROM knowledge_items), "
                      "(SELECT count(*) FROM events)").fetchone() or (0, 0)
    return int(row[0]), int(row[1])
