"""Times the worker stamps and times it accepts: pure, no clock.

Everything the worker emits for a record is a function of that record, so the times it stamps
come from the Kafka record (its timestamp, the moment of receipt) and the event in it, never from
the wall clock: a record redelivered after a crash, or replayed, gives the same bytes and the
same hash chain (schemas/chain.py).

A time outside the window below is a schema violation (`time_out_of_range`): a feedback dated in
year 9999 or 1900 is a mistake or a forgery, and one such date in the store breaks every page
that draws a month axis.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from schemas.dead_letter import FieldProblem, RejectionReason
from schemas.envelope import Envelope
from schemas.registry import InvalidEvent

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
LAST = datetime.max.replace(tzinfo=UTC)
_LAST_S = (LAST - EPOCH).total_seconds() - 1
DEFAULT_EARLIEST = datetime(2000, 1, 1, tzinfo=UTC)
TIME_OUT_OF_RANGE = "time_out_of_range"  # the problem a dead letter names for such a time


def record_time(timestamp_s: float | None) -> datetime | None:
    """A Kafka record's timestamp (Faust gives seconds as a float) as a time, to the millisecond
    Kafka keeps; None when the record has none (Kafka's -1)."""
    if timestamp_s is None or not 0 < timestamp_s < _LAST_S:  # also NaN, or past year 9999
        return None
    return EPOCH + timedelta(milliseconds=round(timestamp_s * 1000))


@dataclass(frozen=True)
class TimeWindow:
    """Accepted event times: from `earliest` to `max_future` after receipt, both ends included.
    The future allowance covers clocks that run ahead and events timed in another zone."""

    earliest: datetime = DEFAULT_EARLIEST
    max_future: timedelta = timedelta(hours=24)

    def latest(self, received_at: datetime) -> datetime:
        try:
            return received_at + self.max_future
        except OverflowError:  # a receipt near year 9999: the window ends where time does
            return LAST

    def check(self, event: Envelope, received_at: datetime | None) -> InvalidEvent | None:
        """None when the event's times are in the window; else the rejection to dead-letter.

        Without a receipt time (a record with no timestamp) the event's own recorded_at stands
        for it, so only the lower bound and occurred_at against recorded_at are checked then.
        """
        receipt = received_at if received_at is not None else event.recorded_at
        latest = self.latest(receipt)
        outside = [name for name in ("occurred_at", "recorded_at")
                   if not self.earliest <= getattr(event, name) <= latest]
        if not outside:
            return None
        # The bounds, never the event's own times: a dead letter carries no payload values.
        return InvalidEvent(
            RejectionReason.SCHEMA_VIOLATION,
            f"{TIME_OUT_OF_RANGE}: {' and '.join(outside)} outside "
            f"{self.earliest.isoformat()} … {latest.isoformat()} "
            f"({_hours(self.max_future)} h after receipt)",
            problems=tuple(FieldProblem(location=n, problem=TIME_OUT_OF_RANGE)
                           for n in outside),
            event_type=event.event_type, event_id=str(event.event_id), county=event.county,
        )


def _hours(d: timedelta) -> str:
    return f"{d.total_seconds() / 3600:g}"
