"""The history lake (sinks/lake.py) against real DuckLake files: every history row once, across
a crash between the store's commit and the lake's; one snapshot per sync; time travel;
compaction; the readers' sandbox; a broken lake never stops the store."""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb
import pytest

import sinks.lake
from kokemusvirta.cli import main
from sinks import reader
from sinks.lake import HISTORY_TABLES, LakeLocation, LakeWriter, location
from sinks.projection import project
from sinks.store import Store
from tests.factories import as_bytes, feedback
from tests.integration.sinks.test_store import NOW, T, records_for

RECORDS = records_for(*(as_bytes(feedback()) for _ in range(6)))
FIRST, SECOND = RECORDS[: len(RECORDS) // 2], RECORDS[len(RECORDS) // 2:]


def _store_counts(store: Store) -> dict[str, int]:
    return {t: store.con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]  # type: ignore[index]
            for t in HISTORY_TABLES}


def _lake(where: LakeLocation, sql: str, version: int | None = None,
          at: str | None = None) -> list[tuple[Any, ...]]:
    con = reader.open_lake(where, version=version, at=at)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def _lake_counts(where: LakeLocation, version: int | None = None,
                 at: str | None = None) -> dict[str, int]:
    row = _lake(where, "SELECT " + ", ".join(f"(SELECT count(*) FROM {t})"
                                              for t in HISTORY_TABLES), version, at)[0]
    return dict(zip(HISTORY_TABLES, row, strict=True))


def _snapshots(where: LakeLocation) -> list[int]:
    return [r[0] for r in _lake(where, "SELECT snapshot_id FROM ducklake_snapshots('lake')")]


def _no_repeats(where: LakeLocation) -> None:
    assert _lake(where, "SELECT count(*) - count(DISTINCT event_id) FROM events") == [(0,)]
    assert _lake(where, "SELECT count(*) - count(DISTINCT event_id) FROM lifecycle") == [(0,)]


@pytest.fixture(scope="module")
def synced(tmp_path_factory: pytest.TempPathFactory) -> tuple[LakeLocation, list[int], str,
                                                               dict[str, int], dict[str, int]]:
    """One store and lake shared by the file: two syncs of two batches, then both batches
    redelivered and synced again. (snapshot of each sync, a time between, counts after each)"""
    home = tmp_path_factory.mktemp("lake")
    where = location(None, home)
    assert where is not None
    store = Store(home / "store" / "kokemusvirta.duckdb")
    lake = LakeWriter(store.con, where, inlining_row_limit=0)  # Parquet files to compact
    try:
        store.write(project(FIRST, T, NOW))
        assert lake.sync() > 0
        first = _store_counts(store)
        v1 = _snapshots(where)[-1]
        time.sleep(0.05)
        between = datetime.now(UTC).isoformat()
        time.sleep(0.05)
        assert lake.sync() == 0  # nothing new: no snapshot either
        store.write(project(SECOND, T, NOW))
        assert lake.sync() > 0
        v2 = _snapshots(where)[-1]
        store.write(project(FIRST + SECOND, T, NOW))  # redelivered: the store adds nothing
        assert lake.sync() == 0
        # A release rewrites a history table (its rows' places change): matched by key, once.
        store.con.execute("CREATE OR REPLACE TABLE lifecycle AS "
                          "SELECT * FROM lifecycle ORDER BY event_id DESC")
        assert lake.sync() == 0 and lake.sync() == 0
        both = _store_counts(store)
        compacted(store, lake)
    finally:
        store.close()
    return where, [v1, v2], between, first, both


COMPACTION: dict[str, Any] = {}


def compacted(store: Store, lake: LakeWriter) -> None:
    """Compact the fixture's lake last (after its syncs), noting what tests check."""
    where = lake.where
    COMPACTION["rows"] = _lake(where, "SELECT * FROM lifecycle ORDER BY event_id")
    COMPACTION["files"] = _lake(where, "SELECT count(*) FROM ducklake_list_files('lake', "
                                       "'lifecycle')")[0][0]
    COMPACTION["first"] = _lake_counts(where, version=_snapshots(where)[2])
    lake.compact()


