"""sinks/store.py's batch write as it was at b7b9718, before the sink left out what a batch
cannot change (milestones.sql without new lifecycle rows, a dedupe of keys the batch holds once):
the old side of tests/unit/sinks/test_store_differential.py. Its SQL is the SQL of then, kept
beside it (write_batch.sql, milestones.sql); everything else is the Store of today."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Collection
from pathlib import Path

import pyarrow as pa

from sinks.store import _ONLY_WITH, Store


def _sql(name: str) -> str:
    return (Path(__file__).parent / name).read_text(encoding="utf-8")


def batch_script(sql: str, empty: Collection[str]) -> str:
    """The batch's SQL without each statement marked `-- @only-with stage_x` whose stage_x is
    empty (write_batch.sql says why)."""
    first, *rest = _ONLY_WITH.split(sql)
    out = [first]
    for table, part in zip(rest[::2], rest[1::2], strict=True):
        statement, end, after = part.partition(";\n")
        if table not in empty:
            out.append(statement + end)
        out.append(after)
    return "".join(out)


class StoreBefore(Store):
    """The Store with the batch write of before."""

    def write_staged(self, staged: dict[str, pa.Table], offsets: dict[tuple[str, int], int],
                     counters: Counter[str]) -> None:
        """`write` with the batch already as Arrow tables (staged_tables), which another
        process may have made (the benchmark builds them in parallel)."""
        con = self.con
        empty = {f"stage_{name}" for name, table in staged.items() if table.num_rows == 0}
        script = batch_script(_sql("write_batch.sql"), empty)
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
