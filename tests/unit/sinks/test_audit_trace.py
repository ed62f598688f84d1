"""`trace` on a store built through the real path: text for a person, JSON for machines.

The same commands run as a user runs them (subprocesses) are in
tests/integration/sinks/test_audit_commands.py.
"""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest

from sinks.audit.trace import UnknownItem, render, trace
from sinks.reader import open_read_only
from tests.chains import Log
from tests.factories import as_bytes, feedback

TOP_LEVEL = {"item_id", "source_family", "county", "service_area", "unit", "language", "status",
             "source", "text", "classification", "routes", "lifecycle", "chain",
             "aggregate_members", "member_of"}


@pytest.fixture
def store(tmp_path: Path) -> tuple[Path, str]:
    log = Log()
    [item] = log.intake(as_bytes(feedback(text="Jonotin tunnin, soittakaa 040 1234567.")))
    log.whole_path(item)
    return log.write(tmp_path / "s.duckdb"), item


def traced(path: Path, item: str) -> dict:  # type: ignore[type-arg]
    con = open_read_only(path)
    try:
        return trace(con, item)
    finally:
        con.close()


def test_trace_has_the_whole_path_with_coordinates(store: tuple[Path, str]) -> None:
    path, item = store
    t = traced(path, item)
    assert set(t) == TOP_LEVEL
    assert t["source"]["event_type"] == "feedback.submitted"
    assert (t["source"]["topic"], t["source"]["partition"], t["source"]["offset"]) == \
        ("kv.intake", 0, 0)
    assert "[PUHELIN]" in t["text"] and "040" not in t["text"]
    assert t["classification"]["classifier_version"] == "rules-test"
    assert t["classification"]["rules"] == ["theme.access.fi:jono", "r2"]
    assert [r["level"] for r in t["routes"]] == ["unit", "leadership"]
    assert all(r["forwarded"]["topic"] == r["topic"] for r in t["routes"])
    steps = [e["step"] for e in t["lifecycle"]]
    assert steps == ["received", "classified", "routed", "acknowledged", "escalated",
                     "acknowledged", "presented", "decided", "returned", "closed"]
    assert [e["offset"] for e in t["lifecycle"]] == list(range(10))
    assert all(e["chain_ok"] is True for e in t["lifecycle"])
    decided = t["lifecycle"][7]
    assert decided["step_fi"] == "päätetty" and decided["actor_role"] == "decision_maker"
    assert decided["details"]["outcome"] == "adopted"
    assert t["lifecycle"][1]["chain_prev"] == t["lifecycle"][0]["chain_hash"]
    assert t["chain"] == {"state": "intact", "problems": []}
    json.dumps(t)  # plain JSON all the way down


def test_trace_text_reads_top_to_bottom(store: tuple[Path, str]) -> None:
    path, item = store
    text = render(traced(path, item))
    assert "ketju (chain): ehjä (intact)" in text
    assert "feedback.submitted" in text and "kv.intake[0]@0" in text
    for fi, en in [("vastaanotettu", "received"), ("luokiteltu", "classified"),
                   ("ohjattu", "routed"), ("kuitattu", "acknowledged"),
                   ("eskaloitu", "escalated"), ("esitetty päättäjille", "presented"),
                   ("päätetty", "decided"), ("palautettu", "returned"), ("suljettu", "closed")]:
        assert f"✓ {fi} ({en})" in text
    assert "outcome: adopted" in text and "agenda_ref: AH 12.10.2026 § 7" in text
    assert "returned_to: client" in text and "channel: email" in text
    assert "rules that fired: theme.access.fi:jono, r2" in text
    assert text.index("vastaanotettu") < text.index("päätetty") < text.index("suljettu")


def test_trace_marks_the_altered_event(store: tuple[Path, str]) -> None:
    path, item = store
    con = duckdb.connect(str(path))
    con.execute("UPDATE lifecycle SET details = json_object('outcome', 'rejected', 'rationale', "
                "'x', 'decision_ref', NULL) WHERE step = 'decided'")
    con.close()
    t = traced(path, item)
    assert [e["chain_ok"] for e in t["lifecycle"]] == [True] * 7 + [False] + [True] * 2
    assert t["chain"]["state"] == "altered"
    text = render(t)
    assert "✗ päätetty (decided)" in text and "lifecycle_row_differs" in text


def test_unknown_item(store: tuple[Path, str]) -> None:
    path, _ = store
    with pytest.raises(UnknownItem):
        traced(path, "fb-0000000000000000")
