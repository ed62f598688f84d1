"""The Faust app: models are in schemas/, decisions in streams/processing.py and streams/guard.py,
the error policy in streams/errors.py, sending in streams/sender.py; the agents only move.

Reads top to bottom: the app, its topics, the two agents. Nothing connects at import time, and
nothing here reads settings: the composition root (kokemusvirta/bootstrap.py) calls `create_app`
at start-up with everything the app needs.
"""

from __future__ import annotations

import asyncio
import logging
import re
import time
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import Any, cast

import faust
from faust.transport.drivers.aiokafka import AIOKafkaConsumerThread
from faust.transport.drivers.aiokafka import Producer as KafkaProducerService

from schemas.dead_letter import Origin
from streams.checkpoints import CheckpointBook, sign_outputs
from streams.config import WorkerConfig
from streams.delivery import BatchTimes, OutputsByOrigin, deliver_batch
from streams.errors import ErrorPolicy
from streams.faust_acks import install as count_processed_acks_only
from streams.faust_acks import watch as fetch_again_what_was_lost
from streams.faust_commits import install as commit_assigned_only
from streams.guard_agent import KafkaLifecycleLog, LifecycleLog, install_guard, note_written
from streams.guard_state import StateBook
from streams.last_checkpoints import publish_last
from streams.privacy import Privacy
from streams.processing import Outgoing, Processor
from streams.sender import Sender, _track_in_producer_metadata
from streams.timing import record_time

log = logging.getLogger("kokemusvirta.worker")

# A checkpoint not delivered in this long is tried again at the next tick.
DELIVERY_TIMEOUT_S = 60.0


def _highwater_unless_revoked(thread: Any, tp: Any) -> int | None:
    """Faust's highwater, None for a partition no longer assigned. Faust asks it of every record
    it drains, and aiokafka asserts the partition is assigned: when a request topic is added
    (RequestTopics.grow) the re-subscription revokes partitions while their fetched records
    are drained, and the assertion crashed the fetcher and so the worker (seen in a fresh
    clone's demo). Such a record is not acked for the revoked partition; its next owner reads
    it again."""
    try:
        return cast(int | None, _faust_highwater(thread, tp))
    except AssertionError:
        return None


_faust_highwater = AIOKafkaConsumerThread.highwater
AIOKafkaConsumerThread.highwater = _highwater_unless_revoked  # type: ignore[method-assign,assignment]
# A message Faust drops in a rebalance must not commit past messages no agent processed.
count_processed_acks_only()
# Nor may a commit between a subscription and its assignment stop the worker.
commit_assigned_only()


