"""Flow metrics on a real DuckDB file, built through the sink's own path (project + Store.write)
from the hand-made scenario in tests/flow_scenario.py; figures computed by hand in
tests/flow_expected.py."""

from __future__ import annotations

import random
from collections import Counter
from datetime import UTC, date, datetime
from pathlib import Path

import duckdb
import pytest

from kokemusvirta.settings import Settings
from schemas.dead_letter import Origin
from schemas.deadlines import Deadlines
from schemas.knowledge import Classification
from schemas.registry import parse, parse_source
from schemas.taxonomy import Severity, Stance, Theme
from schemas.topics import TopicNames
from sinks.projection import ConsumedRecord, project
from sinks.store import Store, snapshot_path
from streams.processing import Processor
from tests import flow_expected as expected
from tests.factories import as_bytes
from tests.flow_scenario import ITEM, NOW, SOURCES, THEMES, lifecycle_events, sql_ts

T = TopicNames("kv.")
THEMES_BY_TEXT = {SOURCES[name]["text"]: themes for name, themes in THEMES.items()}


def classify(text: str, language: str | None) -> Classification:
    """The scenario's themes, whatever the rule-based classifier of the day says."""
    return Classification(themes=tuple(Theme(t) for t in THEMES_BY_TEXT[text]),
                          stance=Stance.COMPLAINT, severity=Severity.MEDIUM, rules=("t",),
                          classifier_version="test")


def scenario_records() -> list[ConsumedRecord]:
    """What the sink reads: what the worker made of intake, then the later steps."""
    out: list[ConsumedRecord] = []
    offsets: Counter[str] = Counter()

    def add(topic: str, value: bytes) -> None:
        out.append(ConsumedRecord(topic, 0, offsets[topic], None, value))
        offsets[topic] += 1

    processor = Processor(T, classify=classify)
    for event in SOURCES.values():
        raw = as_bytes(event)
        origin = Origin(topic=T.intake, partition=0, offset=offsets[T.intake])
        offsets[T.intake] += 1  # the sink reads the worker's sources copy, not intake
        for o in processor.process(raw, origin, datetime.fromisoformat(event["recorded_at"])):
            add(o.topic, o.value)
    for step in lifecycle_events():
        add(T.lifecycle, step.to_json_bytes())
    return out


def build(path: Path, deadlines: Deadlines | None = None) -> Store:
    store = Store(path, deadlines=deadlines)
    store.write(project(scenario_records(), T, datetime.now(UTC)))
    return store


@pytest.fixture(scope="module")
def con(tmp_path_factory: pytest.TempPathFactory) -> duckdb.DuckDBPyConnection:
    return build(tmp_path_factory.mktemp("views") / "s.duckdb").con


def test_every_client_item_is_there_and_the_signal_is_not(
    con: duckdb.DuckDBPyConnection,
) -> None:
    got = {r[0] for r in con.execute(
        f"SELECT item_id FROM item_milestones_at({sql_ts(NOW)})").fetchall()}
    assert got == {ITEM[n] for n in THEMES}
    assert con.execute("SELECT count(*) FROM knowledge_items WHERE source_family = "
                       "'aggregate'").fetchone() == (1,)


def test_flow_funnel(con: duckdb.DuckDBPyConnection) -> None:
    expected.check_funnel(con)


def test_reach_and_return_rates(con: duckdb.DuckDBPyConnection) -> None:
    expected.check_reach_and_return_rates(con)


def test_lead_times(con: duckdb.DuckDBPyConnection) -> None:
    expected.check_lead_times(con)


def test_overdue_items_now_and_at_a_past_moment(con: duckdb.DuckDBPyConnection) -> None:
    expected.check_overdue(con)


def test_the_documented_question_is_answered(con: duckdb.DuckDBPyConnection) -> None:
    moment = sql_ts(NOW)
    expected.check_done_when(con, f"item_milestones_at({moment})", moment)


def test_point_in_time_counts_only_what_was_recorded_by_then(
    con: duckdb.DuckDBPyConnection,
) -> None:
    # 16.12.2024 9:00:30 Finnish time: F1's return (9:00) and S1's decision (9:00) have
    # happened, but are recorded only at 9:01.
    at = "TIMESTAMPTZ '2024-12-16 09:00:30+02'"
    sql = "SELECT sum(returned), sum(decided) FROM flow_funnel_at({})"
    assert con.execute(sql.format(at)).fetchone() == (1, 2)  # F6; F1, F5
    later = f"{at}, recorded_by := TIMESTAMPTZ '2024-12-16 09:01:00+02'"
    assert con.execute(sql.format(later)).fetchone() == (2, 3)  # F6, F1; F1, F5, S1


