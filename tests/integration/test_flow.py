"""The whole flow on the real broker: worker (Faust) and sink (DuckDB) as real processes."""

from __future__ import annotations

import json

import pytest

from sinks import reader as query
from tests.factories import as_bytes, feedback, statement, workshop
from tests.integration.helpers import catch_up, publish, read_topic, running

pytestmark = pytest.mark.broker


def test_feedback_workshop_statement_and_garbage_flow_to_the_store(settings_factory) -> None:  # type: ignore[no-untyped-def]
    s = settings_factory()
    events = [
        feedback(text="Hoitaja oli ystävällinen, kiitos!"),
        feedback(text="Äidilleni annettiin väärää lääkettä ja hän joutui teho-osastolle.",
                 county="pirkanmaa", unit="hervannan-terveysasema"),
        workshop(),
        statement(),
    ]
    with running(s, "worker", "sink") as children:
        publish(s, [as_bytes(e) for e in events] + [b"garbage", as_bytes(feedback(rating=11))])
        catch_up(s, children)

    store = s.store
    _, rows = query.run(store, "select event_type, count(*) from events group by all")
    counts = dict(rows)
    assert counts["feedback.submitted"] == 2
    assert counts["workshop.output_recorded"] == 1
    assert counts["expert_statement.issued"] == 1
    assert counts["item.received"] == 2 + 3 + 1
    assert counts["item.classified"] == counts["item.routed"] == 6

    _, dead = query.run(store, "select reason, origin_topic, origin_offset from dead_letters "
                               "order by reason")
    assert [d[0] for d in dead] == ["not_json", "schema_violation"]
    assert all(d[1] == s.topics.intake for d in dead)

    # The critical one is at its unit and its leadership at once, marked for immediate attention.
    unit_topic = s.topics.unit("pirkanmaa", "hervannan-terveysasema")
    messages = [json.loads(v) for _, v, _ in read_topic(s, unit_topic)]
    assert len(messages) == 1
    assert messages[0]["classification"]["severity"] == "critical"
    assert messages[0]["route"]["immediate_attention"] is True
    leadership = [json.loads(v) for _, v, _ in
                  read_topic(s, s.topics.leadership("pirkanmaa", "perusterveydenhuolto"))]
    assert [m["item_id"] for m in leadership] == [messages[0]["item_id"]]

    # The statement on a decision under preparation reached the decision-makers' topic.
    decision = [json.loads(v) for _, v, _ in read_topic(s, s.topics.decision_makers("lappi"))]
    assert [m["item"]["source_family"] for m in decision] == ["expert_statement"]

    # Dead letters carry reason and origin in headers, not the payload.
    letters = read_topic(s, s.topics.dead_letters)
    assert {h["reason"] for _, _, h in letters} == {b"not_json", b"schema_violation"}
    assert all(b"garbage" not in v for _, v, _ in letters)


def test_sink_restart_resumes_from_its_own_offsets(settings_factory) -> None:  # type: ignore[no-untyped-def]
    s = settings_factory(KOKEMUSVIRTA_LAKE="")  # and the history lake follows (sinks/lake.py)
    with running(s, "worker", "sink") as children:
        publish(s, [as_bytes(feedback()) for _ in range(5)])
        catch_up(s, children)
    with running(s, "worker", "sink") as children:
        publish(s, [as_bytes(feedback()) for _ in range(3)])
        catch_up(s, children)
    _, rows = query.run(s.store, "select count(*), count(distinct item_id) from knowledge_items")
    assert rows == [(8, 8)]
    _, rows = query.run(s.store, "select count(*) - count(distinct event_id) from events")
    assert rows == [(0,)]
    # The sink added its history to the lake, each row once, through its restart.
    where = s.lake_location
    assert where is not None and where.catalog_file is not None
    assert where.catalog_file.is_relative_to(s.home)
    counts = "select (select count(*) from events), (select count(distinct event_id) from " \
             "events), (select count(*) from lifecycle)"
    _, stored = query.run(s.store, counts)
    lake = query.open_lake(where)
    try:
        assert lake.execute(counts).fetchall() == stored
        assert stored[0][0] > 8 and stored[0][0] == stored[0][1]
        syncs = lake.execute("select count(*) from ducklake_snapshots('lake') "
                             "where commit_message = 'history sync'").fetchone()
        assert syncs is not None and syncs[0] >= 2  # at least one per sink run
    finally:
        lake.close()


def test_a_routed_topic_created_while_the_sink_runs_is_picked_up(settings_factory) -> None:  # type: ignore[no-untyped-def]
    """The sink has stored offsets when the worker creates a new unit's topic: it must start
    reading the new topic and go on with the others from the store's offsets."""
    s = settings_factory()
    with running(s, "worker", "sink") as children:
        publish(s, [as_bytes(feedback())])
        catch_up(s, children)
        for unit in ("kemin-terveysasema", "inarin-terveysasema"):
            publish(s, [as_bytes(feedback(unit=unit))])
            catch_up(s, children, timeout=60)
    _, rows = query.run(s.store, "select count(distinct topic) from events "
                                 "where event_type = 'item.forwarded'")
    assert rows == [(3,)]


def test_dead_letters_interleaved_with_new_routed_topics_all_arrive(settings_factory,  # type: ignore[no-untyped-def]
                                                                   tmp_path) -> None:
    """Regression: aiokafka's producer forgot the partitions of topics it did not track once
    it tracked some, and a batch lingering for such a topic never left (the worker hung and
    never committed). Many new units' topics between dead letters make that race likely:
    without the fix it hung here in a full-suite run (streams/app.py, track in metadata).
    The 60 units are in the deployment's registry: only known units get topics."""
    registry = tmp_path / "organisations.csv"
    registry.write_text(
        "kind,code,county,service_area,fi,sv\ncounty,lappi,,,Lappi,Lappland\n"
        "service_area,perusterveydenhuolto,lappi,,Perusterveydenhuolto,Primärvård\n"
        + "".join(f"unit,yksikko-{i:03d},lappi,perusterveydenhuolto,Yksikkö {i},Enhet {i}\n"
                  for i in range(60)), encoding="utf-8")
    s = settings_factory(KOKEMUSVIRTA_ORGANISATIONS=registry)
    values = []
    for i in range(60):
        values.append(b"not json %d" % i)
        values.append(as_bytes(feedback(unit=f"yksikko-{i:03d}")))
    with running(s, "worker", "sink") as children:
        publish(s, values)
        catch_up(s, children, timeout=90)
    _, rows = query.run(s.store, "select (select count(*) from dead_letters), "
                                 "(select count(*) from knowledge_items)")
    assert rows == [(60, 60)]
