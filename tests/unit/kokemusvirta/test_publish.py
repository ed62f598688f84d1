"""`publish` never stops at a bad line: each is reported by its number and reason, and with
--include-invalid every line is sent (the worker makes each bad one a dead letter)."""

import json
from collections.abc import Callable
from typing import Any

from kafka.errors import KafkaTimeoutError, MessageSizeTooLargeError

from kokemusvirta.publish import NOT_PUBLISHED, publish_lines
from tests.factories import as_bytes, feedback


class FakeFuture:
    def __init__(self, error: Exception | None) -> None:
        self.error = error

    def add_errback(self, errback: Callable[[Exception], Any]) -> None:
        if self.error is not None:
            errback(self.error)


class FakeProducer:
    """Records what was sent; refuses values containing a marker, as a client or a broker."""

    def __init__(self) -> None:
        self.sent: list[tuple[bytes | None, bytes]] = []

    def send(self, topic: str, key: bytes | None, value: bytes) -> FakeFuture:
        if b"TOO-BIG-FOR-CLIENT" in value:
            raise MessageSizeTooLargeError("too large")
        self.sent.append((key, value))
        return FakeFuture(KafkaTimeoutError("refused") if b"BROKER-SAYS-NO" in value else None)

    def flush(self) -> None:
        pass


DEEP = as_bytes(feedback())[:-1] + b', "liite": ' + b"[" * 10_000 + b"]" * 10_000 + b"}"
LINES = [
    as_bytes(feedback()),  # 1
    DEEP,  # 2: ~20 KB, 10,000 levels
    b"",  # 3: blank, skipped
    as_bytes(feedback())[:-1] + b', "rating": 5}',  # 4: duplicate key
    as_bytes(feedback(text="x" * 2_000_000)),  # 5
    b"[" * 10_000,  # 6: deep and not even closed
    as_bytes(feedback(text="Kiitos!")),  # 7
]


def publish(lines: list[bytes], include_invalid: bool) -> tuple[FakeProducer, Any]:
    producer = FakeProducer()
    report = publish_lines(producer, "kv.intake", [line + b"\n" for line in lines],
                           include_invalid=include_invalid)
    return producer, report


def test_include_invalid_publishes_every_line_and_reports_the_bad_ones() -> None:
    producer, report = publish(LINES, include_invalid=True)
    assert [value for _, value in producer.sent] == [line for line in LINES if line]
    assert report.published == 6
    assert [(b.line_number, b.reason) for b in report.bad_lines] == [
        (2, "too_deep"), (4, "schema_violation"), (5, "too_large"), (6, "too_deep")]
    assert "rating" in report.bad_lines[1].detail
    assert producer.sent[1][0] is None  # an invalid line has no key: its event id is unknown


def test_without_include_invalid_only_valid_lines_are_sent() -> None:
    producer, report = publish(LINES, include_invalid=False)
    assert len(producer.sent) == 2 == report.published
    assert {json.loads(v)["text"] for _, v in producer.sent} == {
        feedback()["text"], "Kiitos!"}
    assert [b.line_number for b in report.bad_lines] == [2, 4, 5, 6]


def test_a_line_the_client_or_the_broker_refuses_is_reported_and_the_rest_still_go() -> None:
    lines = [as_bytes(feedback(text="TOO-BIG-FOR-CLIENT")), as_bytes(feedback(text="ok")),
             as_bytes(feedback(text="BROKER-SAYS-NO")), as_bytes(feedback(text="ok too"))]
    producer, report = publish(lines, include_invalid=False)
    assert report.published == 2
    assert [(b.line_number, b.reason) for b in report.bad_lines] == [
        (1, NOT_PUBLISHED), (3, NOT_PUBLISHED)]
    assert "client" in report.bad_lines[0].detail and "broker" in report.bad_lines[1].detail
    assert len(producer.sent) == 3  # the broker's refusal came after sending


def test_the_summary_tells_invalid_lines_from_lines_kafka_refused() -> None:
    from kokemusvirta.publish import BadLine, PublishReport, publish_summary

    report = PublishReport(published=3, bad_lines=[
        BadLine(2, "not_json", "…"), BadLine(5, NOT_PUBLISHED, "broker: too large")])
    with_invalid = publish_summary(report, "kv.intake", include_invalid=True)
    assert with_invalid == ("published 3 events to kv.intake; 1 invalid line(s) (published too, "
                            "they become dead letters); 1 line(s) refused by Kafka (not published)")
    assert "1 invalid line(s) (not published)" in publish_summary(
        report, "kv.intake", include_invalid=False)
    clean = publish_summary(PublishReport(published=3), "kv.intake", include_invalid=False)
    assert clean == "published 3 events to kv.intake; 0 invalid line(s)"