def test_the_views_are_the_macros_at_now(con: duckdb.DuckDBPyConnection) -> None:
    for name in ("item_milestones", "flow_funnel", "reach_rates", "return_rates",
                 "lead_times", "overdue_items"):
        view = con.execute(f"SELECT count(*) FROM (SELECT * FROM {name} EXCEPT ALL "
                           f"SELECT * FROM {name}_at(now()))").fetchone()
        assert view == (0,), name
    # Every deadline of the scenario is long past now: the open items' missed deadlines.
    got = {(r[0], r[1]) for r in con.execute(
        "SELECT item_id, deadline FROM overdue_items").fetchall()}
    assert got == {
        (ITEM["F2"], "decide_or_answer"), (ITEM["F3"], "acknowledge"),
        (ITEM["F3"], "decide_or_answer"), (ITEM["F3"], "reply_to_client"),
        (ITEM["F4"], "decide_or_answer"), (ITEM["F7"], "decide_or_answer"),
        (ITEM["F8"], "acknowledge"), (ITEM["F8"], "decide_or_answer"),
        (ITEM["F8"], "reply_to_client"),
    }


def test_deadlines_come_from_the_settings(tmp_path: Path) -> None:
    store = build(tmp_path / "s.duckdb", Deadlines(acknowledge_working_days=10))
    got = store.con.execute(
        "SELECT item_id, due_date, working_days_overdue FROM overdue_items_at("
        f"{sql_ts(NOW)}) WHERE deadline = 'acknowledge'").fetchall()
    # F3: 10 wd after Thu 5.12 is Fri 20.12, then 23, 27, 30, 31; F8 is due 9.1.2025.
    assert got == [(ITEM["F3"], date(2024, 12, 20), 4)]
    store.set_deadlines(Deadlines())
    assert store.con.execute("SELECT amount FROM deadlines WHERE deadline = 'acknowledge'"
                             ).fetchone() == (3,)
    store.close()


