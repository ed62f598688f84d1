"""The stored event ids beside the store (sinks/event_ids.py): what keeps every event written
once now that the history tables have no key index, through crashes and lost files."""

from __future__ import annotations

from pathlib import Path

import pytest

from sinks.event_ids import EventIds, ids_path
from sinks.projection import project
from sinks.store import Store
from tests.factories import as_bytes, feedback
from tests.integration.sinks.test_store import NOW, T, records_for


def _counts(store: Store) -> tuple[int, int, int]:
    row = store.con.execute(
        "SELECT (SELECT count(*) FROM events), (SELECT count(DISTINCT event_id) FROM events), "
        "(SELECT count(*) FROM lifecycle)").fetchone()
    assert row is not None
    return row[0], row[1], row[2]


def test_a_crash_between_the_two_commits_is_caught_up_on_open(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "s.duckdb"
    first = records_for(as_bytes(feedback()))
    second = records_for(as_bytes(feedback()))
    store = Store(path)
    store.write(project(first, T, NOW))

    def crash(self: EventIds, ids: object) -> None:
        raise KeyboardInterrupt("killed after the store's commit")

    monkeypatch.setattr(EventIds, "add", crash)
    with pytest.raises(KeyboardInterrupt):
        store.write(project(second, T, NOW))  # committed to the store, ids not added
    monkeypatch.undo()
    stored = _counts(store)
    store.close()
    store = Store(path)  # the restarted sink
    try:
        assert store.event_ids.count() == stored[0]
        store.write(project(first + second, T, NOW))  # both redelivered
        assert _counts(store) == stored and stored[0] == stored[1]
    finally:
        store.close()


def test_lost_or_foreign_ids_file_is_made_again_from_the_store(tmp_path: Path) -> None:
    path = tmp_path / "s.duckdb"
    records = records_for(as_bytes(feedback()))
    store = Store(path)
    store.write(project(records, T, NOW))
    stored = _counts(store)
    store.close()
    ids_path(path).unlink()
    store = Store(path)
    store.write(project(records, T, NOW))
    assert _counts(store) == stored
    store.close()
    # ids of another store's events (a store made anew beside an old ids file)
    other = EventIds(path)
    other.add(["00000000-0000-0000-0000-000000000001"])
    other.close()
    store = Store(path)
    try:
        assert store.event_ids.count() == stored[0]
        assert store.event_ids.stored(["00000000-0000-0000-0000-000000000001"]) == []
        store.write(project(records, T, NOW))
        assert _counts(store) == stored
    finally:
        store.close()


def test_a_store_opened_in_one_thread_writes_from_another(tmp_path: Path) -> None:
    """The sink may run in a thread other than the one that opened its store."""
    import threading

    store = Store(tmp_path / "s.duckdb")
    errors: list[BaseException] = []

    def sink() -> None:
        try:
            store.write(project(records_for(as_bytes(feedback())), T, NOW))
            store.close()
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    thread = threading.Thread(target=sink)
    thread.start()
    thread.join()
    assert errors == []
