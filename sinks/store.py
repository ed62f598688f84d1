"""The DuckDB store: one writing connection, one transaction per micro-batch, read snapshots.

Why snapshots: DuckDB lets one process open a file for writing and then no other process may
open it at all. The sink therefore owns `kokemusvirta.duckdb` and, after commits (at most every
`snapshot_interval_s`, and whenever it falls idle), checkpoints it and publishes a copy by atomic
rename as `kokemusvirta.snapshot.duckdb`. Analysts, `kokemusvirta query` and dashboards open the
snapshot read-only: they never block the sink, never see a half-written batch, and their data is
at most a few seconds old. A reader that already has the old snapshot open keeps reading it.
"""

from __future__ import annotations

import json
import os
import shutil
import time
from collections.abc import Iterable
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from sinks.calendar import Deadlines, write_calendar, write_deadlines
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
    ]),
    "received": pa.schema([
        ("item_id", pa.string()), ("source_family", pa.string()),
        ("source_event_id", pa.string()), ("county", pa.string()),
        ("service_area", pa.string()), ("unit", pa.string()), ("language", pa.string()),
        ("channel", pa.string()), ("rating", pa.int32()), ("reply_requested", pa.bool_()),
        ("contact_given", pa.bool_()), ("workshop_id", pa.string()), ("target", pa.string()),
        ("decision_ref", pa.string()), ("text", pa.string()), ("received_at", _TS),
        ("client_pseudonym", pa.string()),
    ]),
    "classified": pa.schema([
        ("item_id", pa.string()), ("themes", pa.list_(pa.string())), ("stance", pa.string()),
        ("severity", pa.string()), ("classifier_version", pa.string()),
        ("classifier_rules", pa.list_(pa.string())), ("text_language", pa.string()),
        ("classifier_explanation", pa.string()), ("critical_triggers", pa.list_(pa.string())),
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
    ]),
}
def _sql(name: str) -> str:
    return resources.files("sinks").joinpath(name).read_text(encoding="utf-8")


def snapshot_path(store: Path) -> Path:
    return store.with_name(store.stem + ".snapshot.duckdb")


def status_path(store: Path) -> Path:
    return store.with_name(store.stem + ".status.json")


def _table(name: str, rows: list[dict[str, Any]]) -> pa.Table:
    schema = STAGING_SCHEMAS[name]
    cols = {f.name: [_plain(r.get(f.name)) for r in rows] for f in schema}
    return pa.Table.from_pydict(cols, schema=schema)


def _plain(v: Any) -> Any:
    return str(v) if v.__class__.__name__ == "UUID" else v


class Store:
    """The sink's writing side. Not thread-safe; one per sink process."""

    def __init__(
        self, path: Path, memory_limit: str | None = None, deadlines: Deadlines | None = None
    ) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        self.con = duckdb.connect(str(path))
        self.con.execute("SET TimeZone = 'UTC'")
        if memory_limit:
            self.con.execute(f"SET memory_limit = '{memory_limit}'")  # validated by Settings
        self.con.execute(_sql("schema.sql"))
        self._last_snapshot = 0.0
        self._last_copy_seconds = 0.0
        self.set_deadlines(deadlines or Deadlines())

    def set_deadlines(self, deadlines: Deadlines) -> None:
        """The metric views, the working-day calendar and these deadlines, in one transaction.

        Marks the store dirty, so that the next snapshot carries views and deadlines even
        before any new event arrives (a changed setting or a new release of views.sql).
        """
        con = self.con
        con.execute("BEGIN TRANSACTION")
        try:
            con.execute(_sql("views.sql"))
            write_calendar(con)
            write_deadlines(con, deadlines)
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
        self.deadlines = deadlines
        self.dirty = True

    def close(self) -> None:
        self.con.close()

    def offsets(self) -> dict[tuple[str, int], int]:
        rows = self.con.execute('SELECT topic, "partition", "offset" FROM sink_offsets').fetchall()
        return {(t, p): o for t, p, o in rows}

    def write(self, batch: Batch) -> None:
        """Rows, projections, offsets and counters in one transaction: all or nothing."""
        con = self.con
        con.execute("BEGIN TRANSACTION")
        try:
            staged = {name: _table(name, getattr(batch, name)) for name in STAGING_SCHEMAS}
            for name, table in staged.items():
                con.register(f"stage_{name}", table)
            con.execute(_sql("write_batch.sql"))
            self._write_offsets(batch.offsets)
            self._add_counters(batch.counters)
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
        finally:
            for name in STAGING_SCHEMAS:
                con.unregister(f"stage_{name}")
        self.dirty = True

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
        """Checkpoint and publish a read-only copy by atomic rename, when due.

        A large store takes a while to copy; while busy the sink spends at most about a fifth
        of its time on copies (the interval grows to four times the last copy's duration).
        """
        if not self.dirty:
            return False
        interval = max(min_interval_s, 4 * self._last_copy_seconds)
        if not force and time.monotonic() - self._last_snapshot < interval:
            return False
        started = time.monotonic()
        self.con.execute("CHECKPOINT")
        target = snapshot_path(self.path)
        tmp = target.with_name(target.name + ".tmp")
        shutil.copyfile(self.path, tmp)
        os.replace(tmp, target)
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
