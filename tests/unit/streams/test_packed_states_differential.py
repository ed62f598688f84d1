"""The guard's state book with its states packed (streams/packed_states.py, issue 13) judges and
remembers exactly what the book before it did, whose states were `ItemState` values in a dict.

The book before is kept in tests/unit/streams/guard_before/ (commit b7b9718). Compared, over
seeded random histories of the scenario's items (their system steps from the real processor,
then people's, the notifier's and label steps by every requester at random times, legal and
not, repeated, for unknown items and other counties), each record fed to both books alike:

- every request's judgement: its outgoing records' topics, keys and value bytes (the sealed
  step's chain hash, a refusal's words) and the item it names;
- every item's state after each record, as values and by `repr` (which shows the types too: a
  time zone's kind, an enum member against a str); a state is packed once four other items
  were written after it (`RECENT` = 2), so nearly every state read was packed and unpacked;
- states of forms the worker never makes (kept as they are, not packed) come back the same.
"""

from __future__ import annotations

import json
import random
import uuid
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from pydantic_core import TzInfo

from scenario import generate
from schemas.access import Requester
from schemas.dead_letter import Origin
from schemas.feedback import Language
from schemas.lifecycle import (
    ActorRole,
    DeliveryStatus,
    ItemAcknowledged,
    ItemClosed,
    ItemDecided,
    ItemEscalated,
    ItemPresented,
    ItemRelabelled,
    ItemReplyDelivery,
    ItemReturned,
    ItemSeverityConfirmed,
    ItemStaffNotified,
    LifecycleEvent,
    Outcome,
    ReturnedTo,
    StaffNotice,
)
from schemas.taxonomy import Severity, Theme
from schemas.topics import TopicNames
from streams import guard_state
from streams.guard import Judgement, judge_request
from streams.lifecycle import ItemState, Stage
from streams.packed_states import PackedStates
from streams.processing import Processor
from tests.unit.streams.guard_before import guard_state as guard_state_before

TOPICS = TopicNames("kv.")
AT = datetime(2026, 10, 20, 12, 0, tzinfo=UTC)
ROLES = list(ActorRole)


def _step(rng: random.Random, item: LifecycleEvent, at: datetime, role: ActorRole,
          returns: list[uuid.UUID]) -> LifecycleEvent:
    """A random step for `item` (or, now and then, another county's or an unknown item)."""
    env: dict[str, Any] = {
        "event_id": uuid.UUID(int=rng.getrandbits(128)), "occurred_at": at, "recorded_at": at,
        "county": item.county if rng.random() < 0.95 else "uusimaa", "unit": item.unit,
        "item_id": item.item_id if rng.random() < 0.97 else f"fb-{rng.getrandbits(64):016x}",
        "actor_role": role if rng.random() < 0.9 else rng.choice(ROLES)}
    kind = rng.randrange(12) if role is not ActorRole.SYSTEM else rng.choice([8, 9, 10, 0])
    if kind == 0:
        return ItemAcknowledged(**env)
    if kind == 1:
        return ItemEscalated(**env, reason="toistuva")
    if kind == 2:
        return ItemPresented(**env, body="aluehallitus", agenda_ref="AH 12/2026 §5")
    if kind == 3:
        return ItemDecided(**env, outcome=Outcome.ADOPTED, rationale="Ajanvaraus uudistetaan.")
    if kind == 4:
        returned = ItemReturned(
            **env, returned_to=rng.choice([ReturnedTo.CLIENT, ReturnedTo.EXPERT]),
            channel="sähköposti", no_decision_reason=rng.choice([None, "ei päätettävää"]))
        returns.append(returned.event_id)
        return returned
    if kind == 5:
        return ItemClosed(**env)
    if kind == 6:
        return ItemSeverityConfirmed(
            **env, downgraded_to=rng.choice([None, Severity.MEDIUM, Severity.NONE]),
            reason="Soitin asiakkaalle.")
    if kind == 7:
        return ItemRelabelled(**env, reason="Luin uudelleen.",
                              severity=rng.choice([None, *Severity]),
                              themes=(rng.choice(list(Theme)),))
    if kind == 8:
        return ItemReplyDelivery(
            **env, status=DeliveryStatus.SENT, channel="email", attempt=1,
            returned_event_id=rng.choice(returns) if returns and rng.random() < 0.8
            else uuid.UUID(int=rng.getrandbits(128)), language=Language.FI, detail="ok")
    if kind == 9:
        return ItemStaffNotified(**env, notice=StaffNotice.CRITICAL,
                                 recipients=(f"unit.{item.county}.{item.unit}",),
                                 deadline=date(2026, 10, 22), detail="kriittinen")
    if kind == 10:
        env["actor_role"] = ActorRole.SYSTEM if rng.random() < 0.9 else env["actor_role"]
        return ItemEscalated(**env, reason="kuittauksen määräaika ylittyi")
    return item  # one of the item's own steps again