def create_app(
    config: WorkerConfig, *, privacy: Privacy | None, sender: Sender,
    errors: ErrorPolicy, seals: CheckpointBook | None = None,
    book: StateBook | None = None, lifecycle: LifecycleLog | None = None,
) -> faust.App:
    """`privacy` pseudonymises and seals what arrives raw (None drops contacts); `errors` counts
    what the agents did; `seals` signs the lifecycle events and dead letters and keeps the
    checkpoints (None: unsigned, for tests of other things); `book` holds the guard's states of
    the lifecycle partitions this worker is assigned, read back by `lifecycle` (a reader of the
    lifecycle topic of its own unless given: streams/guard_agent.py)."""
    app = faust.App(
        config.group_id,
        broker=list(config.broker_urls),
        broker_credentials=config.credentials,
        store="memory://",
        datadir=config.datadir,
        web_enabled=False,
        processing_guarantee="at_least_once",
        consumer_auto_offset_reset="earliest",
        topic_partitions=config.partitions,
        topic_replication_factor=config.replication_factor,
        topic_allow_declare=True,
        # The intake agent hands a whole batch over at once, so the producer needs no time to
        # gather outputs: a longer linger only delays the acknowledgements the batch waits for
        # (measured side by side, 50 ms → 5 ms: 732 → 298 ms a batch until acknowledged).
        producer_linger=0.005,
        producer_max_batch_size=256 * 1024,
        broker_commit_every=2_000,
        broker_commit_interval=1.0,
        consumer_group_instance_id=config.instance_id,
        broker_session_timeout=config.session_timeout_s,
        # Three heartbeats a session, as Kafka advises; Faust's 3 s unless the session is short.
        broker_heartbeat_interval=min(3.0, config.session_timeout_s / 3),
    )
    sender.bind(app)
    fetch_again_what_was_lost(app)

    intake = _raw_topic(app, config.topics.intake, config.partitions)
    requests = RequestTopics(app, names=list(config.request_topics),
                             accept=config.topics.requests_pattern, key_type=bytes,
                             value_type=bytes, key_serializer="raw", value_serializer="raw")
    processor = Processor(config.topics, privacy=privacy, window=config.time_window,
                          organisations=config.organisations)
    signer = seals.signer if seals is not None else None
    batches = BatchTimes()
    book = book if book is not None else StateBook(config.topics.lifecycle)

    # A batch at a time: up to `intake_batch_max` records, or what arrived within
    # `intake_batch_wait_s`. Faust's noack_take never acks; the agent acks each record only once
    # all of its batch's outputs are acknowledged (deliver_batch), so no commit covers a record
    # whose outputs could still be lost. A crash leaves the batch unacked: processed again.
    # Two batches overlap: the next one is processed while the broker acknowledges the last
    # (the CPU would wait otherwise); it is handed over only once the last is settled, so the
    # outputs reach each partition in the records' order.
    @app.agent(intake, name="process-intake")
    async def process_intake(stream: Any) -> None:
        settling: asyncio.Future[None] | None = None
        try:
            async for events in stream.noack_take(config.intake_batch_max,
                                                  config.intake_batch_wait_s):
                started = time.perf_counter()
                batch = []
                for event in events:
                    origin = _origin(event.message)
                    outs = sign_outputs(errors.process(
                        processor, event.value, origin, _received_at(event.message)),
                        signer, config.topics)
                    # Noted before they are sent, so they are known when read back.
                    note_written(book, outs, config.topics, config.partitions)
                    batch.append((origin, outs))
                if privacy is not None:
                    await _keys_durable_or_crash(app, privacy)
                batches.processed(len(events), time.perf_counter() - started)
                if settling is not None:
                    await settling
                settling = asyncio.ensure_future(settle(stream, events, batch))
            if settling is not None:
                await settling
        finally:
            if settling is not None and not settling.done():
                settling.cancel()

    async def settle(stream: Any, events: Sequence[Any], batch: OutputsByOrigin) -> None:
        started = time.perf_counter()
        await deliver_batch(app, sender, batch)
        for event in events:
            await stream.ack(event)
        batches.delivered(sum(len(outs) for _, outs in batch), time.perf_counter() - started)

    # Request topics granted while the worker runs: Faust cannot subscribe by pattern (its
    # aiokafka driver passes only names), so the worker looks for new ones itself and widens
    # the guard's subscription; a new topic's group offset starts at its beginning, so requests
    # sent before the worker saw the topic are judged too.
    @app.timer(config.request_scan_s, name="find-request-topics")
    async def find_request_topics() -> None:
        try:
            found = await _existing_topics(app)
        except Exception as exc:  # noqa: BLE001 - a broker away now is asked again next time
            log.debug("could not list topics (%s); trying again later", type(exc).__name__)
            return
        requests.grow(found)

    # The lifecycle guard: requests forwarded onto a topic co-partitioned with the lifecycle,
    # each partition judged by the one worker assigned it, on states read back from the
    # lifecycle topic (streams/guard_agent.py). No Faust table: its changelog recovery raced the
    # stream's seek on restart here (an intake record skipped, a worker stuck).
    lifecycle = lifecycle if lifecycle is not None else KafkaLifecycleLog(config, book, seals)
    install_guard(app, config, requests, book=book, errors=errors, seals=seals,
                  lifecycle=lifecycle,
                  deliver=lambda outs, origin: _deliver_or_crash(app, sender, outs, origin))
    if seals is not None:
        _install_checkpoints(app, config, seals, book, lifecycle)
    return app


def _install_checkpoints(app: faust.App, config: WorkerConfig, seals: CheckpointBook,
                         book: StateBook, lifecycle: LifecycleLog) -> None:
    """The checkpoints of the held partitions: every `seals.every_s`, and the last ones when
    the worker stops or a rebalance revokes partitions (streams/last_checkpoints.py)."""
    checkpoints = app.topic(config.topics.checkpoints, key_serializer="raw",
                            value_serializer="raw")
    tracked: list[bool] = []
    one_at_a_time = asyncio.Lock()  # the timer and a stop: each checkpoint published once

    async def publish(partitions: Iterable[int] | None = None) -> int:
        # Only the partitions that changed; wall-clock time is fine here: a checkpoint is a
        # statement about offsets, not an output of a record.
        async with one_at_a_time:
            if not tracked:
                await _track_in_producer_metadata(app, config.topics.checkpoints)
                tracked.append(True)
            due = seals.due(datetime.now(UTC), partitions)
            for checkpoint in due:
                delivered = await checkpoints.send(
                    key=checkpoint.record_key, value=checkpoint.model_dump_json().encode())
                await asyncio.wait_for(delivered, DELIVERY_TIMEOUT_S)
                seals.published(checkpoint)
            return len(due)

    @app.timer(seals.every_s, name="publish-checkpoints")
    async def publish_checkpoints() -> None:
        # A failed publication is tried again at the next tick (the partition still differs
        # from what was published).
        try:
            await publish()
        except Exception as exc:  # noqa: BLE001 - a late checkpoint must not stop the worker
            log.warning("could not publish the checkpoints (%s); trying again in %.0f s",
                        type(exc).__name__, seals.every_s)

    async def last(held: list[int], why: str) -> None:
        if held:
            await publish_last(lambda: lifecycle.catch_up(held, dead_letters=True),
                               lambda: publish(held), why=why)

    # Faust sends on_before_shutdown once the intake's last batches are acknowledged and
    # before the consumer leaves the group or the producer stops (App.on_stop).
    async def on_stop(sender: Any, **kwargs: Any) -> None:
        await last(sorted(book.partitions), "the worker stops")

    # A rebalance revokes every partition first (eager); the agents are idle and the
    # producer flushed by then, and nobody else holds them until every member has rejoined.
    async def on_revoked(sender: Any, *args: Any, **kwargs: Any) -> None:
        revoked = {tp.partition for tp in args[0] if tp.topic == config.topics.guard_requests}
        await last(sorted(p for p in book.partitions if p in revoked), "a rebalance")

    app.on_before_shutdown.connect(cast(Any, on_stop))
    app.on_partitions_revoked.connect(cast(Any, on_revoked))


