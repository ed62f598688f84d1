"""The DuckDB store: one writing connection, one transaction per micro-batch, read snapshots.

Why snapshots: DuckDB lets one process open a file for writing and then no other process may
open it at all. The sink therefore owns `kokemusvirta.duckdb` and, after commits (at most every
`snapshot_interval_s`, and whenever it falls idle), checkpoints it and publishes it as
`kokemusvirta.snapshot.duckdb`: a link to a copy that only the blocks the checkpoint changed
are written into (sinks/snapshot.py). Analysts, `kokemusvirta query` and dashboards open the
snapshot read-only: they never block the sink, never see a half-written batch, and their data is
at most a few seconds old. A reader that already has the old snapshot open keeps reading it.

Why the cost of a batch follows the batch: the tables that grow with every event (events,
lifecycle) have no key index (DuckDB writes a whole index again at each checkpoint, which took a
second per million keys), and their JSON is compressed with zstd (sinks/schema.sql); the per-item
tables are found by each item's arrival number, which lets DuckDB skip the row groups of other
items (sinks/item_seq.py).
"""

from __future__ import annotations

import json
import os
import re
import time
from collections import Counter
from collections.abc import Collection, Iterable, Sequence
from contextlib import suppress
from datetime import UTC, datetime
from importlib import resources
from operator import itemgetter
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.compute as pc

from schemas.deadlines import Deadlines
from schemas.workshop import ParticipantRole
from sinks import snapshot
from sinks.calendar import write_calendar, write_deadlines
from sinks.event_ids import EventIds
from sinks.history_keys import drop_history_keys
from sinks.item_seq import ItemSeqs, number_items
from sinks.paths import snapshot_path, status_path  # here too, where callers found them
from sinks.projection import Batch