def test_settings_name_the_deadlines(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KOKEMUSVIRTA_DEADLINE_ACKNOWLEDGE_WORKING_DAYS", "5")
    monkeypatch.setenv("KOKEMUSVIRTA_DEADLINE_DECIDE_DAYS", "21")
    monkeypatch.setenv("KOKEMUSVIRTA_DEADLINE_RETURN_DAYS_AFTER_DECISION", "7")
    monkeypatch.setenv("KOKEMUSVIRTA_DEADLINE_REPLY_DAYS", "10")
    assert Settings().deadlines == Deadlines(5, 21, 7, 10)
    assert Deadlines() == Deadlines(3, 30, 14, 30)  # docs/design.md §2.7


def test_finnish_working_days(con: duckdb.DuckDBPyConnection) -> None:
    def one(sql: str) -> object:
        row = con.execute(f"SELECT {sql}").fetchone()
        assert row is not None
        return row[0]

    holidays = dict(con.execute("SELECT day, holiday_name FROM calendar_days "
                                "WHERE year(day) = 2024 AND holiday_name IS NOT NULL").fetchall())
    assert holidays[date(2024, 12, 6)] == "Itsenäisyyspäivä"
    assert {date(2024, 6, 21), date(2024, 12, 24), date(2024, 3, 29), date(2024, 4, 1)} \
        <= holidays.keys()  # juhannusaatto, jouluaatto, pitkäperjantai, 2. pääsiäispäivä
    assert one("count(*) FILTER (WHERE is_working_day) FROM calendar_days "
               "WHERE day BETWEEN '2024-12-01' AND '2024-12-31'") == 18
    assert one("fi_due_date(DATE '2024-12-05', 3, 'working_days')") == date(2024, 12, 11)
    assert one("fi_due_date(DATE '2026-04-02', 1, 'working_days')") == date(2026, 4, 7)  # Easter
    assert one("fi_due_date(DATE '2024-11-25', 30, 'calendar_days')") == date(2024, 12, 27)
    assert one("fi_due_date(DATE '2024-12-02', 30, 'calendar_days')") == date(2025, 1, 2)
    assert one("fi_working_days_between(DATE '2024-12-05', DATE '2024-12-09')") == 1
    assert one("fi_working_days_between(DATE '2024-12-13', DATE '2024-12-13')") == 0
    assert one("fi_date(TIMESTAMPTZ '2024-12-05 22:30:00+00')") == date(2024, 12, 6)


def test_the_read_only_snapshot_answers_everything(tmp_path: Path) -> None:
    path = tmp_path / "s.duckdb"
    store = build(path)
    assert store.maybe_publish_snapshot(0, force=True)
    reader = duckdb.connect(str(snapshot_path(path)), read_only=True)
    try:
        expected.check_funnel(reader)
        expected.check_overdue(reader)
        assert reader.execute("SELECT count(*) FROM lead_times").fetchone() == (18,)
    finally:
        reader.close()
        store.close()


def test_a_fresh_store_publishes_its_views_before_any_event(tmp_path: Path) -> None:
    path = tmp_path / "s.duckdb"
    store = Store(path)
    assert store.maybe_publish_snapshot(60)
    store.close()
    reader = duckdb.connect(str(snapshot_path(path)), read_only=True)
    assert reader.execute("SELECT count(*) FROM overdue_items").fetchone() == (0,)
    reader.close()


def _item_of(record: ConsumedRecord) -> str:
    """The item a record belongs to (its Kafka key); an intake record is its own."""
    event = parse_source(record.value or b"") if record.topic == T.intake \
        else parse(record.value or b"")
    return getattr(event, "item_id", None) or str(event.event_id)


def _materialised_differs(con: duckdb.DuckDBPyConnection) -> tuple[int, int]:
    """Rows of the derived tables missing from what the macros compute at now(), and back:
    item_milestones_materialised against item_milestones_at(now()), open_obligations against
    obligation_rows(now(), NULL, false)."""
    one = other = 0
    for table, macro in (("item_milestones_materialised", "item_milestones_at(now())"),
                         ("open_obligations", "obligation_rows(now(), NULL, false)")):
        a = con.execute(f"SELECT count(*) FROM (SELECT * EXCLUDE (item_seq) FROM {table} "
                        f"EXCEPT ALL SELECT * FROM {macro})").fetchone()
        b = con.execute(f"SELECT count(*) FROM (SELECT * FROM {macro} "
                        f"EXCEPT ALL SELECT * EXCLUDE (item_seq) FROM {table})").fetchone()
        assert a is not None and b is not None
        one, other = one + a[0], other + b[0]
    return one, other


@pytest.mark.parametrize("order", ["reversed", "seed-1", "seed-2", "seed-3"])
def test_the_materialised_milestones_survive_any_arrival_order_and_redelivery(
    tmp_path: Path, order: str,
) -> None:
    """Each item's records keep their order (one key, one partition), but items interleave
    freely: a signal's acknowledgement may come before its members, batches are redelivered
    after a crash. The table must still equal item_milestones_at(now())."""
    by_item: dict[str, list[ConsumedRecord]] = {}
    for record in scenario_records():
        by_item.setdefault(_item_of(record), []).append(record)
    rng = random.Random(order)
    if order == "reversed":  # the signal's steps first, its members' receipt last
        arrival = [r for item in reversed(list(by_item)) for r in by_item[item]]
    else:
        queues = [list(rs) for rs in by_item.values()]
        arrival = []
        while queues:
            queue = rng.choice(queues)
            arrival.append(queue.pop(0))
            if not queue:
                queues.remove(queue)
    batches, start = [], 0
    while start < len(arrival):
        size = rng.randint(1, 9)
        batches.append(arrival[start:start + size])
        start += size
    store = Store(tmp_path / "s.duckdb")
    for n, batch in enumerate(batches):
        store.write(project(batch, T, datetime.now(UTC)))
        if n % 4 == 3:  # a crash: an earlier batch comes again
            store.write(project(batches[rng.randrange(n + 1)], T, datetime.now(UTC)))
    assert _materialised_differs(store.con) == (0, 0)
    assert store.con.execute("SELECT count(*) FROM item_milestones").fetchone() == (10,)
    assert store.con.execute("SELECT count(*) FROM open_obligations").fetchone() == (9,)
    expected.check_funnel(store.con)
    store.close()


def test_an_older_store_gets_its_materialised_milestones_when_the_sink_opens_it(
    tmp_path: Path,
) -> None:
    path = tmp_path / "s.duckdb"
    store = build(path)
    store.con.execute("DELETE FROM item_milestones_materialised")  # as before this release
    store.con.execute("DROP TABLE open_obligations")
    store.close()
    store = Store(path)
    assert store.con.execute("SELECT count(*) FROM item_milestones").fetchone() == (10,)
    assert _materialised_differs(store.con) == (0, 0)
    # a release whose milestones have other columns rebuilds the table
    store.con.execute("ALTER TABLE item_milestones_materialised DROP COLUMN outcome")
    store.close()
    store = Store(path)
    assert _materialised_differs(store.con) == (0, 0)
    store.close()


def test_new_deadlines_move_the_materialised_due_dates(tmp_path: Path) -> None:
    store = build(tmp_path / "s.duckdb")
    due = "SELECT acknowledge_due_on FROM item_milestones WHERE item_id = ?"
    assert store.con.execute(due, [ITEM["F3"]]).fetchone() == (date(2024, 12, 11),)
    store.set_deadlines(Deadlines(acknowledge_working_days=10))
    assert store.con.execute(due, [ITEM["F3"]]).fetchone() == (date(2024, 12, 20),)
    assert _materialised_differs(store.con) == (0, 0)
    store.close()
