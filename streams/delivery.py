"""Delivering the agents' outputs a batch at a time: every output handed to the producer at once,
then every acknowledgement awaited together; the records are acked only after that.

At least once, as before: a record's offset may be committed only once everything it caused is
in Kafka, so the agents ack (Faust's word for "this offset may be committed") after
`deliver_batch` returns, never before. What the batch buys is the rest: the producer sees all
of a batch's outputs before it sends, so it fills a few large produce requests instead of one
per output, and the worker waits for the broker once per batch instead of once per output.

The error policy is the one the worker had per output: a broker that is away is waited out
(only the outputs not acknowledged yet are sent again; a resend is harmless, the outputs are
byte-identical and their event ids deterministic), anything else stops the worker without
acking, so a restarted worker processes the batch again.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Sequence
from dataclasses import dataclass

import faust
from aiokafka.errors import KafkaError, KafkaTimeoutError

from schemas.dead_letter import Origin
from streams.processing import Outgoing
from streams.sender import Sender

log = logging.getLogger("kokemusvirta.worker")

# Handing a batch's outputs to the producer that has not finished in this long is stuck; the
# worker stops rather than hang silently (a supervisor, or `kokemusvirta demo`, sees it exit).
DELIVERY_TIMEOUT_S = 60.0
# Acknowledgements still missing after this long are logged (and awaited further: the producer
# itself retries a broker that is away, and fails the send once its request timeout is over).
ACK_PATIENCE_S = 30.0
# Outputs that failed because the broker is away are sent again after these waits (doubling).
RETRY_FIRST_S = 0.5
RETRY_MAX_S = 10.0

# Each record's coordinates with the outputs it caused, in the order the records were taken.
OutputsByOrigin = Sequence[tuple[Origin, list[Outgoing]]]


def broker_unreachable(exc: BaseException) -> bool:
    """Errors that mean the cluster is (for now) out of reach, not that the output is wrong:
    Kafka's retriable errors (connection lost, node not ready, no leader yet) and a metadata
    wait that timed out. Anything else is a bug or a refusal, and retrying would not help."""
    return isinstance(exc, KafkaTimeoutError) or (
        isinstance(exc, KafkaError) and bool(getattr(exc, "retriable", False)))


class DeliveryFailed(Exception):
    """An output could not be delivered for a reason other than the broker being away."""

    def __init__(self, origin: Origin, cause: BaseException) -> None:
        super().__init__(f"{origin.topic}[{origin.partition}]@{origin.offset}: "
                         f"{type(cause).__name__}")
        self.origin = origin
        self.cause = cause


async def deliver_batch(app: faust.App, sender: Sender, batch: OutputsByOrigin) -> None:
    """Deliver every output of `batch`; return once the broker acknowledged all of them. On an
    error that is not the broker being away, stop the worker (`app.crash`) and raise it: the
    caller must not ack the batch's records."""
    try:
        await _deliver_through_outages(
            sender, [(origin, out) for origin, outs in batch for out in outs])
    except DeliveryFailed as failed:
        origin = failed.origin
        # Faust would ack these records and go on: their outputs would be lost. Crash instead;
        # their offsets are not committed, so a restarted worker processes them again and the
        # deterministic ids make that harmless.
        log.critical("cannot deliver the outputs of %s[%d]@%d (%s); stopping the worker",
                     origin.topic, origin.partition, origin.offset,
                     type(failed.cause).__name__)
        await app.crash(failed.cause)
        raise failed.cause from None


async def _deliver_through_outages(sender: Sender, pending: list[tuple[Origin, Outgoing]]) -> None:
    wait_s = RETRY_FIRST_S
    attempt = 1
    while True:
        pending, away = await _deliver_once(sender, pending)
        if not pending:
            if attempt > 1:
                log.warning("delivered the batch's outputs after %d attempts", attempt)
            return
        origin = pending[0][0]
        log.warning("broker out of reach while delivering the outputs of %s[%d]@%d and %d "
                    "other(s) (%s); trying again in %.1f s", origin.topic, origin.partition,
                    origin.offset, len(pending) - 1, type(away).__name__, wait_s)
        await asyncio.sleep(wait_s)
        wait_s = min(wait_s * 2, RETRY_MAX_S)
        attempt += 1


