"""The chaos suite's oracle and poison set, without Kafka: the comparison counts each kind of
fault once, and every poison record gets its expected outcome from the worker's own pure code."""

from __future__ import annotations

from datetime import UTC, datetime

from kokemusvirta.chaos import oracle
from kokemusvirta.chaos.oracle import Published, Summary, Tally
from kokemusvirta.chaos.poison import (
    ITEM,
    STEP,
    Target,
    intake_poison,
    request_poison,
    sql_target_event_id,
)
from kokemusvirta.chaos.reference import InputRecord, worker_outputs
from kokemusvirta.chaos.run import round_slices
from kokemusvirta.organisations import demo_organisations
from schemas.dead_letter import DeadLetterRecorded
from schemas.lifecycle import ItemReceived
from schemas.topics import TopicNames
from streams.timing import TimeWindow

T = TopicNames("chaos.")
REGISTRY = demo_organisations()  # the chaos run's worker routes by the demo's registry


def summary(**tables: list[tuple[str, tuple[object, ...]]]) -> Summary:
    return Summary(**tables)


def test_the_same_store_is_clean() -> None:
    s = summary(items=[("fb-1", ("a",)), ("fb-2", ("b",))], lifecycle=[("e1", ("received",))])
    assert all(t.clean for t in oracle.compare(s, s).values())


def test_lost_duplicated_and_differing_rows_are_counted_by_key() -> None:
    expected = summary(items=[("fb-1", ("a",)), ("fb-2", ("b",)), ("fb-3", ("c",))])
    got = summary(items=[("fb-1", ("a",)), ("fb-1", ("a",)), ("fb-1", ("a",)),
                         ("fb-2", ("B",)), ("fb-9", ("z",))])
    t = oracle.compare(expected, got)["items"]
    assert t.lost == {"items: fb-3"}
    assert t.duplicated == {"items: fb-1": 2}
    assert t.differing == {"items: fb-2", "items: fb-9"}  # changed, and one nobody published
    assert t.counts == (1, 2, 2)


def test_a_duplicate_that_differs_is_both() -> None:
    t = oracle.compare_rows([("e1", ("x",))], [("e1", ("x",)), ("e1", ("y",))], "lifecycle")
    assert t.counts == (0, 1, 1)


def test_rounds_over_one_store_count_a_problem_once() -> None:
    first = Tally(lost={"items: fb-3"}, duplicated={"lifecycle: e1": 1})
    second = Tally(lost={"items: fb-3"}, duplicated={"lifecycle: e1": 2})
    rounds = [oracle.RoundResult(1, 10, 1, [], first, 0, 1.0),
              oracle.RoundResult(2, 10, 1, [], second, 3, 1.0)]
    line = oracle.final_line(rounds)
    assert line == "rounds=2 lost=1 duplicated=2 differing=0 verify_failures=1"
    assert not oracle.all_zero(line)
    assert oracle.all_zero("rounds=5 lost=0 duplicated=0 differing=0 verify_failures=0")
    assert "round" in oracle.round_table(rounds).splitlines()[0]


def test_published_records_each_become_one_thing() -> None:
    published = Published.of([("e1", None), ("e2", None), (None, "not_json"),
                              (None, "not_json"), (None, "too_deep")])
    got = summary(
        events=[("e1", ("feedback.submitted",))],
        dead_letters=[("chaos.intake[0]@3", ("not_json",)), ("chaos.intake[1]@4", ("too_deep",)),
                      ("chaos.intake[1]@5", ("too_deep",)),
                      ("chaos.requests.unit.lappi.x[0]@0", ("not_json",))],
    )
    t = oracle.check_published(published, got, "chaos.intake")
    assert t.lost == {"source event: e2", "dead letter not_json #2"}
    assert t.duplicated == {"dead letters too_deep": 1}  # requests' dead letters not counted


def test_poison_table_says_which_failed() -> None:
    rows = [oracle.PoisonOutcome("tombstone", "empty_record", "empty_record"),
            oracle.PoisonOutcome("year_9999", "schema_violation", "item")]
    text = oracle.poison_table(rows)
    assert "tombstone" in text and text.splitlines()[-1].endswith("FAIL")


def test_each_round_has_the_ten_malformed_kinds() -> None:
    slices = round_slices(7, rounds=2, events=50)
    assert [len(s) for s in slices] == [60, 60]
    assert all(sum(r.expected_rejection is not None for r in s) == 10 for s in slices)


def test_every_poison_gets_its_outcome_from_the_workers_own_code() -> None:
    """The expectations of poison.py hold for the worker's pure processing and guard; the
    chaos run checks that they also hold through Kafka, the processes and the sink."""
    now = datetime.now(UTC)
    ms = int(now.timestamp() * 1000)
    intake = intake_poison(now)
    records = [InputRecord(T.intake, 0, i, ms, p.key, p.value) for i, p in enumerate(intake)]
    received = [o.event for o in worker_outputs(records, T, None, TimeWindow(), REGISTRY)
                if isinstance(o.event, ItemReceived)]
    item = next(e for e in received if str(e.caused_by) == sql_target_event_id())
    aim = Target(item.item_id, item.county, item.unit, item.occurred_at)
    requests = request_poison(aim)
    requests_to = T.requests(aim.requester)
    records += [InputRecord(requests_to, 0, i, ms + 60_000, p.key, p.value)
                for i, p in enumerate(requests)]
    outs = worker_outputs(records, T, None, TimeWindow(), REGISTRY)
    dead = {(o.event.origin.topic, o.event.origin.offset): o.event.reason.value
            for o in outs if isinstance(o.event, DeadLetterRecorded)}
    texts = {str(o.event.caused_by): o.event.item.text for o in outs
             if isinstance(o.event, ItemReceived)}
    steps = {str(o.event.event_id) for o in outs if o.topic == T.lifecycle}
    assert len(intake) + len(requests) >= 30
    for topic, poison in ((T.intake, intake), (requests_to, requests)):
        for offset, p in enumerate(poison):
            got = dead.get((topic, offset))
            if got is None and p.expected == ITEM:
                got = ITEM if texts.get(p.event_id or "") == p.text else "text changed"
            if got is None and p.expected == STEP and p.event_id in steps:
                got = STEP
            assert got == p.expected, p.kind
