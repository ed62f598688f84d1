"""The history lake: the store's append-only history tables, copied into DuckLake (docs/lake.md).

The store (sinks/store.py) stays what the sink writes: its keyed upserts, derived tables and
views need primary keys and indexes, which DuckLake does not have (a keyed update of 100 items
in a 1M-row DuckLake table costs several times the DuckDB table's; kokemusvirta/bench/lake.py).
Beside it, the sink appends to the lake what the store's history tables gained: each sync is one
DuckLake transaction, so one snapshot, which readers attach read-only and travel back through.

Exact: the history tables are append-only (never updated, never deleted from), so a row's place
in its table (DuckDB's rowid) only grows. The lake keeps its own table of what it has taken
(`lake_taken`: per table the rows taken and the identity of the last one), written in the same
DuckLake transaction as the rows. A sync takes each table's rows past that mark; a crash between
the store's commit and the lake's leaves the mark where it was, and the next sync takes the same
rows, once. A redelivered record adds no row to the store, so none to the lake either. (Kafka
offsets are no mark: a source event keeps its intake record's place, not the place the sink read
it from.) Should a release ever rewrite a table (its last taken row is no longer where the mark
says), that sync matches the rows by identity instead, which is slower but as exact.

The lake never stops the sink: a failure is one warning line and the sync is tried again later;
the store goes on. The DuckDB catalog file has one writer and no reader beside it, so the sink
attaches the lake only for a sync or a compaction and lets go at once.
"""

from __future__ import annotations

import contextlib
import json
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import duckdb

log = logging.getLogger("kokemusvirta.sink.lake")

# The store's history tables the lake follows: append-only, each row from one Kafka record.
HISTORY_TABLES = ("events", "lifecycle", "dead_letters", "worker_keys", "worker_checkpoints")
# Each history row's identity in the store (what its write keeps unique), as text.
IDENTITY = {
    "events": "CAST({t}.event_id AS VARCHAR)",
    "lifecycle": "CAST({t}.event_id AS VARCHAR)",
    "dead_letters": "CAST({t}.event_id AS VARCHAR)",
    "worker_keys": "{t}.key_id",
    "worker_checkpoints": 'concat_ws(\':\', {t}.topic, {t}."partition", {t}."offset")',  # read
}
ALIAS = "kv_lake"  # the lake's name while the sink has it attached to the store's connection
OFF = "off"
AUTHOR = "kokemusvirta sink"
SYNC_MESSAGE = "history sync"
# Parquet files up to this size are merged by compaction; larger ones are left alone (the
# default, 512 MB, rewrote a 440 MB file to merge a few small ones into it: 15 s).
TARGET_FILE_SIZE = "32MB"
# Measured (kokemusvirta/bench/lake.py): a commit with its rows inlined in the catalog file cost
# more than one writing a small Parquet file (254 vs 100 ms into an empty lake, 620 vs 115 ms at
# 5M rows, load ~22), so each sync writes Parquet and compaction merges the small files.
INLINING_ROW_LIMIT = 0
# DuckDB's Parquet writer holds a whole row group in memory until it writes it (default 122,880
# rows), so a sync's memory grew with the rows it took: one sync of a catching-up sink
# (35,000 events and 60,000 lifecycle rows) allocated 189 MB, the largest transient of the sink
# (peak 700-800 MB), 66 MB with 8,192-row groups at the same CPU and file size (2026-12-06).
PARQUET_ROW_GROUP_SIZE = 8192
BACKOFF_MAX_S = 300.0
# A store older than its lake (a lake turned on at a million items: 5M rows) is taken in parts,
# so that no sync holds the sink up for long.
MAX_ROWS_PER_SYNC = 250_000


def extension_path(name: str = "ducklake") -> str:
    """An extension shipped in its wheel (duckdb-extension-ducklake, -postgres-scanner): loaded
    from the file, never downloaded (the sink and the readers run without network)."""
    return str(resources.files(f"duckdb_extension_{name}").joinpath(
        "extensions", "v1.5.5", f"{name}.duckdb_extension"))


