"""The cheaper items, routing and lifecycle fold (issue 13) give what the code before them gave.

The code before is kept in tests/unit/streams/items_before/ (commit 100b36b). Compared:

- every output of the processor, old and new, for the scenario's generated intake (several seeds,
  feedback, workshop outputs, statements, malformed records), the test factories' events with
  every kind of routing (decision references, county-wide statements, output targets, signals,
  control characters) and with and without the worker's configuration (privacy, time window,
  organisation registry): topic, key, value bytes, and each event's fields, fields set, extras,
  private attributes and its own `model_dump_json` (a forwarded copy is built without validation
  now, and its JSON put together from the sealed steps' JSON);
- the lifecycle state machine, old and new, over seeded random histories of every step by every
  role at random times, legal and not (the new state, or the refusal's words);
- `source_recorded_id` (now remembered for the last ids) on ids of several types, repeated.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from kokemusvirta.organisations import demo_organisations
from scenario import generate
from schemas.dead_letter import Origin
from schemas.knowledge import Classification, ItemForwarded
from schemas.lifecycle import (
    ActorRole,
    ItemAcknowledged,
    ItemClassified,
    ItemClosed,
    ItemDecided,
    ItemEscalated,
    ItemPresented,
    ItemReturned,
    LifecycleEvent,
    Outcome,
    ReturnedTo,
)
from schemas.sources import source_recorded_id
from schemas.taxonomy import Severity, Stance, Theme
from schemas.topics import TopicNames
from streams import lifecycle
from streams.privacy import Privacy
from streams.processing import Processor
from streams.timing import TimeWindow
from tests import factories
from tests.unit.streams import items_before as before
from tests.unit.streams.items_before import lifecycle as lifecycle_before
from tests.unit.streams.items_before import processing as processing_before
from tests.unit.streams.test_golden_outputs import FixedKeyStore

TOPICS = TopicNames("kv.")
AT = datetime(2026, 10, 20, 12, 0, tzinfo=UTC)
NS = uuid.UUID("1b8f3f0e-4a51-4c7a-9f63-5d1f0c2e7a90")


def _factory_records(rng: random.Random) -> Iterator[bytes]:
    """The factories' events, varied so that every route and every item field is taken."""
    texts = ["Jonotin puhelimessa tunnin, eikä kukaan vastannut.",
             "Hoitaja oli ystävällinen\x1b[31m ja \u202eosaava.", "Kiitos!\x00",
             "Lapsi jäi ilman apua, tilanne on vaarallinen.", "Soita 040 123 4567, Matti."]
    targets = ["unit_practice", "service_area", "county_policy", "decision_under_preparation"]
    for n in range(60):
        common = {"event_id": str(uuid.uuid5(NS, f"factory-{n}")), "text": rng.choice(texts)}
        kind = n % 3
        if kind == 0:
            yield factories.as_bytes(factories.feedback(
                **common, reply_requested=rng.random() < 0.5,
                contact=rng.choice([None, "asiakas@example.fi"]),
                unit=rng.choice([None, "rovaniemen-terveysasema"])))
        elif kind == 1:
            items = [{"text": rng.choice(texts), "target": rng.choice(targets),
                      **({"decision_ref": "AHS 12.3.2026 § 45\x07"} if rng.random() < 0.3
                         else {})} for _ in range(rng.randint(1, 4))]
            yield factories.as_bytes(factories.workshop(**common, items=items))
        else:
            yield factories.as_bytes(factories.statement(
                **common, county_wide=rng.random() < 0.5,
                decision_ref=rng.choice([None, "LAPHA/2/2024"])))
    for n in range(5):
        members = [f"fb-{uuid.uuid5(NS, f'member-{n}-{m}').hex[:16]}" for m in range(n + 1)]
        yield factories.as_bytes({
            "event_type": "signal.detected", "schema_version": 1,
            "event_id": str(uuid.uuid5(NS, f"signal-{n}")),
            "occurred_at": "2026-10-05T14:00:00+03:00",
            "recorded_at": "2026-10-05T16:00:00+03:00", "county": "lappi",
            "unit": "rovaniemen-terveysasema", "service_area": "perusterveydenhuolto",
            "theme": "access", "week": "2026-W40", "threshold": 1, "members": members,
            "stance": "complaint", "severity": ["medium", "high", "critical"][n % 3],
            "text": "Viikolla 40 palautteita odottamisesta."})


def _records() -> Iterator[bytes]:
    for seed in (3, 11):
        for record in generate(seed, events=400):
            yield record.value
    yield from _factory_records(random.Random(5))


def _processors(processor: Any) -> list[Any]:
    privacy = Privacy(b"items-" + b"2" * 58, FixedKeyStore({}))
    return [processor(TOPICS),
            processor(TOPICS, privacy=privacy, window=TimeWindow(),
                      organisations=demo_organisations())]


def _same_event(old: Any, new: Any) -> None:
    assert type(old) is type(new)
    assert old.__dict__ == new.__dict__
    assert list(old.__dict__) == list(new.__dict__)  # the fields' order: the dump's order
    assert old.__pydantic_fields_set__ == new.__pydantic_fields_set__
    assert old.__pydantic_extra__ == new.__pydantic_extra__
    assert old.__pydantic_private__ == new.__pydantic_private__
    assert old.model_dump_json() == new.model_dump_json()