_UUID = pa.string()
_TS = pa.timestamp("us", tz="UTC")
STAGING_SCHEMAS: dict[str, pa.Schema] = {
    "events": pa.schema([
        ("event_id", _UUID), ("event_type", pa.string()), ("schema_version", pa.int32()),
        ("occurred_at", _TS), ("recorded_at", _TS), ("county", pa.string()),
        ("unit", pa.string()), ("item_id", pa.string()), ("caused_by", _UUID),
        ("topic", pa.string()), ("partition", pa.int32()), ("offset", pa.int64()),
        ("kafka_timestamp", _TS), ("sunk_at", _TS), ("payload", pa.string()),
    ]),
    "lifecycle": pa.schema([
        ("event_id", _UUID), ("item_id", pa.string()), ("step", pa.string()),
        ("actor_role", pa.string()), ("occurred_at", _TS), ("recorded_at", _TS),
        ("county", pa.string()), ("unit", pa.string()), ("details", pa.string()),
        ("topic", pa.string()), ("partition", pa.int32()), ("offset", pa.int64()),
        ("chain_prev", pa.string()), ("chain_hash", pa.string()),
        ("actor_pseudonym", pa.string()),
    ]),
    "received": pa.schema([
        ("item_id", pa.string()), ("source_family", pa.string()),
        ("source_event_id", pa.string()), ("county", pa.string()),
        ("service_area", pa.string()), ("unit", pa.string()), ("language", pa.string()),
        ("channel", pa.string()), ("rating", pa.int32()), ("reply_requested", pa.bool_()),
        ("contact_given", pa.bool_()), ("workshop_id", pa.string()), ("target", pa.string()),
        ("decision_ref", pa.string()), ("text", pa.string()), ("received_at", _TS),
        ("client_pseudonym", pa.string()), ("author_role", pa.string()),
    ]),
    "classified": pa.schema([
        ("item_id", pa.string()), ("themes", pa.list_(pa.string())), ("stance", pa.string()),
        ("severity", pa.string()), ("classifier_version", pa.string()),
        ("classifier_rules", pa.list_(pa.string())), ("text_language", pa.string()),
        ("classifier_explanation", pa.string()), ("critical_triggers", pa.list_(pa.string())),
        ("critical_suspected", pa.bool_()),
    ]),
    "routed": pa.schema([
        ("item_id", pa.string()), ("routed_topics", pa.list_(pa.string())),
        ("immediate_attention", pa.bool_()),
    ]),
    "forgotten": pa.schema([
        ("county", pa.string()), ("client_pseudonym", pa.string()), ("forgotten_at", _TS),
        ("key_erased", pa.bool_()), ("event_id", _UUID),
    ]),
    "aggregate_members": pa.schema([
        ("aggregate_item_id", pa.string()), ("member_item_id", pa.string()),
    ]),
    "workshops": pa.schema([
        ("event_id", _UUID), ("workshop_id", pa.string()), ("group_id", pa.string()),
        ("meeting_number", pa.int32()), ("forum_type", pa.string()), ("held_on", pa.date32()),
        ("county", pa.string()), ("service_area", pa.string()), ("unit", pa.string()),
        ("facilitator_count", pa.int32()),
        *((f"participants_{role.value}", pa.int32()) for role in ParticipantRole),
        ("participants_total", pa.int32()), ("output_items", pa.int32()),
        ("occurred_at", _TS), ("recorded_at", _TS),
    ]),
    "milestones": pa.schema([
        ("event_id", _UUID), ("item_id", pa.string()), ("milestone", pa.string()), ("at", _TS),
    ]),
    "dead_letters": pa.schema([
        ("event_id", _UUID), ("reason", pa.string()), ("detail", pa.string()),
        ("problems", pa.string()), ("county", pa.string()),
        ("original_event_type", pa.string()), ("original_event_id", pa.string()),
        ("origin_topic", pa.string()), ("origin_partition", pa.int32()),
        ("origin_offset", pa.int64()), ("recorded_at", _TS), ("topic", pa.string()),
        ("partition", pa.int32()), ("offset", pa.int64()), ("sunk_at", _TS),
        ("payload", pa.string()),
    ]),
    "worker_keys": pa.schema([
        ("key_id", pa.string()), ("algorithm", pa.string()), ("public_key", pa.string()),
        ("created_at", _TS), ("topic", pa.string()), ("partition", pa.int32()),
        ("offset", pa.int64()), ("sunk_at", _TS),
    ]),
    "worker_checkpoints": pa.schema([
        ("covered_topic", pa.string()), ("covered_partition", pa.int32()),
        ("last_offset", pa.int64()), ("signed_from", pa.int64()),
        ("event_count", pa.int64()), ("digest", pa.string()),
        ("published_at", _TS), ("key_id", pa.string()), ("signature", pa.string()),
        ("topic", pa.string()), ("partition", pa.int32()), ("offset", pa.int64()),
        ("sunk_at", _TS),
    ]),
    "labels_human": pa.schema([  # sinks/labels.sql
        ("event_id", _UUID), ("item_id", pa.string()), ("step", pa.string()),
        ("actor_role", pa.string()), ("county", pa.string()), ("unit", pa.string()),
        ("themes", pa.list_(pa.string())), ("stance", pa.string()), ("severity", pa.string()),
        ("confirmation", pa.string()), ("reason", pa.string()), ("occurred_at", _TS),
        ("recorded_at", _TS), ("topic", pa.string()), ("partition", pa.int32()),
        ("offset", pa.int64()),
    ]),
    "reply_deliveries": pa.schema([  # sinks/notifications.sql
        ("event_id", _UUID), ("item_id", pa.string()), ("returned_event_id", pa.string()),
        ("status", pa.string()), ("channel", pa.string()), ("attempt", pa.int32()),
        ("language", pa.string()), ("detail", pa.string()), ("county", pa.string()),
        ("unit", pa.string()), ("occurred_at", _TS), ("recorded_at", _TS),
        ("topic", pa.string()), ("partition", pa.int32()), ("offset", pa.int64()),
    ]),
    "staff_notifications": pa.schema([  # sinks/notifications.sql
        ("event_id", _UUID), ("item_id", pa.string()), ("notice", pa.string()),
        ("recipients", pa.list_(pa.string())), ("channel", pa.string()),
        ("deadline", pa.date32()), ("detail", pa.string()), ("county", pa.string()),
        ("unit", pa.string()), ("occurred_at", _TS), ("recorded_at", _TS),
        ("topic", pa.string()), ("partition", pa.int32()), ("offset", pa.int64()),
    ]),
    "access_log": pa.schema([  # sinks/access_log.sql
        ("event_id", _UUID), ("chain_id", pa.string()), ("seq", pa.int64()),
        ("viewer", pa.string()), ("viewer_role", pa.string()), ("viewer_scope", pa.string()),
        ("item_id", pa.string()), ("county", pa.string()), ("purpose", pa.string()),
        ("reason", pa.string()), ("viewed_at", _TS), ("chain_prev", pa.string()),
        ("chain_hash", pa.string()), ("topic", pa.string()), ("partition", pa.int32()),
        ("offset", pa.int64()), ("sunk_at", _TS), ("payload", pa.string()),
    ]),
    "access_log_keys": pa.schema([  # sinks/access_log.sql
        ("key_id", pa.string()), ("algorithm", pa.string()), ("public_key", pa.string()),
        ("created_at", _TS), ("topic", pa.string()), ("partition", pa.int32()),
        ("offset", pa.int64()), ("sunk_at", _TS),
    ]),
    "rejections": pa.schema([
        ("topic", pa.string()), ("partition", pa.int32()), ("offset", pa.int64()),
        ("reason", pa.string()), ("exception_type", pa.string()), ("stage", pa.string()),
        ("kafka_timestamp", _TS), ("sunk_at", _TS),
    ]),
}
# The tables the sink derives from the lifecycle, and what fills them (sinks/views.sql).
_DERIVED = {
    "item_steps": "item_step_rows(TIMESTAMPTZ 'infinity', NULL, false)",
    "item_milestones_materialised": "item_milestone_rows(TIMESTAMPTZ 'infinity', NULL, false)",
    "milestones_batch": "item_milestone_rows(TIMESTAMPTZ 'infinity', NULL, false)",  # scratch
    "open_obligations": "obligation_rows(TIMESTAMPTZ 'infinity', NULL, true)",
}