@dataclass(frozen=True)
class LakeLocation:
    """Where the lake is: DuckLake's catalog (the ATTACH string) and its Parquet directory."""

    catalog: str  # 'ducklake:/…/catalog.ducklake', 'ducklake:postgres:dbname=… host=…', …
    data_path: Path | None

    @property
    def catalog_file(self) -> Path | None:
        """The DuckDB catalog file, when the catalog is one (not PostgreSQL, SQLite …)."""
        rest = self.catalog.removeprefix("ducklake:")
        if ":" in rest.split("/", 1)[0]:  # 'postgres:…', 'sqlite:…', 'duckdb:…'
            kind, _, path = rest.partition(":")
            return Path(path) if kind == "duckdb" else None
        return Path(rest)

    @property
    def extensions(self) -> list[str]:
        """The extensions' files to LOAD before attaching: DuckLake, and DuckDB's postgres
        extension for a PostgreSQL catalog (docs/postgres.md)."""
        kind = self.catalog.removeprefix("ducklake:").partition(":")[0]
        return [extension_path()] + ([extension_path("postgres_scanner")]
                                     if kind in ("postgres", "postgresql") else [])

    @property
    def directories(self) -> list[str]:
        """What a lake reader's sandbox may read beside the attached catalog: the Parquet
        files' directory (not the catalog file's, which may be shared with other state)."""
        return [str(self.data_path.resolve()) + "/"] if self.data_path is not None else []

    def attach_sql(self, alias: str, read_only: bool = False, version: int | None = None,
                   at: str | None = None) -> str:
        options = []
        if self.data_path is not None:
            options.append(f"DATA_PATH {_quote(str(self.data_path) + '/')}")
        if read_only:
            options.append("READ_ONLY")
        if version is not None:
            options.append(f"SNAPSHOT_VERSION {int(version)}")
        if at is not None:
            options.append(f"SNAPSHOT_TIME {_quote(at)}")
        return (f"ATTACH {_quote(self.catalog)} AS {alias}"
                + (f" ({', '.join(options)})" if options else ""))


def _key(table: str, alias: str) -> str:
    """A history row's identity (IDENTITY) on the table called `alias`."""
    return IDENTITY[table].replace("{t}", alias)


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def location(setting: str | None, home: Path, data_path: Path | None = None) -> LakeLocation | None:
    """KOKEMUSVIRTA_LAKE: `off`, unset (the embedded catalog file under $KOKEMUSVIRTA_HOME) or a
    DuckLake catalog, passed on unchanged (`ducklake:` is added when missing)."""
    value = (setting or "").strip()
    if value.lower() == OFF:
        return None
    if not value:
        return LakeLocation(f"ducklake:{home / 'lake' / 'catalog.ducklake'}",
                            data_path or home / "lake" / "data")
    catalog = value if value.startswith("ducklake:") else f"ducklake:{value}"
    found = LakeLocation(catalog, data_path)
    if data_path is None and found.catalog_file is not None:
        found = LakeLocation(catalog, found.catalog_file.parent / "data")
    return found