class RequestTopics(faust.Topic):
    """The guard's input: every requester's request topic, a list that grows while the worker
    runs. Faust clones a topic for each of its iterators; the clones share the one list of
    names, so the conductor's next subscription includes a topic added later."""

    RESUBSCRIBE_AFTER_S = 2.0  # Faust waits 45 s, for agents restarting together; ours do not
    REASK_AFTER_S = 30.0  # a rebalance asked for because of topics left out: at most this often

    def __init__(self, *args: Any, names: list[str] | None = None,
                 accept: str = "^$", **kwargs: Any) -> None:
        self._names: list[str] = names if names is not None else []
        self._accept = accept  # which names are request topics (TopicNames.requests_pattern)
        self._match = re.compile(accept)
        self._asked_at = float("-inf")
        super().__init__(*args, **kwargs)

    @property
    def topics(self) -> Sequence[str]:
        return list(self._names)

    @topics.setter
    def topics(self, names: Sequence[str]) -> None:
        self._names.extend(n for n in names if n not in self._names)

    def _clone_args(self) -> Any:
        return {**super()._clone_args(), "names": self._names, "accept": self._accept}

    def grow(self, existing: Iterable[str], now: float | None = None) -> list[str]:
        """Add the request topics among `existing` not read yet, and have the conductor
        subscribe again when one is new, not in its subscription yet (a change it was told of
        during a rebalance is dropped), or subscribed but left out of the group's assignment.
        The last happens to a worker restarted under its static id: the broker hands it the
        assignment its predecessor had, made before the newer topics. Returns what was new."""
        present = set(existing)
        new = sorted(n for n in present if n not in self._names and self.match(n))
        self._names.extend(new)
        conductor: Any = self.app.topics
        # Private, for want of public ones: the names the conductor's subscription has, and the
        # topics of the group's last assignment (every member is told them).
        unsubscribed = any(n not in conductor._topic_name_index for n in self._names)
        assigned = getattr(self.app.assignor, "_topic_groups", None) or {}
        unassigned = [n for n in self._names if n in present and n not in assigned]
        now = time.monotonic() if now is None else now
        stale = bool(unassigned) and now - self._asked_at >= self.REASK_AFTER_S
        if new or unsubscribed or stale:
            if new:
                log.info("reading %d new request topic(s): %s%s", len(new),
                         ", ".join(new[:5]), ", …" if len(new) > 5 else "")
            elif stale:
                log.info("%d request topic(s) left out of the group's assignment (e.g. %s): "
                         "asking for a new one", len(unassigned), unassigned[0])
            self._asked_at = now
            conductor._resubscribe_sleep_lock_seconds = self.RESUBSCRIBE_AFTER_S
            conductor._flag_changes()
        return new

    def match(self, name: str) -> bool:
        return bool(self._match.match(name))


async def _existing_topics(app: faust.App) -> list[str]:
    """Every topic this worker may see, from the producer's client (already connected)."""
    producer = cast(KafkaProducerService, app.producer)
    client = producer._ensure_producer().client  # faust exposes no public accessor
    metadata = await client.fetch_all_metadata()
    return list(metadata.topics())


def _raw_topic(app: faust.App, name: str, partitions: int) -> Any:
    return app.topic(name, key_type=bytes, value_type=bytes, key_serializer="raw",
                     value_serializer="raw", partitions=partitions)


def _origin(message: Any) -> Origin:
    return Origin(topic=message.topic, partition=message.partition, offset=message.offset)


def _received_at(message: Any) -> datetime | None:
    """The record's Kafka timestamp: what the worker stamps on what it emits for the record, so
    a redelivery emits the same bytes (streams/timing.py). Never the wall clock."""
    return record_time(message.timestamp)


async def _keys_durable_or_crash(app: faust.App, privacy: Privacy) -> None:
    """The keys a batch's seals use durable before any of its outputs is handed over
    (kokemusvirta/keystore.py): all at once, not two fsyncs per new key. If they cannot be,
    the worker stops without acking the batch, as deliver_batch does."""
    try:
        privacy.make_keys_durable()
    except OSError as exc:
        log.critical("cannot make the new keys durable (%s); stopping the worker",
                     type(exc).__name__)
        await app.crash(exc)
        raise


async def _deliver_or_crash(
    app: faust.App, sender: Sender, outs: Iterable[Outgoing], origin: Origin
) -> None:
    """One record's outputs, acknowledged before this returns (the guard's requests)."""
    await deliver_batch(app, sender, [(origin, list(outs))])