def _sql(name: str) -> str:
    return resources.files("sinks").joinpath(name).read_text(encoding="utf-8")


def _views_in_parts() -> list[Any]:
    """views.sql cut at its `-- @derived <table>` marks: the first part, then (table, part)
    pairs: the table must have its macro's columns before the part is run, since the macros
    and views in it are bound to those columns when they are created."""
    first, *rest = re.split(r"^-- @derived (\w+)[^\n]*", _sql("views.sql"), flags=re.MULTILINE)
    return [first, *zip(rest[::2], rest[1::2], strict=True)]


def rebuild_milestones(con: duckdb.DuckDBPyConnection) -> None:
    """Recompute item_milestones_materialised from every lifecycle row, and open_obligations
    from it (inside the caller's transaction): for an older store, new deadlines or columns.
    item_steps first: the milestones are computed from it. Each item keeps its arrival number
    (knowledge_items.item_seq; an item not received yet gets one after every other), and the
    rows are written in its order (sinks/item_seq.py says why)."""
    con.execute("DELETE FROM item_steps")
    con.execute(f"""
        INSERT INTO item_steps
        SELECT r.*, coalesce(k.item_seq, (SELECT coalesce(max(item_seq), 0) FROM knowledge_items)
                    + row_number() OVER (ORDER BY k.item_seq IS NULL, r.received_at, r.item_id))
                    AS item_seq
        FROM {_DERIVED['item_steps']} AS r
        LEFT JOIN knowledge_items AS k ON k.item_id = r.item_id
        ORDER BY item_seq""")
    con.execute("DELETE FROM item_milestones_materialised")
    con.execute(f"""
        INSERT INTO item_milestones_materialised
        SELECT m.*, s.item_seq FROM {_DERIVED['item_milestones_materialised']} AS m
        JOIN item_steps AS s ON s.item_id = m.item_id ORDER BY s.item_seq""")
    con.execute("DELETE FROM milestones_batch")
    con.execute("INSERT INTO milestones_batch SELECT * FROM item_milestones_materialised")
    con.execute("DELETE FROM open_obligations")
    con.execute(f"""
        INSERT INTO open_obligations
        SELECT o.*, m.item_seq FROM {_DERIVED['open_obligations']} AS o
        JOIN milestones_batch AS m ON m.item_id = o.item_id ORDER BY m.item_seq""")
    con.execute("DELETE FROM milestones_batch")


