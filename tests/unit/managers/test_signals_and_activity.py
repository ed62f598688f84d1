"""Weekly signals and the demo's planned lifecycle activity (pure parts)."""

from __future__ import annotations

import itertools
from collections import Counter
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from managers.signals import MemberRow, detect, week_bounds, week_of
from scenario import activity
from scenario.activity import PlannedItem, plan
from schemas.envelope import derived_uuid
from schemas.lifecycle import ActorRole, ItemClassified, ItemReceived, ItemRouted
from schemas.taxonomy import Severity, Stance
from streams.guard import authorise
from streams.lifecycle import ItemState, Stage, apply

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


def _rows(n: int, unit: str = "u1", theme: str = "access") -> list[MemberRow]:
    return [MemberRow(f"fb-{i:016x}", "lappi", "perus", unit, theme,
                      "complaint" if i % 3 else "mixed", "critical" if i == 1 else "low")
            for i in range(n)]


def test_a_signal_needs_the_threshold_and_is_stable() -> None:
    assert detect(_rows(4), "2026-W41", threshold=5) == []
    (signal,) = detect(_rows(5) + _rows(9, unit="u2", theme="fees")[:2], "2026-W41", 5, NOW)
    assert signal.unit == "u1" and signal.theme.value == "access"
    assert len(signal.members) == 5
    assert signal.stance is Stance.COMPLAINT and signal.severity is Severity.CRITICAL
    assert signal.event_id == derived_uuid("signal", "lappi", "u1", "access", "2026-W41")
    assert signal.occurred_at == week_bounds("2026-W41")[1]
    assert detect(_rows(5), "2026-W41", 5, NOW) == [signal]


def test_a_tie_of_stances_does_not_depend_on_the_order_the_store_returns_members() -> None:
    members = [MemberRow(f"fb-{i:016x}", "lappi", "perus", "u1", "access",
                         "mixed" if i % 2 else "complaint", "low") for i in range(6)]
    for order in itertools.permutations(range(6), 6):
        (signal,) = detect([members[i] for i in order], "2026-W41", 5, NOW)
        assert signal.stance is Stance.COMPLAINT  # 3 against 3: complaint is listed first


def test_iso_weeks() -> None:
    start, end = week_bounds("2026-W01")
    assert start == datetime(2025, 12, 29, tzinfo=UTC) and end - start == timedelta(days=7)
    assert week_of(datetime(2026, 10, 7, tzinfo=UTC)) == "2026-W41"


def _items() -> list[PlannedItem]:
    kinds = itertools.product(
        ["feedback", "workshop_output", "expert_statement", "aggregate"],
        ["praise", "complaint", "suggestion", "mixed"],
        ["none", "medium", "high", "critical"],
        [frozenset({"unit"}), frozenset({"unit", "leadership"}),
         frozenset({"leadership", "decision_makers"})],
    )
    items = []
    for n, (family, stance, severity, levels) in enumerate(kinds):
        if family == "aggregate" and "leadership" not in levels:
            continue  # signals are routed to leadership only
        unit = None if "unit" not in levels else "u1"
        items.append(PlannedItem(
            item_id=f"fb-{n:016x}", county="lappi", unit=unit, source_family=family,
            stance=stance, severity=severity, routed_levels=levels, reply_requested=n % 2 == 0,
            contact_given=n % 4 == 0, received_at=NOW - timedelta(days=10 + n % 60),
            service_area="perus"))
    return items


def _routed(item: PlannedItem) -> ItemState:
    at = item.received_at
    env = {"occurred_at": at, "recorded_at": at, "county": item.county, "unit": item.unit,
           "item_id": item.item_id, "actor_role": ActorRole.SYSTEM}
    state = apply(None, ItemReceived.model_construct(
        event_id=derived_uuid(item.item_id, 1), event_type="item.received", **env))
    state = apply(state, ItemClassified.model_construct(
        event_id=derived_uuid(item.item_id, 2), event_type="item.classified", **env))
    routed = ItemRouted.model_construct(event_id=derived_uuid(item.item_id, 3),
                                        event_type="item.routed", routes=(), **env)
    state = apply(state, routed)
    return replace(state, routed_levels=frozenset(item.routed_levels),
                   service_area=item.service_area)


def test_the_demo_plan_only_asks_for_legal_steps_and_nothing_after_now() -> None:
    items = _items()
    events = plan(items, seed=3, now=NOW)
    by_item = {i.item_id: i for i in items}
    states = {}
    for e in events:
        assert e.occurred_at <= NOW
        item_id = str(e.item_id)
        state = states.get(item_id) or _routed(by_item[item_id])
        states[item_id] = apply(state, e)  # raises IllegalTransition if the plan were wrong
    steps = Counter(e.event_type for e in events)
    assert {"item.acknowledged", "item.decided", "item.returned", "item.closed"} <= set(steps)
    assert any(s.stage is Stage.CLOSED for s in states.values())
    assert plan(items, seed=3, now=NOW) == events  # deterministic, same event ids


def test_the_plan_waits_for_time_to_pass() -> None:
    items = _items()
    early = plan(items, seed=3, now=NOW - timedelta(days=30))
    late = plan(items, seed=3, now=NOW)
    assert len(early) < len(late)
    assert {e.event_id for e in early} <= {e.event_id for e in late}


def test_every_planned_request_comes_from_a_requester_the_guard_lets_act() -> None:
    """The demo's people ask on their own request topics: each wave's requests pass the guard's
    authority check (role and scope from the topic) and its state machine, an item's steps in
    the order of the waves, one step per item per wave."""
    items = _items()
    by_item = {i.item_id: i for i in items}
    waves = activity.waves(items, seed=3, now=NOW)
    assert [r.event for wave in waves for r in wave] != []
    assert sorted((r.event for wave in waves for r in wave), key=lambda e: str(e.event_id)) == \
        sorted(plan(items, seed=3, now=NOW), key=lambda e: str(e.event_id))
    states: dict[str, ItemState] = {}
    for wave in waves:
        assert len({str(r.event.item_id) for r in wave}) == len(wave)
        for r in wave:
            item_id = str(r.event.item_id)
            state = states.get(item_id) or _routed(by_item[item_id])
            assert authorise(r.requester, r.event, state) is None, (r.requester, r.event)
            states[item_id] = apply(state, r.event)
    roles = {r.requester.role.value for wave in waves for r in wave}
    assert roles == {"unit", "leadership"}
