"""The Faust app: models are in schemas/, decisions in streams/processing.py and streams/guard.py,
the error policy in streams/errors.py, sending in streams/sender.py; the agents only move.

Reads top to bottom: the app, its topics, the two agents. Nothing connects at import time, and
nothing here reads settings: the composition root (kokemusvirta/bootstrap.py) calls `create_app`
at start-up with everything the app needs.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

import faust
from aiokafka.errors import KafkaError, KafkaTimeoutError

from schemas.dead_letter import Origin
from streams.checkpoints import CheckpointBook, sign_outputs
from streams.config import WorkerConfig
from streams.errors import ErrorPolicy
from streams.guard import fold_system_steps
from streams.lifecycle import ItemState
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
    states: dict[str, ItemState], errors: ErrorPolicy, seals: CheckpointBook | None = None,
) -> faust.App:
    """`privacy` pseudonymises and seals what arrives raw (None drops contacts); `states` is each
    item's lifecycle state, as rebuilt from the lifecycle topic at start-up (empty for a new
    deployment), and is kept current here; `errors` counts what the agents did; `seals` signs
    the lifecycle events and dead letters and keeps the checkpoints (None: unsigned, for tests
    of other things)."""
    app = faust.App(
        config.group_id,
        broker=list(config.broker_urls),
        broker_credentials=config.credentials,
        store="memory://",
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
    requests = _raw_topic(app, config.topics.lifecycle_requests, config.partitions)
    processor = Processor(config.topics, privacy=privacy, window=config.time_window)
    signer = seals.signer if seals is not None else None

    @app.agent(intake, name="process-intake")
    async def process_intake(stream: Any) -> None:
        async for event in stream.events():
            origin = _origin(event.message)
            outs = sign_outputs(
                errors.process(processor, event.value, origin, _received_at(event.message)),
                signer, config.topics)
            await _deliver_or_crash(app, sender, outs, origin)
            fold_system_steps(states, outs)

    # The lifecycle guard. Its state is one ItemState per item, kept in this process: rebuilt
    # from the lifecycle topic before the worker starts (streams/guard_state.py) and kept
    # current by this worker, the lifecycle topic's only writer (the system's steps above, the
    # accepted ones below). No Faust table: its changelog recovery raced the stream's seek on
    # restart here (an intake record skipped, a worker stuck); see README, How it flows.
    @app.agent(requests, name="guard-lifecycle")
    async def guard_lifecycle(stream: Any) -> None:
        async for event in stream.events():
            origin = _origin(event.message)
            item_id = event.message.key.decode(errors="replace") if event.message.key else None
            judgement = errors.judge(states.get(item_id) if item_id else None, event.value,
                                     origin, _received_at(event.message))
            await _deliver_or_crash(app, sender,
                                    sign_outputs(judgement.outgoing, signer, config.topics), origin)
            if judgement.state is not None and judgement.item_id is not None:
                states[judgement.item_id] = judgement.state

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
