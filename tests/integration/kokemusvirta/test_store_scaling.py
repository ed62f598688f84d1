"""`kokemusvirta bench --store-scaling` at tiny sizes: it grows the store, the sink process
writes real batches, a reader process sees each, and every figure is printed."""

from __future__ import annotations

import re
from pathlib import Path

import duckdb

from kokemusvirta.bench import store_scaling


def test_store_scaling_grows_the_store_and_measures_each_size(tmp_path: Path) -> None:
    lines: list[str] = []
    results = store_scaling.run(tmp_path, [0, 900], "256MB", lines.append,
                                seed_records=300, batches=2)
    assert results[0].items == 0
    assert results[1].items >= 900  # grown by copies of the seed chunk
    for r in results:
        assert len(r.batch_ms) == 2 and all(ms > 0 for ms in r.batch_ms)
        assert r.freshness_s is not None and r.freshness_s < 30  # a reader process saw it
        assert r.size_bytes > r.store_bytes > 0 and r.sink_rss_mb > 0
    table = [line for line in lines if re.match(r"^\s+[\d,]+\s+\d+ ms", line)]
    assert len(table) == 2 and all("load" in line for line in table)
    # the copies are rows like the sink's own: items with milestones, fresh event ids
    store = tmp_path / "store-scaling" / "store" / "kokemusvirta.duckdb"
    con = duckdb.connect(str(store), read_only=True)
    try:
        items, materialised = con.execute(
            "SELECT (SELECT count(*) FROM knowledge_items WHERE source_family <> 'aggregate'),"
            " (SELECT count(*) FROM item_milestones_materialised)").fetchone() or (0, 0)
        dup = con.execute("SELECT count(*) - count(DISTINCT event_id) FROM events").fetchone()
        # every item's steps, as a rebuild from the lifecycle gives them (sinks/milestones.sql
        # folds each batch into them: the copies need theirs too)
        steps = con.execute(
            "SELECT count(*) FROM (SELECT * FROM item_step_rows(TIMESTAMPTZ 'infinity', NULL,"
            " false) EXCEPT ALL SELECT * EXCLUDE (item_seq) FROM item_steps)").fetchone()
    finally:
        con.close()
    assert materialised == items
    assert dup == (0,)
    assert steps == (0,)
