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
from aiokafka.errors import KafkaError, KafkaTimeoutError
from faust.transport.drivers.aiokafka import Producer as KafkaProducerService

from schemas.dead_letter import Origin
from streams.checkpoints import CheckpointBook, sign_outputs
from streams.config import WorkerConfig
from streams.errors import ErrorPolicy
from streams.guard_agent import KafkaLifecycleLog, LifecycleLog, install_guard, note_written
from streams.guard_state import StateBook
from streams.privacy import Privacy
from streams.processing import Outgoing, Processor
from streams.sender import Sender, _track_in_producer_metadata
from streams.timing import record_time

log = logging.getLogger("kokemusvirta.worker")

# A send that has not even been enqueued in this long is stuck; the worker stops rather than
# hang silently (a supervisor, or `kokemusvirta demo`, sees it exit and says so).
DELIVERY_TIMEOUT_S = 60.0
# A send that fails because the broker is away is tried again after these waits (doubling).
RETRY_FIRST_S = 0.5
RETRY_MAX_S = 10.0


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
        producer_linger=0.05,  # ~50 routed topics: fewer, fuller produce requests
        producer_max_batch_size=256 * 1024,
        broker_commit_every=2_000,
        broker_commit_interval=1.0,
        consumer_group_instance_id=config.instance_id,
        broker_session_timeout=config.session_timeout_s,
        # Three heartbeats a session, as Kafka advises; Faust's 3 s unless the session is short.
        broker_heartbeat_interval=min(3.0, config.session_timeout_s / 3),
    )
    sender.bind(app)

    intake = _raw_topic(app, config.topics.intake, config.partitions)
    requests = RequestTopics(app, names=list(config.request_topics),
                             accept=config.topics.requests_pattern, key_type=bytes,
                             value_type=bytes, key_serializer="raw", value_serializer="raw")
    processor = Processor(config.topics, privacy=privacy, window=config.time_window,
                          organisations=config.organisations)
    signer = seals.signer if seals is not None else None
    book = book if book is not None else StateBook(config.topics.lifecycle)

    @app.agent(intake, name="process-intake")
    async def process_intake(stream: Any) -> None:
        async for event in stream.events():
            origin = _origin(event.message)
            outs = sign_outputs(
                errors.process(processor, event.value, origin, _received_at(event.message)),
                signer, config.topics)
            # Noted before they are sent, so they are known when read back.
            note_written(book, outs, config.topics, config.partitions)
            await _deliver_or_crash(app, sender, outs, origin)

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
    install_guard(app, config, requests, book=book, errors=errors, seals=seals,
                  lifecycle=lifecycle if lifecycle is not None
                  else KafkaLifecycleLog(config, book, seals),
                  deliver=lambda outs, origin: _deliver_or_crash(app, sender, outs, origin))

    if seals is not None:
        checkpoints = app.topic(config.topics.checkpoints, key_serializer="raw",
                                value_serializer="raw")
        tracked: list[bool] = []

        @app.timer(seals.every_s, name="publish-checkpoints")
        async def publish_checkpoints() -> None:
            # Only the partitions that changed; wall-clock time is fine here: a checkpoint is a
            # statement about offsets, not an output of a record. A failed publication is tried
            # again at the next tick (the partition still differs from what was published).
            try:
                if not tracked:
                    await _track_in_producer_metadata(app, config.topics.checkpoints)
                    tracked.append(True)
                for checkpoint in seals.due(datetime.now(UTC)):
                    delivered = await checkpoints.send(
                        key=checkpoint.record_key, value=checkpoint.model_dump_json().encode())
                    await asyncio.wait_for(delivered, DELIVERY_TIMEOUT_S)
                    seals.published(checkpoint)
            except Exception as exc:  # noqa: BLE001 - a late checkpoint must not stop the worker
                log.warning("could not publish the checkpoints (%s); trying again in %.0f s",
                            type(exc).__name__, seals.every_s)

    return app


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


def _broker_unreachable(exc: BaseException) -> bool:
    """Errors that mean the cluster is (for now) out of reach, not that the output is wrong:
    Kafka's retriable errors (connection lost, node not ready, no leader yet) and a metadata
    wait that timed out. Anything else is a bug or a refusal, and retrying would not help."""
    return isinstance(exc, KafkaTimeoutError) or (
        isinstance(exc, KafkaError) and bool(getattr(exc, "retriable", False)))


async def _deliver_or_crash(
    app: faust.App, sender: Sender, outs: Iterable[Outgoing], origin: Origin
) -> None:
    try:
        for out in outs:
            await _deliver_through_outages(sender, out, origin)
    except Exception as exc:
        # Faust would ack this record and go on: its outputs would be lost. Crash instead; the
        # record's offset is not committed, so a restarted worker processes it again and the
        # deterministic ids make that harmless.
        log.critical("cannot deliver the outputs of %s[%d]@%d (%s); stopping the worker",
                     origin.topic, origin.partition, origin.offset, type(exc).__name__)
        await app.crash(exc)
        raise


async def _deliver_through_outages(sender: Sender, out: Outgoing, origin: Origin) -> None:
    """Send one output, waiting out a broker that is away: the worker must come through a
    broker restart without stopping (the sink does too). The record is not acked meanwhile, and
    a resend is harmless: outputs are byte-identical and their event ids deterministic."""
    wait_s = RETRY_FIRST_S
    attempt = 1
    while True:
        try:
            await asyncio.wait_for(sender.send(out), DELIVERY_TIMEOUT_S)
            if attempt > 1:
                log.warning("delivered the outputs of %s[%d]@%d after %d attempts",
                            origin.topic, origin.partition, origin.offset, attempt)
            return
        except Exception as exc:
            if not _broker_unreachable(exc):
                raise
            log.warning("broker out of reach while delivering the outputs of %s[%d]@%d (%s); "
                        "trying again in %.1f s", origin.topic, origin.partition,
                        origin.offset, type(exc).__name__, wait_s)
        await asyncio.sleep(wait_s)
        wait_s = min(wait_s * 2, RETRY_MAX_S)
        attempt += 1
