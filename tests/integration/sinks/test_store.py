"""The sink's projection and store on a DuckDB file in a temporary folder (no broker)."""

from datetime import UTC, datetime
from pathlib import Path

import duckdb

from schemas.dead_letter import Origin
from schemas.knowledge import Classification
from schemas.taxonomy import Severity, Stance, Theme
from schemas.topics import TopicNames
from sinks.projection import ConsumedRecord, project
from sinks.store import Store, snapshot_path
from streams.processing import Processor
from tests.factories import as_bytes, feedback, workshop

T = TopicNames("kv.")
NOW = datetime(2026, 10, 1, 12, 0, tzinfo=UTC)


def classify(text: str, language: str | None) -> Classification:
    return Classification(themes=(Theme.ACCESS, Theme.COMMUNICATION), stance=Stance.COMPLAINT,
                          severity=Severity.CRITICAL, rules=("r1",), classifier_version="t")


def records_for(*raws: bytes) -> list[ConsumedRecord]:
    """What the sink would read: everything the worker made of the intake records."""
    out: list[ConsumedRecord] = []
    offsets: dict[str, int] = {}

    def add(topic: str, value: bytes) -> None:
        offsets[topic] = offsets.get(topic, -1) + 1
        out.append(ConsumedRecord(topic, 0, offsets[topic], 1_790_000_000_000, value))

    for raw in raws:
        offsets[T.intake] = offsets.get(T.intake, -1) + 1  # the sink reads sources, not intake
        origin = Origin(topic=T.intake, partition=0, offset=offsets[T.intake])
        for o in Processor(T, classify=classify).process(raw, origin, NOW):
            add(o.topic, o.value)
    return out


def test_batch_writes_tables_and_is_idempotent(tmp_path: Path) -> None:
    records = records_for(as_bytes(feedback()), as_bytes(workshop()), b"{broken")
    store = Store(tmp_path / "s.duckdb")
    store.write(project(records, T, NOW))
    counts = store.con.execute(
        "select (select count(*) from events), (select count(*) from knowledge_items), "
        "(select count(*) from lifecycle), (select count(*) from dead_letters)").fetchone()
    store.write(project(records, T, NOW))  # redelivered: changes nothing
    again = store.con.execute(
        "select (select count(*) from events), (select count(*) from knowledge_items), "
        "(select count(*) from lifecycle), (select count(*) from dead_letters)").fetchone()
    assert counts == again
    events, items, lifecycle, dead = counts  # type: ignore[misc]
    assert items == 4  # one feedback + three workshop output items
    assert lifecycle == 12  # received, classified, routed for each
    assert dead == 1
    assert events == 2 + 12 + sum(1 for r in records if ".routed." in r.topic)


def test_counters_balance_also_when_copies_arrive_in_a_later_batch(tmp_path: Path) -> None:
    """consumed = rows(events) + rows(dead_letters) + every not-stored counter, also after a
    redelivery: the copies the store already has are counted as already_stored."""
    records = records_for(as_bytes(feedback()), as_bytes(workshop()), b"{broken")
    store = Store(tmp_path / "s.duckdb")
    store.write(project(records, T, NOW))
    store.write(project(records[2:], T, NOW))  # the worker redelivers all but the first two

    def balance() -> tuple[int, int]:
        counters = dict(store.con.execute("select name, value from sink_counters").fetchall())
        rows = store.con.execute("select (select count(*) from events) "
                                 "+ (select count(*) from dead_letters)").fetchone()
        not_stored = sum(v for k, v in counters.items() if k != "consumed")
        return counters["consumed"], rows[0] + not_stored  # type: ignore[index]

    consumed, accounted = balance()
    assert consumed == 2 * len(records) - 2
    assert consumed == accounted
    counters = dict(store.con.execute("select name, value from sink_counters").fetchall())
    # every redelivered record (the sink reads no intake, so no broken intake one: the worker's
    # dead letter stands for it, and is already stored too)
    assert counters.get("intake_rejected", 0) == 0
    assert counters["already_stored"] == len(records) - 2


def test_items_carry_classification_routes_and_milestones(tmp_path: Path) -> None:
    store = Store(tmp_path / "s.duckdb")
    store.write(project(records_for(as_bytes(feedback())), T, NOW))
    row = store.con.execute(
        "select themes, severity, status, immediate_attention, routed_topics, received_at, "
        "classified_at, routed_at, acknowledged_at, contact_given, text from knowledge_items"
    ).fetchone()
    assert row is not None
    themes, severity, status, immediate, topics, received, classified, routed, ack, contact, \
        _text = row
    assert themes == ["access", "communication"] and severity == "critical"
    assert status == "routed" and immediate is True
    assert topics == ["kv.routed.unit.lappi.rovaniemen-terveysasema",
                      "kv.routed.leadership.lappi.perusterveydenhuolto"]
    assert received is not None and classified is not None and routed is not None
    assert ack is None and contact is True


