"""The chaos run: its own topic prefix, groups and store; rounds of faults; the oracle.

Per round: a slice of the scenario (with the demo scenario's ten malformed records mixed in) is
published at a steady pace over `window` seconds while the planned faults strike (faults.py);
then the flow must come to rest (the worker's group at the end of its inputs, the sink's
snapshot at the end of every topic), the round's items get their people's steps (requests, with
one more worker kill), and the store is compared with the reference (reference.py, oracle.py)
and verified.
"""

from __future__ import annotations

import random
import shutil
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from kafka import KafkaProducer

from kokemusvirta import kafka as kv_kafka
from kokemusvirta.acting import publish_requests
from kokemusvirta.bootstrap import time_window
from kokemusvirta.broker.local import LocalBroker
from kokemusvirta.chaos import oracle, reference
from kokemusvirta.chaos.faults import KILL_WORKER, Fault, Flow, plan_round
from kokemusvirta.keystore import privacy_from_settings
from kokemusvirta.organisations import organisations
from kokemusvirta.processes import FlowWatcher, Progress
from kokemusvirta.settings import Settings
from scenario import ScenarioRecord, activity, generate
from schemas.envelope import utc_now
from sinks import reader
from sinks.audit.verify import ItemState, verify

Say = Callable[[str], None]
QUIET_TIMEOUT_S = 900


@dataclass
class ChaosRun:
    settings: Settings
    bootstrap: str
    flow: Flow
    home: Path
    say: Say
    results: list[oracle.RoundResult] = field(default_factory=list)
    planned_items: set[str] = field(default_factory=set)
    # The reason each malformed scenario record (by its bytes) must be a dead letter for.
    expected_reasons: dict[bytes, str] = field(default_factory=dict)


def chaos_settings(settings: Settings, run_id: str) -> Settings:
    """Everything of the run apart from the user's: topics, groups, store (under home/chaos/)."""
    home = settings.home / "chaos" / run_id
    return settings.model_copy(update={
        "topic_prefix": f"chaos{run_id}.",
        "store_path": home / "store.duckdb",
        "worker_group": f"chaos{run_id}-worker",
        "sink_group": f"chaos{run_id}-sink",
        "snapshot_interval_s": 1.0,
    })


def producer(settings: Settings, bootstrap: str, compress: bool = False) -> KafkaProducer:
    """Retries through a broker restart; gzip lets a 2 MB poison record past the 1 MB limit."""
    return KafkaProducer(client_id="kokemusvirta-chaos", acks="all", retries=20,
                         retry_backoff_ms=500, request_timeout_ms=30_000,
                         max_request_size=4 * 1024 * 1024,
                         compression_type="gzip" if compress else None,
                         **settings.kafka_python_config(bootstrap))


def round_slices(seed: int, rounds: int, events: int) -> list[list[ScenarioRecord]]:
    """`events` scenario records per round, each round with the ten malformed kinds mixed in."""
    records = list(generate(seed, events=events * rounds))
    malformed = [r for r in generate(seed) if r.expected_rejection is not None]
    rng = random.Random(f"chaos-slices:{seed}")
    out = []
    for k in range(rounds):
        part = records[k * events:(k + 1) * events]
        for bad in malformed:
            part.insert(rng.randrange(len(part) + 1), bad)
        out.append(part)
    return out


def wait_quiet(run: ChaosRun, what: str) -> Progress:
    """Until the worker's group is at the end of its inputs and the sink's snapshot at the end of
    every topic, twice in a row. A process that stopped by itself is restarted, as a supervisor
    would, and counted (Flow.exits): the run goes on to the oracle and fails at the end."""
    deadline = time.monotonic() + QUIET_TIMEOUT_S
    last, stable = 0.0, 0
    watcher = FlowWatcher(run.settings, run.flow.bootstrap)
    try:
        while True:
            for note in run.flow.revive():
                run.say(f"    {note}")
            p = watcher.progress()
            if time.monotonic() - last >= 5 or p.caught_up:
                last = time.monotonic()
                run.say(f"    {what}: worker {p.worker_done}/{p.worker_total}, "
                        f"sink {p.sink_done}/{p.sink_total}")
            stable = stable + 1 if p.caught_up else 0
            if stable >= 2:
                return p
            if time.monotonic() > deadline:
                raise TimeoutError(
                    f"no quiet after {QUIET_TIMEOUT_S} s ({what}): worker "
                    f"{p.worker_done}/{p.worker_total}, sink {p.sink_done}/{p.sink_total}; "
                    f"logs in {run.flow.logs}")
            time.sleep(0.5)
    finally:
        watcher.close()


def publish_paced(run: ChaosRun, records: list[ScenarioRecord], seconds: float,
                  errors: list[str]) -> threading.Thread:
    def publish() -> None:
        p = producer(run.settings, run.flow.bootstrap)
        try:
            started = time.monotonic()
            for i, r in enumerate(records):
                ahead = started + seconds * i / len(records) - time.monotonic()
                if ahead > 0:
                    time.sleep(ahead)
                p.send(run.settings.topics.intake, key=r.key, value=r.value)
            p.flush(timeout=300)
        except Exception as exc:  # noqa: BLE001 - reported by the round, not raised in a thread
            errors.append(f"publishing: {type(exc).__name__}: {exc}")
        finally:
            p.close(timeout=30)
    thread = threading.Thread(target=publish, name="chaos-publish", daemon=True)
    thread.start()
    return thread


