"""`kokemusvirta bench --store-scaling`: does the sink's cost follow the batch or the history?

At each size (by default 0, 250k and 1M knowledge items) the store is grown quickly, then a
sink process of its own (the real `Store`, a fresh process so its memory is its own) writes
fixed batches of 100 intake records through the real write path (`Store.write_staged`: the
same SQL, the same transaction, the same materialised milestones) and publishes them for
readers as the idle sink does; a reader process (`sinks.reader.open_read_only`, the sandbox
every reader uses) polls for the batch's last item. Printed per size: the median batch time,
the reader's freshness (commit -> visible in another process), the store's size on disk, the
sink process's peak RSS and the load average.

How the store is grown: one seed chunk of scenario records goes through the real write path
(scenario/bench_store.prepare: the worker's Processor, the managers' planned steps), then SQL
copies its rows with fresh event ids and item ids suffixed `-c<copy>` until the store holds
the size asked for. The rows are what the sink makes (payload sizes, steps per item,
milestones, obligations), just repeated; a million items take minutes instead of the hours
the broker path would (see scenario/bench_store.py).
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

Say = Callable[[str], None]
SIZES = (0, 250_000, 1_000_000)
SEED_RECORDS = 4_000  # intake records in the seed chunk the copies repeat
BATCH_RECORDS = 100
BATCHES = 5
_NEW_UUID = "gen_random_uuid()"


def _copy_exprs(columns: list[str], table: str, seed_seq: int = 0) -> dict[str, str]:
    """Column -> expression for copy number `c.i`: fresh event ids, suffixed item ids, the
    items' arrival numbers after the previous copy's (sinks/item_seq.py)."""
    out: dict[str, str] = {}
    for col in columns:
        if col == "item_seq":
            out[col] = f"x.item_seq + c.i * {seed_seq}"
        if col == "event_id" and table in {"events", "lifecycle", "workshops", "dead_letters"}:
            out[col] = _NEW_UUID
        elif col in {"item_id", "aggregate_item_id", "member_item_id", "workshop_id",
                     "client_pseudonym"}:
            out[col] = f"{col} || '-c' || c.i"
        elif col == "event_id" and table == "forgotten_persons":
            out[col] = _NEW_UUID
    return out


COPIED = ("events", "lifecycle", "knowledge_items", "aggregate_members", "workshops",
          "dead_letters", "forgotten_persons", "item_steps", "item_milestones_materialised",
          "open_obligations")


def items_in(con: object) -> int:
    row = con.execute(  # type: ignore[attr-defined]
        "SELECT count(*) FROM knowledge_items WHERE source_family <> 'aggregate'").fetchone()
    return int(row[0]) if row else 0


def grow(store_path: Path, target: int, say: Say, seed_records: int = SEED_RECORDS) -> int:
    """Grow the store at `store_path` to about `target` items; returns the items it holds."""
    from scenario import bench_store, generate
    from sinks.store import Store

    store = Store(store_path)
    con = store.con
    con.execute("SET enable_progress_bar = false")
    try:
        have = items_in(con)
        if have >= target:
            return have
        if not con.execute("SELECT count(*) FROM pg_tables WHERE tablename = 'seed_events'"
                           ).fetchone()[0]:  # type: ignore[index]
            raws = [r.value for r in generate(bench_store.SEED, events=seed_records,
                                              start=bench_store.START, weeks=bench_store.WEEKS)]
            prepared = bench_store.prepare(0, raws)
            store.write_staged(prepared.staged, prepared.offsets, prepared.counters)
            for t in COPIED:  # the seed: what the copies repeat (kept, for the next size)
                con.execute(f"CREATE TABLE seed_{t} AS SELECT * FROM {t}")
            have = items_in(con)
        seed_items = int(con.execute(
            "SELECT count(*) FROM seed_knowledge_items WHERE source_family <> 'aggregate'"
        ).fetchone()[0])  # type: ignore[index]
        next_copy = int(con.execute(
            "SELECT coalesce(max(TRY_CAST(regexp_extract(item_id, '-c(\\d+)$', 1) AS INT)), 0)"
            " FROM knowledge_items").fetchone()[0]) + 1  # type: ignore[index]
        copies = max(0, -(-(target - have) // seed_items))
        step = max(1, 200_000 // max(seed_items, 1))  # copies per transaction
        seed_seq = int(con.execute("SELECT coalesce(max(item_seq), 0) FROM seed_item_steps"
                                   ).fetchone()[0])  # type: ignore[index]
        started = time.monotonic()
        for first in range(next_copy, next_copy + copies, step):
            last = min(first + step, next_copy + copies)
            con.execute("BEGIN TRANSACTION")
            for t in COPIED:
                cols = [r[0] for r in con.execute(f"DESCRIBE seed_{t}").fetchall()]
                exprs = _copy_exprs(cols, t, seed_seq)
                select = ", ".join(exprs.get(c, f'x."{c}"') for c in cols)
                order = " ORDER BY c.i, x.item_seq" if "item_seq" in cols else ""
                con.execute(f"INSERT INTO {t} SELECT {select} FROM seed_{t} AS x, "
                            f"(SELECT range AS i FROM range({first}, {last})) AS c{order}")
            con.execute("COMMIT")
            say(f"  grown to {items_in(con):,} items ({time.monotonic() - started:.0f} s)")
        con.execute("CHECKPOINT")
        catch_up = getattr(store, "event_ids", None)  # the ids beside the store, if it has them
        if catch_up is not None:
            catch_up.catch_up(con)
        return items_in(con)
    finally:
        store.close()


@dataclass(frozen=True)
class Measured:
    items: int
    batch_ms: list[float]
    freshness_s: float | None
    size_bytes: int
    store_bytes: int
    sink_rss_mb: float  # the peak while writing the batches
    load: tuple[float, float, float]
    start_rss_mb: float = 0.0  # the peak of opening the grown store and its first copies
    cpu_ms: tuple[float, ...] = ()  # the batches' CPU time in the sink process

    def line(self) -> str:
        fresh = "not seen" if self.freshness_s is None else f"{self.freshness_s:6.2f} s"
        return (f"{self.items:>10,}  {statistics.median(self.batch_ms):8.0f} ms "
                f"(min {min(self.batch_ms):.0f}, max {max(self.batch_ms):.0f})  "
                f"{statistics.median(self.cpu_ms) if self.cpu_ms else float('nan'):6.0f} ms  "
                f"{fresh}  "
                f"{self.store_bytes / 1e9:6.2f} GB ({self.size_bytes / 1e9:5.2f} GB)  "
                f"{self.sink_rss_mb:6.0f} MB (start {self.start_rss_mb:.0f})  "
                f"load {self.load[0]:.2f} {self.load[1]:.2f} {self.load[2]:.2f}")


HEADER = ("     items  batch of 100 (median)      its CPU  reader sees it  store (all files)  "
          "sink peak RSS in the batches (at its start)  "
          "load 1/5/15 min")


def store_size(store_path: Path) -> int:
    """Everything the store keeps on disk beside it (file, log, the readers' snapshots)."""
    total = 0
    for p in store_path.parent.rglob("*"):
        if p.is_file() and not p.is_symlink():  # the snapshot link: its file is counted
            total += p.stat().st_size
    return total


def _sink_main(store: str, batches_file: str, memory_limit: str) -> None:
    """The sink process: fixed batches through the real write path, each published for
    readers as the idle sink does, with a reader process waiting for its last item."""
    import pickle

    from sinks.store import Store

    with open(batches_file, "rb") as f:
        prepared = pickle.load(f)  # made by the bench itself, just before (_prepare_batches)
    from kokemusvirta.settings import Settings

    # DuckDB's threads as the sink runs it (KOKEMUSVIRTA_SINK_THREADS)
    s = Store(Path(store), memory_limit, threads=Settings().sink_threads)
    # As a running sink has: both snapshot files published once (after the growth they are
    # whole copies), so what is timed below is a publication after one batch.
    s.maybe_publish_snapshot(0, force=True)
    s.dirty = True
    s.maybe_publish_snapshot(0, force=True)
    # The peak of this start apart from the batches': the kernel's high-water mark (VmHWM)
    # reset here. Not getrusage's ru_maxrss: that keeps the peak of the process this one was
    # forked from (the bench, which grew the store: 1.4-1.8 GB), across the exec.
    start_mb = _peak_rss_mb()
    reset = _reset_peak_rss()
    times: list[float] = []
    cpu: list[float] = []
    fresh: list[float | None] = []
    for p in prepared:
        item = p.staged["received"].column("item_id")[-1].as_py()
        reader = subprocess.Popen(
            [sys.executable, "-m", "kokemusvirta.bench.store_scaling", "--reader-process",
             store, item, "30"], stdout=subprocess.PIPE, text=True)
        assert reader.stdout is not None
        reader.stdout.readline()  # "ready": it has opened the store once
        started, cpu_started = time.monotonic(), time.process_time()
        s.write_staged(p.staged, p.offsets, p.counters)
        committed = time.time()
        times.append((time.monotonic() - started) * 1000)
        # CPU too (DuckDB's threads included): the wall time also counts the reader process
        # and everything else sharing the cores, the CPU time the batch's own work.
        cpu.append((time.process_time() - cpu_started) * 1000)
        s.maybe_publish_snapshot(0, force=True)  # the idle sink publishes at once
        seen = json.loads(reader.stdout.readline())["seen_at"]
        reader.wait()
        fresh.append(None if seen is None else seen - committed)
    s.close()
    print(json.dumps({"batch_ms": times, "cpu_ms": cpu, "freshness_s": fresh,
                      "start_rss_mb": start_mb,
                      "rss_mb": _peak_rss_mb(), "peak_reset": reset}))


def _reset_peak_rss() -> bool:
    """Linux: writing 5 to /proc/self/clear_refs resets VmHWM (proc(5))."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
        return True
    except OSError:
        return False


def _peak_rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _reader_main(store: str, item: str, timeout: float) -> None:
    """A reader process: open the sandboxed store as every reader does, look for the item,
    close; again until it is there."""
    from sinks.reader import open_read_only

    def seen() -> bool:
        try:
            con = open_read_only(Path(store))
        except Exception:  # noqa: BLE001 - a snapshot being replaced: try again
            return False
        try:
            row = con.execute("SELECT count(*) FROM knowledge_items WHERE item_id = ?",
                              [item]).fetchone()
        finally:
            con.close()
        return bool(row and row[0])

    seen()
    print("ready", flush=True)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if seen():
            print(json.dumps({"seen_at": time.time()}), flush=True)
            return
        time.sleep(0.02)
    print(json.dumps({"seen_at": None}), flush=True)


def _prepare_batches(path: Path, first_offset: int, batches: int) -> None:
    """The fixed batches, as the worker and the managers would make them, pickled for the
    sink process (so its memory is the store's, not the classifier's)."""
    import pickle

    from scenario import bench_store, generate

    raws = [r.value for r in generate(bench_store.SEED + first_offset,
                                      events=BATCH_RECORDS * batches,
                                      start=bench_store.START, weeks=bench_store.WEEKS)]
    prepared = [bench_store.prepare(first_offset + n * BATCH_RECORDS,
                                    raws[n * BATCH_RECORDS:(n + 1) * BATCH_RECORDS])
                for n in range(batches)]
    path.write_bytes(pickle.dumps(prepared))


def measure(store_path: Path, memory_limit: str, first_offset: int,
            batches: int = BATCHES) -> Measured:
    """The sink process writes the fixed batches; its figures, with the store's size."""
    items = items_in_store(store_path)
    batches_file = store_path.parent.parent / "batches.pickle"
    batches_file.parent.mkdir(parents=True, exist_ok=True)
    _prepare_batches(batches_file, first_offset, batches)
    sink = subprocess.run(
        [sys.executable, "-m", "kokemusvirta.bench.store_scaling", "--sink-process",
         str(store_path), str(batches_file), memory_limit],
        capture_output=True, text=True, check=False)
    if sink.returncode != 0:
        raise RuntimeError(f"sink process failed: {sink.stderr.strip()[-2000:]}")
    out = json.loads(sink.stdout.strip().splitlines()[-1])
    seen = [f for f in out["freshness_s"] if f is not None]
    freshness = statistics.median(seen) if len(seen) == len(out["freshness_s"]) else None
    return Measured(items, out["batch_ms"], freshness,
                    store_size(store_path), store_path.stat().st_size, out["rss_mb"],
                    os.getloadavg(), out.get("start_rss_mb", 0.0), tuple(out["cpu_ms"]))


def items_in_store(store_path: Path) -> int:
    """The items in the store itself (no sink has it open now), through the readers' door."""
    from sinks.reader import open_sandboxed

    if not store_path.exists():
        return 0
    con = open_sandboxed(store_path)
    try:
        return items_in(con)
    finally:
        con.close()

def run(home: Path, sizes: Sequence[int], memory_limit: str, say: Say,
        seed_records: int = SEED_RECORDS, batches: int = BATCHES) -> list[Measured]:
    """Grow one store through the sizes, measuring at each; prints the table as it goes."""
    store_path = home / "store-scaling" / "store" / "kokemusvirta.duckdb"
    if store_path.parent.exists():
        import shutil

        shutil.rmtree(store_path.parent)
    say(f"store scaling: {store_path} (batches of {BATCH_RECORDS} intake records, "
        f"{batches} per size; each figure the median of them)")
    results: list[Measured] = []
    for n, size in enumerate(sizes):
        if size:
            grow(store_path, size, say, seed_records)
        m = measure(store_path, memory_limit, 10_000_000 + n * 100_000, batches)
        results.append(m)
        if n == 0:
            say(HEADER)
        say(m.line())
    return results


def main(argv: Sequence[str] | None = None) -> int:
    """The sink and reader processes the benchmark starts (not a command of its own)."""
    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0] == "--sink-process":
        _sink_main(args[1], args[2], args[3])
        return 0
    if args and args[0] == "--reader-process":
        _reader_main(args[1], args[2], float(args[3]))
        return 0
    print("run `kokemusvirta bench --store-scaling`", file=sys.stderr)
    return 2


if __name__ == "__main__":
    raise SystemExit(main())