def test_intake_payload_with_contact_is_not_stored(tmp_path: Path) -> None:
    store = Store(tmp_path / "s.duckdb")
    store.write(project(records_for(as_bytes(feedback())), T, NOW))
    dump = str(store.con.execute("select * from events").fetchall())
    dump += str(store.con.execute("select * from knowledge_items").fetchall())
    assert "matti.meikalainen@example.fi" not in dump


def test_offsets_are_stored_with_the_rows_and_snapshot_is_readable(tmp_path: Path) -> None:
    path = tmp_path / "s.duckdb"
    store = Store(path)
    records = records_for(as_bytes(feedback()))
    store.write(project(records, T, NOW))
    assert store.offsets()[(T.sources, 0)] == 0 and (T.intake, 0) not in store.offsets()
    assert store.maybe_publish_snapshot(60)
    # While the sink holds the store, a reader opens the snapshot read-only.
    reader = duckdb.connect(str(snapshot_path(path)), read_only=True)
    assert reader.execute("select count(*) from knowledge_items").fetchone() == (1,)
    reader.close()
    assert not store.maybe_publish_snapshot(60)  # nothing new: no copy
    store.close()


def test_failed_batch_leaves_no_rows_and_no_offsets(tmp_path: Path) -> None:
    store = Store(tmp_path / "s.duckdb")
    batch = project(records_for(as_bytes(feedback())), T, NOW)
    batch.milestones.append({"event_id": "not-a-uuid", "item_id": "x", "milestone": "m",
                             "at": NOW})
    try:
        store.write(batch)
    except duckdb.Error:
        pass
    else:
        raise AssertionError("a broken batch must fail")
    assert store.con.execute("select count(*) from events").fetchone() == (0,)
    assert store.offsets() == {}


def test_a_forgotten_person_s_items_are_marked_erased_in_either_order(tmp_path: Path) -> None:
    import uuid
    from datetime import timedelta

    from schemas.privacy import PersonForgotten

    person, other = "ps-" + "a" * 32, "ps-" + "b" * 32
    before = feedback(client_pseudonym=person, occurred_at="2026-09-01T10:00:00+03:00")
    theirs_other = feedback(client_pseudonym=other, occurred_at="2026-09-01T10:00:00+03:00")
    late = feedback(client_pseudonym=person, occurred_at="2026-12-01T10:00:00+03:00")
    replayed = feedback(client_pseudonym=person, occurred_at="2026-09-05T10:00:00+03:00")
    forgotten_at = datetime(2026, 10, 15, tzinfo=UTC)
    forgot = PersonForgotten(event_id=uuid.uuid4(), occurred_at=forgotten_at,
                             recorded_at=forgotten_at, county="lappi", client_pseudonym=person,
                             key_erased=True)
    store = Store(tmp_path / "s.duckdb")
    # the person's first item is stored, then forgotten, then more items arrive: one given
    # before the forgetting (arriving late, as in a replay) and one given after it
    store.write(project(records_for(as_bytes(before)), T, NOW))
    store.write(project([ConsumedRecord(T.lifecycle, 1, 0, None, forgot.to_json_bytes())], T,
                        NOW + timedelta(seconds=1)))
    store.write(project(records_for(as_bytes(theirs_other), as_bytes(late), as_bytes(replayed)), T,
                        NOW + timedelta(seconds=2)))
    rows = dict(store.con.execute(
        "SELECT source_event_id, erased_at FROM knowledge_items").fetchall())
    assert rows[before["event_id"]] == forgotten_at
    assert rows[theirs_other["event_id"]] is None
    assert rows[late["event_id"]] is None  # feedback given after the forgetting stays
    assert rows[replayed["event_id"]] == forgotten_at
    assert store.con.execute("SELECT count(*) FROM forgotten_persons").fetchone() == (1,)
    store.close()


def test_workshops_and_statement_authors_are_stored_once(tmp_path: Path) -> None:
    from tests.factories import statement

    meeting = workshop(participants={"developer_client": 8, "close_one": 1, "staff": 2})
    board = statement(author_role="influence_body")
    records = records_for(as_bytes(meeting), as_bytes(board))
    store = Store(tmp_path / "s.duckdb")
    store.write(project(records, T, NOW))
    store.write(project(records, T, NOW))  # redelivered: still one workshop
    rows = store.con.execute(
        "SELECT event_id, workshop_id, group_id, meeting_number, forum_type, held_on, county, "
        "service_area, unit, facilitator_count, participants_developer_client, "
        "participants_expert_by_experience, participants_client, participants_close_one, "
        "participants_staff, participants_other, participants_total, output_items "
        "FROM workshops").fetchall()
    assert [(str(r[0]), *r[1:5], str(r[5]), *r[6:]) for r in rows] == [
        (meeting["event_id"], "kehittajaryhma-2026-3", "kehittajaryhma-2026", 3, "structural",
         "2026-10-05", "pirkanmaa", "ikaantyneiden-palvelut", None, 2, 8, 0, 0, 1, 2, 0, 11, 3)]
    authors = store.con.execute("SELECT source_family, author_role FROM knowledge_items "
                                "ORDER BY source_family").fetchall()
    assert authors == [("expert_statement", "influence_body")] + \
        [("workshop_output", None)] * 3
    store.close()
