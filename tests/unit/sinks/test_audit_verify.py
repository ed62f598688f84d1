"""`verify` on stores built through the real path, then altered behind the sink's back."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest

from sinks.audit.verify import Check, ItemState, Report, verify
from sinks.reader import open_read_only
from tests.chains import Log
from tests.factories import as_bytes, feedback, workshop


@pytest.fixture
def store(tmp_path: Path) -> tuple[Path, list[str]]:
    """Four items (one with its whole path to the return), all sealed."""
    log = Log()
    items = log.intake(as_bytes(feedback())) + log.intake(as_bytes(workshop()))
    log.whole_path(items[0])
    return log.write(tmp_path / "s.duckdb"), items


def check(path: Path, item: str | None = None) -> Report:
    con = open_read_only(path)
    try:
        return verify(con, item=item)
    finally:
        con.close()


def tamper(path: Path, sql: str) -> None:
    con = duckdb.connect(str(path))
    con.execute("SET TimeZone = 'UTC'")
    con.execute(sql)
    con.close()


def delete_event(path: Path, tables: tuple[str, ...], where: str) -> None:
    con = duckdb.connect(str(path))
    [(event_id,)] = con.execute(f"SELECT event_id FROM lifecycle WHERE {where}").fetchall()
    for table in tables:
        con.execute(f"DELETE FROM {table} WHERE event_id = ?", [event_id])
    con.close()


def checks(report: Report, item: str) -> set[Check]:
    return {p.check for p in report.problems.get(item, [])}


def test_a_store_written_by_the_sink_verifies(store: tuple[Path, list[str]]) -> None:
    path, items = store
    report = check(path)
    assert report.items == {i: ItemState.INTACT for i in items}
    assert report.events_checked == 4 * 3 + 7
    assert not report.altered and report.problems == {}


def test_changing_a_decision_in_the_lifecycle_table_is_caught(
    store: tuple[Path, list[str]]
) -> None:
    path, items = store
    tamper(path, "UPDATE lifecycle SET details = json_object('outcome', 'rejected', 'rationale', "
                 "'Ei resursseja.', 'decision_ref', 'AH/2026/77') WHERE step = 'decided'")
    report = check(path)
    assert report.altered
    assert report.ids(ItemState.ALTERED) == [items[0]]
    [problem] = report.problems[items[0]]
    assert problem.check is Check.LIFECYCLE_ROW_DIFFERS and problem.step == "decided"
    assert problem.topic == "kv.lifecycle" and problem.offset is not None


def test_changing_a_lifecycle_column_is_caught_and_named(store: tuple[Path, list[str]]) -> None:
    path, items = store
    tamper(path, "UPDATE lifecycle SET actor_role = 'decision_maker', "
                 "occurred_at = occurred_at - INTERVAL 3 DAY WHERE step = 'returned'")
    [problem] = check(path).problems[items[0]]
    assert "lifecycle.actor_role" in problem.detail and "lifecycle.occurred_at" in problem.detail


def test_changing_a_payload_is_caught(store: tuple[Path, list[str]]) -> None:
    path, items = store
    tamper(path, "UPDATE events SET payload = replace(CAST(payload AS VARCHAR), "
                 "'Takaisinsoitto', 'Ei mitään') WHERE event_type = 'item.decided'")
    report = check(path)
    assert report.ids(ItemState.ALTERED) == [items[0]]
    assert Check.PAYLOAD_ALTERED in checks(report, items[0])


def test_rehashing_a_changed_payload_still_breaks_the_chain(
    store: tuple[Path, list[str]]
) -> None:
    """Whoever edits a payload and stores a fresh hash for it breaks the next event's link."""
    path, items = store
    con = duckdb.connect(str(path))
    [(event_id, payload)] = con.execute(
        "SELECT event_id, payload FROM events WHERE event_type = 'item.decided'").fetchall()
    from schemas.chain import chain_hash

    body = json.loads(payload)
    body["outcome"] = "rejected"
    body["chain_hash"] = chain_hash(body)
    con.execute("UPDATE events SET payload = ? WHERE event_id = ?", [json.dumps(body), event_id])
    con.execute("UPDATE lifecycle SET chain_hash = ?, details = json_object('outcome', "
                "'rejected', 'rationale', ?, 'decision_ref', ?) WHERE event_id = ?",
                [body["chain_hash"], body["rationale"], body["decision_ref"], event_id])
    con.close()
    report = check(path)
    assert Check.CHAIN_BREAK in checks(report, items[0])
    assert [p.step for p in report.problems[items[0]]] == ["returned"]


@pytest.mark.parametrize("tables", [("lifecycle", "events"), ("lifecycle",), ("events",)])
def test_deleting_an_event_is_caught(store: tuple[Path, list[str]],
                                     tables: tuple[str, ...]) -> None:
    path, items = store
    delete_event(path, tables, "step = 'escalated'")
    report = check(path)
    assert report.ids(ItemState.ALTERED) == [items[0]]
    found = checks(report, items[0])
    if tables == ("lifecycle", "events"):
        assert Check.CHAIN_BREAK in found  # the gap
        assert Check.MISSING_STEP in found  # escalated_at is still set
    else:
        assert found & {Check.MISSING_EVENT_ROW, Check.MISSING_LIFECYCLE_ROW}


