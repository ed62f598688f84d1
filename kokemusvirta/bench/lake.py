"""`python -m kokemusvirta.bench.lake`: what a DuckLake history lake costs, before building it.

Measured with the duckdb 1.5.5 ducklake extension from its wheel, a DuckDB catalog file and a
Parquet data directory (the default the sink uses, sinks/lake.py):
- the time of one commit appending a batch of lifecycle-like rows, into an empty lake and into
  one holding `--rows` rows (5M: the lake's size at a million items), data inlining on and off;
- how long another process takes to see that commit (attach read-only, count);
- the size of the catalog and the data files;
- the cost of compaction (`ducklake_merge_adjacent_files` + `ducklake_flush_inlined_data`);
- a keyed update of 100 items in a 1M-row table, DuckLake vs a DuckDB table (why the lake sits
  beside the store instead of replacing it: the sink's writes are keyed upserts).
Every figure is printed with the load average (the machine is shared).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb

from sinks.lake import TARGET_FILE_SIZE, extension_path

_ROWS_SQL = """
SELECT gen_random_uuid() AS event_id, 'item-' || (i // 5)::VARCHAR AS item_id,
       (['received','classified','routed','acknowledged','decided'])[i % 5 + 1] AS step,
       'system' AS actor_role, now() AS occurred_at, now() AS recorded_at,
       'lappi' AS county, 'unit-' || (i % 50)::VARCHAR AS unit,
       '{"routes":["kv.routed.lappi"],"note":"' || repeat('x', 40) || '"}' AS details,
       'kv.lifecycle' AS topic, (i % 4)::INTEGER AS "partition", i::BIGINT AS "offset",
       md5(i::VARCHAR) AS chain_prev, md5((i + 1)::VARCHAR) AS chain_hash
FROM range(START, STOP) AS r(i)
"""


def _rows(start: int, stop: int) -> str:
    return _ROWS_SQL.replace("START", str(start)).replace("STOP", str(stop))


def load() -> str:
    return f"{os.getloadavg()[0]:.2f}"


def _attach(con: duckdb.DuckDBPyConnection, root: Path, inline: bool) -> None:
    con.execute(f"LOAD '{extension_path()}'")
    limit = 1000 if inline else 0
    con.execute(f"ATTACH 'ducklake:{root}/catalog.ducklake' AS lake "
                f"(DATA_PATH '{root}/data/', DATA_INLINING_ROW_LIMIT {limit})")
    # as the sink sets it (sinks/lake.py): compaction leaves files past this size alone
    con.execute(f"CALL lake.set_option('target_file_size', '{TARGET_FILE_SIZE}')")


def _size(root: Path) -> tuple[int, int]:
    files = [p for p in root.rglob("*") if p.is_file()]
    return len(files), sum(p.stat().st_size for p in files)


# Another process, started once per case: for each count asked on stdin, attach the lake
# read-only until it holds that many rows, and print when it did (the clock is the machine's).
_SEE = """
import sys, time, duckdb
root, ext = sys.argv[1], sys.argv[2]
con = duckdb.connect(); con.execute(f"LOAD '{ext}'")
print("ready", flush=True)
for line in sys.stdin:
    want = int(line)
    while True:
        try:
            con.execute(f"ATTACH 'ducklake:{root}/catalog.ducklake' AS lake (READ_ONLY)")
            try:
                n = con.execute("SELECT count(*) FROM lake.lifecycle").fetchone()[0]
            finally:
                con.execute("DETACH lake")
            if n >= want:
                print(time.time(), flush=True)
                break
        except duckdb.Error:
            pass
        time.sleep(0.005)
"""


def appends(rows: int, batch: int, commits: int, inline: bool, say: object = print) -> None:
    for size in (0, rows):
        root = Path(tempfile.mkdtemp(prefix="lake-bench-"))
        try:
            con = duckdb.connect()
            _attach(con, root, inline)
            con.execute("CREATE TABLE lake.lifecycle AS " + _rows(0, 0)
                        + " LIMIT 0")
            if size:
                started = time.monotonic()
                con.execute("INSERT INTO lake.lifecycle " + _rows(0, size))
                print(f"  grew the lake to {size:,} rows in {time.monotonic() - started:.1f} s")
            times, seen = [], []
            watcher = subprocess.Popen([sys.executable, "-c", _SEE, str(root), extension_path()],
                                       stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
            assert watcher.stdin is not None and watcher.stdout is not None
            watcher.stdout.readline()  # ready
            for k in range(commits):
                lo = size + k * batch
                started = time.monotonic()
                con.execute("INSERT INTO lake.lifecycle " + _rows(lo, lo + batch))
                times.append(time.monotonic() - started)
                # the writer lets go of the catalog file after each sync, as the sink does (a
                # DuckDB catalog file has one writer and no reader beside it)
                con.execute("DETACH lake")
                done = time.time()
                watcher.stdin.write(f"{lo + batch}\n")
                watcher.stdin.flush()
                seen.append(float(watcher.stdout.readline()) - done)
                _attach(con, root, inline)
            watcher.stdin.close()
            watcher.wait()
            n_files, n_bytes = _size(root)
            print(f"append {batch} rows at {size:>9,} rows, inlining {'on ' if inline else 'off'}: "
                  f"commit median {statistics.median(times) * 1000:6.1f} ms "
                  f"(max {max(times) * 1000:.1f}); another process sees it after median "
                  f"{statistics.median(seen) * 1000:.0f} ms; "
                  f"{n_files} files, {n_bytes / 1e6:.1f} MB  [load {load()}]")
            started = time.monotonic()
            con.execute("CALL ducklake_flush_inlined_data('lake')")
            flushed = time.monotonic() - started
            started = time.monotonic()
            con.execute("CALL ducklake_merge_adjacent_files('lake')")
            merged = time.monotonic() - started
            con.execute("CALL ducklake_cleanup_old_files('lake', cleanup_all => true)")
            after_files, after_bytes = _size(root)
            print(f"  compaction: flush inlined {flushed * 1000:.0f} ms, merge adjacent "
                  f"{merged * 1000:.0f} ms; files {n_files} -> {after_files}, "
                  f"{after_bytes / 1e6:.1f} MB  [load {load()}]")
            con.close()
        finally:
            shutil.rmtree(root, ignore_errors=True)


def sink_syncs(rows: int, batch: int, commits: int) -> None:
    """The sink's own sync (sinks/lake.py: LakeWriter on the store's connection) of `batch`
    new lifecycle rows, beside a store whose lifecycle holds 0 or `rows` rows."""
    from sinks.lake import LakeWriter, location
    from sinks.store import Store

    for size in (0, rows):
        home = Path(tempfile.mkdtemp(prefix="lake-bench-"))
        try:
            store = Store(home / "store" / "kokemusvirta.duckdb")
            where = location(None, home)
            assert where is not None
            lake = LakeWriter(store.con, where)
            if size:
                store.con.execute("INSERT INTO lifecycle BY NAME " + _rows(0, size))
                started = time.monotonic()
                parts = [time.monotonic()]
                lake.sync()
                while lake.pending:  # a long history is taken in parts, one per sink turn
                    parts.append(time.monotonic())
                    lake.sync()
                ends = [*parts[1:], time.monotonic()]
                longest = max(b - a for a, b in zip(parts, ends, strict=True))
                print(f"  the lake took the {size:,} stored rows in {len(parts)} syncs, "
                      f"{ends[-1] - started:.1f} s in all (the longest {longest:.1f} s)"
                      f"  [load {load()}]")
            else:
                lake.sync()
            times = []
            for k in range(commits):
                lo = size + k * batch
                store.con.execute("INSERT INTO lifecycle BY NAME " + _rows(lo, lo + batch))
                started = time.monotonic()
                lake.sync()
                times.append(time.monotonic() - started)
            print(f"sink's sync of {batch} new rows beside {size:>9,} stored: median "
                  f"{statistics.median(times) * 1000:.0f} ms (max {max(times) * 1000:.0f}; "
                  f"attach, read by rowid, append, commit, detach)  [load {load()}]")
            store.close()
        finally:
            shutil.rmtree(home, ignore_errors=True)


def keyed_update(rows: int) -> None:
    root = Path(tempfile.mkdtemp(prefix="lake-bench-"))
    try:
        con = duckdb.connect(str(root / "store.duckdb"))
        _attach(con, root, inline=False)
        sql = _rows(0, rows)
        con.execute("CREATE TABLE items AS " + sql)
        con.execute("CHECKPOINT")
        con.execute("CREATE TABLE lake.items AS " + sql)
        ids = ", ".join(f"'item-{i * 997 % (rows // 5)}'" for i in range(100))
        for name, table in (("DuckDB table", "items"), ("DuckLake table", "lake.items")):
            times = []
            for _ in range(3):
                started = time.monotonic()
                con.execute(f"UPDATE {table} SET step = 'closed' WHERE item_id IN ({ids})")
                times.append(time.monotonic() - started)
            print(f"keyed update of 100 items in a {rows:,}-row {name}: median "
                  f"{statistics.median(times) * 1000:.0f} ms  [load {load()}]")
        n_files, _ = _size(root / "data")
        print(f"  the lake's data files after 3 updates: {n_files} (deletes are delete files)")
        con.close()
    finally:
        shutil.rmtree(root, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m kokemusvirta.bench.lake",
                                     description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--rows", type=int, default=5_000_000, help="the big lake's rows")
    parser.add_argument("--batch", type=int, default=500, help="rows per commit")
    parser.add_argument("--commits", type=int, default=5, help="commits per case")
    parser.add_argument("--update-rows", type=int, default=1_000_000)
    parser.add_argument("--only", choices=("appends", "sink", "update"), default=None,
                        help="one part of the measurements")
    args = parser.parse_args(argv)
    print(f"duckdb {duckdb.__version__}, ducklake from {extension_path()}  [load {load()}]")
    if args.only in (None, "appends"):
        for inline in (True, False):
            appends(args.rows, args.batch, args.commits, inline)
    if args.only in (None, "sink"):
        sink_syncs(args.rows, args.batch, args.commits)
    if args.only in (None, "update"):
        keyed_update(args.update_rows)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