class LakeWriter:
    """The sink's side: sync the history into the lake, compact it when idle. Uses the store's
    own connection (the rows go from the store to Parquet without passing through Python)."""

    def __init__(self, con: duckdb.DuckDBPyConnection, where: LakeLocation,
                 every_s: float = 10.0, compact_idle_s: float = 30.0,
                 compact_every_s: float = 600.0,
                 clock: Callable[[], float] = time.monotonic,
                 inlining_row_limit: int = INLINING_ROW_LIMIT) -> None:
        self.con = con
        self.inlining_row_limit = inlining_row_limit  # for a new lake
        self.where = where
        self.every_s = every_s
        self.compact_idle_s = compact_idle_s
        self.compact_every_s = compact_every_s
        self.clock = clock
        self.last_sync = -float("inf")
        self.last_compaction = clock()  # not at once on start: compaction is for quiet times
        self.synced_since_compaction = False
        self.pending = True  # the store may hold rows the lake has not (a new start)
        self.retry_at = -float("inf")
        self.backoff_s = 1.0
        self.failures = 0
        self.last_error: str | None = None  # the last try's error; None once a try succeeds
        self.syncs = 0
        self.rows_synced = 0
        self._loaded = False
        self._tables_ready = False  # the lake's tables checked against the store's, this process
        self._sync_no = 0
        self._more = False  # the last sync stopped at MAX_ROWS_PER_SYNC rows of a table
        self._moved = False  # the last sync's marks differ from the lake's

    # -- the sink's turn ---------------------------------------------------------------------

    def stored(self) -> None:
        """The store committed a batch."""
        self.pending = True

    def turn(self, idle_for_s: float) -> None:
        """After a batch (idle_for_s 0) or on an idle poll: sync when due, compact when quiet.
        Never raises: a failure is logged in one line and tried again later."""
        now = self.clock()
        if now < self.retry_at:
            return
        try:
            if self.pending and (idle_for_s > 0 or now - self.last_sync >= self.every_s):
                self.sync()
            if (idle_for_s >= self.compact_idle_s and self.synced_since_compaction
                    and now - self.last_compaction >= self.compact_every_s):
                self.compact()
        except Exception as exc:  # noqa: BLE001 - the lake must never stop the sink
            self.failures += 1
            self.last_error = f"{type(exc).__name__}: {' '.join(str(exc).split())[:200]}"
            self.retry_at = self.clock() + self.backoff_s
            log.warning("history lake not updated (%s: %s); the store goes on, retrying in "
                        "%.0f s", type(exc).__name__,
                        " ".join(str(exc).split())[:200] or "-", self.backoff_s)
            self.backoff_s = min(self.backoff_s * 2, BACKOFF_MAX_S)
            self._detach_quietly()
        else:
            self.backoff_s = 1.0
            self.last_error = None

    def figures(self) -> dict[str, object]:
        """What the sink's /healthz and /metrics say of the lake (kokemusvirta status shows it):
        syncs and rows taken in this process, failed tries, the last sync's age, whether the
        store holds rows the lake has not yet, and the error while the lake is failing."""
        return {"syncs": self.syncs, "rows_synced": self.rows_synced,
                "failures": self.failures,
                "last_sync_age_s": None if self.last_sync == -float("inf")
                else round(max(0.0, self.clock() - self.last_sync), 1),
                "behind": self.pending, "error": self.last_error}

    # -- the work ----------------------------------------------------------------------------

    def sync(self) -> int:
        """One DuckLake transaction: the history rows the store gained since the lake's
        `lake_taken`, and the new `lake_taken`. Returns the rows added (0: no snapshot)."""
        self._attach()
        con = self.con
        try:
            if not self._tables_ready:
                con.execute("BEGIN TRANSACTION")  # a new lake's tables: one snapshot
                try:
                    self._ensure_tables()
                    con.execute("COMMIT")
                except BaseException:
                    con.execute("ROLLBACK")
                    raise
                self._tables_ready = True
            con.execute("BEGIN TRANSACTION")
            try:
                added, counts, marks = self._take()
                if not added and not self._moved:  # nothing new in the store: no snapshot
                    con.execute("ROLLBACK")
                else:
                    con.executemany(f"INSERT INTO {ALIAS}.lake_taken VALUES (?, ?, ?, ?, now())",
                                    [[self._sync_no + 1, t, *m] for t, m in marks.items()])
                    # What `kokemusvirta lake snapshots` lists as the snapshot's rows added.
                    con.execute(f"CALL {ALIAS}.set_commit_message(?, ?, extra_info => ?)",
                                [AUTHOR, SYNC_MESSAGE,
                                 json.dumps({"rows_added": added, **counts})])
                    con.execute("COMMIT")
            except BaseException:
                con.execute("ROLLBACK")
                raise
        finally:
            self._detach()
        self.pending = self._more  # a long history is taken in parts, one per turn
        self.last_sync = self.clock()
        self.syncs += 1
        self.rows_synced += added
        self.synced_since_compaction = self.synced_since_compaction or added > 0
        return added

    def _take(self) -> tuple[int, dict[str, int], dict[str, tuple[int, str | None]]]:
        """Inside the sync's transaction: append each history table's rows past the lake's
        mark. Returns the rows added, per table, and the new marks (rows taken, last key)."""
        con = self.con
        row = con.execute(f"SELECT coalesce(max(sync_no), 0) FROM {ALIAS}.lake_taken").fetchone()
        self._sync_no = int(row[0]) if row else 0
        taken = {t: (int(n), k) for t, n, k in con.execute(
            f"SELECT table_name, rows_taken, last_key FROM {ALIAS}.lake_taken "
            "WHERE sync_no = ?", [self._sync_no]).fetchall()}
        added, counts, marks = 0, {}, {}
        self._more = False
        for table in HISTORY_TABLES:
            key = _key(table, "t")
            rows, last_key = taken.get(table, (0, None))
            # rowids as literals: DuckDB skips to the row group for a constant, while a
            # parameter compared with rowid scanned the whole table (1.2 s at 5M rows)
            at_mark = con.execute(f"SELECT {key} FROM main.{table} AS t WHERE rowid = "
                                  f"{int(rows) - 1}").fetchall() if rows else [(None,)]
            if at_mark == [(last_key,)]:
                # The store's table as the lake last saw it, grown at its end (or not: then
                # no work in the lake at all, the usual case for most tables).
                end = rows + MAX_ROWS_PER_SYNC
                n = 0
                top = con.execute(f"SELECT max(rowid) FROM main.{table} WHERE rowid >= "
                                  f"{int(rows)} AND rowid < {int(end)}").fetchone()
                if top and top[0] is not None:
                    (n,) = con.execute(f"INSERT INTO {ALIAS}.{table} BY NAME SELECT * FROM "
                                       f"main.{table} WHERE rowid >= {int(rows)} AND rowid <= "
                                       f"{int(top[0])}").fetchone() or (0,)
                    self._more = self._more or int(n) == MAX_ROWS_PER_SYNC
            else:
                # Rewritten since (a migration copied it): the rows the lake lacks, by key.
                log.info("history lake: %s was rewritten in the store; matching by key", table)
                (n,) = con.execute(
                    f"INSERT INTO {ALIAS}.{table} BY NAME SELECT * FROM main.{table} AS t "
                    f"WHERE NOT EXISTS (SELECT 1 FROM {ALIAS}.{table} AS l "
                    f"WHERE {_key(table, 'l')} = {key})").fetchone() or (0,)
                top = con.execute(f"SELECT max(rowid) FROM main.{table}").fetchone()
                rows, last_key = 0, None
            if top and top[0] is not None:
                (mark,) = con.execute(f"SELECT {key} FROM main.{table} AS t WHERE rowid = "
                                      f"{int(top[0])}").fetchone() or (None,)
                marks[table] = (int(top[0]) + 1, mark)
            else:
                marks[table] = (rows, last_key)
            counts[table] = int(n)
            added += int(n)
        self._moved = marks != {t: taken.get(t, (0, None)) for t in HISTORY_TABLES}
        return added, counts, marks

    def compact(self) -> None:
        """Write inlined rows to Parquet and merge small adjacent files. Earlier snapshots stay
        readable (nothing is expired), so time travel is unchanged."""
        self._attach()
        try:
            self.con.execute(f"CALL ducklake_flush_inlined_data('{ALIAS}')")
            self.con.execute(f"CALL ducklake_merge_adjacent_files('{ALIAS}')")
        finally:
            self._detach()
        self.last_compaction = self.clock()
        self.synced_since_compaction = False
        log.info("history lake compacted")

    # -- attaching ---------------------------------------------------------------------------

    def _attach(self) -> None:
        if not self._loaded:
            for extension in self.where.extensions:
                self.con.execute(f"LOAD {_quote(extension)}")
            self._loaded = True
        for p in (self.where.catalog_file, self.where.data_path):
            if p is not None:
                (p if p == self.where.data_path else p.parent).mkdir(parents=True, exist_ok=True)
        self.con.execute(self.where.attach_sql(ALIAS))

    def _ensure_tables(self) -> None:
        """Each history table as the store has it (a column the store gained is added), and
        `lake_taken`; the lake's options on a new lake, the row group size on every lake."""
        con = self.con
        # On a lake made before it too: an option is no snapshot, and setting it again is free.
        con.execute(f"CALL {ALIAS}.set_option('parquet_row_group_size', "
                    f"'{PARQUET_ROW_GROUP_SIZE}')")
        have = {r[0] for r in con.execute(
            "SELECT table_name FROM duckdb_tables() WHERE database_name = ?", [ALIAS]).fetchall()}
        if "lake_taken" not in have:
            con.execute(f"CALL {ALIAS}.set_option('target_file_size', '{TARGET_FILE_SIZE}')")
            con.execute(f"CALL {ALIAS}.set_option('data_inlining_row_limit', "
                        f"{int(self.inlining_row_limit)})")
            con.execute(f"""CREATE TABLE {ALIAS}.lake_taken (sync_no BIGINT NOT NULL,
                table_name VARCHAR NOT NULL, rows_taken BIGINT NOT NULL, last_key VARCHAR,
                taken_at TIMESTAMPTZ NOT NULL)""")
        for table in HISTORY_TABLES:
            if table not in have:
                con.execute(f"CREATE TABLE {ALIAS}.{table} AS "
                            f"SELECT * FROM main.{table} LIMIT 0")
                continue
            lake_columns = {r[0] for r in con.execute(
                "SELECT column_name FROM duckdb_columns() WHERE database_name = ? "
                "AND table_name = ?", [ALIAS, table]).fetchall()}
            for name, kind in con.execute(
                    "SELECT column_name, data_type FROM duckdb_columns() WHERE "
                    "database_name = current_database() AND schema_name = 'main' "
                    "AND table_name = ? ORDER BY column_index", [table]).fetchall():
                if name not in lake_columns:
                    con.execute(f'ALTER TABLE {ALIAS}.{table} ADD COLUMN "{name}" {kind}')

    def _detach(self) -> None:
        self.con.execute(f"DETACH DATABASE IF EXISTS {ALIAS}")

    def _detach_quietly(self) -> None:
        with contextlib.suppress(duckdb.Error):  # no transaction open: the usual case
            self.con.execute("ROLLBACK")
        try:
            self._detach()
        except duckdb.Error as exc:
            log.debug("detaching the lake failed: %s", exc)