def _origin(rng: random.Random, item: LifecycleEvent, offset: int) -> tuple[Origin, ActorRole]:
    """A request topic, and the role of its requester: the item's unit's (most often), its
    area's leadership's or county's decision-makers', another unit's, or the notifier's."""
    area = getattr(getattr(item, "item", None), "service_area", None) or "perusterveydenhuolto"
    requesters = [Requester.parse("unit", f"{item.county}.{item.unit or 'x'}")] * 4 + [
        Requester.parse("leadership", f"{item.county}.{area}"),
        Requester.parse("decision-makers", item.county),
        Requester.parse("unit", f"{item.county}.toinen-yksikko"), None]
    requester = rng.choice(requesters)
    if requester is None:
        return Origin(topic=TOPICS.notifier_requests, partition=0, offset=offset), ActorRole.SYSTEM
    return (Origin(topic=TOPICS.requests(requester), partition=0, offset=offset),
            requester.actor_role)


def _seen(j: Judgement) -> tuple[Any, ...]:
    return (j.item_id, tuple((o.topic, o.key, o.value) for o in j.outgoing))


def _same_books(old: Any, new: Any, item_ids: set[str]) -> None:
    for item_id in item_ids:
        was, now = old.state(0, item_id), new.state(0, item_id)
        assert was == now and repr(was) == repr(now), item_id
    assert new.items() == old.items()