_ONLY_WITH = re.compile(r"^-- @only-with (\w+)\n", re.MULTILINE)
# `-- @unless-unique stage_x.column` on the line before a `QUALIFY row_number() OVER (PARTITION
# BY column) = 1` that keeps one row of each column value: left out when no two rows of stage_x
# share a value, where it keeps every row (write_batch.sql says why).
_UNLESS_UNIQUE = re.compile(r"^[ \t]*-- @unless-unique (\w+)\.(\w+)\n([ \t]*QUALIFY [^;\n]*)",
                            re.MULTILINE)


def batch_script(sql: str, empty: Collection[str],
                 unique: Collection[tuple[str, str]] = ()) -> str:
    """The batch's SQL without each statement marked `-- @only-with stage_x` whose stage_x is
    empty, and without each `QUALIFY` marked `-- @unless-unique stage_x.column` whose column has
    no value twice in stage_x (write_batch.sql says why)."""
    sql = _UNLESS_UNIQUE.sub(
        lambda m: "" if (m[1], m[2]) in unique else m[3], sql)
    first, *rest = _ONLY_WITH.split(sql)
    out = [first]
    for table, part in zip(rest[::2], rest[1::2], strict=True):
        statement, end, after = part.partition(";\n")
        if table not in empty:
            out.append(statement + end)
        out.append(after)
    return "".join(out)


def unique_keys(sql: str, staged: dict[str, pa.Table]) -> set[tuple[str, str]]:
    """The (stage_x, column) pairs marked `-- @unless-unique` in sql whose column holds no value
    twice (a NULL counts as a value, as PARTITION BY takes it) in the batch's staged table."""
    unique = set()
    for table, column in set((m[1], m[2]) for m in _UNLESS_UNIQUE.finditer(sql)):
        values = staged[table.removeprefix("stage_")].column(column)
        if pc.count_distinct(values, mode="all").as_py() == len(values):
            unique.add((table, column))
    return unique


def staged_tables(batch: Batch) -> dict[str, pa.Table]:
    """The batch's rows as the Arrow tables write_batch.sql reads (stage_<name>)."""
    return {name: _table(name, getattr(batch, name)) for name in STAGING_SCHEMAS}


# The columns whose values may be uuid.UUID objects (staged as text). Converting only these
# keeps staging a large batch cheap.
_UUID_COLUMNS = frozenset({"event_id", "caused_by"})


def _table(name: str, rows: list[dict[str, Any]]) -> pa.Table:
    schema = STAGING_SCHEMAS[name]
    cols = {}
    for n, values in zip(schema.names, _columns(schema.names, rows), strict=True):
        if n in _UUID_COLUMNS:
            values = [None if v is None else str(v) for v in values]
        cols[n] = values
    return pa.Table.from_pydict(cols, schema=schema)


def _columns(names: list[str], rows: list[dict[str, Any]]) -> list[Sequence[Any]]:
    """The rows' values column by column, None where a row has no such key. The projection
    writes every column of every row, and then one pass in C (itemgetter, zip) turns them
    around, instead of a pass in Python per column."""
    if len(names) > 1 and rows:
        with suppress(KeyError):
            return list(zip(*map(itemgetter(*names), rows), strict=True))
    return [[r.get(n) for r in rows] for n in names]


