"""The readers' snapshot published by changed blocks (sinks/snapshot.py), and the history tables
kept without a key index (sinks/schema.sql): on real stores in a temporary folder."""

from __future__ import annotations

import filecmp
from pathlib import Path

import duckdb
import pytest

from sinks import snapshot
from sinks.projection import project
from sinks.reader import open_read_only
from sinks.store import Store, snapshot_path
from tests.factories import as_bytes, feedback, workshop
from tests.integration.sinks.test_store import NOW, T, records_for


def _write(store: Store, n: int) -> None:
    raws = [as_bytes(feedback(text=f"Palaute numero {n}-{i}: jonot ovat pitkiä."))
            for i in range(3)]
    store.write(project(records_for(*raws, as_bytes(workshop())), T, NOW))


def _items(path: Path) -> int:
    con = open_read_only(path)
    try:
        row = con.execute("SELECT count(*) FROM knowledge_items").fetchone()
        return int(row[0]) if row else 0
    finally:
        con.close()


def test_each_publication_copies_only_changed_blocks_and_equals_the_store(
        tmp_path: Path) -> None:
    path = tmp_path / "s.duckdb"
    store = Store(path)
    try:
        seen = []
        for n in range(4):
            _write(store, n)
            assert store.maybe_publish_snapshot(0, force=True)
            published = store.last_published
            assert published is not None
            # byte for byte the store just checkpointed: a block missed would differ here
            assert filecmp.cmp(path, published.path, shallow=False)
            assert snapshot_path(path).resolve() == published.path
            seen.append(published)
            assert _items(path) == 6 * (n + 1)  # a reader sees each commit
        assert [p.fresh for p in seen] == [True, True, False, False]
        assert all(p.copied < p.blocks for p in seen[2:])  # only what the checkpoint changed
        assert {p.path.name for p in seen} == {"s.snapshot-a.duckdb", "s.snapshot-b.duckdb"}
    finally:
        store.close()


def test_a_file_a_reader_holds_is_never_patched(tmp_path: Path) -> None:
    path = tmp_path / "s.duckdb"
    store = Store(path)
    try:
        _write(store, 0)
        store.maybe_publish_snapshot(0, force=True)  # -> a
        _write(store, 1)
        store.maybe_publish_snapshot(0, force=True)  # -> b
        held = duckdb.connect(str(snapshot.pool_path(snapshot_path(path), "a")), read_only=True)
        before = held.execute("SELECT count(*) FROM knowledge_items").fetchone()
        _write(store, 2)
        store.maybe_publish_snapshot(0, force=True)  # a is held: made anew, not patched
        assert store.last_published is not None and store.last_published.fresh
        assert held.execute("SELECT count(*) FROM knowledge_items").fetchone() == before == (6,)
        held.close()
        assert _items(path) == 18
        assert filecmp.cmp(path, snapshot_path(path).resolve(), shallow=False)
    finally:
        store.close()


def test_history_tables_have_no_key_index_and_stay_unique(tmp_path: Path) -> None:
    store = Store(tmp_path / "s.duckdb")
    try:
        records = records_for(as_bytes(feedback()))
        batch = project(records, T, NOW)
        batch.events = batch.events * 2  # the same events twice in one batch
        batch.lifecycle = batch.lifecycle * 2
        store.write(batch)
        store.write(project(records, T, NOW))  # and again, redelivered
        con = store.con
        assert con.execute("SELECT count(*) - count(DISTINCT event_id) FROM events"
                           ).fetchone() == (0,)
        assert con.execute("SELECT count(*) - count(DISTINCT event_id) FROM lifecycle"
                           ).fetchone() == (0,)
        assert con.execute("SELECT count(*) FROM duckdb_constraints() WHERE constraint_type = "
                           "'PRIMARY KEY' AND table_name IN ('events', 'lifecycle')"
                           ).fetchone() == (0,)
        assert con.execute("SELECT DISTINCT compression FROM pragma_storage_info('events') "
                           "WHERE column_name = 'payload' AND segment_type = 'VARCHAR'"
                           ).fetchall() in ([], [("ZSTD",)])
    finally:
        store.close()


def test_an_older_store_loses_its_history_keys_and_keeps_its_rows(tmp_path: Path) -> None:
    path = tmp_path / "old.duckdb"
    store = Store(path)
    _write(store, 0)
    store.close()
    con = duckdb.connect(str(path))  # as an older release made them: with a PRIMARY KEY
    for table in ("events", "lifecycle"):
        con.execute(f"CREATE TABLE {table}_k AS SELECT * FROM {table}")
        con.execute(f"DROP TABLE {table}")
        con.execute(f"CREATE TABLE {table} AS SELECT * FROM {table}_k LIMIT 0")
        con.execute(f"ALTER TABLE {table} ADD PRIMARY KEY (event_id)")
        con.execute(f"INSERT INTO {table} SELECT * FROM {table}_k")
        con.execute(f"DROP TABLE {table}_k")
    before = con.execute("SELECT (SELECT count(*) FROM events), (SELECT count(*) FROM lifecycle)"
                         ).fetchone()
    con.close()
    store = Store(path)
    try:
        assert store.con.execute(
            "SELECT (SELECT count(*) FROM events), (SELECT count(*) FROM lifecycle)"
        ).fetchone() == before
        assert store.con.execute(
            "SELECT count(*) FROM duckdb_constraints() WHERE constraint_type = 'PRIMARY KEY' "
            "AND table_name IN ('events', 'lifecycle')").fetchone() == (0,)
        _write(store, 1)  # and the sink goes on writing
    finally:
        store.close()


@pytest.mark.parametrize("held_by_this_process", [True, False])
def test_lock_is_refused_while_a_reader_has_the_file(tmp_path: Path,
                                                     held_by_this_process: bool) -> None:
    import os
    import subprocess
    import sys

    path = tmp_path / "f.duckdb"
    duckdb.connect(str(path)).close()
    code = (f"import duckdb,sys; c=duckdb.connect({str(path)!r}, read_only=True); "
            "print('open', flush=True); sys.stdin.read()")
    if held_by_this_process:
        reader = duckdb.connect(str(path), read_only=True)
    else:
        proc = subprocess.Popen([sys.executable, "-c", code], stdin=subprocess.PIPE,
                                stdout=subprocess.PIPE, text=True)
        assert proc.stdout is not None and proc.stdout.readline().strip() == "open"
    fd = os.open(path, os.O_RDWR)
    try:
        assert not snapshot._lock(fd)
    finally:
        os.close(fd)
        if held_by_this_process:
            reader.close()
        else:
            assert proc.stdin is not None
            proc.stdin.close()
            proc.wait()
    fd = os.open(path, os.O_RDWR)
    try:
        assert snapshot._lock(fd)
    finally:
        os.close(fd)
