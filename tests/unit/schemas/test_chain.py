"""The worker's fast canonical JSON (schemas/chain.py `model_hash`, orjson) hashes exactly as the
verifier's `chain_hash` (json.dumps) does: a chain sealed by one verifies with the other, and
hashes stored before the change still verify."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import BaseModel

from scenario import generate
from schemas.chain import canonical, chain_hash, model_hash, seal
from schemas.dead_letter import DeadLetterRecorded, Origin
from schemas.envelope import KOKEMUSVIRTA_NS, derived_uuid
from schemas.lifecycle import ActorRole, ItemAcknowledged, LifecycleEvent
from schemas.topics import TopicNames
from streams.processing import Processor

AT = datetime(2026, 10, 5, 9, 0, tzinfo=UTC)


def test_a_hash_made_before_the_fast_path_is_the_same_after() -> None:
    """Pinned: the hash of this event as the worker computed it with json.dumps (before
    orjson)."""
    event = seal(ItemAcknowledged(
        event_id=uuid.UUID(int=7), occurred_at=AT, recorded_at=AT, county="lappi",
        unit="rovaniemen-terveysasema", item_id="fb-0123456789abcdef",
        actor_role=ActorRole.UNIT_MANAGER), "a" * 64)
    assert event.chain_hash == chain_hash(event.model_dump(mode="json"))
    assert event.chain_hash == "42cffe8e3edc1dcc6566aabf9e6aefe11c75e6d1fa42f47239b0fc572372174e"


def test_every_event_the_worker_seals_verifies_with_the_exact_hash() -> None:
    topics = TopicNames("kv.")
    processor = Processor(topics)
    sealed = 0
    for offset, record in enumerate(generate(11, events=400)):
        for out in processor.process(record.value, Origin(topic=topics.intake, partition=0,
                                                          offset=offset), AT):
            event = out.event
            if isinstance(event, LifecycleEvent):
                assert event.chain_hash == chain_hash(event.model_dump(mode="json"))
                sealed += 1
            elif isinstance(event, DeadLetterRecorded):
                assert model_hash(event) == chain_hash(event.model_dump(mode="json"))
    assert sealed > 1_000


def _all_subclasses(cls: type) -> list[type]:
    found = []
    for sub in cls.__subclasses__():
        found += [sub, *_all_subclasses(sub)]
    return found


def _numbers(schema: Any) -> list[str]:
    if isinstance(schema, dict):
        own = ["number"] if schema.get("type") == "number" else []
        return own + [n for v in schema.values() for n in _numbers(v)]
    if isinstance(schema, list):
        return [n for v in schema for n in _numbers(v)]
    return []


def test_no_event_the_worker_hashes_holds_a_float() -> None:
    """orjson writes floats its own way (1e-7, not 1e-07): the fast path is only for models
    without them. A float field in a sealed event must take `canonical` instead."""
    models: list[type[BaseModel]] = [DeadLetterRecorded, *_all_subclasses(LifecycleEvent)]
    assert len(models) > 8
    for model in models:
        assert _numbers(model.model_json_schema()) == [], model.__name__


_TEXT = st.text(st.characters(codec="utf-8"), max_size=40) | st.sampled_from([
    "\x00\x08\x0c\x1f\x7f", "\u2028\u2029", "ääkköset Åsa ŋ đ", "😀 \U0001f9d1‍⚕️", '"\\/</script>',
])
_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**63), 2**64 - 1) | _TEXT,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(_TEXT, inner, max_size=4),
    max_leaves=20)


class _Any(BaseModel):
    body: dict[str, Any]


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(_TEXT, _VALUES, max_size=6))
def test_the_fast_canonical_json_is_byte_for_byte_the_exact_one(body: dict[str, Any]) -> None:
    exact = canonical({"body": body})
    assert json.loads(exact) == {"body": body}
    assert model_hash(_Any(body=body)) == chain_hash({"body": body})


@settings(max_examples=300, deadline=None)
@given(st.lists(_TEXT | st.integers() | st.uuids(), min_size=1, max_size=4))
def test_derived_ids_are_uuid5_of_the_parts(parts: list[object]) -> None:
    """Event and item ids are derived (schemas/envelope.py): a faster derivation must give the
    very ids stored before it, or redeliveries would stop deduplicating."""
    assert derived_uuid(*parts) == uuid.uuid5(KOKEMUSVIRTA_NS, "|".join(str(p) for p in parts))
