"""Where the sink puts the files beside its store. A module of its own so that the readers
(sinks/reader.py, a terminal command) find the snapshot without importing the store's writer
and pyarrow with it (a tenth of a second of `kokemusvirta inbox`)."""

from __future__ import annotations

from pathlib import Path


def snapshot_path(store: Path) -> Path:
    return store.with_name(store.stem + ".snapshot.duckdb")


def status_path(store: Path) -> Path:
    return store.with_name(store.stem + ".status.json")
