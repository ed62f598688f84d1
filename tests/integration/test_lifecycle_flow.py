"""Lifecycle requests through the real worker's guard, into the store; weekly signals."""

from __future__ import annotations

import itertools
import uuid
from datetime import UTC, datetime, timedelta

import pytest

from kokemusvirta import kafka as kv_kafka
from schemas.access import Requester
from schemas.knowledge import SourceFamily
from schemas.lifecycle import (
    ActorRole,
    ItemAcknowledged,
    ItemDecided,
    ItemReturned,
    LifecycleEvent,
)
from schemas.signal import SignalDetected
from sinks import reader as query
from streams.items import item_id_for
from tests.factories import as_bytes, feedback
from tests.integration.helpers import catch_up, publish, running

pytestmark = pytest.mark.broker

T0 = datetime(2026, 10, 5, 9, 0, tzinfo=UTC)


UNIT = Requester.parse("unit", "lappi.rovaniemen-terveysasema")  # the feedbacks' unit
LEADERSHIP = Requester.parse("leadership", "lappi.perusterveydenhuolto")


def _request(s, event: LifecycleEvent, requester: Requester = UNIT,  # type: ignore[no-untyped-def]
             key: bytes | None = None) -> None:
    """On the requester's own request topic (requester_settings created it), keyed by the
    event's item unless `key` says otherwise."""
    assert s.kafka_bootstrap_servers
    producer = kv_kafka.producer(s, s.kafka_bootstrap_servers)
    producer.send(s.topics.requests(requester), key=key or event.kafka_key(),
                  value=event.to_json_bytes())
    producer.flush()
    producer.close()


def _env(item_id: str, at: datetime, role: ActorRole = ActorRole.UNIT_MANAGER) -> dict:  # type: ignore[type-arg]
    return {"event_id": uuid.uuid4(), "occurred_at": at, "recorded_at": at, "county": "lappi",
            "unit": "rovaniemen-terveysasema", "item_id": item_id, "actor_role": role}


def test_requests_are_judged_sealed_and_survive_a_worker_restart(  # type: ignore[no-untyped-def]
    settings_factory, requester_settings,
) -> None:
    s = settings_factory()
    source = feedback(text="Jonotin puhelimessa tunnin.", occurred_at=T0.isoformat())
    item = item_id_for(SourceFamily.FEEDBACK, source["event_id"])
    ack = ItemAcknowledged(**_env(item, T0 + timedelta(days=1)))
    ack_again = ItemAcknowledged(**_env(item, T0 + timedelta(days=2)))
    with running(s, "worker", "sink") as children:
        publish(s, [as_bytes(source)])
        catch_up(s, children)
        # Access granted while the worker runs: it finds the new request topic by itself.
        requester_settings(s, "unit", UNIT.scope)
        _request(s, ack)
        _request(s, ack_again)
        catch_up(s, children)

    _, steps = query.run(s.store, f"select step, actor_role, chain_prev is not null "
                                  f"from lifecycle where item_id = '{item}' order by \"offset\"")
    assert [r[0] for r in steps] == ["received", "classified", "routed", "acknowledged"]
    assert steps[-1][2] is True  # sealed after routed
    _, dead = query.run(s.store, "select reason, original_event_id, detail, origin_topic "
                                 "from dead_letters")
    assert len(dead) == 1
    assert dead[0][0] == "illegal_transition" and dead[0][1] == str(ack_again.event_id)
    assert "repeated" in dead[0][2] and dead[0][3] == s.topics.requests(UNIT)

    # A new worker restores the item's state from the table's changelog: a decision is
    # accepted after the acknowledgement, and a return without a decision reason is not
    # needed then; an acknowledgement is still a repeat.
    decide = ItemDecided(**_env(item, T0 + timedelta(days=3)), outcome="adopted",
                         rationale="Takaisinsoitto otetaan käyttöön.")
    late_ack = ItemAcknowledged(**_env(item, T0 + timedelta(days=4)))
    back = ItemReturned(**_env(item, T0 + timedelta(days=5)), returned_to="client",
                        channel="tekstiviesti")
    with running(s, "worker", "sink") as children:
        _request(s, decide)
        _request(s, late_ack)
        _request(s, back)
        catch_up(s, children)

    _, row = query.run(s.store, f"select status, acknowledged_at, decided_at, returned_at "
                                f"from knowledge_items where item_id = '{item}'")
    status, acknowledged_at, decided_at, returned_at = row[0]
    assert status == "returned"
    assert acknowledged_at == T0 + timedelta(days=1)
    assert decided_at == T0 + timedelta(days=3) and returned_at == T0 + timedelta(days=5)
    _, dead = query.run(s.store, "select original_event_id from dead_letters")
    assert {d[0] for d in dead} == {str(ack_again.event_id), str(late_ack.event_id)}
    _, chain = query.run(s.store, f"select chain_prev, chain_hash from lifecycle "
                                  f"where item_id = '{item}' order by \"offset\"")
    assert chain[0][0] is None
    assert all(b[0] == a[1] for a, b in itertools.pairwise(chain))


