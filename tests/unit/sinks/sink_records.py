"""Records as the sink consumes them, for the projection's differential test and its bench:
the worker's outputs for generated intake (as kokemusvirta/bench/logic.py and the golden
outputs test make them, signed, with checkpoints), human steps on some items, and poison."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from scenario import generate
from schemas.dead_letter import Origin
from schemas.topics import TopicNames
from sinks.projection import ConsumedRecord
from streams.checkpoints import CheckpointBook, sign_outputs
from streams.errors import ErrorPolicy
from streams.processing import Processor
from tests.chains import Log
from tests.factories import as_bytes, feedback, statement, workshop
from tests.signers import MemorySigner

TOPICS = TopicNames("kv.")
AT = datetime(2026, 10, 20, 12, 0, tzinfo=UTC)


def _signer() -> MemorySigner:
    return MemorySigner(Ed25519PrivateKey.from_private_bytes(b"sink-records-signing-key-32byte."))


class _Offsets:
    def __init__(self) -> None:
        self.next: dict[tuple[str, int], int] = {}

    def record(self, topic: str, value: bytes | None, partition: int = 0,
               ts: int | None = 1_790_000_000_000) -> ConsumedRecord:
        offset = self.next.get((topic, partition), 0)
        self.next[(topic, partition)] = offset + 1
        return ConsumedRecord(topic, partition, offset, ts, value)


def worker_records(events: int, seed: int = 7) -> list[ConsumedRecord]:
    """What the worker writes for `events` generated intake records, in order, and the
    checkpoints of what it signed; the intake records themselves too (the sink ignores
    nothing: a raw intake record is projected without its payload)."""
    signer = _signer()
    processor = Processor(TOPICS)
    errors = ErrorPolicy(TOPICS)
    book = CheckpointBook(signer, TOPICS)
    at = _Offsets()
    out: list[ConsumedRecord] = []
    for n, record in enumerate(generate(seed, events=events)):
        origin = Origin(topic=TOPICS.intake, partition=n % 3, offset=n)
        received = AT + timedelta(minutes=n)
        value = record.value
        if n % 50 == 0:
            out.append(at.record(TOPICS.intake, value, n % 3))
        if n % 40 == 7:  # bad intake, for the worker's dead letters
            value = _spoilt(value, n // 40)
        for o in sign_outputs(errors.process(processor, value, origin, received),
                              signer, TOPICS):
            ts = None if n % 11 == 5 else int(received.timestamp() * 1000)
            r = at.record(o.topic, o.value, n % 3, ts)
            out.append(r)
            if o.topic in (TOPICS.lifecycle, TOPICS.dead_letters):
                from streams.checkpoints import covered_hash
                book.delivered(o.topic, r.partition, r.offset, str(o.event.event_id),
                               covered_hash(o.event))  # type: ignore[arg-type]
        if n % 200 == 199:
            for cp in book.due(AT):
                out.append(at.record(TOPICS.checkpoints, cp.model_dump_json().encode()))
                book.published(cp)
    return out


def _spoilt(value: bytes, n: int) -> bytes:
    data = json.loads(value)
    kind = n % 4
    if kind == 0:
        return value[:-3]
    if kind == 1:
        data["schema_version"] = 9
    elif kind == 2:
        data["henkilotunnus"] = "131052-308T"
    else:
        data.pop("occurred_at", None)
    return json.dumps(data, ensure_ascii=False).encode()


def human_records(items: int) -> list[ConsumedRecord]:
    """Items taken the whole path by people (tests/chains.py), signed, with a key and
    checkpoints: every lifecycle step's details."""
    log = Log(signer=_signer())
    for i in range(items):
        maker = (feedback, workshop, statement)[i % 3]
        for item in log.intake(as_bytes(maker()) if i % 3 else as_bytes(
                feedback(text=f"Jonotus kesti {i} tuntia, ei soitettu takaisin."))):
            log.whole_path(item)
    log.checkpoint()
    return log.records


def _v1_feedback() -> bytes:
    data = feedback()
    data["schema_version"] = 1
    data["lang"] = data.pop("language", "fi")
    data.pop("respondent_role", None)
    data["relative"] = True
    return json.dumps(data).encode()


def poison_values() -> list[bytes | None]:
    """Values that are not events, or not quite: each must be the same rejection (or the same
    upcast event) in the old and the new projection."""
    good = as_bytes(feedback())
    text = good.decode()
    lifecycle = next(r.value for r in human_records(1)
                     if r.topic == TOPICS.lifecycle and r.value and b"item.decided" in r.value)
    assert lifecycle is not None
    return [
        None, b"", b"   ", b"\xff\xfe\xfa{}", b"\x00" * 10, b"[1, 2]", b"NaN", b"1e999",
        b"{", b"{}", b'{"event_type": 1}', b'{"event_type": "no.such"}',
        good[:-1] + b', "extra": ' + b"[" * 10_000 + b"]" * 10_000 + b"}",
        good[:-1] + b', "extra": ' + b"[" * 63 + b"]" * 63 + b"}",
        good[:-1] + b', "event_type": "feedback.submitted"}',  # a duplicate key
        good[:-1] + b', "text": "toinen"}',
        lifecycle[:-1] + b', "rationale": "kaksi"}',
        good.replace(b'"schema_version":2', b'"schema_version":9'),
        good.replace(b'"schema_version": 2', b'"schema_version": 9'),
        _v1_feedback(),
        "\ufeff".encode() + good,
        text.replace('"fi"', '"\\ud800"', 1).encode(),
        good.replace(b"}", b', "rating": NaN}', 1) if b"}" in good else good,
        b'{"event_type": "feedback.submitted", "x": 1.5e400}',
        good.replace(b"Hyv", b"\xc3\x28yv", 1),
        b"x" * 1_000_001,
        lifecycle,
        lifecycle.replace(b'"item.decided"', b'"item.closed"', 1),
        lifecycle[:-1] + b', "unknown_field": 1}',
    ]


def poison_records(topics: tuple[str, ...] = (TOPICS.sources, TOPICS.lifecycle, TOPICS.intake,
                                              TOPICS.dead_letters, TOPICS.keys,
                                              TOPICS.checkpoints, TOPICS.access_log)
                   ) -> list[ConsumedRecord]:
    at = _Offsets()
    return [at.record(topic, value) for topic in topics for value in poison_values()]
