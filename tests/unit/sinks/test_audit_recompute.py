"""`verify`'s recomputation of the materialised tables: the pure derivation and comparison
(sinks/audit/rederive.py, recompute.py), then on small stores built through the real path
(tests/chains.py) and edited behind the sink's back."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import duckdb
import pytest

from managers.signals import MemberRow, detect, week_of
from schemas.lifecycle import ActorRole, ItemAcknowledged
from sinks.audit import rederive
from sinks.audit.recompute import ROW, Difference, compare, differences, same
from sinks.audit.rederive import OneOf, SignalReach
from sinks.audit.verify import ItemState, verify
from sinks.reader import open_read_only
from tests.chains import NOW, Log
from tests.factories import as_bytes, feedback

DEADLINES = {"acknowledge": (3, "working_days"), "decide_or_answer": (30, "calendar_days"),
             "return_after_decision": (14, "calendar_days"),
             "reply_to_client": (30, "calendar_days")}
T0 = datetime(2026, 10, 5, 9, 0, tzinfo=UTC)  # a Monday


def event(step: str, at: datetime, role: str = "system", **fields: Any) -> dict[str, Any]:
    return {"event_type": f"item.{step}", "item_id": "fb-1", "actor_role": role,
            "occurred_at": at.isoformat(), **fields}


def received(at: datetime = T0, **item: Any) -> dict[str, Any]:
    return event("received", at, item={"item_id": "fb-1", "source_family": "feedback",
                                       "county": "lappi", "reply_requested": True,
                                       "contact_given": True, **item})


def path_to(*steps: tuple[str, int, str]) -> list[dict[str, Any]]:
    """received, then each (step, hours after T0, role)."""
    return [received()] + [event(s, T0 + timedelta(hours=h), r) for s, h, r in steps]


# --- the derivation ---------------------------------------------------------------------------

def test_each_milestone_is_its_first_events_time_and_status_the_furthest_own_step() -> None:
    row = rederive.item_row(path_to(("classified", 0, "system"), ("routed", 0, "system"),
                                    ("acknowledged", 5, "unit_manager"),
                                    ("escalated", 7, "unit_manager")), [])
    assert row is not None
    assert row["routed_at"] == T0 and row["acknowledged_at"] == T0 + timedelta(hours=5)
    assert row["reached_leadership_at"] is None and row["status"] == "escalated"
    assert rederive.item_row([event("routed", T0)], []) is None  # no received: no item


def test_leadership_acknowledging_is_reaching_leadership() -> None:
    events = path_to(("acknowledged", 5, "unit_manager"), ("acknowledged", 30, "leadership"))
    row = rederive.item_row(events, [])
    milestones = rederive.milestone_row(events, [], DEADLINES)
    assert row and milestones
    assert row["status"] == "acknowledged_by_leadership"
    assert row["reached_leadership_at"] == milestones["reached_leadership_at"] \
        == T0 + timedelta(hours=30)
    assert milestones["hours_to_reach_leadership"] == 30.0
    assert not milestones["reached_leadership_via_aggregate"]


def test_presenting_counts_as_reaching_leadership_and_acknowledgement_in_the_milestones() -> None:
    events = path_to(("presented", 48, "unit_manager"))
    milestones = rederive.milestone_row(events, [], DEADLINES)
    row = rederive.item_row(events, [])
    assert milestones and row
    assert milestones["acknowledged_at"] == milestones["reached_leadership_at"] \
        == T0 + timedelta(hours=48)
    assert row["acknowledged_at"] is None  # knowledge_items keeps the item's own acknowledgement


def test_a_signal_acknowledged_by_leadership_carries_its_members() -> None:
    signal = SignalReach(any_leadership_at=T0 + timedelta(days=2),
                         leadership_role_at=T0 + timedelta(days=2))
    events = path_to(("classified", 0, "system"), ("routed", 0, "system"))
    row = rederive.item_row(events, [signal])
    milestones = rederive.milestone_row(events, [signal], DEADLINES)
    assert row and milestones
    assert row["reached_leadership_at"] == row["acknowledged_at"] == T0 + timedelta(days=2)
    assert row["status"] == OneOf(("routed", "acknowledged"))
    assert milestones["reached_leadership_via_aggregate"] is True


def test_the_signal_is_read_from_its_own_events() -> None:
    events = [received(source_family="aggregate", members=["fb-1", "fb-2"]),
              event("presented", T0 + timedelta(hours=3), "unit_manager"),
              event("acknowledged", T0 + timedelta(hours=9), "leadership")]
    reach = rederive.signal_reach(events)
    assert reach.any_leadership_at == T0 + timedelta(hours=3)
    assert reach.leadership_role_at == T0 + timedelta(hours=9)
    assert rederive.members_of(events) == ["fb-1", "fb-2"]
    assert rederive.milestone_row(events, [], DEADLINES) is None  # no metric counts a signal


def test_lead_times_and_due_dates_follow_the_finnish_calendar() -> None:
    events = path_to(("acknowledged", 24 * 4, "unit_manager"), ("decided", 24 * 10, "leadership"))
    m = rederive.milestone_row(events, [], DEADLINES)
    assert m is not None
    assert m["received_on"] == date(2026, 10, 5) and m["month_received"] == date(2026, 10, 1)
    assert m["working_days_to_acknowledge"] == 4 and m["days_to_acknowledge"] == 4
    assert m["acknowledge_due_on"] == date(2026, 10, 8)  # three working days after Monday
    assert m["decide_or_answer_due_on"] == date(2026, 11, 4)
    assert m["return_after_decision_due_on"] == date(2026, 10, 29)
    owed = rederive.obligation_rows(m)
    assert set(owed) == {"return_after_decision", "reply_to_client"}
    assert [d for d, r in owed.items() if r["earliest_due"]] == ["return_after_decision"]


def test_a_closed_item_owes_nothing() -> None:
    m = rederive.milestone_row(path_to(("closed", 5, "unit_manager")), [], DEADLINES)
    assert m is not None and rederive.obligation_rows(m) == {}


# --- the comparison ---------------------------------------------------------------------------

def test_same_accepts_what_the_store_may_rightly_hold() -> None:
    assert same(1.0000000001, 1.0) and not same(1.5, 1.0) and not same(None, 1.0)
    assert same(["a", "b"], ("a", "b")) and not same(["b", "a"], ["a", "b"])
    assert same("acknowledged", OneOf(("routed", "acknowledged")))
    assert not same("closed", OneOf(("routed", "acknowledged")))
    assert same(T0, T0) and not same(T0, T0 + timedelta(microseconds=1))


def test_compare_names_the_column_and_the_missing_rows() -> None:
    stored = {"routed_at": T0 + timedelta(hours=1), "status": "routed", "erased_at": T0}
    expected = {"routed_at": T0, "status": "routed", "erased_at": None}
    assert compare("fb-1", "knowledge_items", stored, expected, ignore=frozenset({"erased_at"})) \
        == [Difference("fb-1", "knowledge_items", "routed_at", T0 + timedelta(hours=1), T0)]
    [missing] = compare("fb-1", "knowledge_items", None, expected)
    [unexplained] = compare("fb-1", "knowledge_items", stored, None)
    assert missing.column == unexplained.column == ROW
    assert "knowledge_items.routed_at" in Difference(
        "fb-1", "knowledge_items", "routed_at", None, T0).detail()


# --- on stores built through the real path ----------------------------------------------------

@pytest.fixture
def store(tmp_path: Path) -> tuple[Path, list[str]]:
    """Three feedback items (the first through the whole path) and a weekly signal holding the
    second and third, acknowledged by leadership."""
    log = Log()
    items = [i for _ in range(3) for i in log.intake(as_bytes(feedback()))]
    log.whole_path(items[0])
    week = week_of(NOW)
    [signal_event] = detect([MemberRow(item_id=i, county="lappi",
                                       service_area="terveyspalvelut",
                                       unit="rovaniemen-terveysasema", theme="access",
                                       stance="complaint", severity="high") for i in items[1:]],
                            week, threshold=2, now=NOW)
    [signal] = log.intake(signal_event.to_json_bytes())
    log.step(signal, ItemAcknowledged, NOW + timedelta(days=3), actor_role=ActorRole.LEADERSHIP)
    return log.write(tmp_path / "s.duckdb"), [*items, signal]


def found(path: Path, item: str | None = None) -> list[Difference]:
    con = open_read_only(path)
    try:
        return differences(con, item)
    finally:
        con.close()


def tamper(path: Path, sql: str) -> None:
    con = duckdb.connect(str(path))
    con.execute("SET TimeZone = 'UTC'")
    con.execute(sql)
    con.close()


def where(diffs: list[Difference]) -> set[tuple[str, str, str]]:
    return {(d.item_id, d.table, d.column) for d in diffs}


def test_a_store_written_by_the_sink_recomputes_to_itself(store: tuple[Path, list[str]]) -> None:
    path, items = store
    con = duckdb.connect(str(path), read_only=True)
    [(inherited,)] = con.execute("SELECT count(*) FROM item_milestones_materialised "
                                 "WHERE reached_leadership_via_aggregate").fetchall()
    con.close()
    assert inherited == 2  # the signal's members, so the rule that moves them is exercised
    assert found(path) == []
    assert found(path, items[1]) == []


def test_an_edited_routed_at_is_found(store: tuple[Path, list[str]]) -> None:
    path, items = store
    tamper(path, f"UPDATE knowledge_items SET routed_at = routed_at + INTERVAL 3 DAY "
                 f"WHERE item_id = '{items[1]}'")
    assert where(found(path)) == {(items[1], "knowledge_items", "routed_at")}


def test_moving_a_materialised_milestone_is_found(store: tuple[Path, list[str]]) -> None:
    path, items = store
    tamper(path, f"UPDATE item_milestones_materialised SET reached_leadership_at = received_at "
                 f"WHERE item_id = '{items[0]}'")
    assert where(found(path)) == {(items[0], "item_milestones_materialised",
                                   "reached_leadership_at")}


def test_a_deleted_item_row_is_found(store: tuple[Path, list[str]]) -> None:
    path, items = store
    tamper(path, f"DELETE FROM knowledge_items WHERE item_id = '{items[2]}'")
    assert (items[2], "knowledge_items", ROW) in where(found(path))
    report = verify(open_read_only(path))
    assert report.items[items[2]] is ItemState.ALTERED and report.altered


def test_an_item_row_without_a_lifecycle_is_found(store: tuple[Path, list[str]]) -> None:
    path, items = store
    tamper(path, f"INSERT INTO knowledge_items SELECT * REPLACE ('fb-0000000000000001' AS item_id)"
                 f" FROM knowledge_items WHERE item_id = '{items[1]}'")
    assert where(found(path)) == {("fb-0000000000000001", "knowledge_items", ROW)}


def test_a_duplicated_milestone_row_is_found(store: tuple[Path, list[str]]) -> None:
    path, items = store
    tamper(path, f"INSERT INTO item_milestones_materialised SELECT * FROM "
                 f"item_milestones_materialised WHERE item_id = '{items[1]}'")
    assert where(found(path)) == {(items[1], "item_milestones_materialised", ROW)}


def test_edited_obligations_and_signal_members_are_found(store: tuple[Path, list[str]]) -> None:
    path, items = store
    tamper(path, "DELETE FROM open_obligations WHERE deadline = 'decide_or_answer'; "
                 f"DELETE FROM aggregate_members WHERE member_item_id = '{items[2]}'")
    got = where(found(path))
    assert (items[3], "aggregate_members", items[2]) in got
    assert {(items[1], "open_obligations", f"decide_or_answer {ROW}"),
            (items[2], "open_obligations", f"decide_or_answer {ROW}")} <= got


def test_verify_reports_each_difference_under_its_item(store: tuple[Path, list[str]]) -> None:
    path, items = store
    tamper(path, f"UPDATE knowledge_items SET status = 'closed' WHERE item_id = '{items[1]}'")
    report = verify(open_read_only(path))
    assert report.altered and report.ids(ItemState.ALTERED) == [items[1]]
    [d] = report.materialised[items[1]]
    assert (d.table, d.column, d.stored) == ("knowledge_items", "status", "closed")
    altered = report.as_dict()["altered_items"][0]
    assert altered["materialised"][0]["column"] == "status"


def test_trace_shows_the_difference_too(store: tuple[Path, list[str]]) -> None:
    from sinks.audit.trace import render, trace

    path, items = store
    tamper(path, f"UPDATE knowledge_items SET routed_at = NULL WHERE item_id = '{items[1]}'")
    con = open_read_only(path)
    try:
        path_of = trace(con, items[1])
    finally:
        con.close()
    assert path_of["chain"]["state"] == "altered"
    [problem] = path_of["chain"]["problems"]
    assert problem["check"] == "materialised_differs" and "routed_at" in problem["detail"]
    assert "knowledge_items.routed_at is null" in render(path_of)


def test_rows_of_an_item_that_never_was_are_found(store: tuple[Path, list[str]]) -> None:
    path, items = store
    tamper(path, "INSERT INTO item_milestones_materialised SELECT * REPLACE "
                 "('fb-0000000000000002' AS item_id) FROM item_milestones_materialised "
                 f"WHERE item_id = '{items[1]}'; "
                 "INSERT INTO open_obligations SELECT * FROM open_obligations "
                 f"WHERE item_id = '{items[2]}' AND deadline = 'decide_or_answer'")
    assert where(found(path)) == {
        ("fb-0000000000000002", "item_milestones_materialised", ROW),
        (items[2], "open_obligations", f"decide_or_answer {ROW}")}


@pytest.mark.parametrize("edit", [
    "DELETE FROM aggregate_members WHERE member_item_id = '{m}'",
    "UPDATE item_milestones_materialised SET reached_leadership_at = NULL WHERE item_id = '{m}'",
    "UPDATE knowledge_items SET routed_at = NULL WHERE item_id = '{m}'",
])
def test_one_items_check_finds_what_the_whole_store_finds_of_it(
        store: tuple[Path, list[str]], edit: str) -> None:
    """The item page checks one item only (not the whole store at 1M items): it reads that item
    and the signals holding it, and still finds every difference the whole check finds of it."""
    path, items = store
    tamper(path, edit.format(m=items[2]))
    whole = found(path)
    assert whole
    for item in items:
        assert where(found(path, item)) == {w for w in where(whole) if w[0] == item}, item
