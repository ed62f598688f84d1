"""Items' arrival numbers (sinks/item_seq.py): what lets a batch's cost follow the batch.

A store made before the numbers existed is numbered once when the sink first opens it, in the
order its items were received, its per-item tables written in that order and nothing else
changed; and a batch's look-ups of its items in a store whose per-item tables hold several row
groups read only the row groups of its items (DuckDB's own count of the rows each scan read):
the numbers of items seen before come from the SQLite file beside the store (ItemSeqs), which
stays the store's after a crash between the two commits and after a rebuild.
"""

from __future__ import annotations

import json
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb
import pytest

from sinks.projection import project
from sinks.store import Store
from tests.integration.sinks.test_incremental_milestones import SEQ_TABLES, _arrival_numbers
from tests.integration.sinks.test_views import T, _item_of, scenario_records

SUNK_AT = datetime(2025, 1, 20, 12, tzinfo=UTC)
DERIVED = ("item_steps", "item_milestones_materialised", "milestones_batch", "open_obligations")
ROW_GROUP = 122_880  # DuckDB's rows per row group: zone maps prune by these
FILLER = 2 * ROW_GROUP + 1_000  # items stored before the batch: more than two row groups


def _rows(con: duckdb.DuckDBPyConnection, table: str) -> list[tuple[Any, ...]]:
    but = "EXCLUDE (item_seq)" if table in SEQ_TABLES else ""
    return sorted(con.execute(f"SELECT * {but} FROM {table}").fetchall(), key=repr)


def test_an_older_store_is_numbered_once_in_the_order_its_items_were_received(
    tmp_path: Path,
) -> None:
    path = tmp_path / "kokemusvirta.duckdb"
    store = Store(path)
    store.write(project(scenario_records(), T, SUNK_AT))
    before = {t: _rows(store.con, t) for t in (*SEQ_TABLES, "item_milestones", "overdue_items")}
    store.close()
    # As the code before the numbers left it: no item_seq anywhere, items in another order.
    con = duckdb.connect(str(path))
    for table in ("knowledge_items", *DERIVED):
        con.execute(f"ALTER TABLE {table} DROP COLUMN item_seq")
    con.execute("CREATE TEMP TABLE k AS SELECT * FROM knowledge_items")
    con.execute("DELETE FROM knowledge_items")
    con.execute("INSERT INTO knowledge_items SELECT * FROM k ORDER BY item_id DESC")
    con.close()

    store = Store(path)  # the upgrade
    con = store.con
    assert {t: _rows(con, t) for t in before} == before  # nothing but the numbers changed
    numbers = con.execute("SELECT item_id, item_seq FROM knowledge_items ORDER BY rowid"
                          ).fetchall()
    by_receipt = con.execute("SELECT item_id FROM knowledge_items ORDER BY received_at, item_id"
                             ).fetchall()
    assert [i for i, _ in numbers] == [i for (i,) in by_receipt]  # stored in their order
    assert [n for _, n in numbers] == list(range(1, len(numbers) + 1))
    store.close()
    assert _arrival_numbers(path) == []  # the same number in every table, none shared

    store = Store(path)  # once: a second start changes no number
    assert store.con.execute("SELECT item_id, item_seq FROM knowledge_items ORDER BY rowid"
                             ).fetchall() == numbers
    # an item written without its number (by hand, another tool): numbered after the others,
    # and the derived tables take the number too
    store.con.execute("UPDATE knowledge_items SET item_seq = NULL WHERE item_id = ?",
                      [numbers[0][0]])
    store.close()
    store = Store(path)
    (renumbered,) = store.con.execute("SELECT item_seq FROM knowledge_items WHERE item_id = ?",
                                      [numbers[0][0]]).fetchone() or (0,)
    assert renumbered > len(numbers)
    store.close()
    assert _arrival_numbers(path) == []


class _CountingStore(Store):
    """A Store that runs its batch SQL statement by statement, counting the rows each scan of
    a table read (DuckDB's profiler: operator_rows_scanned)."""

    scanned: list[Counter[str]]

    def _run_script(self, sql: str) -> None:
        for statement in duckdb.extract_statements(sql):
            self.con.execute(statement)
            info = json.loads(self.con.get_profiling_information(format="json"))
            seen: Counter[str] = Counter()
            _scans(info, seen)
            self.scanned.append(seen)


def _scans(node: dict[str, Any], seen: Counter[str]) -> None:
    if node.get("operator_type") == "TABLE_SCAN":
        table = str((node.get("extra_info") or {}).get("Table", "")).rsplit(".", 1)[-1]
        seen[table] += int(node.get("operator_rows_scanned") or 0)
    for child in node.get("children", []):
        _scans(child, seen)


