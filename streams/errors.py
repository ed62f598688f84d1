"""The worker's one error policy: an unexpected exception in the pure decision logic becomes a
`processing_error` dead letter, counted and logged by the record's coordinates (never its
payload), so the stream neither stops nor loses the record.

Both agents go through here: the intake agent's records (streams/processing.py) and the lifecycle
guard's requests (streams/guard.py). The counters live on the policy, which the composition root
creates and keeps, so whoever started the worker can read them.

No clock here either: a dead letter is timed by its record (`received_at`, the Kafka timestamp),
so a redelivered record's dead letter is the same bytes as the first.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from schemas.dead_letter import DeadLetterRecorded, Origin, RejectionReason
from schemas.registry import InvalidEvent
from schemas.topics import TopicNames
from streams.guard import Judgement, judge_request
from streams.lifecycle import ItemState
from streams.processing import Outgoing, Processor, dead_letter
from streams.timing import EPOCH, TimeWindow

log = logging.getLogger("kokemusvirta.worker")


@dataclass
class ProcessingCounters:
    """What the worker did; logged every LOG_EVERY intake records. Plain attributes, so the
    metrics endpoint (kokemusvirta/operations/metrics.py) reads them without locks."""

    processed: int = 0  # intake records
    judged: int = 0  # lifecycle requests
    dead_letters: int = 0  # intake records and lifecycle requests rejected
    unexpected_errors: int = 0  # of those, rejected because the logic raised
    dead_letters_by_reason: Counter[str] = field(default_factory=Counter)  # reason code -> n

    LOG_EVERY = 10_000


class ErrorPolicy:
    def __init__(self, topics: TopicNames, window: TimeWindow | None = None) -> None:
        self.topics = topics
        self.window = window or TimeWindow()  # accepted times of requested lifecycle steps
        self.counters = ProcessingCounters()

    def process(
        self, processor: Processor, raw: bytes, origin: Origin, received_at: datetime | None
    ) -> list[Outgoing]:
        """One intake record's outputs: its derived events, or one dead letter."""
        try:
            outs = processor.process(raw, origin, received_at)
        except Exception as exc:  # noqa: BLE001 - this is the error policy
            outs = [self._unexpected(exc, "worker", origin, received_at)]
        c = self.counters
        c.processed += 1
        self._count_dead_letters(outs, origin, "dead letter")
        if c.processed % c.LOG_EVERY == 0:
            log.info("processed %d intake records: %d dead letters, %d unexpected errors",
                     c.processed, c.dead_letters, c.unexpected_errors)
        return outs

    def judge(
        self, state: ItemState | None, raw: bytes, origin: Origin, received_at: datetime | None
    ) -> Judgement:
        """The guard's verdict on one lifecycle request: accepted, or a dead letter."""
        try:
            judgement = judge_request(state, raw, origin, received_at, self.topics, self.window)
        except Exception as exc:  # noqa: BLE001 - this is the error policy
            judgement = Judgement(None, state,
                                  (self._unexpected(exc, "guard", origin, received_at),))
        self.counters.judged += 1
        self._count_dead_letters(judgement.outgoing, origin, "rejected lifecycle request")
        return judgement

    def _unexpected(
        self, exc: Exception, where: str, origin: Origin, received_at: datetime | None
    ) -> Outgoing:
        self.counters.unexpected_errors += 1
        log.error("unexpected %s in the %s at %s[%d]@%d; sent to dead letters",
                  type(exc).__name__, where, origin.topic, origin.partition, origin.offset)
        rejected = InvalidEvent(RejectionReason.PROCESSING_ERROR,
                                f"unexpected {type(exc).__name__} in the {where}")
        at = received_at if received_at is not None else EPOCH
        return Outgoing(self.topics.dead_letters, dead_letter(rejected, origin, at))

    def _count_dead_letters(self, outs: Iterable[Outgoing], origin: Origin, what: str) -> None:
        for out in outs:
            if isinstance(out.event, DeadLetterRecorded):
                self.counters.dead_letters += 1
                self.counters.dead_letters_by_reason[out.event.reason.value] += 1
                # The coordinates as fields too: a JSON log line carries them as its own keys.
                log.info("%s from %s[%d]@%d: %s", what, origin.topic, origin.partition,
                         origin.offset, out.event.reason.value,
                         extra={"topic": origin.topic, "partition": origin.partition,
                                "offset": origin.offset, "reason": out.event.reason.value})
