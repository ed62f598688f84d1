"""The intake gateway: validated source events onto the intake topic, as the gateway principal.

What reaches Kafka is what `kokemusvirta publish` would send: the contract's parse of each event,
with a feedback's client id replaced by its pseudonym and its contact sealed with the person's
key (streams/privacy.py), so not even the intake topic holds them. A request is accepted only
when the broker has acknowledged every one of its events (acks=all); until then nothing is
promised, and a broker that does not answer within KOKEMUSVIRTA_INTAKE_ACK_TIMEOUT_S is a
BrokerUnavailable (the API's 503 with Retry-After).

Concurrent requests share one aiokafka producer, which batches their records per partition;
each request still waits for its own records' acknowledgements.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from aiokafka.errors import KafkaError

from kokemusvirta.intake.idempotency import Decision, IdempotencyStore, decide, request_hash
from kokemusvirta.intake.reading import FAMILIES, events_of
from kokemusvirta.settings import Settings
from schemas.feedback import FeedbackSubmitted
from schemas.knowledge import SourceFamily
from schemas.registry import SourceEvent
from schemas.workshop import WorkshopOutputRecorded
from streams.items import item_id_for
from streams.privacy import Privacy

log = logging.getLogger("kokemusvirta.intake")

RETRY_AFTER_S = 5  # what a 503 tells the client: the broker is usually back within seconds
# After a failed connection, requests are answered 503 at once for this long instead of each
# trying again (a broker that times out would make every waiting request wait in turn).
RECONNECT_PAUSE_S = 1.0


@dataclass(frozen=True)
class Submitted:
    """The items the request's events become, and whether this answer repeats an earlier one
    (a retry with the same Idempotency-Key: nothing was published this time)."""

    item_ids: list[str]
    replay: bool = False


class BrokerUnavailable(Exception):
    """The broker did not acknowledge in time: nothing is accepted; try again later."""

    retry_after_s = RETRY_AFTER_S


class KeyReused(Exception):
    """The Idempotency-Key was used within its keeping time for a different request."""


def item_ids_of(event: SourceEvent) -> list[str]:
    """The knowledge items the worker will make of `event` (streams/items.py's ids)."""
    if isinstance(event, WorkshopOutputRecorded):
        return [item_id_for(SourceFamily.WORKSHOP_OUTPUT, event.event_id, i)
                for i in range(len(event.items))]
    family = next(SourceFamily(f) for f, cls in FAMILIES.items() if isinstance(event, cls))
    return [item_id_for(family, event.event_id)]


def aiokafka_config(settings: Settings, bootstrap: str) -> dict[str, Any]:
    """The kafka-python connection (kokemusvirta/kafka.py: the settings' identity, the
    gateway's on the local broker) in aiokafka's words."""
    conf = settings.kafka_python_config(bootstrap)
    out: dict[str, Any] = {"bootstrap_servers": conf["bootstrap_servers"],
                           "security_protocol": conf["security_protocol"]}
    for name in ("sasl_mechanism", "sasl_plain_username", "sasl_plain_password"):
        if name in conf:
            out[name] = conf[name]
    if conf.get("ssl_cafile"):
        from aiokafka.helpers import create_ssl_context

        out["ssl_context"] = create_ssl_context(cafile=str(conf["ssl_cafile"]))
    return out


class IntakeGateway:
    """One per service process: `start()` in the app's start-up, `stop()` at its end."""

    def __init__(self, settings: Settings, privacy: Privacy, bootstrap: str, *,
                 idempotency: IdempotencyStore | None = None,
                 clock: Callable[[], float] = time.time, producer: Any = None) -> None:
        """`producer`: an aiokafka producer already started (tests give a fake); by default
        one is made and started on first need."""
        self.settings = settings
        self.topic = settings.topics.intake
        self.privacy = privacy
        self.bootstrap = bootstrap
        self.ack_timeout_s = settings.intake_ack_timeout_s
        self.idempotency = idempotency or IdempotencyStore(
            settings.home / "intake" / "idempotency.sqlite",
            settings.intake_idempotency_hours * 3600)
        self.clock = clock
        self._producer: Any = producer
        self._starting = asyncio.Lock()
        self._down_until = 0.0  # time.monotonic() before which no connection is tried
        self._in_flight: dict[tuple[str, str], asyncio.Lock] = {}

    @property
    def connected(self) -> bool:
        return self._producer is not None

    async def start(self) -> None:
        """Connect now if the broker is there; if not, the first request tries again (and is
        answered 503 until the broker is back): the service starts either way."""
        with contextlib.suppress(BrokerUnavailable):
            await self._connected()

    async def stop(self) -> None:
        if self._producer is not None:
            with contextlib.suppress(Exception):
                await self._producer.stop()  # flushes what is in flight
            self._producer = None
        self.idempotency.close()

    async def submit(self, family: str, payloads: list[dict[str, Any]], *,
                     idempotency_key: str | None, client: str) -> Submitted:
        """Validate, seal and publish `payloads` (dicts of `family`'s event: "feedback",
        "workshop_output", "expert_statement"); the item ids once the broker acknowledged them.

        Raises reading.Invalid (every problem), KeyReused, BrokerUnavailable."""
        events = events_of(family, payloads, lambda: datetime.now(UTC))
        if idempotency_key is None:
            return Submitted(await self._publish(events))
        this_hash = request_hash(family, payloads)
        lock = self._in_flight.setdefault((client, idempotency_key), asyncio.Lock())
        try:
            async with lock:  # a retry racing its original waits for the original's answer
                remembered = self.idempotency.get(client, idempotency_key)
                decision = decide(remembered, this_hash, self.clock(), self.idempotency.keep_s)
                if decision is Decision.REPLAY:
                    assert remembered is not None
                    return Submitted(list(remembered.item_ids), replay=True)
                if decision is Decision.CONFLICT:
                    raise KeyReused
                item_ids = await self._publish(events)
                self.idempotency.remember(client, idempotency_key, this_hash, item_ids,
                                          self.clock())
                return Submitted(item_ids)
        finally:
            if not lock.locked() and self._in_flight.get((client, idempotency_key)) is lock:
                del self._in_flight[(client, idempotency_key)]

    async def _publish(self, events: list[SourceEvent]) -> list[str]:
        sealed = await self._sealed(events)
        producer = await self._connected()
        try:
            async with asyncio.timeout(self.ack_timeout_s):
                acks = [await producer.send(self.topic, e.to_json_bytes(),
                                            key=str(e.event_id).encode()) for e in sealed]
                await asyncio.gather(*acks)
        except (TimeoutError, KafkaError) as exc:
            log.warning("intake: the broker did not acknowledge %d event(s): %s", len(events),
                        type(exc).__name__)
            raise BrokerUnavailable from None
        return [i for e in events for i in item_ids_of(e)]

    async def _sealed(self, events: list[SourceEvent]) -> list[SourceEvent]:
        """Client ids pseudonymised and contacts sealed; the key store's files are written in a
        thread (a new person's key is a new file)."""
        if not any(isinstance(e, FeedbackSubmitted) and (e.client_id or e.contact)
                   for e in events):
            return events
        return await asyncio.to_thread(
            lambda: [self.privacy.seal_intake(e) if isinstance(e, FeedbackSubmitted) else e
                     for e in events])

    async def _connected(self) -> Any:
        if self._producer is not None:
            return self._producer
        if time.monotonic() < self._down_until:
            raise BrokerUnavailable
        async with self._starting:
            if self._producer is None:
                if time.monotonic() < self._down_until:  # failed while this one waited
                    raise BrokerUnavailable
                from aiokafka import AIOKafkaProducer

                producer = AIOKafkaProducer(
                    client_id="kokemusvirta-intake", acks="all", linger_ms=2,
                    max_batch_size=256 * 1024, max_request_size=4 * 1024 * 1024,
                    request_timeout_ms=int(self.ack_timeout_s * 1000),
                    **aiokafka_config(self.settings, self.bootstrap))
                try:
                    async with asyncio.timeout(self.ack_timeout_s):
                        await producer.start()
                except (TimeoutError, KafkaError, OSError) as exc:
                    with contextlib.suppress(Exception):
                        await producer.stop()
                    log.warning("intake: cannot connect to the broker (%s)", type(exc).__name__)
                    self._down_until = time.monotonic() + RECONNECT_PAUSE_S
                    raise BrokerUnavailable from None
                self._producer = producer
        return self._producer
