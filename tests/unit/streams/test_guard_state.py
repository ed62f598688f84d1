"""The guard's partitioned state book (streams/guard_state.py): a worker holds the states of the
lifecycle partitions it is assigned, reads them back from offset 0, judges on them after
catching up, applies its own accepted steps at once and skips them when read back, and drops a
partition when it is revoked. Each test fails if its rule is removed."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime, timedelta

from schemas.access import Requester
from schemas.dead_letter import Origin
from schemas.lifecycle import ActorRole, ItemAcknowledged, ItemDecided, LifecycleEvent
from schemas.seals import Checkpoint
from schemas.topics import TopicNames
from streams.checkpoints import CheckpointBook, covered_hash, sign_outputs
from streams.guard import judge_request
from streams.guard_state import StateBook
from streams.lifecycle import Stage
from streams.processing import Outgoing, Processor
from tests import factories

T0 = datetime(2026, 10, 1, 8, 0, tzinfo=UTC)
TOPICS = TopicNames("t.")
UNIT = Requester.parse("unit", "lappi.rovaniemen-terveysasema")


class Key:
    key_id = "0" * 16

    def sign(self, message: bytes) -> bytes:
        return b"\x01" * 64


def system_steps(n: int = 0) -> list[LifecycleEvent]:
    """One feedback's three system steps (received, classified, routed), as the intake emits."""
    raw = factories.as_bytes(factories.feedback(occurred_at=T0.isoformat(),
                                                recorded_at=T0.isoformat(),
                                                text=f"Odotin kolme tuntia ({n})."))
    outs = Processor(TOPICS).process(raw, Origin(topic="t.intake", partition=0, offset=n), T0)
    return [o.event for o in outs if isinstance(o.event, LifecycleEvent)]


def request(item: LifecycleEvent, step: type, hours: float = 1, **fields: object) -> bytes:
    at = T0 + timedelta(hours=hours)
    return step(event_id=uuid.uuid4(), occurred_at=at, recorded_at=at, county=item.county,
                unit=item.unit, item_id=item.item_id, actor_role=ActorRole.UNIT_MANAGER,
                **fields).to_json_bytes()


def judge(book: StateBook, partition: int, raw: bytes, offset: int = 0):  # type: ignore[no-untyped-def]
    item_id = json.loads(raw)["item_id"]
    origin = Origin(topic=TOPICS.requests(UNIT), partition=0, offset=offset)
    judgement = judge_request(book.state(partition, item_id), raw, origin, T0 + timedelta(hours=1),
                              TOPICS)
    book.accept(partition, judgement)
    return judgement


def test_a_request_is_judged_on_the_state_read_back_up_to_the_partition_end() -> None:
    book = StateBook(TOPICS.lifecycle)
    assert book.assign([1]) == [1] and book.position(1) == 0
    steps = system_steps()
    log = [e.to_json_bytes() for e in steps]
    item = steps[0]
    # Not caught up: the item is unknown here, so an acknowledgement is illegal.
    early = judge(book, 1, request(item, ItemAcknowledged))
    assert early.outgoing[0].topic == TOPICS.dead_letters
    # Caught up to where the partition ends: the item is routed, the acknowledgement legal.
    for offset, raw in enumerate(log):
        book.fold(1, offset, raw)
    assert book.caught_up(1, len(log)) and not book.caught_up(1, len(log) + 1)
    assert book.state(1, str(item.item_id)).stage is Stage.ROUTED  # type: ignore[union-attr]
    accepted = judge(book, 1, request(item, ItemAcknowledged))
    assert accepted.outgoing[0].topic == TOPICS.lifecycle


def test_an_accepted_step_counts_at_once_and_once_when_read_back() -> None:
    book = StateBook(TOPICS.lifecycle)
    book.assign([0])
    steps = system_steps()
    for offset, event in enumerate(steps):
        book.fold(0, offset, event.to_json_bytes())
    item = steps[0]
    ack = judge(book, 0, request(item, ItemAcknowledged))
    (written,) = ack.outgoing
    # The very next request is judged on the acknowledgement, before it is read back.
    decided = judge(book, 0, request(item, ItemDecided, 2, outcome="adopted",
                                     rationale="Ajanvaraus uudistetaan."))
    assert decided.outgoing[0].topic == TOPICS.lifecycle
    before = book.state(0, str(item.item_id))
    # Read back (the guard's own writes, at the partition's next offsets): skipped, not
    # applied twice (applying the acknowledgement after the decision would be illegal).
    book.fold(0, 3, written.value)
    book.fold(0, 4, decided.outgoing[0].value)
    assert book.state(0, str(item.item_id)) == before
    assert book.position(0) == 5
    # A record read again (a re-fetch after a seek) is ignored by its offset.
    assert book.fold(0, 2, steps[2].to_json_bytes()) is None


def test_a_redelivered_system_step_from_another_worker_changes_nothing() -> None:
    book = StateBook(TOPICS.lifecycle)
    book.assign([0])
    steps = system_steps()
    for offset, event in enumerate(steps + steps):  # the same three again, later offsets
        book.fold(0, offset, event.to_json_bytes())
    state = book.state(0, str(steps[0].item_id))
    assert state is not None and len(state.event_ids) == 3