def test_deleting_the_last_events_is_caught_by_the_milestones(
    store: tuple[Path, list[str]]
) -> None:
    path, items = store
    for step in ("returned", "closed"):
        delete_event(path, ("lifecycle", "events"), f"item_id = '{items[0]}' AND step = '{step}'")
    problems = check(path).problems[items[0]]
    assert [p.check for p in problems] == [Check.MISSING_STEP]
    assert "returned, closed" in problems[0].detail


def test_deleting_the_first_event_is_caught(store: tuple[Path, list[str]]) -> None:
    path, items = store
    delete_event(path, ("lifecycle", "events"), f"item_id = '{items[1]}' AND step = 'received'")
    assert Check.CHAIN_START in checks(check(path), items[1])


def test_reordering_events_is_caught(store: tuple[Path, list[str]]) -> None:
    path, items = store
    for table in ("lifecycle", "events"):
        tamper(path, f"""UPDATE {table} SET "offset" = CASE
            WHEN event_id = (SELECT event_id FROM lifecycle WHERE step = 'escalated')
            THEN (SELECT "offset" FROM lifecycle WHERE step = 'presented')
            ELSE (SELECT "offset" FROM lifecycle WHERE step = 'escalated') END
            WHERE event_id IN (SELECT event_id FROM lifecycle
                               WHERE step IN ('escalated', 'presented'))""")
    assert Check.CHAIN_BREAK in checks(check(path), items[0])


def test_changing_the_text_an_auditor_sees_is_caught(store: tuple[Path, list[str]]) -> None:
    path, items = store
    tamper(path, f"UPDATE knowledge_items SET text = 'Kaikki hyvin.', severity = 'low' "
                 f"WHERE item_id = '{items[2]}'")
    [problem] = check(path).problems[items[2]]
    assert problem.check is Check.ITEM_ROW_DIFFERS
    assert "text" in problem.detail and "classification" in problem.detail


def test_unsealed_items_are_reported_apart_from_altered_ones(tmp_path: Path) -> None:
    log = Log(sealing=False)
    old = log.intake(as_bytes(feedback()))
    log.sealing = True
    new = log.intake(as_bytes(feedback()))
    log.whole_path(old[0])  # sealed steps after unsealed ones: partly sealed
    path = log.write(tmp_path / "s.duckdb")
    report = check(path)
    assert report.items == {old[0]: ItemState.PARTLY_SEALED, new[0]: ItemState.INTACT}

    log = Log(sealing=False)
    items = log.intake(as_bytes(feedback())) + log.intake(as_bytes(feedback()))
    path = log.write(tmp_path / "u.duckdb")
    assert check(path).items == {i: ItemState.UNSEALED for i in items}
    # Unsealed rows are still compared with their payloads.
    tamper(path, f"UPDATE lifecycle SET actor_role = 'leadership' WHERE item_id = '{items[1]}' "
                 "AND step = 'routed'")
    report = check(path)
    assert report.items == {items[0]: ItemState.UNSEALED, items[1]: ItemState.ALTERED}


def test_stripping_the_seal_is_not_mistaken_for_unsealed(store: tuple[Path, list[str]]) -> None:
    path, items = store
    tamper(path, "UPDATE events SET payload = json_merge_patch(payload, "
                 "'{\"chain_hash\": null}') WHERE event_type = 'item.decided'")
    tamper(path, "UPDATE lifecycle SET chain_hash = NULL WHERE step = 'decided'")
    report = check(path)
    assert report.items[items[0]] is ItemState.ALTERED
    assert {Check.SEAL_REMOVED, Check.CHAIN_BREAK} <= checks(report, items[0])


def test_one_item(store: tuple[Path, list[str]]) -> None:
    path, items = store
    tamper(path, f"UPDATE lifecycle SET actor_role = 'leadership' WHERE item_id = '{items[1]}'")
    assert check(path, items[0]).items == {items[0]: ItemState.INTACT}
    assert check(path, items[1]).items == {items[1]: ItemState.ALTERED}
    assert check(path, "fb-0000000000000000").items == {}


def test_a_store_from_before_the_chain_columns(tmp_path: Path) -> None:
    log = Log(sealing=False)
    [item] = log.intake(as_bytes(feedback()))
    path = log.write(tmp_path / "s.duckdb")
    tamper(path, "ALTER TABLE lifecycle DROP COLUMN chain_prev; "
                 "ALTER TABLE lifecycle DROP COLUMN chain_hash")
    assert check(path).items == {item: ItemState.UNSEALED}


def test_a_large_store_is_checked_in_slices(store: tuple[Path, list[str]],
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    path, items = store
    monkeypatch.setattr("sinks.audit.verify.SLICE_EVENTS", 3)  # seven slices
    tamper(path, "UPDATE lifecycle SET actor_role = 'leadership' WHERE step = 'closed'")
    report = check(path)
    assert report.events_checked == 4 * 3 + 7
    assert report.items == {i: ItemState.ALTERED if i == items[0] else ItemState.INTACT
                            for i in items}