@pytest.fixture(scope="module")
def counted(tmp_path_factory: pytest.TempPathFactory) -> list[Counter[str]]:
    """A batch of new items written into a store of more than two row groups of items."""
    records = scenario_records()
    items = list(dict.fromkeys(i for i in map(_item_of, records) if i.startswith("fb-")))
    later = set(items[-3:])  # three feedback items arrive after the filler
    path = tmp_path_factory.mktemp("item-seq") / "kokemusvirta.duckdb"
    store = _CountingStore(path)
    store.scanned = []
    store.write(project([r for r in records if _item_of(r) not in later], T, SUNK_AT))
    con = store.con
    # Filler items: copies of a stored item's rows under new ids (hashes, like the items' own,
    # so that no range of ids stands out) and numbers after the stored items'.
    (model,) = con.execute("SELECT item_id FROM item_milestones_materialised LIMIT 1"
                           ).fetchone() or ("",)
    (top,) = con.execute("SELECT max(item_seq) FROM item_steps").fetchone() or (0,)
    for table in ("knowledge_items", "item_steps", "item_milestones_materialised",
                  "open_obligations"):
        con.execute(f"INSERT INTO {table} SELECT t.* REPLACE ("
                    "'fb-' || left(md5('filler' || r.range), 16) AS item_id, "
                    f"{top} + 1 + r.range AS item_seq) FROM {table} AS t, range({FILLER}) AS r "
                    "WHERE t.item_id = ? ORDER BY r.range", [model])
    con.execute("CHECKPOINT")
    con.execute("PRAGMA enable_profiling = 'no_output'")
    con.execute("SET custom_profiling_settings = '{\"OPERATOR_ROWS_SCANNED\": \"true\", "
                "\"OPERATOR_TYPE\": \"true\", \"EXTRA_INFO\": \"true\"}'")
    store.scanned = []
    store.write(project([r for r in records if _item_of(r) in later], T, SUNK_AT))
    con.execute("PRAGMA disable_profiling")
    (new,) = con.execute("SELECT count(*) FROM item_steps WHERE item_seq > ?",
                         [top + FILLER]).fetchone() or (0,)
    assert new == len(later)  # the batch's items numbered after every stored one
    store.close()
    assert _arrival_numbers(path) == []
    return store.scanned


def test_a_batch_reads_only_its_items_row_groups(counted: list[Counter[str]]) -> None:
    whole = FILLER  # a scan of every row
    for table in ("knowledge_items", "item_milestones_materialised", "open_obligations"):
        assert max(c[table] for c in counted) <= ROW_GROUP < whole, table
    # item_steps too: the numbers of items seen before come from beside the store (ItemSeqs),
    # so no look-up reads the whole table (it did once a batch, by id, before)
    steps = sorted((c["item_steps"] for c in counted), reverse=True)
    assert steps[0] <= ROW_GROUP < whole, steps[:3]


def _later_steps(records: list[Any]) -> tuple[list[Any], list[Any]]:
    """The scenario's records split so that the second part carries later steps of items the
    first part brought (an item seen before must keep its number)."""
    half = len(records) // 2
    first, second = records[:half], records[half:]
    seen = {_item_of(r) for r in first}
    assert any(_item_of(r) in seen for r in second)
    return first, second


def _item_steps_one_per_item(store: Store) -> None:
    row = store.con.execute("SELECT count(*) - count(DISTINCT item_id), "
                            "count(*) - count(DISTINCT item_seq) FROM item_steps").fetchone()
    assert row == (0, 0)


def test_item_numbers_beside_the_store_follow_it_after_a_crash_and_a_lost_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    path = tmp_path / "kokemusvirta.duckdb"
    first, second = _later_steps(scenario_records())
    store = Store(path)
    store.write(project(first[: len(first) // 2], T, SUNK_AT))
    # A crash between the store's commit and the numbers' (the process dies in add): the store
    # holds the batch's items, the file beside it does not.
    monkeypatch.setattr(store.item_seqs, "add", lambda rows: (_ for _ in ()).throw(
        SystemExit("killed")))
    with pytest.raises(SystemExit):
        store.write(project(first[len(first) // 2:], T, SUNK_AT))
    stored = dict(store.con.execute("SELECT item_id, item_seq FROM item_steps").fetchall())
    assert store.item_seqs.count() < len(stored)
    store.event_ids.close()
    store.con.close()

    store = Store(path)  # the sink starts again: the numbers caught up from the store
    assert store.item_seqs.count() == len(stored)
    known = store.item_seqs.known(stored)
    assert dict(zip(known.column("item_id").to_pylist(), known.column("item_seq").to_pylist(),
                    strict=True)) == stored
    store.write(project(second, T, SUNK_AT))  # later steps of those items: the same numbers
    _item_steps_one_per_item(store)
    after = dict(store.con.execute("SELECT item_id, item_seq FROM item_steps").fetchall())
    assert {i: after[i] for i in stored} == stored
    store.close()

    ids_file = path.with_name(path.stem + ".event-ids.sqlite")
    ids_file.unlink()  # lost: made again from the store
    store = Store(path)
    assert store.item_seqs.count() == len(after)
    store.write(project(second, T, SUNK_AT))  # redelivered: nothing new, no number changed
    _item_steps_one_per_item(store)
    assert dict(store.con.execute("SELECT item_id, item_seq FROM item_steps").fetchall()
                ) == after
    store.close()
    assert _arrival_numbers(path) == []


def test_a_crash_between_a_rebuild_and_the_numbers_rebuild_leaves_them_rebuilt_on_open(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    path = tmp_path / "kokemusvirta.duckdb"
    store = Store(path)
    store.write(project(scenario_records(), T, SUNK_AT))
    stored = dict(store.con.execute("SELECT item_id, item_seq FROM item_steps").fetchall())
    # The derived tables rebuilt (new deadlines, a release) may number an item not yet received
    # anew; here one number beside the store differs from the store's as it then would, and the
    # process dies before the numbers follow: they were marked stale before the store's commit.
    some = next(iter(stored))
    store.item_seqs.db.execute("UPDATE items SET seq = 0 WHERE id = ?", [some])
    monkeypatch.setattr(store.item_seqs, "rebuild", lambda con: (_ for _ in ()).throw(
        SystemExit("killed")))
    monkeypatch.setattr(store, "_derived_empty", lambda: True)
    with pytest.raises(SystemExit):
        store.set_deadlines(store.deadlines)
    assert store.item_seqs.count() == -1
    store.event_ids.close()
    store.con.close()
    monkeypatch.undo()
    store = Store(path)
    known = store.item_seqs.known(stored)
    assert dict(zip(known.column("item_id").to_pylist(), known.column("item_seq").to_pylist(),
                    strict=True)) == stored
    store.close()