def test_the_processor_emits_what_it_emitted_before() -> None:
    records = list(_records())
    forwarded = 0
    for old_processor, new_processor in zip(_processors(processing_before.Processor),
                                            _processors(Processor), strict=True):
        for offset, raw in enumerate(records):
            origin = Origin(topic=TOPICS.intake, partition=offset % 3, offset=offset)
            received_at = None if offset % 11 == 5 else AT + timedelta(minutes=offset)
            old = old_processor.process(raw, origin, received_at)
            new = new_processor.process(raw, origin, received_at)
            assert len(old) == len(new)
            for o, n in zip(old, new, strict=True):
                assert (o.topic, o.key, o.value) == (n.topic, n.key, n.value)
                assert n.value == n.value  # made once, the same bytes when asked again
                assert o.body == n.body
                _same_event(o.event, n.event)
                if isinstance(n.event, ItemForwarded):
                    forwarded += 1
                    assert n.value == n.event.to_json_bytes()
    assert forwarded > 1_000


def test_processor_old_signature_is_what_the_new_takes() -> None:
    # The copy before and the code now take the same arguments (the differential above would
    # otherwise compare differently configured processors).
    assert processing_before.Processor.__dataclass_fields__.keys() == \
        Processor.__dataclass_fields__.keys()


_ROLES = list(ActorRole)


def _event(rng: random.Random, item: LifecycleEvent, at: datetime) -> LifecycleEvent:
    env: dict[str, Any] = {
        "event_id": uuid.UUID(int=rng.getrandbits(128)), "occurred_at": at, "recorded_at": at,
        "county": item.county if rng.random() < 0.95 else "lappi",
        "unit": item.unit, "item_id": item.item_id, "actor_role": rng.choice(_ROLES)}
    kind = rng.randrange(9)
    if kind == 0:
        return ItemAcknowledged(**env)
    if kind == 1:
        return ItemEscalated(**env, reason="toistuva")
    if kind == 2:
        return ItemPresented(**env, body="aluehallitus", agenda_ref="AH 12/2026 §5")
    if kind == 3:
        return ItemDecided(**env, outcome=Outcome.ADOPTED, rationale="Ajanvaraus uudistetaan.")
    if kind == 4:
        return ItemReturned(**env, returned_to=rng.choice([ReturnedTo.CLIENT, ReturnedTo.EXPERT]),
                            channel="sähköposti",
                            no_decision_reason=rng.choice([None, "ei päätettävää"]))
    if kind == 5:
        return ItemClosed(**env)
    if kind == 6:  # a classified step again: a person's, or one with a bare test event's body
        if rng.random() < 0.5:
            return ItemClassified.model_construct(**env)
        return ItemClassified(**env, classification=Classification(
            themes=(rng.choice(list(Theme)),), stance=rng.choice(list(Stance)),
            severity=rng.choice(list(Severity)), rules=(), classifier_version="t"))
    return item  # a step of the item's own again (received, classified or routed)


def _applied(module: Any, state: Any, event: LifecycleEvent) -> tuple[Any, str]:
    try:
        after = module.apply(state, event)
    except module.IllegalTransition as why:
        return state, f"refused: {why}"
    return after, after.to_json()


@pytest.mark.parametrize("seed", range(3))
def test_the_lifecycle_folds_random_histories_as_before(seed: int) -> None:
    rng = random.Random(seed)
    processor = Processor(TOPICS)
    outcomes = set()
    for offset, record in enumerate(generate(20 + seed, events=150)):
        outs = processor.process(record.value, Origin(topic=TOPICS.intake, partition=0,
                                                      offset=offset), AT)
        steps = [o.event for o in outs if isinstance(o.event, LifecycleEvent)]
        if not steps:
            continue
        history: list[LifecycleEvent] = []
        for step in steps:  # the system's steps, sometimes one left out or one early
            if rng.random() < 0.9:
                history.append(step)
        at = AT
        for _ in range(rng.randint(0, 12)):
            at += timedelta(hours=rng.randint(-48, 240))
            history.append(_event(rng, rng.choice(steps), at))
        old_state = new_state = None
        for event in history:
            old_state, old_said = _applied(lifecycle_before, old_state, event)
            new_state, new_said = _applied(lifecycle, new_state, event)
            assert old_said == new_said
            outcomes.add(old_said.split(":")[0] if old_said.startswith("refused") else "ok")
    assert "ok" in outcomes and "refused" in outcomes


def test_source_recorded_ids_are_what_they_were() -> None:
    rng = random.Random(1)
    ids: list[object] = [uuid.UUID(int=rng.getrandbits(128)) for _ in range(200)]
    ids += [str(i) for i in ids[:50]] + [1, True, 1.0, "1", "True", 0, False]
    for _ in range(3):  # remembered and forgotten in a random order, asked again and again
        rng.shuffle(ids)
        for i in ids:
            assert source_recorded_id(i) == before.source_recorded_id(i)
            assert source_recorded_id(i) == before.source_recorded_id(i)