class Store:
    """The sink's writing side. Not thread-safe; one per sink process."""

    def __init__(
        self, path: Path, memory_limit: str | None = None, deadlines: Deadlines | None = None,
        threads: int | None = None,
    ) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        # The newest storage format: zstd for the events' JSON (sinks/schema.sql). A store made
        # before keeps its own format, and DuckDB 1.5 reads both.
        self.con = duckdb.connect(str(path), config={"storage_compatibility_version": "latest"})
        self.con.execute("SET TimeZone = 'UTC'")
        self.con.execute("SET enable_progress_bar = false")  # a sink has no terminal to draw on
        if memory_limit:
            self.con.execute(f"SET memory_limit = '{memory_limit}'")  # validated by Settings
        if threads is not None:  # the sink's: one (KOKEMUSVIRTA_SINK_THREADS says why)
            self.con.execute(f"SET threads = {int(threads)}")
        self.con.execute(_sql("schema.sql"))
        drop_history_keys(self.con)
        # items just numbered: the derived tables take their numbers in the rebuild below
        self._numbered = number_items(self.con)
        self.event_ids = EventIds(path)
        self.event_ids.catch_up(self.con)
        self.item_seqs = ItemSeqs(self.event_ids.db)  # in the same file (sinks/item_seq.py)
        self._last_snapshot = 0.0
        self._last_copy_seconds = 0.0
        self.last_published: snapshot.Published | None = None
        self.set_deadlines(deadlines or Deadlines())
        self.item_seqs.catch_up(self.con)  # after the derived tables' rebuild, if there was one

    def set_deadlines(self, deadlines: Deadlines) -> None:
        """The metric views, the working-day calendar, these deadlines and their due dates (from
        schemas/deadlines.py, see sinks/calendar.py), in one transaction.

        Marks the store dirty, so that the next snapshot carries views and deadlines even
        before any new event arrives (a changed setting or a new release of views.sql).
        """
        con = self.con
        con.execute("BEGIN TRANSACTION")
        try:
            first, *derived = _views_in_parts()
            con.execute(_sql("suppression.sql"))  # the small-group rule, which SQL after uses
            con.execute(_sql("labels.sql"))  # people's labels, which views.sql reads
            con.execute(_sql("notifications.sql"))  # the notifier's deliveries and notices
            con.execute(_sql("access_log.sql"))  # who viewed which item
            con.execute(first)
            before = con.execute("SELECT * FROM deadlines ORDER BY deadline").fetchall()
            write_deadlines(con, deadlines)
            after = con.execute("SELECT * FROM deadlines ORDER BY deadline").fetchall()
            moved = write_calendar(con, deadlines, deadlines_changed=before != after)
            stale = False
            for table, part in derived:
                stale = self._ensure_derived(table) or stale
                con.execute(part)
            con.execute(_sql("analytics.sql"))  # table macros over the views just made
            rebuilt = (stale or moved or before != after or self._numbered
                       or self._derived_empty())
            if rebuilt:
                rebuild_milestones(con)
                self._numbered = False
                # marked stale first: a crash before the rebuild below leaves it rebuilt on open
                self.item_seqs.invalidate()
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
        if rebuilt:  # items not yet received may have been numbered anew
            self.item_seqs.rebuild(con)
        self.deadlines = deadlines
        self.dirty = True

    def _ensure_derived(self, table: str) -> bool:
        """Make the derived table (item_milestones_materialised, open_obligations) exist with
        its macro's columns; True when it was made anew (a new store, or a release that
        changed the columns), so it must be filled."""
        con = self.con
        source = _DERIVED[table]
        # the macro's columns and the item's arrival number (sinks/item_seq.py)
        with_seq = f"SELECT *, CAST(NULL AS BIGINT) AS item_seq FROM {source}"
        want = con.execute(f"DESCRIBE {with_seq}").fetchall()
        have = con.execute("SELECT column_name, data_type FROM duckdb_columns() WHERE "
                           "table_name = ? AND NOT internal ORDER BY column_index",
                           [table]).fetchall()
        if [r[:2] for r in have] == [r[:2] for r in want]:
            return False
        con.execute("DROP VIEW IF EXISTS item_milestones")  # bound to the old columns
        con.execute(f"DROP TABLE IF EXISTS {table}")
        con.execute(f"CREATE TABLE {table} AS {with_seq} LIMIT 0")
        return True

    def _derived_empty(self) -> bool:
        """A store written before the derived tables existed: empty while items are not."""
        row = self.con.execute(
            "SELECT ((SELECT count(*) FROM item_milestones_materialised) = 0 AND EXISTS ("
            "SELECT 1 FROM knowledge_items WHERE source_family <> 'aggregate')) OR ("
            "(SELECT count(*) FROM item_steps) = 0 AND EXISTS (SELECT 1 FROM lifecycle))"
        ).fetchone()
        return bool(row and row[0])

    def close(self) -> None:
        try:
            self.event_ids.close()
        finally:
            self.con.close()

    def offsets(self) -> dict[tuple[str, int], int]:
        rows = self.con.execute('SELECT topic, "partition", "offset" FROM sink_offsets').fetchall()
        return {(t, p): o for t, p, o in rows}

    def write(self, batch: Batch) -> None:
        """Rows, projections, offsets and counters in one transaction: all or nothing."""
        self.write_staged(staged_tables(batch), batch.offsets, batch.counters)

    def write_staged(self, staged: dict[str, pa.Table], offsets: dict[tuple[str, int], int],
                     counters: Counter[str]) -> None:
        """`write` with the batch already as Arrow tables (staged_tables), which another
        process may have made (the benchmark builds them in parallel)."""
        con = self.con
        empty = {f"stage_{name}" for name, table in staged.items() if table.num_rows == 0}
        sql = _sql("write_batch.sql")
        script = batch_script(sql, empty, unique_keys(sql, staged))
        # an empty table no statement left reads need not be registered (1.5 ms each)
        registered = [name for name in staged
                      if f"stage_{name}" not in empty
                      or re.search(rf"\bstage_{name}\b", script)]
        con.execute("BEGIN TRANSACTION")
        try:
            for name in registered:
                con.register(f"stage_{name}", staged[name])
            # which of the batch's events are stored already (sinks/event_ids.py)
            con.register("stored_event_ids", pa.table({"event_id": pa.array(
                self.event_ids.stored(staged["events"].column("event_id").to_pylist()),
                pa.string())}))
            # the arrival numbers of the batch's items stored before (sinks/item_seq.py)
            con.register("known_item_seqs", self.item_seqs.known(
                staged["lifecycle"].column("item_id").to_pylist()))
            counters = counters.copy()
            if "stage_dead_letters" not in empty:
                counters["already_stored"] += self._count_dead_letters_already_stored()
            self._run_script(script)
            # the batch's items with their numbers (milestones.sql empties batch_items after)
            numbered = con.execute("SELECT item_id, item_seq FROM batch_items").fetchall()
            counters["already_stored"] += self._count_events_already_stored()
            if self._has_new_lifecycle():  # else milestones.sql has nothing to do (it says why)
                self._run_script(_sql("milestones.sql"))
            self._write_offsets(offsets)
            self._add_counters(+counters)  # unary plus drops zero counts
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
        finally:
            for name in registered:
                con.unregister(f"stage_{name}")
            con.unregister("stored_event_ids")
            con.unregister("known_item_seqs")
        # After the commit: a crash before this line is caught up when the store is opened.
        self.event_ids.add(r[0] for r in con.execute("SELECT event_id FROM new_event_ids")
                           .fetchall())
        self.item_seqs.add(numbered)  # those it numbered are new there (the rest known)
        self.dirty = True

    def _run_script(self, sql: str) -> None:
        """A batch's SQL file, in the batch's transaction (a test looks at each statement)."""
        self.con.execute(sql)

    # Redelivered copies (the worker re-emits after a crash or rebalance, a source republishes)
    # change no row; counted as `already_stored` so that the counters balance:
    # consumed = rows(events) + rows(dead_letters) + every not-stored counter (docs/quality.md).
    def _count_dead_letters_already_stored(self) -> int:
        (n,) = self.con.execute(
            "SELECT count(*) FROM stage_dead_letters AS d "
            "SEMI JOIN dead_letters AS x ON x.event_id = CAST(d.event_id AS UUID)").fetchone() \
            or (0,)
        return int(n)

    def _count_events_already_stored(self) -> int:
        """After write_batch.sql: the staged events that were not new."""
        (n,) = self.con.execute(
            "SELECT (SELECT count(*) FROM stage_events) - (SELECT count(*) FROM new_event_ids)"
        ).fetchone() or (0,)
        return int(n)

    def _has_new_lifecycle(self) -> bool:
        """After write_batch.sql: whether the batch brought a lifecycle row not stored before."""
        return self.con.execute("SELECT 1 FROM new_lifecycle LIMIT 1").fetchone() is not None

    def _write_offsets(self, offsets: dict[tuple[str, int], int]) -> None:
        if not offsets:
            return
        now = datetime.now(UTC)
        table = pa.Table.from_pylist(
            [{"topic": t, "partition": p, "offset": o, "updated_at": now}
             for (t, p), o in offsets.items()],
            schema=pa.schema([("topic", pa.string()), ("partition", pa.int32()),
                              ("offset", pa.int64()), ("updated_at", _TS)]),
        )
        self.con.register("stage_offsets", table)
        self.con.execute("""
            INSERT INTO sink_offsets SELECT * FROM stage_offsets
            ON CONFLICT (topic, "partition") DO UPDATE
            SET "offset" = greatest(sink_offsets."offset", excluded."offset"),
                updated_at = excluded.updated_at
        """)
        self.con.unregister("stage_offsets")

    def _add_counters(self, counters: Iterable[tuple[str, int]] | Any) -> None:
        for name, value in dict(counters).items():
            self.con.execute(
                "INSERT INTO sink_counters VALUES (?, ?) "
                "ON CONFLICT (name) DO UPDATE SET value = sink_counters.value + excluded.value",
                [name, value],
            )

    def maybe_publish_snapshot(self, min_interval_s: float, force: bool = False) -> bool:
        """Checkpoint and publish the read-only snapshot (sinks/snapshot.py: the blocks the
        checkpoint changed, into a file no reader has open), when due.

        While busy the sink spends at most about a fifth of its time publishing (the interval
        grows to four times the last publication's duration: a whole copy, now and then, of a
        large store takes a while).
        """
        if not self.dirty:
            return False
        interval = max(min_interval_s, 4 * self._last_copy_seconds)
        if not force and time.monotonic() - self._last_snapshot < interval:
            return False
        started = time.monotonic()
        self.con.execute("CHECKPOINT")
        row = self.con.execute("SELECT block_size FROM pragma_database_size() "
                               "WHERE database_name = current_database()").fetchone()
        self.last_published = snapshot.publish(self.path, snapshot_path(self.path),
                                               int(row[0]) if row else 262_144)
        self._write_status()
        self._last_snapshot = time.monotonic()
        self._last_copy_seconds = self._last_snapshot - started
        self.dirty = False
        return True

    def _write_status(self) -> None:
        offsets: dict[str, dict[str, int]] = {}
        for (topic, partition), offset in self.offsets().items():
            offsets.setdefault(topic, {})[str(partition)] = offset
        counters = dict(self.con.execute("SELECT name, value FROM sink_counters").fetchall())
        status = {
            "snapshot": str(snapshot_path(self.path)),
            "published_at": datetime.now(UTC).isoformat(),
            "offsets": offsets,
            "counters": counters,
        }
        target = status_path(self.path)
        tmp = target.with_name(target.name + ".tmp")
        tmp.write_text(json.dumps(status, indent=1))
        os.replace(tmp, target)
