"""Publishing source events to the intake topic."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from kafka import KafkaProducer

from schemas.registry import InvalidEvent, parse_source


@dataclass(frozen=True)
class BadLine:
    line_number: int
    reason: str
    detail: str


@dataclass
class PublishReport:
    published: int = 0
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
    the intake topic too.
    """
    report = PublishReport()
    for _number, line, key, bad in validated_lines(lines):
        if bad is not None:
            report.bad_lines.append(bad)
            if not include_invalid:
                continue
        if seal is not None and bad is None:
            line = seal(line)
        producer.send(topic, key=key, value=line)
        report.published += 1
        if on_progress and report.published % 1000 == 0:
            on_progress(report.published)
    producer.flush()
    return report