def one_round(run: ChaosRun, number: int, records: list[ScenarioRecord], rng: random.Random,
              broker_fault: bool, window: float) -> oracle.RoundResult:
    started = time.monotonic()
    say = run.say
    faults = plan_round(rng, window, broker_fault)
    say(f"round {number}: publishing {len(records)} records over {window:.0f} s; faults: "
        + ", ".join(f"{f.action} at {f.at:.1f} s" for f in faults))
    errors: list[str] = []
    publisher = publish_paced(run, records, window, errors)
    for fault in faults:
        delay = started + fault.at - time.monotonic()
        if delay > 0:
            time.sleep(delay)
        say(f"  {time.monotonic() - started:5.1f} s  {run.flow.inflict(fault)}")
    publisher.join()
    if errors:
        raise RuntimeError("; ".join(errors))
    wait_quiet(run, "intake")
    request_phase(run, rng)
    tally, failures = check(run)
    result = oracle.RoundResult(number, len(records),
                                sum(r.expected_rejection is not None for r in records),
                                [f.action for f in faults], tally, failures,
                                time.monotonic() - started)
    lost, duplicated, differing = tally.counts
    say(f"round {number}: lost={lost} duplicated={duplicated} differing={differing} "
        f"verify={'ok' if failures == 0 else f'{failures} altered'} "
        f"({result.seconds:.0f} s)")
    for example in tally.examples():
        say(f"    {example}")
    return result


def request_phase(run: ChaosRun, rng: random.Random) -> None:
    """The round's new items get their people's steps; the worker is killed while it judges."""
    items = [i for i in activity.items_in_store(run.settings.store)
             if i.item_id not in run.planned_items]
    run.planned_items |= {i.item_id for i in items}
    waves = activity.waves(items, rng.randrange(2**31), utc_now())
    run.say(f"  {sum(map(len, waves))} lifecycle requests for {len(items)} new items, in "
            f"{len(waves)} waves")
    # Each wave on its requesters' topics; an item's next step waits for the wave before it
    # (across topics, records reach the worker in no fixed order). The kill hits the first.
    for n, wave in enumerate(waves):
        publish_requests(run.settings, run.flow.bootstrap, wave,
                         lambda _requester: producer(run.settings, run.flow.bootstrap))
        if n == 0:
            time.sleep(rng.uniform(0.5, 3))
            run.say(f"  {run.flow.inflict(Fault(0, KILL_WORKER, rng.uniform(0, 1)))} "
                    "(requests)")
        wait_quiet(run, f"requests, wave {n + 1}")


def check(run: ChaosRun) -> tuple[oracle.Tally, int]:
    """The store's snapshot against the reference and the published records; verify."""
    s = run.settings
    t = s.topics
    consumer = kv_kafka.offsets_reader(s, run.flow.bootstrap)
    try:
        inputs = reference.read_topics(
            consumer, [t.intake, *kv_kafka.request_topics(s, run.flow.bootstrap)])
    finally:
        consumer.close()
    ref_path = run.home / "reference.duckdb"
    ref_path.unlink(missing_ok=True)
    reference.build_reference(ref_path, inputs, t, privacy_from_settings(s), time_window(s),
                              s.deadlines, organisations(s))
    expected = reference.summarise_path(ref_path)
    con = reader.open_read_only(s.store)
    try:
        got = reference.summarise(con)
        report = verify(con)
    finally:
        con.close()
    tally = oracle.Tally()
    for part in oracle.compare(expected, got).values():
        tally.add(part)
    published = published_of(inputs, t.intake, run.expected_reasons)
    tally.add(oracle.check_published(published, got, t.intake))
    # An altered history, and what the worker's seals say: a forged event or a deleted row.
    return tally, (report.count(ItemState.ALTERED) + len(report.seals.forged)
                   + len(report.seals.shortfalls))


def published_of(inputs: list[reference.InputRecord], intake: str,
                 reasons: dict[bytes, str]) -> oracle.Published:
    """What each intake record in Kafka must become: the scenario says which are malformed
    (a record sent twice by a retry is two records and two dead letters)."""
    return oracle.Published.of(
        (r.key.decode(errors="replace") if r.key else None,
         reasons.get(r.value or b""))
        for r in inputs if r.topic == intake)


def run_rounds(run: ChaosRun, rounds: int, seed: int, events: int, window: float) -> None:
    rng = random.Random(seed)
    slices = round_slices(seed, rounds, events)
    for part in slices:
        run.expected_reasons.update({r.value: r.expected_rejection.value for r in part
                          if r.expected_rejection is not None})
    broker_round = rng.randrange(rounds) + 1
    for number, part in enumerate(slices, start=1):
        run.results.append(one_round(run, number, part, rng, number == broker_round, window))


def open_run(settings: Settings, broker: LocalBroker | None, say: Say,
             run_id: str | None = None) -> ChaosRun:
    """Connect (starting the broker the run owns), create the topics, start worker and sink."""
    run_id = run_id or datetime.now(UTC).strftime("%Y%m%d%H%M%S")
    s = chaos_settings(settings, run_id)
    home = s.home / "chaos" / run_id
    shutil.rmtree(home, ignore_errors=True)
    home.mkdir(parents=True)
    if broker is not None:
        bootstrap = broker.start(on_progress=lambda m: say(f"  {m}"))
    else:
        bootstrap = kv_kafka.bootstrap_servers(s, start_local=False)
    kv_kafka.ensure_topics(s, bootstrap)
    flow = Flow(s, bootstrap, home / "logs", broker, say)
    flow.start_all()
    say(f"chaos run {run_id}: topics {s.topic_prefix}*, store {s.store}, broker {bootstrap}"
        + ("" if broker else " (external: its kill is skipped)"))
    return ChaosRun(s, bootstrap, flow, home, say)
