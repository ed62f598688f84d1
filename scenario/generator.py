"""The generator: plans the period, makes each day's events and yields them in recorded_at order."""

from __future__ import annotations

import heapq
import random
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta

from scenario.feedback import FeedbackWriter
from scenario.malformed import malformed_record
from scenario.participation import (
    ParticipationWriter,
    decisions_under_preparation,
)
from scenario.plan import Special, make_plan, sizes
from scenario.records import ScenarioRecord, dumps
from scenario.times import stamp


class _Scenario:
    def __init__(self, seed: int, events: int | None, start: date, weeks: int) -> None:
        if weeks < 1:
            raise ValueError("weeks must be >= 1")
        self.rng = random.Random(seed)
        self.start, self.days = start, weeks * 7
        decisions = decisions_under_preparation(self.rng, start)
        self.feedback = FeedbackWriter(self.rng)
        self.participation = ParticipationWriter(self.rng, decisions)
        self.plan = make_plan(self.rng, start, self.days, decisions, *sizes(events))

    def records(self) -> Iterator[ScenarioRecord]:
        heap: list[tuple[datetime, int, ScenarioRecord]] = []
        seq = ordinal = 0
        for d in range(self.days):
            day = self.start + timedelta(days=d)
            for _ in range(self.plan.feedback_per_day[d]):
                recorded, record = self.feedback.record(day, v1=ordinal in self.plan.v1_ordinals)
                heapq.heappush(heap, (recorded, seq, record))
                seq, ordinal = seq + 1, ordinal + 1
            for special in self.plan.specials.get(d, ()):
                recorded, record = self._special(day, special)
                heapq.heappush(heap, (recorded, seq, record))
                seq += 1
            # Whatever is made later happens on a later day: what was recorded before is final.
            midnight = datetime.combine(day + timedelta(days=1), time())
            horizon = stamp(midnight, as_utc=True).utc
            while heap and heap[0][0] < horizon:
                yield heapq.heappop(heap)[2]
        while heap:
            yield heapq.heappop(heap)[2]

    def _special(self, day: date, special: Special) -> tuple[datetime, ScenarioRecord]:
        if special.kind == "malformed":
            return malformed_record(self.rng, self.feedback, self.participation, day, *special.args)
        payload, recorded = (
            self.participation.statement(day, *special.args)
            if special.kind == "statement"
            else self.participation.workshop(day, special.kind, *special.args)
        )
        return recorded, ScenarioRecord(
            dumps(payload), payload["event_id"].encode(), None, payload["event_type"]
        )


def generate(
    seed: int = 2026, *, events: int | None = None, start: date = date(2026, 9, 1), weeks: int = 8
) -> Iterator[ScenarioRecord]:
    """Yield the scenario's intake records in the order of their recorded_at.

    events=None: the demo scenario, 3,000 records with 10 malformed ones and one version-1 feedback.
    events=N: exactly N records with the same mix, about 0.1 % malformed and 1 + N // 25,000
    version-1 feedback; below 200 records everything is feedback.
    """
    return _Scenario(seed, events, start, weeks).records()
