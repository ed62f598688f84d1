"""`trace` and `verify` on a store whose lifecycle details cannot be read (altered by hand: not
JSON, or nested 10,000 levels deep): the row is counted and reported, never a traceback
(issue 11, S1)."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from sinks.audit.trace import render, trace
from sinks.audit.verify import verify
from sinks.reader import open_read_only
from tests.chains import Log
from tests.factories import as_bytes, feedback

DEEP = "[" * 10_000 + "]" * 10_000


@pytest.mark.parametrize("details", [DEEP, '{"outcome": '], ids=["deep", "not_json"])
def test_trace_counts_an_unreadable_details_row(tmp_path: Path, details: str) -> None:
    log = Log()
    [item] = log.intake(as_bytes(feedback()))
    log.whole_path(item)
    path = log.write(tmp_path / "s.duckdb")
    con = duckdb.connect(str(path))
    try:  # details is JSON-typed: alter it as text, as an editor of the file could
        con.execute("ALTER TABLE lifecycle ALTER details TYPE VARCHAR")
        con.execute("UPDATE lifecycle SET details = ? WHERE item_id = ? AND step = 'decided'",
                    [details, item])
    finally:
        con.close()
    con = open_read_only(path)
    try:
        path_of = trace(con, item)
        report = verify(con, item=item)
    finally:
        con.close()
    assert path_of["unreadable_details"] == 1
    decided = [e for e in path_of["lifecycle"] if e["step"] == "decided"]
    assert decided and decided[0]["details"] == {}  # the row is there, its details left out
    assert "LUKEMATON (unreadable)" in render(path_of)
    assert report.altered  # and verify calls it what it is, without a traceback