def test_acknowledging_a_signal_makes_its_members_reach_leadership(  # type: ignore[no-untyped-def]
    settings_factory, requester_settings,
) -> None:
    s = settings_factory()
    requester_settings(s, "leadership", LEADERSHIP.scope)
    sources = [feedback(text=f"Jonotin puhelimessa {n} tuntia.", occurred_at=T0.isoformat())
               for n in range(2, 7)]
    members = tuple(item_id_for(SourceFamily.FEEDBACK, e["event_id"]) for e in sources)
    signal = SignalDetected(
        event_id=uuid.uuid4(), occurred_at=T0 + timedelta(days=7),
        recorded_at=T0 + timedelta(days=7), county="lappi", unit="rovaniemen-terveysasema",
        service_area="perusterveydenhuolto", theme="access", week="2026-W41", threshold=5,
        members=members, stance="complaint", severity="medium",
        text="Viikolla 41 viisi palautetta odottamisesta.")
    aggregate = item_id_for(SourceFamily.AGGREGATE, signal.event_id)
    with running(s, "worker", "sink") as children:
        publish(s, [as_bytes(e) for e in sources])
        catch_up(s, children)
        publish(s, [signal.to_json_bytes()])
        catch_up(s, children)
        at = T0 + timedelta(days=8)
        _request(s, ItemAcknowledged(**{**_env(aggregate, at, ActorRole.LEADERSHIP)}),
                 LEADERSHIP)
        catch_up(s, children)

    _, agg = query.run(s.store, f"select source_family, routed_topics, reached_leadership_at "
                                f"from knowledge_items where item_id = '{aggregate}'")
    assert agg[0][0] == "aggregate"
    assert agg[0][1] == [s.topics.leadership("lappi", "perusterveydenhuolto")]
    assert agg[0][2] == T0 + timedelta(days=8)
    _, reached = query.run(s.store, "select item_id, reached_leadership_at from knowledge_items "
                                    "where source_family = 'feedback' order by item_id")
    assert sorted(r[0] for r in reached) == sorted(members)
    assert all(r[1] == T0 + timedelta(days=8) for r in reached)


