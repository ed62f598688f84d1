"""The poison set through the running flow: publish, come to rest, look up each record's outcome.

Each record is found by where Kafka put it (its topic, partition and offset): a dead letter with
that origin names its reason; otherwise an item made from its event, or the step it requested.
Afterwards every process must still be running and `verify` must find no altered history.
"""

from __future__ import annotations

from datetime import UTC, datetime

from kokemusvirta import kafka as kv_kafka
from kokemusvirta.chaos import oracle
from kokemusvirta.chaos.poison import (
    INTAKE,
    ITEM,
    STEP,
    Poison,
    Target,
    intake_poison,
    request_poison,
    sql_target_event_id,
)
from kokemusvirta.chaos.run import ChaosRun, producer, wait_quiet
from sinks import reader
from sinks.audit.verify import ItemState, verify

Placed = list[tuple[Poison, str, int, int]]  # the poison, its topic, partition, offset


def publish(run: ChaosRun, poison: list[Poison], requests_to: str | None = None) -> Placed:
    """`requests_to`: the request topic the REQUESTS poison goes to."""
    topics = run.settings.topics
    plain = producer(run.settings, run.flow.bootstrap)
    gzip = producer(run.settings, run.flow.bootstrap, compress=True)
    placed: Placed = []
    try:
        for p in poison:
            topic = topics.intake if p.topic == INTAKE else requests_to
            if topic is None:
                raise ValueError(f"{p.kind}: request poison needs a request topic")
            meta = (gzip if p.compress else plain).send(
                topic, key=p.key, value=p.value, headers=list(p.headers)).get(timeout=60)
            placed.append((p, topic, meta.partition, meta.offset))
    finally:
        plain.close(timeout=30)
        gzip.close(timeout=30)
    return placed


def outcomes(run: ChaosRun, placed: Placed) -> list[oracle.PoisonOutcome]:
    con = reader.open_read_only(run.settings.store)
    try:
        dead = {(t, p, o): reason for t, p, o, reason in con.execute(
            "select origin_topic, origin_partition, origin_offset, reason from dead_letters"
        ).fetchall()}
        texts = dict(con.execute("select source_event_id, text from knowledge_items").fetchall())
        steps = {r[0] for r in con.execute("select event_id::varchar from lifecycle").fetchall()}
    finally:
        con.close()
    out = []
    for p, topic, partition, offset in placed:
        got = dead.get((topic, partition, offset))
        if got is None and p.expected == ITEM and p.event_id in texts:
            got = ITEM if texts[p.event_id] == p.text else f"item, text {texts[p.event_id]!r}"
        elif got is None and p.expected == STEP and p.event_id in steps:
            got = STEP
        out.append(oracle.PoisonOutcome(p.kind, p.expected, got or "nothing stored"))
    return out


def target(run: ChaosRun) -> Target:
    con = reader.open_read_only(run.settings.store)
    try:
        row = con.execute("select item_id, county, unit, received_at from knowledge_items "
                          "where source_event_id = ?", [sql_target_event_id()]).fetchone()
    finally:
        con.close()
    if row is None:
        raise RuntimeError("the SQL-looking feedback did not become an item: no target for the "
                           "lifecycle-request poison")
    return Target(row[0], row[1], row[2], row[3])


def run_poison(run: ChaosRun) -> list[oracle.PoisonOutcome]:
    say = run.say
    first = intake_poison(datetime.now(UTC))
    say(f"poison: {len(first)} intake records")
    placed = publish(run, first)
    wait_quiet(run, "poison")
    aim = target(run)
    second = request_poison(aim)
    kv_kafka.ensure_request_topic(run.settings, run.flow.bootstrap, aim.requester)
    requests_to = run.settings.topics.requests(aim.requester)
    say(f"poison: {len(second)} lifecycle requests on {requests_to}")
    placed += publish(run, second, requests_to)
    wait_quiet(run, "poison requests")
    found = outcomes(run, placed)
    for child in run.flow.running():
        found.append(oracle.PoisonOutcome(f"{child.name} still running", "running",
                                          "running" if child.alive() else
                                          f"exit {child.process.returncode}"))
    con = reader.open_read_only(run.settings.store)
    try:
        altered = verify(con).count(ItemState.ALTERED)
    finally:
        con.close()
    found.append(oracle.PoisonOutcome("verify afterwards", "0 altered", f"{altered} altered"))
    return found
