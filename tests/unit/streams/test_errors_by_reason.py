"""The error policy counts dead letters by reason and lifecycle requests judged, for the
worker's /metrics (streams/errors.py; kokemusvirta/operations/metrics.py reads them)."""

from __future__ import annotations

from datetime import UTC, datetime

from schemas.dead_letter import Origin
from schemas.topics import TopicNames
from streams.errors import ErrorPolicy
from streams.processing import Processor

TOPICS = TopicNames("t.")
AT = datetime(2026, 10, 1, 8, 0, tzinfo=UTC)


def test_dead_letters_are_counted_by_reason_and_requests_as_judged() -> None:
    policy = ErrorPolicy(TOPICS)
    processor = Processor(TOPICS, privacy=None)
    policy.process(processor, b"not json", Origin(topic="t.intake", partition=0, offset=1), AT)
    policy.process(processor, b"   ", Origin(topic="t.intake", partition=0, offset=2), AT)
    policy.process(processor, b"[]", Origin(topic="t.intake", partition=0, offset=3), AT)
    policy.judge(None, b"{}", Origin(topic="t.requests.unit.lappi.rovaniemen-terveysasema",
                                     partition=0, offset=1), AT)
    c = policy.counters
    assert c.processed == 3 and c.judged == 1
    assert c.dead_letters == 4 == sum(c.dead_letters_by_reason.values())
    assert c.dead_letters_by_reason["not_json"] == 1
    assert c.dead_letters_by_reason["empty_record"] == 1
    assert c.dead_letters_by_reason["not_an_object"] == 1