def test_a_request_about_another_units_item_is_unauthorised_and_a_legal_one_is_stored(  # type: ignore[no-untyped-def]
    settings_factory, requester_settings,
) -> None:
    """Unit A's managers ask, on their own request topic, to acknowledge unit B's item: a dead
    letter unauthorised_request, and the item stays unacknowledged. So does a request on A's
    topic that claims to be leadership's, and one of unit C's managers keyed by C's own item
    while it names B's (the guard judges on the keyed item's state). B's own managers' request
    is accepted and stored."""
    s = settings_factory()
    unit_a = Requester.parse("unit", "lappi.kemin-neuvola")
    unit_c = Requester.parse("unit", "lappi.kemin-terveysasema")
    as_a = requester_settings(s, "unit", unit_a.scope)  # unit A's managers, their own password
    as_b = requester_settings(s, "unit", UNIT.scope)
    as_c = requester_settings(s, "unit", unit_c.scope)
    source = feedback(text="Ajanvaraus ei toiminut.", occurred_at=T0.isoformat())  # unit B's
    item = item_id_for(SourceFamily.FEEDBACK, source["event_id"])
    source_c = feedback(text="Odotin pitkään.", occurred_at=T0.isoformat(),
                        unit="kemin-terveysasema")
    item_c = item_id_for(SourceFamily.FEEDBACK, source_c["event_id"])
    at = T0 + timedelta(days=1)
    from_a = ItemAcknowledged(**_env(item, at))
    claims_leadership = ItemAcknowledged(**_env(item, at, ActorRole.LEADERSHIP))
    keyed_by_own = ItemAcknowledged(**_env(item, at))
    from_b = ItemAcknowledged(**_env(item, at + timedelta(hours=1)))
    with running(s, "worker", "sink") as children:
        publish(s, [as_bytes(source), as_bytes(source_c)])
        catch_up(s, children)
        _request(as_a, from_a, unit_a)
        _request(as_a, claims_leadership, unit_a)
        _request(as_c, keyed_by_own, unit_c, key=item_c.encode())
        catch_up(s, children)
        _, row = query.run(s.store, f"select acknowledged_at from knowledge_items "
                                    f"where item_id = '{item}'")
        assert row == [(None,)]
        _request(as_b, from_b, UNIT)
        catch_up(s, children)

    _, dead = query.run(s.store, "select original_event_id, reason, origin_topic, detail "
                                 "from dead_letters order by origin_offset")
    assert {(d[0], d[1], d[2]) for d in dead} == {
        (str(from_a.event_id), "unauthorised_request", s.topics.requests(unit_a)),
        (str(claims_leadership.event_id), "unauthorised_request", s.topics.requests(unit_a)),
        (str(keyed_by_own.event_id), "unauthorised_request", s.topics.requests(unit_c))}
    assert all("\n" not in d[3] and "Ajanvaraus" not in d[3] for d in dead)
    _, steps = query.run(s.store, f"select step, event_id::varchar from lifecycle "
                                  f"where item_id = '{item}' order by \"offset\"")
    assert steps[-1] == ("acknowledged", str(from_b.event_id))
    _, row = query.run(s.store, f"select acknowledged_at from knowledge_items "
                                f"where item_id = '{item}'")
    assert row == [(at + timedelta(hours=1),)]


def test_a_worker_restarted_under_its_id_reads_a_topic_granted_while_it_was_down(  # type: ignore[no-untyped-def]
    settings_factory, requester_settings,
) -> None:
    """A worker restarted within its session under its static id gets its predecessor's
    assignment, made before the new request topic, and the broker asks for no new one: the
    worker notices the topic left out and has the group assign it."""
    s = settings_factory()
    source = feedback(text="Puhelinpalvelu ei vastannut.", occurred_at=T0.isoformat())
    item = item_id_for(SourceFamily.FEEDBACK, source["event_id"])
    with running(s, "worker", "sink") as children:  # no request topic yet
        publish(s, [as_bytes(source)])
        catch_up(s, children)
    requester_settings(s, "unit", UNIT.scope)  # granted while the worker is down
    ack = ItemAcknowledged(**_env(item, T0 + timedelta(days=1)))
    _request(s, ack)
    with running(s, "worker", "sink") as children:
        catch_up(s, children, timeout=90)
    _, steps = query.run(s.store, f"select step, event_id::varchar from lifecycle "
                                  f"where item_id = '{item}' order by \"offset\"")
    assert steps[-1] == ("acknowledged", str(ack.event_id))
