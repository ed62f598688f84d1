"""The sink's per-batch work folds each batch into its items' stored rows (sinks/milestones.sql,
write_batch.sql) instead of recomputing them from every lifecycle row. The store it builds
batch by batch must equal, table by table and view by view, the store built from the same
records in one batch and then rebuilt from every lifecycle row (`rebuild_milestones`, what the
sink did per batch before), and a batch must not need the lifecycle rows stored before it."""

from __future__ import annotations

import random
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pytest

from sinks.projection import ConsumedRecord, project
from sinks.store import Store, rebuild_milestones
from tests.integration.sinks.test_views import T, _item_of, scenario_records

SUNK_AT = datetime(2025, 1, 20, 12, tzinfo=UTC)  # one time for both stores: rows comparable
# Not the data: the counters count redelivered copies, the offsets carry their write time, the
# scratch tables are empty outside a batch.
NOT_COMPARED = {"sink_counters", "sink_offsets", "milestone_scope", "lifecycle_batch",
                "milestones_batch", "batch_items"}
# An item's arrival number depends on the order its rows arrived in (sinks/item_seq.py), so it
# is compared apart (_arrival_numbers), not as data.
ARRIVAL = "item_seq"
SEQ_TABLES = ("knowledge_items", "item_steps", "item_milestones_materialised", "open_obligations")
# knowledge_items' own milestone columns give a member a signal's acknowledgement only in the
# batch that brings it (write_batch.sql, as before this change): a member received after it
# has none there (item_milestones, which the metrics read, has it either way).
ORDER_BOUND = ["acknowledged_at", "reached_leadership_at"]


def _arrival(order: str) -> list[list[ConsumedRecord]]:
    """The records in batches of 2-12: each item's records in their order, items interleaved,
    and now and then an earlier batch again (a crash before the sink's commit)."""
    by_item: dict[str, list[ConsumedRecord]] = {}
    for record in scenario_records():
        by_item.setdefault(_item_of(record), []).append(record)
    rng = random.Random(order)
    queues = [list(rs) for rs in by_item.values()]
    if order == "reversed":  # the signal's steps first, its members' receipt last
        queues.reverse()
    arrival: list[ConsumedRecord] = []
    while queues:
        queue = queues[0] if order == "reversed" else rng.choice(queues)
        arrival.append(queue.pop(0))
        if not queue:
            queues.remove(queue)
    batches: list[list[ConsumedRecord]] = []
    while arrival:
        size = rng.randint(2, 12)
        batches.append(arrival[:size])
        del arrival[:size]
        if len(batches) % 4 == 0:
            batches.append(batches[rng.randrange(len(batches))])
    return batches


def _relations(con: duckdb.DuckDBPyConnection) -> list[str]:
    rows = con.execute(
        "SELECT table_name FROM duckdb_tables() WHERE schema_name = 'main' AND NOT temporary "
        "UNION SELECT view_name FROM duckdb_views() WHERE schema_name = 'main' "
        "AND NOT internal AND NOT temporary ORDER BY 1").fetchall()
    return [r[0] for r in rows if r[0] not in NOT_COMPARED]


def _differences(batched: Path, whole: Path, signal_first: bool) -> dict[str, tuple[int, int]]:
    """Rows of each table and view in one store and not in the other, both ways."""
    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'")
    con.execute(f"ATTACH '{batched}' AS a (READ_ONLY)")
    con.execute(f"ATTACH '{whole}' AS b (READ_ONLY)")
    out: dict[str, tuple[int, int]] = {}
    con.execute("USE a")
    names = _relations(con)
    assert {"knowledge_items", "item_steps", "item_milestones_materialised", "open_obligations",
            "item_milestones", "flow_funnel", "overdue_items"} <= set(names)
    for name in names:
        left_out = [ARRIVAL] if name in SEQ_TABLES else []
        if signal_first and name == "knowledge_items":
            left_out += ORDER_BOUND
        but = f"EXCLUDE ({', '.join(left_out)})" if left_out else ""
        counts = []
        for x, y in (("a", "b"), ("b", "a")):
            con.execute(f"USE {x}")  # a view reads its own store's tables
            con.register("mine", con.execute(f'SELECT * {but} FROM {x}."{name}"')
                         .to_arrow_table())
            con.execute(f"USE {y}")
            con.register("theirs", con.execute(f'SELECT * {but} FROM {y}."{name}"')
                         .to_arrow_table())
            row = con.execute("SELECT count(*) FROM (SELECT * FROM mine "
                              "EXCEPT ALL SELECT * FROM theirs)").fetchone()
            con.unregister("mine")
            con.unregister("theirs")
            counts.append(row[0] if row else -1)
        if counts != [0, 0]:
            out[name] = (counts[0], counts[1])
    con.close()
    return out


@pytest.mark.parametrize("order", ["reversed", "seed-1"])
def test_batch_by_batch_equals_one_rebuild_from_every_row(tmp_path: Path, order: str) -> None:
    batches = _arrival(order)
    batched = Store(tmp_path / "batched.duckdb")
    half = len(batches) // 2
    for batch in batches[:half]:
        batched.write(project(batch, T, SUNK_AT))
    # The later batches see none of the lifecycle rows stored before them: a statement that
    # recomputed an item from the whole lifecycle would lose what they held.
    con = batched.con
    con.execute("CREATE TABLE lifecycle_before AS SELECT * FROM lifecycle")
    con.execute("DELETE FROM lifecycle")
    for batch in batches[half:]:
        batched.write(project(batch, T, SUNK_AT))
    con.execute("INSERT INTO lifecycle SELECT * FROM lifecycle_before")
    con.execute("DROP TABLE lifecycle_before")
    batched.close()

    whole = Store(tmp_path / "whole.duckdb")
    whole.write(project([r for b in batches for r in b], T, SUNK_AT))
    whole.con.execute("BEGIN TRANSACTION")
    rebuild_milestones(whole.con)  # every derived row from every lifecycle row
    whole.con.execute("COMMIT")
    whole.close()

    assert _differences(tmp_path / "batched.duckdb", tmp_path / "whole.duckdb",
                        signal_first=order == "reversed") == {}
    for store in (tmp_path / "batched.duckdb", tmp_path / "whole.duckdb"):
        assert _arrival_numbers(store) == []


def _arrival_numbers(store: Path) -> list[str]:
    """What is wrong with the store's arrival numbers (sinks/item_seq.py): each item has one,
    the same in every per-item table, and no two items share one."""
    con = duckdb.connect(str(store), read_only=True)
    wrong: list[str] = []
    try:
        for table in SEQ_TABLES:
            row = con.execute(
                f"SELECT count(*) FROM {table} AS t LEFT JOIN item_steps AS s USING (item_id) "
                "WHERE t.item_seq IS NULL OR s.item_seq IS DISTINCT FROM t.item_seq").fetchone()
            if row and row[0]:
                wrong.append(f"{table}: {row[0]} rows without their item's item_steps number")
        row = con.execute("SELECT count(*) - count(DISTINCT item_seq) FROM item_steps").fetchone()
        if row and row[0]:
            wrong.append(f"item_steps: {row[0]} numbers shared")
    finally:
        con.close()
    return wrong