@pytest.mark.parametrize("seed", range(3))
def test_the_packed_book_judges_and_remembers_random_histories_as_before(
        seed: int, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(PackedStates, "RECENT", 2)
    rng = random.Random(seed)
    processor = Processor(TOPICS)
    old = guard_state_before.StateBook(TOPICS.lifecycle)
    new = guard_state.StateBook(TOPICS.lifecycle)
    old.assign([0])
    new.assign([0])
    items: list[list[LifecycleEvent]] = []
    for offset, record in enumerate(generate(30 + seed, events=20)):
        outs = processor.process(record.value, Origin(topic=TOPICS.intake, partition=0,
                                                      offset=offset), AT)
        steps = [o.event for o in outs if isinstance(o.event, LifecycleEvent)]
        if steps:
            items.append(steps)
    log: list[bytes] = []  # the lifecycle partition both books read back
    returns: list[uuid.UUID] = []
    item_ids = {str(steps[0].item_id) for steps in items}
    at = {str(steps[0].item_id): AT for steps in items}
    outcomes: set[str] = set()
    requests: list[tuple[bytes, Origin, datetime]] = []
    for n in range(600):
        steps = rng.choice(items)
        item_id = str(steps[0].item_id)
        if rng.random() < 0.25:  # the intake's steps of an item, as written, some twice
            log.extend(s.to_json_bytes() for s in steps if rng.random() < 0.9)
        elif rng.random() < 0.15 and requests:  # a request redelivered
            requests.append(rng.choice(requests))
        else:
            at[item_id] += timedelta(hours=rng.randint(-12, 72))
            origin, role = _origin(rng, steps[0], n)
            event = _step(rng, rng.choice(steps), at[item_id], role, returns)
            requests.append((event.to_json_bytes(), origin, at[item_id] + timedelta(hours=1)))
        while rng.random() < 0.7 and len(log) > old.position(0):  # read back, some of it
            offset = old.position(0)
            assert new.fold(0, offset, log[offset]) == old.fold(0, offset, log[offset])
        if len(requests) and rng.random() < 0.8:
            raw, origin, received_at = requests[-1]
            key = str(json.loads(raw)["item_id"])
            was = judge_request(old.state(0, key), raw, origin, received_at, TOPICS)
            now = judge_request(new.state(0, key), raw, origin, received_at, TOPICS)
            assert _seen(now) == _seen(was)
            assert now.state == was.state and repr(now.state) == repr(was.state)
            old.accept(0, was)
            new.accept(0, now)
            log.extend(o.value for o in was.outgoing if o.topic == TOPICS.lifecycle)
            outcomes.add(was.outgoing[0].topic if was.outgoing else "redelivered")
            if was.item_id:
                item_ids.add(was.item_id)
        _same_books(old, new, item_ids)
    assert outcomes == {TOPICS.lifecycle, TOPICS.dead_letters, "redelivered"}
    stages = {s.stage for s in (old.state(0, i) for i in item_ids) if s is not None}
    assert {Stage.ROUTED, Stage.DECIDED} <= stages


def _worker_state() -> ItemState:
    return ItemState(
        item_id="fb-00000000000000aa", county="lappi", stage=Stage.RETURNED,
        last_occurred_at=AT, last_hash="ab" * 32, routed_levels=frozenset({"unit"}),
        acknowledged=True, decided=True,
        event_ids=(str(uuid.UUID(int=1)), str(uuid.UUID(int=2))), unit="kemin-neuvola",
        service_area="perusterveydenhuolto", severity="critical",
        returned_to_client=(str(uuid.UUID(int=2)),))


@pytest.mark.parametrize("change", [
    {}, {"last_hash": None}, {"event_ids": (), "returned_to_client": ()}, {"unit": None},
    {"last_occurred_at": AT.replace(tzinfo=timezone(timedelta(hours=3)))},
    {"last_occurred_at": AT.replace(tzinfo=TzInfo(10_800))},
    {"last_occurred_at": datetime(1, 1, 1, tzinfo=UTC)},
    {"last_occurred_at": datetime(9999, 12, 31, 23, 59, 59, 999999, tzinfo=UTC)},
    # not the worker's forms: kept as they are
    {"event_ids": ("r1",), "returned_to_client": ("r1",)},
    {"event_ids": (str(uuid.UUID(int=3)).upper(),), "returned_to_client": ()},
    {"returned_to_client": ("elsewhere",)}, {"last_hash": "AB" * 32}, {"last_hash": "ab"},
    {"last_occurred_at": datetime(2026, 10, 20, 12, 0)},
    {"last_occurred_at": datetime(2026, 10, 25, 3, 30, fold=1, tzinfo=UTC)},
    {"last_occurred_at": datetime(2026, 10, 20, tzinfo=ZoneInfo("Europe/Helsinki"))},
    {"last_occurred_at": AT.replace(tzinfo=timezone(timedelta(hours=3), "EEST"))},
    {"severity": Severity.CRITICAL}, {"routed_levels": frozenset({Severity.CRITICAL})},
    {"item_id": "fb-00000000000000bb"}, {"stage": 8}, {"acknowledged": 1},
])
def test_a_state_comes_back_as_it_was_written(change: dict[str, Any],
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(PackedStates, "RECENT", 0)
    states = PackedStates()
    ordinary = _worker_state()
    for zone in (UTC, TzInfo(0), timezone(timedelta(hours=3)), TzInfo(10_800)):
        # the tables' values first, as the worker's
        states["fb-00000000000000aa"] = replace(ordinary, last_occurred_at=AT.replace(
            tzinfo=zone))
    for _ in range(2):  # a first and a second state of these values
        written = replace(ordinary, **change)
        states["fb-00000000000000aa"] = written
        read = states["fb-00000000000000aa"]
        assert read == written and repr(read) == repr(written)
        assert [type(getattr(read, f)) for f in ("county", "severity", "routed_levels")] == [
            type(getattr(written, f)) for f in ("county", "severity", "routed_levels")]
        assert read.last_occurred_at.tzinfo.__class__ is written.last_occurred_at.tzinfo.__class__
    assert len(states) == 1 and list(states) == ["fb-00000000000000aa"]
    del states["fb-00000000000000aa"]
    assert not states and states.get("fb-00000000000000aa") is None


def test_a_worker_state_is_packed_small() -> None:
    states = PackedStates()
    states["fb-00000000000000aa"] = _worker_state()
    for n in range(2 * PackedStates.RECENT):
        states[f"ws-{n:016x}"] = replace(_worker_state(), item_id=f"ws-{n:016x}")
    packed = states._packed["fb-00000000000000aa"]
    assert type(packed) is bytes and len(packed) == 14 + 32 + 1 + 2 * 16
