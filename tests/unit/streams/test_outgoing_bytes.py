"""The worker writes a sealed event's bytes from the JSON object sealing made (orjson), not by a
second serialisation: the bytes must be exactly pydantic's `model_dump_json`, so a redelivered
record emits the same bytes as before the change and the sink reads what it always read."""

from __future__ import annotations

from datetime import UTC, datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from scenario import generate
from schemas.chain import chain_hash, sealed_json
from schemas.dead_letter import Origin
from schemas.lifecycle import ActorRole, ItemReceived, LifecycleEvent
from schemas.topics import TopicNames
from streams.checkpoints import sign_outputs
from streams.processing import Outgoing, Processor
from tests.signers import MemorySigner

AT = datetime(2026, 10, 1, 12, 0, tzinfo=UTC)
TOPICS = TopicNames("kv.")


def _outputs(events: int) -> list[Outgoing]:
    processor = Processor(TOPICS)
    return [out for offset, r in enumerate(generate(5, events=events))
            for out in processor.process(r.value, Origin(topic=TOPICS.intake, partition=0,
                                                         offset=offset), AT)]


def test_every_output_is_the_bytes_of_its_event_signed_or_not() -> None:
    outs = _outputs(300)
    with_body = [o for o in outs if o.body is not None]
    assert len(with_body) >= 900  # the three lifecycle events of each item
    signed = sign_outputs(outs, MemorySigner(), TOPICS)
    assert sum(o.body is not None for o in signed) == len(with_body)
    for out in [*outs, *signed]:
        assert out.value == out.event.model_dump_json().encode()
    for out in signed:
        if isinstance(out.event, LifecycleEvent):
            assert out.event.seal_signature is not None
            assert chain_hash(out.event.model_dump(mode="json")) == out.event.chain_hash


_RECEIVED = next(o.event for o in _outputs(3) if isinstance(o.event, ItemReceived))


@settings(max_examples=300, deadline=None)
@given(st.text(st.characters(codec="utf-8"), max_size=200)
       | st.sampled_from(["\x00\x08\x0c\x1f\x7f", "\u2028\u2029", "😀 \U0001f9d1‍⚕️", '"\\/<']))
def test_any_text_is_written_as_pydantic_writes_it(text: str) -> None:
    assert isinstance(_RECEIVED, ItemReceived)
    event = ItemReceived.model_construct(**{**dict(_RECEIVED), "item": _RECEIVED.item.model_copy(
        update={"text": text}), "actor_role": ActorRole.SYSTEM})
    sealed, body = sealed_json(event, "b" * 64)
    assert Outgoing(TOPICS.lifecycle, sealed, body).value == sealed.model_dump_json().encode()