def test_each_sync_is_one_snapshot_and_takes_every_row_once(synced: Any) -> None:
    where, (v1, v2), _, first, both = synced
    assert v2 == v1 + 1  # the empty sync made none
    assert both["events"] > first["events"] > 0 and both["lifecycle"] > first["lifecycle"] > 0
    assert _lake_counts(where) == both
    _no_repeats(where)
    # each sync's snapshot lists the rows it added (`kokemusvirta lake snapshots`)
    added = _lake(where, "SELECT commit_extra_info->>'rows_added' FROM "
                         f"ducklake_snapshots('lake') WHERE snapshot_id IN ({v1}, {v2}) "
                         "ORDER BY snapshot_id")
    assert [int(r[0]) for r in added] == [sum(first.values()),
                                          sum(both.values()) - sum(first.values())]


def test_the_lake_writes_row_groups_of_8192_rows(synced: Any) -> None:
    """What keeps a sync's memory from growing with its rows (sinks/lake.py)."""
    where = synced[0]
    assert _lake(where, "SELECT value FROM ducklake_options('lake') "
                        "WHERE option_name = 'parquet_row_group_size'") == [
        (str(sinks.lake.PARQUET_ROW_GROUP_SIZE),)]
    assert sinks.lake.PARQUET_ROW_GROUP_SIZE == 8192