async def _deliver_once(
    sender: Sender, pending: list[tuple[Origin, Outgoing]]
) -> tuple[list[tuple[Origin, Outgoing]], BaseException | None]:
    """Hand every output to the producer, then await the acknowledgements. Returns the outputs
    to send again (the broker was away) and the last such error; raises DeliveryFailed."""
    try:
        async with asyncio.timeout(DELIVERY_TIMEOUT_S):
            handed, again, away = await _hand_over(sender, pending)
    except TimeoutError as exc:
        raise DeliveryFailed(pending[0][0], exc) from exc
    failed = await _acknowledgements(handed)
    if failed:
        away = failed[-1][1]
        # Sent again in the batch's order: an item's steps must reach the lifecycle topic in
        # their order (the guard's state is rebuilt by folding them), as they did the first time.
        lost = {id(out) for out, _ in failed}
        again = [(o, out) for o, out, _ in handed if id(out) in lost] + again
    return again, away


async def _hand_over(
    sender: Sender, pending: list[tuple[Origin, Outgoing]]
) -> tuple[list[tuple[Origin, Outgoing, Awaitable[object]]], list[tuple[Origin, Outgoing]],
           BaseException | None]:
    """What was handed over with its acknowledgement, what was not (the broker away) and why."""
    send_all = getattr(sender, "send_all", None)  # a sender that takes them all at once
    if send_all is not None:
        try:
            acks = await send_all([out for _, out in pending])
        except Exception as exc:
            if not broker_unreachable(exc):
                raise DeliveryFailed(pending[0][0], exc) from exc
            return [], pending, exc
        return [(o, out, ack) for (o, out), ack in zip(pending, acks, strict=True)], [], None
    handed: list[tuple[Origin, Outgoing, Awaitable[object]]] = []
    for i, (origin, out) in enumerate(pending):
        try:
            handed.append((origin, out, await sender.send(out)))
        except Exception as exc:
            if not broker_unreachable(exc):
                raise DeliveryFailed(origin, exc) from exc
            # The rest waits for the broker too; those handed over are awaited all the same.
            return handed, pending[i:], exc
    return handed, [], None


async def _acknowledgements(
    handed: list[tuple[Origin, Outgoing, Awaitable[object]]]
) -> list[tuple[Outgoing, BaseException]]:
    """Wait for every acknowledgement; return the outputs that failed because the broker was
    away. Any other failure raises DeliveryFailed.

    One at a time, in the order handed over: by the time the first is acknowledged most of the
    others are too, and a future already done costs nothing to read (asyncio.wait over the
    whole batch put a callback on each of thousands)."""
    away: list[tuple[Outgoing, BaseException]] = []
    for origin, out, ack in handed:
        future = asyncio.ensure_future(ack)
        while not future.done():
            await asyncio.wait((future,), timeout=ACK_PATIENCE_S)
            if not future.done():
                log.warning("still waiting for the broker to acknowledge the outputs of "
                            "%s[%d]@%d", origin.topic, origin.partition, origin.offset)
        failure = asyncio.CancelledError() if future.cancelled() else future.exception()
        if failure is None:
            continue
        if not broker_unreachable(failure):
            raise DeliveryFailed(origin, failure)
        away.append((out, failure))
    return away


@dataclass
class BatchTimes:
    """Where the intake agent's time goes, logged every LOG_EVERY records: what to look at
    first when the worker falls behind (processing is CPU; delivery is waiting for the broker,
    overlapped with the next batch's processing)."""

    records: int = 0
    batches: int = 0
    processing_s: float = 0.0
    outputs: int = 0
    delivery_s: float = 0.0
    logged_at: int = 0

    LOG_EVERY = 10_000

    def processed(self, records: int, seconds: float) -> None:
        self.records += records
        self.batches += 1
        self.processing_s += seconds

    def delivered(self, outputs: int, seconds: float) -> None:
        self.outputs += outputs
        self.delivery_s += seconds
        if self.records - self.logged_at >= self.LOG_EVERY:
            self.logged_at = self.records
            log.info("intake batches: %d records in %d batches (%.0f a batch), processing "
                     "%.2f ms a record; %d outputs, %.0f ms a batch from handing over to "
                     "acknowledged (overlapping the next batch's processing)",
                     self.records, self.batches, self.records / self.batches,
                     1000 * self.processing_s / self.records, self.outputs,
                     1000 * self.delivery_s / self.batches)
