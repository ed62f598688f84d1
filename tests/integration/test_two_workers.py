"""Two workers (issue 13, item 2): the lifecycle guard partitioned like the lifecycle topic.

Two workers and a sink on the real broker; items, then a stream of requests (acknowledgements,
escalations, decisions, and illegal or unauthorised ones) while more items arrive; one worker
killed with SIGKILL in the middle, the other takes its partitions over. Then: every source item
is in the store once, every request is judged once (on the lifecycle, or a dead letter naming
it), no illegal step was accepted, every item's chain and the worker's seals verify.
"""

from __future__ import annotations

import json
import re
import signal
import subprocess
import sys
import time
import uuid
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from kokemusvirta import kafka as kv_kafka
from kokemusvirta.processes import child_env, start_child
from kokemusvirta.settings import Settings
from schemas.access import Requester
from schemas.knowledge import SourceFamily
from schemas.lifecycle import ActorRole, ItemAcknowledged, ItemDecided, ItemEscalated
from sinks import reader as query
from streams.items import item_id_for
from tests.factories import as_bytes, feedback
from tests.integration.helpers import catch_up, publish, running

pytestmark = pytest.mark.broker

T0 = datetime(2026, 10, 5, 9, 0, tzinfo=UTC)
UNIT = Requester.parse("unit", "lappi.rovaniemen-terveysasema")  # the feedbacks' unit
OTHER = Requester.parse("unit", "lappi.kemin-neuvola")
ITEMS, LATE_ITEMS = 40, 300


def _step(kind: type, item: str, hours: float, role: ActorRole = ActorRole.UNIT_MANAGER,
          **fields: Any) -> Any:
    at = T0 + timedelta(hours=hours)
    return kind(event_id=uuid.uuid4(), occurred_at=at, recorded_at=at, county="lappi",
                unit="rovaniemen-terveysasema", item_id=item, actor_role=role, **fields)


def _requests(items: list[str]) -> tuple[list[tuple[Requester, Any]], set[str]]:
    """Per item, in order, legal steps and refused ones; and the ids that must be accepted."""
    stream: list[tuple[Requester, Any]] = []
    legal: set[str] = set()
    for n, item in enumerate(items):
        if n % 2 == 0:
            steps = [
                (UNIT, _step(ItemDecided, item, 0.5, outcome="adopted", rationale="Heti."), False),
                (OTHER, _step(ItemAcknowledged, item, 1), False),  # another unit's managers
                (UNIT, _step(ItemAcknowledged, item, 1), True),
                (UNIT, _step(ItemAcknowledged, item, 2), False),  # a repeat
                (UNIT, _step(ItemEscalated, item, 3, reason="Koskee koko aluetta."), True),
                (UNIT, _step(ItemDecided, item, 4, outcome="adopted",
                             rationale="Ajanvaraus uudistetaan."), True),
            ]
        else:
            steps = [
                (UNIT, _step(ItemAcknowledged, item, 1), True),
                (UNIT, _step(ItemDecided, item, 1.5, outcome="adopted", rationale="Kyllä."),
                 True),
                (OTHER, _step(ItemAcknowledged, item, 2), False),
                (UNIT, _step(ItemAcknowledged, item, 2), False),
            ]
        for requester, event, ok in steps:
            stream.append((requester, event))
            if ok:
                legal.add(str(event.event_id))
    return stream, legal


def _verify(s: Settings) -> tuple[int, dict[str, Any]]:
    assert s.kafka_bootstrap_servers
    done = subprocess.run([sys.executable, "-m", "kokemusvirta", "verify", "--json"],
                          env=child_env(s, s.kafka_bootstrap_servers), capture_output=True,
                          text=True, timeout=300, check=False)
    assert done.returncode in (0, 1), done.stderr
    return done.returncode, json.loads(done.stdout)