def test_a_revoked_partition_is_dropped_and_a_reassigned_one_starts_again() -> None:
    book = StateBook(TOPICS.lifecycle)
    book.assign([0, 1])
    epoch = book.epoch
    steps = system_steps()
    for offset, event in enumerate(steps):
        book.fold(0, offset, event.to_json_bytes())
    assert book.items() == 1
    assert book.revoke([0, 7]) == [0]
    assert not book.owns(0) and book.owns(1) and book.epoch > epoch
    assert book.items() == 0
    # Records of a partition not held (fetched before the revocation) are not folded.
    assert book.fold(0, 3, steps[0].to_json_bytes()) is None and not book.owns(0)
    assert book.assign([0, 1]) == [0]
    assert book.position(0) == 0 and book.state(0, str(steps[0].item_id)) is None


def test_the_holder_of_a_partition_counts_every_signed_event_there_once() -> None:
    """Checkpoints with N workers: the holder counts what the partition holds, whoever wrote it
    (any key), each event id once; unsigned events are not counted; a revoked partition's tally
    is dropped, so only its new holder publishes it."""
    seals = CheckpointBook(Key(), TOPICS)
    steps = system_steps()
    signed = [o.event for o in sign_outputs([Outgoing(TOPICS.lifecycle, e) for e in steps],
                                            Key(), TOPICS)]
    for offset, event in enumerate(signed + signed[:1]):  # a redelivered copy
        seals.read_back(TOPICS.lifecycle, 2, offset, event)
    seals.read_back(TOPICS.lifecycle, 2, 4, system_steps(1)[0])  # unsigned: not the worker's
    (checkpoint,) = seals.due(T0)
    assert isinstance(checkpoint, Checkpoint)
    assert (checkpoint.partition, checkpoint.last_offset, checkpoint.event_count) == (2, 3, 3)
    assert checkpoint.signed_from == 0
    expected = CheckpointBook(Key(), TOPICS)
    for offset, event in enumerate(signed):
        expected.delivered(TOPICS.lifecycle, 2, offset, str(event.event_id),
                           covered_hash(event))  # type: ignore[arg-type]
    assert expected.due(T0)[0].digest == checkpoint.digest
    seals.drop(TOPICS.lifecycle, 2)
    assert seals.due(T0) == []


def test_the_intakes_own_steps_are_read_back_without_parsing_them_again(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """A parse costs ~25 µs, three a source event: the steps this worker's intake wrote to a
    partition it holds are taken as they were written; anything else is parsed."""
    from kafka.partitioner.default import murmur2 as kafka_python_murmur2

    import streams.guard_state as guard_state
    from streams.guard_agent import note_written

    steps = system_steps()
    key = steps[0].kafka_key()
    partition = (kafka_python_murmur2(key) & 0x7FFFFFFF) % 4  # where kafka-python puts it
    book = StateBook(TOPICS.lifecycle)
    book.assign([partition])
    note_written(book, [Outgoing(TOPICS.lifecycle, e) for e in steps], TOPICS, 4)
    assert len(book.partitions[partition].ahead) == 3  # the partition Kafka puts them in
    parsed: list[bytes] = []
    real_parse = guard_state.parse
    monkeypatch.setattr(guard_state, "parse", lambda raw: parsed.append(raw) or real_parse(raw))
    for offset, event in enumerate(steps):
        book.fold(partition, offset, event.to_json_bytes())
    assert parsed == [] and book.partitions[partition].ahead == {}
    assert book.state(partition, str(steps[0].item_id)).stage is Stage.ROUTED  # type: ignore[union-attr]
    other = system_steps(1)
    book.fold(partition, 3, other[0].to_json_bytes())  # not noted (another worker's): parsed
    assert len(parsed) == 1


def test_an_older_copy_of_a_step_just_written_is_read_back_as_it_is(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """The same source event published again after a restart makes the same step ids stamped
    with another time: other bytes. The partition holds the older copy first, and the store
    keeps it; the guard and the checkpoint must take that copy, not the one just written
    (else `verify` finds every checkpoint's digest off and the chain forks)."""
    from kafka.partitioner.default import murmur2 as kafka_python_murmur2

    import streams.guard_state as guard_state
    from streams.guard_agent import note_written

    raw = factories.as_bytes(factories.feedback(occurred_at=T0.isoformat(),
                                                recorded_at=T0.isoformat(), text="Odotin."))
    origin = Origin(topic="t.intake", partition=0, offset=0)
    before = [o for o in Processor(TOPICS).process(raw, origin, T0)
              if isinstance(o.event, LifecycleEvent)]
    again = [o for o in Processor(TOPICS).process(raw, origin, T0 + timedelta(minutes=5))
             if isinstance(o.event, LifecycleEvent)]
    assert [o.event.event_id for o in before] == [o.event.event_id for o in again]
    assert all(a.value != b.value for a, b in zip(before, again, strict=True))
    partition = (kafka_python_murmur2(before[0].key) & 0x7FFFFFFF) % 4
    book = StateBook(TOPICS.lifecycle)
    book.assign([partition])
    note_written(book, again, TOPICS, 4)  # the restarted worker's intake wrote these
    parsed: list[bytes] = []
    real_parse = guard_state.parse
    monkeypatch.setattr(guard_state, "parse", lambda raw: parsed.append(raw) or real_parse(raw))
    read = [book.fold(partition, offset, o.value) for offset, o in enumerate(before + again)]
    assert parsed == [o.value for o in before]  # the older copies, each parsed as it is
    assert [e.chain_hash for e in read[:3]] == [o.event.chain_hash for o in before]  # type: ignore[attr-defined]
    assert book.partitions[partition].ahead == {}  # the copies just written, taken as written
    state = book.state(partition, str(before[0].event.item_id))
    assert state is not None and state.last_hash == before[-1].event.chain_hash
