"""`kokemusvirta quality`: build the frames from the store's snapshot, run the checkpoint."""

from __future__ import annotations

import tempfile
import time
from dataclasses import dataclass, replace
from pathlib import Path

from sinks.quality import checkpoint, frames
from sinks.quality.checkpoint import CheckResult
from sinks.quality.suites import REQUIRED_RELATIONS, plan
from sinks.reader import open_read_only
from sinks.store import snapshot_path


class NotAStore(RuntimeError):
    pass


@dataclass(frozen=True)
class Report:
    source: Path  # the file read: the published snapshot, or the store when there is none
    items: int
    events: int
    results: tuple[CheckResult, ...]
    docs_index: Path
    seconds: float
    frame_seconds: float
    gx_version: str
    skipped: tuple[str, ...] = ()  # checks whose column this store does not have
    rejections: int | None = None  # rows of sink_rejections (None: an older store)

    @property
    def failed(self) -> tuple[CheckResult, ...]:
        return tuple(r for r in self.results if not r.success)


def default_docs_dir(store: Path) -> Path:
    """Data Docs next to the store: kokemusvirta.duckdb -> kokemusvirta.laatu/."""
    return store.with_name(store.stem + ".laatu")


def check_store(store: Path, docs: Path | None = None) -> Report:
    started = time.monotonic()
    source = snapshot_path(store) if snapshot_path(store).exists() else store
    con = open_read_only(store)  # StoreMissing when there is neither
    docs = docs or default_docs_dir(store)
    with tempfile.TemporaryDirectory(prefix="kokemusvirta-laatu-") as tmp:
        try:
            # One transaction: every frame sees the same now() (views, settling).
            con.execute("BEGIN TRANSACTION")
            contents = frames.contents(con)
            missing = [r for r in REQUIRED_RELATIONS if r not in contents.relations]
            if missing:
                raise NotAStore(f"{source} is not a Kokemusvirta store: no {', '.join(missing)}")
            checkpoint.prepare_docs_dir(docs)
            frames.prepare(con)
            con.register("identifier_findings", frames.scan_identifiers(con, contents))
            suites, paths = [], {}
            for suite in plan(contents.relations, contents.text_column_names()):
                path = Path(tmp) / f"{suite.name}.parquet"
                suites.append(replace(suite, columns=frames.write_frame(con, suite, contents,
                                                                         path)))
                paths[suite.name] = path
            parameters = frames.parameters(con, contents.relations)
            items, events = frames.row_counts(con)
            rejections = frames.rejection_count(con, contents.relations)
            con.execute("COMMIT")
        finally:
            con.close()
        frame_seconds = time.monotonic() - started
        results = checkpoint.run(suites, paths, parameters, docs, run_name=source.name)
    return Report(source, items, events, tuple(results), checkpoint.docs_index(docs),
                  time.monotonic() - started, frame_seconds, checkpoint.version(),
                  tuple(name for suite in suites for name in suite.skipped()), rejections)
