"""The Faust app: models are in schemas/, decisions in streams/processing.py; the agent only moves.

Reads top to bottom: app, topics, the sender, the agent. Nothing connects at import time:
`create_app` is called at start-up with the settings and the broker address.
"""

from __future__ import annotations

import asyncio
import logging
import ssl
from collections.abc import Awaitable, Callable
from typing import Any, cast

import faust
from faust.transport.drivers.aiokafka import Producer as KafkaProducerService

from kokemusvirta.keystore import privacy_from_settings
from kokemusvirta.settings import Settings
from schemas.dead_letter import DeadLetterRecorded, Origin, RejectionReason
from schemas.envelope import utc_now
from schemas.registry import InvalidEvent
from schemas.topics import TopicNames
from streams.guard import Judgement, fold_logged, fold_system_steps, judge_request
from streams.lifecycle import ItemState
from streams.processing import Outgoing, Processor, dead_letter, dead_letter_headers

log = logging.getLogger("kokemusvirta.worker")

Send = Callable[[Outgoing], Awaitable[None]]

# A send that has not even been enqueued in this long is stuck; the worker stops rather than
# hang silently (a supervisor, or `kokemusvirta demo`, sees it exit and says so).
DELIVERY_TIMEOUT_S = 60.0


class ProcessingCounters:
    """What the worker did; logged every LOG_EVERY records and with every unexpected error."""

    LOG_EVERY = 10_000

    def __init__(self) -> None:
        self.processed = 0
        self.dead_letters = 0
        self.unexpected_errors = 0


def create_app(
    settings: Settings, bootstrap: str, send: Send | None = None,
    states: dict[str, ItemState] | None = None,
) -> faust.App:
    """`states`: each item's lifecycle state, as rebuilt from the lifecycle topic at start-up
    (empty for a new deployment)."""
    states = {} if states is None else states
    topics = settings.topics
    app = faust.App(
        settings.worker_group,
        broker=[f"kafka://{b}" for b in bootstrap.split(",")],
        broker_credentials=_credentials(settings),
        store="memory://",
        web_enabled=False,
        processing_guarantee="at_least_once",
        consumer_auto_offset_reset="earliest",
        topic_partitions=settings.partitions,
        topic_replication_factor=settings.replication_factor,
        topic_allow_declare=True,
        producer_linger=0.05,  # ~50 routed topics: fewer, fuller produce requests
        producer_max_batch_size=256 * 1024,
        broker_commit_every=2_000,
        broker_commit_interval=1.0,
    )
    intake = app.topic(
        topics.intake, key_type=bytes, value_type=bytes,
        key_serializer="raw", value_serializer="raw", partitions=settings.partitions,
    )
    processor = Processor(topics, privacy=privacy_from_settings(settings))
    counters = ProcessingCounters()
    declared: dict[str, faust.types.TopicT] = {}

    async def send_to_kafka(out: Outgoing) -> None:
        topic = declared.get(out.topic)
        if topic is None:
            routed = topics.is_routed(out.topic)
            topic = app.topic(
                out.topic, key_serializer="raw", value_serializer="raw",
                partitions=settings.routed_partitions if routed else settings.partitions,
                config={"retention.ms": "-1"},  # routed copies are kept like the rest of the log
            )
            if routed:  # the others exist: `kokemusvirta worker` creates them before it starts
                await topic.maybe_declare()
            await _track_in_producer_metadata(app, out.topic)
            declared[out.topic] = topic
        headers = dead_letter_headers(out.event) if isinstance(out.event, DeadLetterRecorded) \
            else [("event-type", out.event.event_type.encode())]
        await topic.send(key=out.key, value=out.value, headers=headers)

    deliver = send or send_to_kafka

    @app.agent(intake, name="process-intake")
    async def process_intake(stream: Any) -> None:
        async for event in stream.events():
            msg = event.message
            origin = Origin(topic=msg.topic, partition=msg.partition, offset=msg.offset)
            try:
                outs = _process_safely(processor, event.value, origin, counters)
                for out in outs:
                    await asyncio.wait_for(deliver(out), DELIVERY_TIMEOUT_S)
            except Exception as exc:
                # Faust would ack this record and go on: its outputs would be lost. Crash
                # instead; the record's offset is not committed, so a restarted worker
                # processes it again and the deterministic ids make that harmless.
                log.critical("cannot deliver the outputs of %s[%d]@%d (%s); stopping the worker",
                             origin.topic, origin.partition, origin.offset, type(exc).__name__)
                await app.crash(exc)
                raise
            fold_system_steps(states, outs)

    # The lifecycle guard. Its state is one ItemState per item, kept in this process: rebuilt
    # from the lifecycle topic before the worker starts (streams/guard_state.py) and kept
    # current by this worker, the lifecycle topic's only writer (the system's steps above, the
    # accepted ones below). No Faust table: its changelog recovery raced the stream's seek on
    # restart here (an intake record skipped, a worker stuck); see README "Lifecycle guard".
    requests = app.topic(
        topics.lifecycle_requests, key_type=bytes, value_type=bytes,
        key_serializer="raw", value_serializer="raw", partitions=settings.partitions,
    )

    @app.agent(requests, name="guard-lifecycle")
    async def guard_lifecycle(stream: Any) -> None:
        async for event in stream.events():
            msg = event.message
            origin = Origin(topic=msg.topic, partition=msg.partition, offset=msg.offset)
            key = msg.key.decode() if msg.key else None
            state = states.get(key) if key else None
            judgement = _judge_safely(True, state, event.value, origin, topics, counters)
            try:
                for out in judgement.outgoing:
                    if isinstance(out.event, DeadLetterRecorded):
                        counters.dead_letters += 1
                        log.info("rejected lifecycle request %s[%d]@%d: %s", origin.topic,
                                 origin.partition, origin.offset, out.event.detail)
                    await asyncio.wait_for(deliver(out), DELIVERY_TIMEOUT_S)
            except Exception as exc:
                log.critical("cannot deliver the verdict on %s[%d]@%d (%s); stopping the "
                             "worker", origin.topic, origin.partition, origin.offset,
                             type(exc).__name__)
                await app.crash(exc)
                raise
            if judgement.state is not None and judgement.item_id is not None:
                states[judgement.item_id] = judgement.state

    app.kokemusvirta_counters = counters  # type: ignore[attr-defined]
    return app