def test_two_workers_one_killed_nothing_lost_duplicated_or_judged_twice(
    settings_factory: Callable[..., Settings], monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A dead member's partitions go to the other after its session: short here, 20 s by default.
    monkeypatch.setenv("KOKEMUSVIRTA_WORKER_SESSION_TIMEOUT_S", "6")
    s = settings_factory(KOKEMUSVIRTA_PARTITIONS=4)
    assert s.kafka_bootstrap_servers
    for requester in (UNIT, OTHER):
        kv_kafka.ensure_request_topic(s, s.kafka_bootstrap_servers, requester)
    sources = [feedback(text=f"Jonotin puhelimessa tunnin ({n}).", occurred_at=T0.isoformat())
               for n in range(ITEMS + LATE_ITEMS)]
    items = [item_id_for(SourceFamily.FEEDBACK, e["event_id"]) for e in sources]
    stream, legal = _requests(items[:ITEMS])

    with running(s, "sink") as children:
        # Each worker logs to a file of its own (its log says which partitions it judges).
        first, second = (start_child("worker", s, s.kafka_bootstrap_servers, s.home / name)
                         for name in ("logs-a", "logs-b"))
        children += [first, second]
        sink = children[0]
        publish(s, [as_bytes(e) for e in sources[:ITEMS]])
        catch_up(s, children)
        # Both workers judge: each holds some of the guard's partitions (its log says which).
        # A worker that started late may join the group after the intake is caught up (the
        # other one took every partition meanwhile), so each is given time to be assigned.
        for worker in (first, second):
            deadline = time.monotonic() + 120
            while not re.search(r"lifecycle guard: judging partition", worker.log.read_text()) \
                    and time.monotonic() < deadline:
                time.sleep(0.5)
            assert re.search(r"lifecycle guard: judging partition", worker.log.read_text()), \
                worker.log_tail()
        ids = {re.search(r"instance id (\S+)", w.log.read_text()) for w in (first, second)}
        assert len({m.group(1) for m in ids if m}) == 2  # two static ids, never one shared

        producer = kv_kafka.producer(s, s.kafka_bootstrap_servers)
        half = len(stream) // 2
        for requester, event in stream[:half]:
            producer.send(s.topics.requests(requester), key=event.kafka_key(),
                          value=event.to_json_bytes())
        producer.flush()
        publish(s, [as_bytes(e) for e in sources[ITEMS:]])  # intake in flight too
        time.sleep(1.0)
        first.process.send_signal(signal.SIGKILL)
        first.process.wait(10)
        for requester, event in stream[half:]:
            producer.send(s.topics.requests(requester), key=event.kafka_key(),
                          value=event.to_json_bytes())
        producer.flush()
        producer.close()
        catch_up(s, [second, sink], timeout=240)
        taken_over = second.log.read_text()
        code, report = _verify(s)
        deadline = time.monotonic() + 60  # the checkpoints published every 5 s
        while report["seals"]["not_yet_covered"] and time.monotonic() < deadline:
            time.sleep(2)
            code, report = _verify(s)

    # The survivor judged every partition in the end.
    assert len(set(re.findall(r"partition (\d+) loaded", taken_over))) == 4, taken_over[-3000:]
    # Every source item in the store, once.
    _, stored = query.run(s.store, "select item_id, count(*) from knowledge_items group by 1")
    assert Counter(dict(stored)) == Counter(dict.fromkeys(items, 1))
    # Every request judged once: accepted onto the lifecycle, or refused as a dead letter that
    # names it; never both, never twice.
    _, accepted = query.run(s.store, "select cast(event_id as varchar) from lifecycle "
                                     "where step not in ('received', 'classified', 'routed')")
    _, refused = query.run(s.store, "select original_event_id, reason from dead_letters "
                                    "where origin_topic like '%requests.%'")
    accepted_ids = [r[0] for r in accepted]
    refused_ids = [r[0] for r in refused]
    requested = {str(event.event_id) for _, event in stream}
    assert len(accepted_ids) == len(set(accepted_ids)) and len(refused_ids) == len(set(refused_ids))
    assert set(accepted_ids) == legal  # no illegal step accepted, no legal one refused
    assert set(refused_ids) == requested - legal
    assert Counter(r[1] for r in refused) == {
        "unauthorised_request": ITEMS, "illegal_transition": len(requested - legal) - ITEMS}
    # Each item's chain holds and every event is the workers' (signed, counted by checkpoints).
    assert code == 0, json.dumps(report)[:3000]
    assert report["altered"] == 0
    seals = report["seals"]
    assert seals["forged"] == [] and seals["deleted"] == [] and seals["not_yet_covered"] == 0
    print(f"\ntwo workers, one killed: {len(items)} items, {len(requested)} requests "
          f"({len(legal)} accepted, {len(requested - legal)} refused); "
          f"{seals['covered']} signed events covered by checkpoints")