def test_time_travel_by_version_and_by_time(synced: Any, capsys: pytest.CaptureFixture[str],
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    where, (v1, _), between, first, _ = synced
    assert _lake_counts(where, version=v1) == first
    assert _lake_counts(where, at=between) == first
    # the same through the command, in the lake's home
    monkeypatch.setenv("KOKEMUSVIRTA_HOME", str(where.data_path.parent.parent))
    monkeypatch.delenv("KOKEMUSVIRTA_LAKE", raising=False)
    capsys.readouterr()
    assert main(["lake", "query", "--json", "--version", str(v1),
                 "select count(*) AS n from events"]) == 0
    assert f'"n": {first["events"]}' in capsys.readouterr().out
    assert main(["lake", "query", "--csv", "--at", between,
                 "select count(*) AS n from lifecycle"]) == 0
    assert capsys.readouterr().out.splitlines() == ["n", str(first["lifecycle"])]
    assert main(["lake", "snapshots"]) == 0
    assert "history sync" in capsys.readouterr().out


def test_the_lake_reader_is_sandboxed(synced: Any, capsys: pytest.CaptureFixture[str],
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    where, *_ = synced
    home = where.data_path.parent.parent
    secret = home / "keys" / "k.txt"
    secret.parent.mkdir(exist_ok=True)
    secret.write_text("salaisuus")
    store = home / "store" / "kokemusvirta.duckdb"
    con = reader.open_lake(where)
    try:
        for sql in (f"SELECT * FROM read_text('{secret}')",
                    f"SELECT * FROM read_csv('{secret}')",
                    f"SELECT * FROM read_blob('{store}')",
                    f"ATTACH '{store}' AS other (READ_ONLY)",
                    f"ATTACH 'ducklake:{home / 'other.ducklake'}' AS other2",
                    "SET GLOBAL enable_external_access = true",
                    "SET allowed_directories = ['/']"):
            with pytest.raises(Exception) as failed:
                con.execute(sql).fetchall()
            assert "salaisuus" not in str(failed.value), sql
        assert con.execute("SELECT count(*) > 0 FROM events").fetchone() == (True,)
    finally:
        con.close()
    monkeypatch.setenv("KOKEMUSVIRTA_HOME", str(home))
    capsys.readouterr()
    for sql in (f"SELECT * FROM read_text('{secret}')", "SELECT 1; SELECT 2",
                f"ATTACH '{store}' AS other", "DELETE FROM events", "COPY events TO 'x.csv'"):
        assert main(["lake", "query", sql]) == 2, sql
        err = capsys.readouterr().err
        assert len(err.strip().splitlines()) == 1 and "salaisuus" not in err


def test_compaction_keeps_the_rows_and_time_travel_with_fewer_files(synced: Any) -> None:
    where, (v1, _), _, first, both = synced
    assert _lake(where, "SELECT * FROM lifecycle ORDER BY event_id") == COMPACTION["rows"]
    files = _lake(where, "SELECT count(*) FROM ducklake_list_files('lake', 'lifecycle')")[0][0]
    assert COMPACTION["files"] >= 2 and files < COMPACTION["files"]
    assert COMPACTION["first"] == first == _lake_counts(where, version=v1)
    assert _lake_counts(where) == both


# A sink that dies (SIGKILL) in its lake sync: before the lake's COMMIT or right after it.
# The sink after the store's commit of a batch: its lake sync, killed (SIGKILL) just before the
# lake's COMMIT or just after it. (A plain connection to the store: no need for the schema.)
_KILLED = """
import os, signal, sys
import duckdb
from pathlib import Path
from sinks.lake import LakeWriter, location
home, when = Path(sys.argv[1]), sys.argv[2]
con = duckdb.connect(str(home / "store" / "kokemusvirta.duckdb"))

class Dying:
    previous = ""
    def __init__(self, con): self.con = con
    def executemany(self, sql, *args): return self.con.executemany(sql, *args)
    def execute(self, sql, *args):
        sync_commit = sql == "COMMIT" and "set_commit_message" in self.previous
        if sync_commit and when == "before":
            os.kill(os.getpid(), signal.SIGKILL)
        result = self.con.execute(sql, *args)
        if sync_commit and when == "after":
            os.kill(os.getpid(), signal.SIGKILL)
        self.previous = sql
        return result

LakeWriter(Dying(con), location(None, home)).sync()
"""


def test_a_sink_killed_around_the_lake_commit_loses_and_repeats_nothing(
        tmp_path: Path) -> None:
    """SIGKILL just before the lake's COMMIT (after the store's), then just after it."""
    where = location(None, tmp_path)
    assert where is not None
    path = tmp_path / "store" / "kokemusvirta.duckdb"
    third = len(RECORDS) // 3
    store = Store(path)
    store.write(project(RECORDS[:third], T, NOW))
    LakeWriter(store.con, where).sync()
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    for when, part in (("before", RECORDS[third:2 * third]), ("after", RECORDS[2 * third:])):
        store = store if when == "before" else Store(path)
        store.write(project(part, T, NOW))  # the store's commit
        stored = _store_counts(store)
        store.close()
        done = subprocess.run([sys.executable, "-c", _KILLED, str(tmp_path), when], env=env,
                              capture_output=True, text=True, timeout=120)
        assert done.returncode == -signal.SIGKILL, done.stderr[-2000:]
        assert (_lake_counts(where) == stored) is (when == "after"), when
        con = duckdb.connect(str(path))  # the restarted sink's lake sync
        try:
            added = LakeWriter(con, where).sync()
        finally:
            con.close()
        assert (added == 0) is (when == "after"), when
        assert _lake_counts(where) == stored
        _no_repeats(where)


def test_a_broken_lake_is_one_line_and_the_store_goes_on(
        tmp_path: Path, caplog: pytest.LogCaptureFixture,
        monkeypatch: pytest.MonkeyPatch) -> None:
    blocked = tmp_path / "lake"
    blocked.write_text("not a directory")  # no lake can be made here, even by root
    where = location(None, tmp_path)
    assert where is not None
    store = Store(tmp_path / "store" / "kokemusvirta.duckdb")
    now = [0.0]
    lake = LakeWriter(store.con, where, clock=lambda: now[0])
    try:
        with caplog.at_level(logging.WARNING, logger="kokemusvirta.sink.lake"):
            store.write(project(FIRST, T, NOW))
            lake.stored()
            lake.turn(idle_for_s=1)
            store.write(project(SECOND, T, NOW))  # the store goes on
            lake.stored()
            lake.turn(idle_for_s=1)  # not retried before its time
        lines = [r.getMessage() for r in caplog.records]
        assert len(lines) == 1 and "history lake not updated" in lines[0]
        assert "\n" not in lines[0] and lake.failures == 1
        failing = lake.figures()  # what the sink's /healthz, /metrics and `status` show
        assert failing["error"] and failing["behind"] and failing["last_sync_age_s"] is None
        blocked.unlink()  # mended: the next tries take everything, in parts of 20 rows
        monkeypatch.setattr(sinks.lake, "MAX_ROWS_PER_SYNC", 20)
        now[0] += 2
        while lake.pending and lake.syncs < 20:
            lake.turn(idle_for_s=1)
        assert lake.failures == 1 and _lake_counts(where) == _store_counts(store)
        mended = lake.figures()
        assert mended["error"] is None and not mended["behind"]
        assert mended["syncs"] == lake.syncs and mended["last_sync_age_s"] == 0.0
        assert lake.syncs == -(-max(_store_counts(store).values()) // 20) > 1
        _no_repeats(where)
        lake.compact()  # the rows inlined in the catalog, written to Parquet
        assert _lake_counts(where) == _store_counts(store)
        assert _lake(where, "SELECT count(*) FROM ducklake_list_files('lake', 'events')") \
            == [(1,)]
    finally:
        store.close()
