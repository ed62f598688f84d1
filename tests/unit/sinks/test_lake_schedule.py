"""When the sink syncs and compacts the history lake (sinks/lake.py: LakeWriter.turn), and that a
failure waits longer each time; the syncing and compacting themselves are stubbed here (the real
ones: tests/integration/sinks/test_lake.py). Also where KOKEMUSVIRTA_LAKE puts the lake."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from sinks.lake import LakeLocation, LakeWriter, location


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def _writer(clock: Clock, done: list[str], fail: list[bool] | None = None) -> LakeWriter:
    lake = LakeWriter(None, LakeLocation("ducklake:/x/c.ducklake", Path("/x/data")),  # type: ignore[arg-type]
                      every_s=10, compact_idle_s=30, compact_every_s=600, clock=clock)

    def sync() -> int:
        if fail and fail[0]:
            raise OSError("disk full")
        done.append("sync")
        lake.pending = False
        lake.last_sync = clock()
        lake.synced_since_compaction = True
        return 1

    def compact() -> None:
        done.append("compact")
        lake.last_compaction = clock()
        lake.synced_since_compaction = False

    lake.sync = sync  # type: ignore[method-assign]
    lake.compact = compact  # type: ignore[method-assign]
    lake._detach_quietly = lambda: None  # type: ignore[method-assign]
    return lake


def test_busy_at_most_every_interval_idle_at_once() -> None:
    clock, done = Clock(), []  # type: ignore[var-annotated]
    lake = _writer(clock, done)
    lake.stored()
    lake.turn(idle_for_s=0)
    assert done == ["sync"]  # the first after start: at once
    clock.now += 3
    lake.stored()
    lake.turn(idle_for_s=0)
    assert done == ["sync"]  # busy, 3 s after the last: waits
    lake.turn(idle_for_s=0.3)
    assert done == ["sync", "sync"]  # idle: at once
    lake.turn(idle_for_s=0.6)
    assert done == ["sync", "sync"]  # nothing new: nothing


def test_compaction_when_quiet_long_enough_at_most_every_interval() -> None:
    clock, done = Clock(), []  # type: ignore[var-annotated]
    lake = _writer(clock, done)
    clock.now += 700
    lake.stored()
    lake.turn(idle_for_s=1)
    lake.turn(idle_for_s=29)
    assert done == ["sync"]  # not quiet long enough
    lake.turn(idle_for_s=31)
    assert done == ["sync", "compact"]
    clock.now += 100
    lake.stored()
    lake.turn(idle_for_s=31)
    assert done == ["sync", "compact", "sync"]  # compacted 100 s ago: not again yet
    clock.now += 600
    lake.turn(idle_for_s=40)
    assert done[-1] == "compact"
    clock.now += 700
    lake.turn(idle_for_s=40)
    assert done[-1] == "compact" and done.count("compact") == 2  # nothing synced since


def test_a_failure_is_retried_later_each_time_later(caplog: pytest.LogCaptureFixture) -> None:
    clock, done, fail = Clock(), [], [True]  # type: ignore[var-annotated]
    lake = _writer(clock, done, fail)
    lake.stored()
    lake.turn(idle_for_s=1)
    lake.turn(idle_for_s=1)
    assert lake.failures == 1  # the second turn came before the retry time
    clock.now += 1
    lake.turn(idle_for_s=1)
    assert lake.failures == 2 and lake.retry_at == clock.now + 2
    fail[0] = False
    clock.now += 2
    lake.turn(idle_for_s=1)
    assert done == ["sync"] and lake.backoff_s == 1
    assert [r.getMessage().startswith("history lake not updated (OSError: disk full)")
            for r in caplog.records] == [True, True]


@pytest.mark.parametrize(("setting", "catalog", "data", "file"), [
    (None, "ducklake:/h/lake/catalog.ducklake", "/h/lake/data", "/h/lake/catalog.ducklake"),
    ("", "ducklake:/h/lake/catalog.ducklake", "/h/lake/data", "/h/lake/catalog.ducklake"),
    ("/srv/l/cat.ducklake", "ducklake:/srv/l/cat.ducklake", "/srv/l/data", "/srv/l/cat.ducklake"),
    ("ducklake:postgres:dbname=lake host=127.0.0.1", "ducklake:postgres:dbname=lake "
     "host=127.0.0.1", None, None),
    ("ducklake:sqlite:/srv/l/cat.sqlite", "ducklake:sqlite:/srv/l/cat.sqlite", None, None),
])
def test_where_the_lake_is(setting: str | None, catalog: str, data: str | None,
                           file: str | None) -> None:
    found = location(setting, Path("/h"))
    assert found is not None
    assert found.catalog == catalog
    assert found.data_path == (Path(data) if data else None)
    assert found.catalog_file == (Path(file) if file else None)


def test_off_and_a_postgres_catalog_passed_on_unchanged() -> None:
    assert location("off", Path("/h")) is None and location(" OFF ", Path("/h")) is None
    pg: Any = location("postgres:dbname=lake", Path("/h"), Path("/d"))
    assert pg.attach_sql("kv_lake") == ("ATTACH 'ducklake:postgres:dbname=lake' AS kv_lake "
                                        "(DATA_PATH '/d/')")
    assert pg.directories == [str(Path("/d").resolve()) + "/"]
