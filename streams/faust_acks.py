"""Faust's commits kept to what the agents processed, around a rebalance.

Faust commits, per partition, the offsets its streams acknowledge (at least once: an offset may
be committed once every message before it was acknowledged). Around a rebalance two things let
a commit pass a message no agent saw (found by the fault suite's "lost=2 differing=4"):

- A stream drops a message fetched in an older generation of the group, or taken while the
  flow is suspended, and acks it all the same "so that the lag does not grow"
  (faust/streams.py), trusting that the partition is fetched again from its committed offset.
- `Consumer._new_offset` commits past the committed offset when exactly one offset is missing
  at the head of the acknowledged ones (`min(acked) - committed > 1` lets one through).

Seen in a chaos run (`requests.unit.lappi.rovaniemen-terveysasema[0]`): a wave of requests
arrived during a rebalance (each new request topic makes the group rebalance), offsets 9..14
were forwarded, 8, the one at the committed offset, never was, and the group's commit went from
8 to 15 in one step, 0.1 s after the rebalance resumed the flow. That request (an item's
decision) was never judged: no lifecycle event, no dead letter, and the item's next step was
judged on a state without it, differing from the reference.

`install()` changes three of Faust's Consumer methods:
- `ack`: the ack of a message a stream dropped releases it (a rebalance waiting for the streams
  goes on) but does not count as processed;
- `_new_offset`: a commit never starts past the committed offset (0 for a partition the group
  never committed: a new request topic's first requests arrive in the rebalance that adds the
  topic, so the head of a new partition is the likeliest hole; `perform_seek` notes those).
  Such a hole is fetched again (the partition seeks back to it, every REFETCH_EVERY_S while it
  lasts; what follows is processed twice, harmless here: deterministic event ids, the guard
  skips a request it has applied), and the commit waits for it as long as the offset is in the
  log. Before each fetch the partition's log start is asked: an offset below it (deleted by the
  intake's retention) never comes, and only then Faust's rule applies, as before. (Until
  2026-12-06 the commit waited 30 s and then passed the hole whatever the log held: the fault
  suite's round at load 12 lost two leadership acknowledgements that way, "lost=4".)
"""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Any

from faust.transport.consumer import Consumer
from faust.types.tuples import ack_lock
from mode.utils.futures import notify

log = logging.getLogger("kokemusvirta.worker")

_INSTALLED = "_kokemusvirta_processed_only"
REFETCH_EVERY_S = 5.0  # a hole fetched again at most this often while it lasts
_PENDING: set[asyncio.Future[None]] = set()


def dropped_by_stream(app: Any, message: Any) -> bool:
    """Whether a Faust stream drops `message` rather than hand it to its agent: fetched in an
    older generation of the group, or taken while the app's flow is suspended (a rebalance)."""
    stale = (message.generation_id is not None
             and message.generation_id != app.consumer_generation_id)
    return stale or not app.flow_control.is_active()


def head_missing(acked: list[int], committed: int | None) -> bool:
    """Whether the acknowledged offsets start past the committed one (None: not known)."""
    return bool(acked) and committed is not None and min(acked) > committed


def install() -> None:
    """Change Faust's Consumer as the module says (idempotent)."""
    if getattr(Consumer.ack, _INSTALLED, False):
        return
    faust_ack = Consumer.ack
    faust_new_offset = Consumer._new_offset
    faust_perform_seek = Consumer.perform_seek

    def ack(self: Consumer, message: Any) -> bool:
        if not dropped_by_stream(self.app, message):
            return faust_ack(self, message)
        with ack_lock:  # as Faust's own ack: the acked test-and-set is one step
            if not message.acked:
                message.acked = True
                self._unacked_messages.discard(message)
                notify(self._waiting_for_ack)
        return False

    def _new_offset(self: Consumer, tp: Any) -> int | None:
        committed = self._committed_offset[tp]
        uncommitted: set[Any] = self.__dict__.setdefault("_kokemusvirta_uncommitted", set())
        start = 0 if committed is None and tp in uncommitted else committed
        if start is not None and head_missing(self._acked[tp], start):
            fetched_again: dict[tuple[Any, int, int], tuple[float, float]] = \
                self.__dict__.setdefault("_kokemusvirta_fetched_again", {})
            gone: set[tuple[Any, int]] = self.__dict__.setdefault("_kokemusvirta_gone", set())
            if (tp, start) not in gone:
                key = (tp, start, self.app.consumer_generation_id)
                now = time.monotonic()
                first, last = fetched_again.get(key, (now, float("-inf")))
                # Again if still missing a while later: a fetch the stream was still draining
                # when the partition sought back may have passed over it once more.
                if now - last >= REFETCH_EVERY_S:
                    fetched_again[key] = (first, now)
                    log.warning("%s[%d]: offset %d was not processed, but later ones were; "
                                "fetching again from it (missing for %.0f s)", tp.topic,
                                tp.partition, start, now - first)
                    task = asyncio.ensure_future(_fetch_again(self, tp, start, gone))
                    _PENDING.add(task)  # held until done (the loop keeps a weak reference)
                    task.add_done_callback(_PENDING.discard)
                return None  # the offset fetched again is on its way
        offset: int | None = faust_new_offset(self, tp)
        if offset is not None:
            uncommitted.discard(tp)  # committed now: Faust knows where it starts
        return offset

    async def perform_seek(self: Consumer) -> None:
        """Faust's seek to the committed offsets after a rebalance; the partitions the group
        never committed start at 0 (every topic the worker reads keeps its records, but the
        intake: there a hole below the log's start is passed once its start is known)."""
        await faust_perform_seek(self)
        uncommitted: set[Any] = self.__dict__.setdefault("_kokemusvirta_uncommitted", set())
        uncommitted.clear()
        uncommitted.update(tp for tp in self.assignment() if self._committed_offset[tp] is None)

    setattr(ack, _INSTALLED, True)
    Consumer.ack = ack  # type: ignore[method-assign]
    Consumer._new_offset = _new_offset  # type: ignore[method-assign]
    Consumer.perform_seek = perform_seek  # type: ignore[method-assign]


def no_longer_in_log(offset: int, log_start: int | None) -> bool:
    """Whether a hole at `offset` never comes: the partition's log now starts after it."""
    return log_start is not None and offset < log_start


async def _fetch_again(consumer: Consumer, tp: Any, offset: int,
                       gone: set[tuple[Any, int]]) -> None:
    try:
        log_start = (await consumer.earliest_offsets(tp)).get(tp)
        if no_longer_in_log(offset, log_start):
            gone.add((tp, offset))  # the next commit applies Faust's rule
            log.warning("%s[%d]: offset %d is no longer in the log (it starts at %s); "
                        "committing past it", tp.topic, tp.partition, offset, log_start)
            return
        await consumer.seek(tp, offset)
    except Exception as exc:  # noqa: BLE001 - revoked meanwhile: its next owner reads it
        log.warning("%s[%d]: could not fetch again from %d (%s)", tp.topic, tp.partition,
                    offset, type(exc).__name__)
