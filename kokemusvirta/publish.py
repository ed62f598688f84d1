"""Publishing source events to the intake topic.

No line stops the rest: each is read with the contract's bounded parse (schemas/registry.py), so
a line nested 10,000 levels deep is a bad line like any other, and a line the broker refuses
(e.g. larger than it accepts) is reported by its number after the others are sent.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from kafka import KafkaProducer
from kafka.errors import MessageSizeTooLargeError

from schemas.dead_letter import RejectionReason
from schemas.registry import InvalidEvent, parse_source


@dataclass(frozen=True)
class BadLine:
    line_number: int
    reason: str
    detail: str


@dataclass
class PublishReport:
    published: int = 0  # sent and not refused (the refused ones are bad lines too)
    bad_lines: list[BadLine] = field(default_factory=list)


def validated_lines(
    lines: Iterable[bytes],
) -> Iterator[tuple[int, bytes, bytes | None, BadLine | None]]:
    """Each non-blank line with its number, its key (the event id) and a BadLine if invalid."""
    for number, line in enumerate(lines, start=1):
        line = line.strip()
        if not line:
            continue
        try:
            event = parse_source(line)
        except InvalidEvent as rejected:
            yield number, line, None, BadLine(number, rejected.reason.value, rejected.detail)
            continue
        except Exception as exc:  # noqa: BLE001 - a bug must not stop the lines after it
            yield number, line, None, BadLine(
                number, RejectionReason.PROCESSING_ERROR.value,
                f"unexpected {type(exc).__name__} while reading the line")
            continue
        yield number, line, str(event.event_id).encode(), None


def publish_lines(
    producer: KafkaProducer,
    topic: str,
    lines: Iterable[bytes],
    *,
    include_invalid: bool = False,
    on_progress: Callable[[int], None] | None = None,
    seal: Callable[[bytes], bytes] | None = None,
) -> PublishReport:
    """Publish valid lines; report invalid ones by line number without stopping the rest.

    With include_invalid the invalid lines are published too, so the worker records them as
    dead letters (that is how a source system's bad output becomes visible downstream).
    `seal` (Privacy.seal_intake_record) replaces a valid feedback's client id and contact with
    its pseudonym and sealed contact before producing: this gateway is what keeps them off
    the intake topic too. A line the client or the broker refuses (larger than it takes) is a
    bad line `not_published`; any other producer error (no broker) stops the publishing.
    """
    report = PublishReport()
    by_client: list[BadLine] = []
    by_broker: list[BadLine] = []  # appended from the producer's thread; list.append is atomic
    sent = 0
    for number, line, key, bad in validated_lines(lines):
        if bad is not None:
            report.bad_lines.append(bad)
            if not include_invalid:
                continue
        if seal is not None and bad is None:
            line = seal(line)
        try:
            future = producer.send(topic, key=key, value=line)
        except MessageSizeTooLargeError as exc:  # this line only; any other error stops all
            by_client.append(_not_published(number, "client", exc))
            continue
        future.add_errback(
            lambda exc, n=number: by_broker.append(_not_published(n, "broker", exc)))
        sent += 1
        if on_progress and sent % 1000 == 0:
            on_progress(sent)
    producer.flush()
    report.published = sent - len(by_broker)
    report.bad_lines = sorted([*report.bad_lines, *by_client, *by_broker],
                              key=lambda b: b.line_number)
    return report


# Not a RejectionReason: the line may be valid, but it never reached the intake topic, so no
# dead letter will record it; only this report does.
NOT_PUBLISHED = "not_published"


def _not_published(number: int, by: str, exc: BaseException) -> BadLine:
    return BadLine(number, NOT_PUBLISHED, f"refused by the {by} ({type(exc).__name__})")


def publish_summary(report: PublishReport, topic: str, *, include_invalid: bool) -> str:
    """One line: what reached the topic, what was invalid (and whether it was sent on to become
    a dead letter), and what the client or the broker refused (never sent)."""
    refused = sum(1 for b in report.bad_lines if b.reason == NOT_PUBLISHED)
    invalid = len(report.bad_lines) - refused
    line = f"published {report.published} events to {topic}; {invalid} invalid line(s)"
    if invalid:
        line += " (published too, they become dead letters)" if include_invalid \
            else " (not published)"
    if refused:
        line += f"; {refused} line(s) refused by Kafka (not published)"
    return line
