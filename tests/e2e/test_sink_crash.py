"""Kill the sink with SIGKILL in the middle of its work, restart it, and get exactly the store a
run without the crash gets: nothing lost, nothing twice."""

from __future__ import annotations

import json
import signal
import time

import pytest

from kokemusvirta.processes import progress, start_child
from scenario import generate
from sinks import reader as query
from sinks.store import status_path
from tests.integration.helpers import catch_up, publish, running

pytestmark = [pytest.mark.broker, pytest.mark.e2e]

TABLES = ("events", "knowledge_items", "lifecycle", "dead_letters")


def fingerprint(store) -> dict[str, object]:  # type: ignore[no-untyped-def]
    out: dict[str, object] = {}
    for table in TABLES:
        key = "item_id" if table == "knowledge_items" else "event_id"
        _, rows = query.run(store, f"select count(*), count(distinct {key}), "
                                   f"sum(hash({key})) from {table}")
        out[table] = rows[0]
    _, rows = query.run(store, "select status, severity, count(*) from knowledge_items "
                               "group by all order by all")
    out["items_by_status"] = rows
    return out


def test_sigkill_mid_batch_then_restart_equals_a_run_without_crash(  # type: ignore[no-untyped-def]
    settings_factory, tmp_path
) -> None:
    s = settings_factory(KOKEMUSVIRTA_SINK_BATCH_MAX=200, KOKEMUSVIRTA_SNAPSHOT_INTERVAL_S=0.2)
    assert s.kafka_bootstrap_servers
    records = list(generate(11))
    with running(s, "worker") as workers:
        publish(s, [r.value for r in records], [r.key for r in records])
        deadline = time.monotonic() + 180
        while progress(s, s.kafka_bootstrap_servers).worker_done < len(records):
            assert workers[0].alive() and time.monotonic() < deadline
            time.sleep(0.5)

    # The reference: one sink, no crash.
    reference = s.model_copy(update={"store_path": tmp_path / "ref" / "ref.duckdb",
                                     "sink_group": s.sink_group + "-ref"})
    with running(reference, "sink") as sinks:
        catch_up(reference, sinks)
    expected = fingerprint(reference.store)

    # The crash: SIGKILL once the sink has committed some batches but not all.
    sink = start_child("sink", s, s.kafka_bootstrap_servers, s.home / "logs")
    try:
        deadline = time.monotonic() + 120
        stored = 0
        while stored < 2_000:
            assert sink.alive() and time.monotonic() < deadline, sink.log_tail()
            try:
                offsets = json.loads(status_path(s.store).read_text())["offsets"]
                stored = sum(o + 1 for parts in offsets.values() for o in parts.values())
            except (OSError, ValueError, KeyError):
                pass
            time.sleep(0.05)
        sink.process.send_signal(signal.SIGKILL)
        sink.process.wait(10)
    finally:
        sink.stop()
    at_kill = progress(s, s.kafka_bootstrap_servers)
    assert at_kill.sink_done < at_kill.sink_total, "the sink finished before it was killed"

    with running(s, "sink") as sinks:
        catch_up(s, sinks)
    assert fingerprint(s.store) == expected
    _, rows = query.run(s.store, "select count(*) - count(distinct event_id) from events")
    assert rows == [(0,)]
