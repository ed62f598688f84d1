"""The worker's checkpoint book (streams/checkpoints.py): what it signs, and how a redelivery
after a crash, before or after a checkpoint, still counts each event once."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from schemas.dead_letter import Origin
from schemas.seals import Seal, check_event_seal, digest_hex, event_digest
from schemas.topics import TopicNames
from streams.checkpoints import CheckpointBook, sign_outputs
from streams.processing import Processor
from tests import factories
from tests.signers import MemorySigner

T = TopicNames("kv.")
AT = datetime(2026, 10, 5, 9, 0, tzinfo=UTC)


def ids(n: int) -> list[str]:
    return [str(uuid.UUID(int=i + 1)) for i in range(n)]


def test_only_lifecycle_events_and_dead_letters_are_signed() -> None:
    signer = MemorySigner()
    keys = {signer.key_id: signer.public()}
    raw = factories.as_bytes(factories.feedback())
    outs = sign_outputs(Processor(T).process(raw, Origin(topic=T.intake, partition=0, offset=1),
                                             AT), signer, T)
    assert {o.topic for o in outs if getattr(o.event, "seal_signature", None)} == {T.lifecycle}
    assert all(check_event_seal(o.event.model_dump(mode="json"), keys) is Seal.VALID
               for o in outs if o.topic == T.lifecycle)
    assert len([o for o in outs if o.topic == T.lifecycle]) == 3
    dead = sign_outputs(Processor(T).process(b"{", Origin(topic=T.intake, partition=0,
                                                          offset=2), AT), signer, T)
    assert [o.topic for o in dead] == [T.dead_letters]
    assert check_event_seal(dead[0].event.model_dump(mode="json"), keys) is Seal.VALID
    assert sign_outputs(outs, None, T) == outs


def test_a_redelivered_event_counts_once() -> None:
    book = CheckpointBook(MemorySigner(), T)
    for offset, event_id in enumerate(ids(3)):
        book.delivered(T.lifecycle, 0, offset, event_id, "a" * 64)
    book.delivered(T.lifecycle, 0, 3, ids(3)[1], "a" * 64)  # the same event again
    [cp] = book.due(AT)
    assert (cp.last_offset, cp.event_count) == (3, 3)
    assert cp.digest == digest_hex(sum(event_digest(i, "a" * 64) for i in ids(3)))
    book.published(cp)
    assert book.due(AT) == []  # nothing changed since
    book.delivered(T.dead_letters, 1, 0, ids(4)[3], "b" * 64)
    assert [(c.topic, c.partition) for c in book.due(AT)] == [(T.dead_letters, 1)]


def test_restored_from_a_checkpoint_the_ids_before_it_are_not_counted_again() -> None:
    signer = MemorySigner()
    before = CheckpointBook(signer, T)
    for offset, event_id in enumerate(ids(3)):
        before.delivered(T.lifecycle, 0, offset, event_id, "a" * 64)
    [published] = before.due(AT)
    # The worker crashes; the new one restores the checkpoint and reads the ids up to it back
    # from the partition, then sees the same events redelivered at new offsets, and a new one.
    after = CheckpointBook(signer, T)
    after.restore(published)
    for event_id in ids(3):
        after.known(T.lifecycle, 0, event_id)
    assert after.due(AT) == []
    for offset, event_id in enumerate(ids(4)):
        after.delivered(T.lifecycle, 0, 3 + offset, event_id, "a" * 64)
    [cp] = after.due(AT)
    assert (cp.last_offset, cp.event_count) == (6, 4)
    assert cp.digest == digest_hex(sum(event_digest(i, "a" * 64) for i in ids(4)))
    assert cp.seal({signer.key_id: signer.public()}) is Seal.VALID


def test_a_checkpoint_says_where_signing_began() -> None:
    book = CheckpointBook(MemorySigner(), T)
    book.begin(T.lifecycle, 0, 40)  # an upgraded deployment: 40 unsigned records before
    book.begin(T.lifecycle, 1, 0)
    book.delivered(T.lifecycle, 0, 41, ids(1)[0], "a" * 64)
    book.delivered(T.lifecycle, 1, 0, ids(2)[1], "a" * 64)
    assert [(c.partition, c.signed_from) for c in book.due(AT)] == [(0, 40), (1, 0)]


def test_due_for_some_partitions_leaves_the_others_due() -> None:
    """A worker giving partitions up in a rebalance publishes theirs, the rest at the tick."""
    book = CheckpointBook(MemorySigner(), T)
    for p, event_id in enumerate(ids(3)):
        book.delivered(T.lifecycle, p, 0, event_id, "a" * 64)
    book.delivered(T.dead_letters, 1, 0, ids(4)[3], "b" * 64)
    given_up = book.due(AT, [1, 2])
    assert [(c.topic, c.partition) for c in given_up] == \
        [(T.dead_letters, 1), (T.lifecycle, 1), (T.lifecycle, 2)]
    for cp in given_up:
        book.published(cp)
    assert book.due(AT, [1, 2]) == []
    assert [(c.topic, c.partition) for c in book.due(AT)] == [(T.lifecycle, 0)]
    assert book.due(AT, []) == []