async def _track_in_producer_metadata(app: faust.App, topic: str) -> None:
    """Put the topic in the set of topics aiokafka's producer client refreshes metadata for.

    aiokafka adds a topic to that set only when it sends to one whose partitions it does not
    know yet; a topic it already knew from an earlier fetch is never added. Once the set is not
    empty, each refresh asks only about the topics in it and forgets the others, so a batch
    lingering for a forgotten topic has no leader any more and the sender refreshes metadata in
    a loop for ever. Seen here as a worker that stopped after a dead letter or a new unit's
    topic and never committed again (tests/integration/test_flow.py has the regression test).
    """
    producer = cast(KafkaProducerService, app.producer)
    client = producer._ensure_producer().client  # faust exposes no public accessor
    await client.add_topic(topic)


def _process_safely(
    processor: Processor, raw: bytes, origin: Origin, counters: ProcessingCounters
) -> list[Outgoing]:
    """The one error policy: an unexpected error becomes a dead letter, counted and logged
    with its coordinates (never its payload), so the stream neither stops nor loses the record."""
    now = utc_now()
    try:
        outs = processor.process(raw, origin, now)
    except Exception as exc:  # noqa: BLE001 - this is the error policy
        counters.unexpected_errors += 1
        log.error(
            "unexpected %s while processing %s[%d]@%d; sent to dead letters",
            type(exc).__name__, origin.topic, origin.partition, origin.offset,
        )
        rejected = InvalidEvent(
            RejectionReason.PROCESSING_ERROR, f"unexpected {type(exc).__name__} in the worker"
        )
        outs = [Outgoing(processor.topics.dead_letters, dead_letter(rejected, origin, now))]
    counters.processed += 1
    if counters.processed % counters.LOG_EVERY == 0:
        log.info("processed %d intake records: %d dead letters, %d unexpected errors",
                 counters.processed, counters.dead_letters, counters.unexpected_errors)
    if outs and isinstance(outs[0].event, DeadLetterRecorded):
        counters.dead_letters += 1
        dl = outs[0].event
        log.info("dead letter %s from %s[%d]@%d", dl.reason.value, origin.topic,
                 origin.partition, origin.offset)
    return outs


def _judge_safely(
    is_request: bool, state: ItemState | None, raw: bytes, origin: Origin, topics: TopicNames,
    counters: ProcessingCounters,
) -> Judgement:
    """The same error policy for the guard: an unexpected error on a request becomes a
    `processing_error` dead letter; on a logged event it is logged and the state kept."""
    now = utc_now()
    try:
        if is_request:
            return judge_request(state, raw, origin, now, topics)
        return fold_logged(state, raw, origin)
    except Exception as exc:  # noqa: BLE001 - this is the error policy
        counters.unexpected_errors += 1
        log.error("unexpected %s in the lifecycle guard at %s[%d]@%d", type(exc).__name__,
                  origin.topic, origin.partition, origin.offset)
        if not is_request:
            return Judgement(None, state, ())
        rejected = InvalidEvent(
            RejectionReason.PROCESSING_ERROR, f"unexpected {type(exc).__name__} in the guard")
        return Judgement(None, state,
                         (Outgoing(topics.dead_letters, dead_letter(rejected, origin, now)),))


def _credentials(settings: Settings) -> Any:
    if settings.kafka_sasl_mechanism:
        password = settings.kafka_sasl_password.get_secret_value() \
            if settings.kafka_sasl_password else ""
        mechanism = {
            "PLAIN": faust.types.auth.SASLMechanism.PLAIN,
            "SCRAM-SHA-256": faust.types.auth.SASLMechanism.SCRAM_SHA_256,
            "SCRAM-SHA-512": faust.types.auth.SASLMechanism.SCRAM_SHA_512,
        }[settings.kafka_sasl_mechanism]
        ssl_context = None
        if settings.kafka_security_protocol == "SASL_SSL":
            ssl_context = ssl.create_default_context(
                cafile=str(settings.kafka_ssl_cafile) if settings.kafka_ssl_cafile else None
            )
        return faust.SASLCredentials(
            username=settings.kafka_sasl_username, password=password,
            mechanism=mechanism, ssl_context=ssl_context,
        )
    if settings.kafka_security_protocol == "SSL":
        return faust.SSLCredentials(ssl.create_default_context(
            cafile=str(settings.kafka_ssl_cafile) if settings.kafka_ssl_cafile else None
        ))
    return None
