"""Figures that cannot contradict each other (issue 11, F1; docs/data-dictionary.md
§ Milestones, "Which figures bound which").

Random legal histories (each person's step kept only if the lifecycle state machine,
streams/lifecycle.py `apply`, accepts it, recorded with random delays) go through the sink's
own path into a small store; for every group of every flow view, now and at earlier moments,
each milestone count is at most the count below it:

    received >= acknowledged >= reached leadership >= reached decision-makers
    (reach_rates: and reached leadership >= of it through a weekly signal)
    received >= decided >= decided and returned <= returned <= received
    reply_requested >= replied_to_client <= returned

and each item's milestone times keep the same order.
"""

from __future__ import annotations

import tempfile
import uuid
from collections import Counter
from datetime import UTC, datetime, timedelta
from itertools import pairwise
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import duckdb
from hypothesis import given, settings
from hypothesis import strategies as st

from managers import inbox, unit_store
from managers.inbox import InboxItem
from managers.requests import STEP_FI
from schemas.dead_letter import Origin
from schemas.knowledge import Classification, SourceFamily
from schemas.lifecycle import (
    ActorRole,
    ItemAcknowledged,
    ItemClosed,
    ItemDecided,
    ItemEscalated,
    ItemPresented,
    ItemReturned,
    LifecycleEvent,
    Outcome,
    ReturnedTo,
)
from schemas.registry import parse
from schemas.taxonomy import Severity, Stance, Theme
from schemas.topics import TopicNames
from sinks.projection import ConsumedRecord, project
from sinks.store import Store
from streams.items import item_id_for
from streams.lifecycle import IllegalTransition, ItemState, apply
from streams.processing import Processor
from tests import factories

T = TopicNames("kv.")
HEL = ZoneInfo("Europe/Helsinki")
START = datetime(2024, 11, 4, 8, tzinfo=HEL)  # Monday
NS = uuid.UUID("5d0c1c52-8a5e-4c36-9b1e-f1f0e0c0a001")
UNITS = ("rovaniemen-terveysasema", "kemin-terveysasema")
PTH = "perusterveydenhuolto"
PERSONS = [r for r in ActorRole if r is not ActorRole.SYSTEM]
STEPS: dict[str, type[LifecycleEvent]] = {
    "acknowledged": ItemAcknowledged, "escalated": ItemEscalated, "presented": ItemPresented,
    "decided": ItemDecided, "returned": ItemReturned, "closed": ItemClosed,
}
FIELDS: dict[str, dict[str, Any]] = {
    "escalated": {"reason": "Toistuva ongelma."},
    "presented": {"body": "aluehallitus", "agenda_ref": "§ 1"},
    "decided": {"outcome": Outcome.ADOPTED, "rationale": "Toimenpiteet käynnistetty."},
}
SEVERITY_OF_TEXT: dict[str, Severity] = {}


def classify(text: str, language: str | None) -> Classification:
    """The severity the example drew for the text (severity decides routing to leadership)."""
    return Classification(themes=(Theme.ACCESS,), stance=Stance.COMPLAINT,
                          severity=SEVERITY_OF_TEXT.get(text, Severity.MEDIUM), rules=("t",),
                          classifier_version="test")


# -- the sources: feedback, workshop outputs, statements, and maybe a weekly signal -------------

source_kinds = st.lists(st.tuples(
    st.sampled_from(["feedback", "workshop", "statement"]),
    st.integers(0, 1),  # unit
    st.sampled_from(list(Severity)),
    st.sampled_from(["unit", "service_area", "county_policy", "decision_under_preparation"]),
    st.tuples(st.booleans(), st.booleans()),  # reply asked, contact given
), min_size=1, max_size=5)
candidate_step = st.tuples(st.sampled_from(list(STEPS)), st.sampled_from(PERSONS),
                           st.integers(0, 72 * 60),  # minutes after the previous step
                           st.integers(1, 10 * 24 * 60),  # minutes until recorded
                           st.sampled_from(list(ReturnedTo)), st.booleans())
histories = st.lists(st.lists(candidate_step, max_size=7), min_size=6, max_size=6)


def _times(when: datetime, record_after: timedelta = timedelta(minutes=5)) -> dict[str, str]:
    return {"occurred_at": when.isoformat(), "recorded_at": (when + record_after).isoformat()}


def sources(kinds: list[tuple[Any, ...]], with_signal: bool) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for n, (kind, unit, severity, target, (reply, contact)) in enumerate(kinds):
        text = f"Palaute numero {n}: jonotin puhelimessa pitkään."
        SEVERITY_OF_TEXT[text] = severity
        common = {"event_id": str(uuid.uuid5(NS, f"source-{n}")), "county": "lappi",
                  **_times(START + timedelta(hours=n))}
        if kind == "feedback":
            out.append(factories.feedback(**common, unit=UNITS[unit], service_area=PTH,
                                          text=text, reply_requested=reply,
                                          contact="asiakas@example.fi" if contact else None))
        elif kind == "workshop":
            item = {"text": text, "target": target}
            if target == "decision_under_preparation":
                item["decision_ref"] = "LAPHA/1/2024"
            out.append(factories.workshop(
                **common, unit=UNITS[unit], service_area=PTH, workshop_id=f"ws-{n}",
                group_id=None, meeting_number=None, forum_type="pop_up",
                held_on=(START + timedelta(hours=n)).date().isoformat(), items=[item]))
        else:
            out.append(factories.statement(**common, service_area=PTH, text=text,
                                           county_wide=target == "county_policy",
                                           decision_ref="LAPHA/2/2024"
                                           if target == "decision_under_preparation" else None))
    feedback_ids = [item_id_for(SourceFamily.FEEDBACK, e["event_id"]) for e in out
                    if e["event_type"] == "feedback.submitted"]
    if with_signal and feedback_ids:
        out.append({
            "event_type": "signal.detected", "schema_version": 1,
            "event_id": str(uuid.uuid5(NS, "signal")), **_times(START + timedelta(hours=12)),
            "county": "lappi", "unit": UNITS[0], "service_area": PTH, "theme": "access",
            "week": "2024-W45", "threshold": 1, "members": feedback_ids, "stance": "complaint",
            "severity": "medium", "text": "Viikolla 45 palautteita odottamisesta.",
        })
    return out


def legal_history(received: list[LifecycleEvent], candidates: list[tuple[Any, ...]],
                  n: int) -> list[LifecycleEvent]:
    """The candidates the state machine accepts, in order, after the system's steps."""
    state: ItemState | None = None
    for event in received:
        state = apply(state, event)
    assert state is not None
    first = received[0]
    accepted: list[LifecycleEvent] = []
    when = first.occurred_at
    for k, (step, role, gap, delay, to, reason) in enumerate(candidates):
        when = when + timedelta(minutes=gap)
        fields = dict(FIELDS.get(step, {}))
        if step == "returned":
            fields |= {"returned_to": to, "channel": "kirje"}
            if reason:
                fields["no_decision_reason"] = "Kiitos, ei päätettävää."
        event = STEPS[step](
            event_id=uuid.uuid5(NS, f"{first.item_id}|{n}|{k}"), occurred_at=when,
            recorded_at=when + timedelta(minutes=delay), county=first.county, unit=first.unit,
            item_id=first.item_id, actor_role=role, **fields)
        try:
            state = apply(state, event)
        except IllegalTransition:
            continue
        accepted.append(event)
    return accepted


def build(path: Path, kinds: list[tuple[Any, ...]], with_signal: bool,
          steps: list[list[tuple[Any, ...]]], batches: int) -> Store:
    records: list[ConsumedRecord] = []
    offsets: Counter[str] = Counter()

    def add(topic: str, value: bytes) -> None:
        records.append(ConsumedRecord(topic, 0, offsets[topic], None, value))
        offsets[topic] += 1

    processor = Processor(T, classify=classify)
    system: dict[str, list[LifecycleEvent]] = {}
    for event in sources(kinds, with_signal):
        raw = factories.as_bytes(event)
        offsets[T.intake] += 1  # the sink reads the worker's sources copy, not intake
        origin = Origin(topic=T.intake, partition=0, offset=offsets[T.intake] - 1)
        for out in processor.process(raw, origin, datetime.fromisoformat(event["recorded_at"])):
            add(out.topic, out.value)
            if out.topic == T.lifecycle:
                step = parse(out.value)
                assert isinstance(step, LifecycleEvent)
                system.setdefault(str(step.item_id), []).append(step)
    # The signal (received last) first, so that its acknowledgement can precede its members'.
    for n, item in enumerate(reversed(list(system))):
        for step in legal_history(system[item], steps[n % len(steps)], n):
            add(T.lifecycle, step.to_json_bytes())
    store = Store(path)
    size = max(1, len(records) // batches + 1)
    for start in range(0, len(records), size):
        store.write(project(records[start:start + size], T, datetime.now(UTC)))
    return store


# -- the checks -------------------------------------------------------------------------------

def rows(con: duckdb.DuckDBPyConnection, sql: str) -> list[dict[str, Any]]:
    cur = con.execute(sql)
    names = [d[0] for d in cur.description or []]
    return [dict(zip(names, r, strict=True)) for r in cur.fetchall()]


def chained(row: dict[str, Any], *names: str) -> None:
    """Each count at most the one before it."""
    for lower, higher in pairwise(names):
        assert row[lower] >= row[higher], (lower, higher, row)


def check_moment(con: duckdb.DuckDBPyConnection, args: str | None) -> None:
    """Every inequality, on the views (args None) or on the macros at a moment."""
    def of(name: str) -> str:
        return name if args is None else f"{name}_at({args})"

    for r in rows(con, f"SELECT * FROM {of('item_milestones')}"):
        order = ["received_at", "acknowledged_at", "reached_leadership_at",
                 "reached_decision_makers_at"]
        for lower, higher in pairwise(order):
            if r[higher] is not None:
                assert r[lower] is not None and r[lower] <= r[higher], (lower, higher, r)
        if r["reached_leadership_via_aggregate"]:
            assert r["reached_leadership_at"] is not None, r
        if r["returned_to_client_at"] is not None:
            assert r["returned_at"] is not None and r["returned_at"] <= r["returned_to_client_at"]
    for view in ("flow_funnel", "flow_funnel_by_theme"):
        for r in rows(con, f"SELECT * FROM {of(view)}"):
            chained(r, "received", "acknowledged", "reached_leadership", "reached_decision_makers")
            for other in ("decided", "returned", "closed"):
                assert r["received"] >= r[other], (other, r)
    for r in rows(con, f"SELECT * FROM {of('reach_rates')}"):
        chained(r, "items", "acknowledged", "reached_leadership", "reached_decision_makers")
        assert r["reached_leadership"] >= r["reached_leadership_via_aggregate"], r
        chained(r, "acknowledged_share", "reached_leadership_share",
                "reached_decision_makers_share")
        assert r["acknowledged_share"] <= 1, r
    for r in rows(con, f"SELECT * FROM {of('return_rates')}"):
        chained(r, "items", "decided", "decided_and_returned")
        chained(r, "items", "returned", "decided_and_returned")
        chained(r, "items", "reply_requested", "replied_to_client")
        assert r["returned"] >= r["replied_to_client"], r
    most = Counter(r["item_id"] for r in rows(con, f"SELECT * FROM {of('overdue_items')}")
                   if r["most_overdue"])
    assert all(n == 1 for n in most.values()), most


def check_knowledge_items_agree(con: duckdb.DuckDBPyConnection) -> None:
    """knowledge_items' milestone columns (the sink's running projection) are item_milestones'
    (one definition, two places), and its status names leadership's acknowledgement."""
    columns = ("acknowledged_at", "reached_leadership_at", "reached_decision_makers_at",
               "decided_at", "returned_at", "closed_at")
    differs = " OR ".join(f"k.{c} IS DISTINCT FROM m.{c}" for c in columns)
    assert con.execute(f"SELECT k.item_id FROM knowledge_items AS k JOIN item_milestones AS m "
                       f"USING (item_id) WHERE {differs}").fetchall() == []
    by_leadership = con.execute("""
        SELECT k.item_id, k.status FROM knowledge_items AS k
        WHERE k.status NOT IN ('presented', 'decided', 'returned', 'closed')
          AND EXISTS (SELECT 1 FROM lifecycle AS l WHERE l.item_id = k.item_id
                      AND l.step = 'acknowledged'
                      AND l.actor_role IN ('leadership', 'decision_maker'))""").fetchall()
    assert all(status == "acknowledged_by_leadership" for _, status in by_leadership)


def check_recomputed(con: duckdb.DuckDBPyConnection) -> None:
    """`verify`'s second derivation of the materialised tables from the lifecycle payloads
    (sinks/audit/rederive.py) agrees with the sink's, whatever the histories and batches."""
    from sinks.audit.recompute import differences

    found = differences(con)
    assert found == [], [d.detail() for d in found[:5]]


def check_all(con: duckdb.DuckDBPyConnection) -> None:
    """The views, two earlier moments as the figures showed then, and the first of them as
    known now (steps recorded late included): each query takes a third of a second, so a few."""
    check_knowledge_items_agree(con)
    check_recomputed(con)
    check_moment(con, None)
    moments = [f"TIMESTAMPTZ '{(START + timedelta(days=day)).isoformat()}'" for day in (6, 15)]
    for moment in moments:
        check_moment(con, moment)
    check_moment(con, f"{moments[0]}, recorded_by := TIMESTAMPTZ '2025-06-01 00:00:00+00'")


@settings(max_examples=25, deadline=None, database=None)
@given(kinds=source_kinds, with_signal=st.booleans(), steps=histories,
       batches=st.integers(1, 3))
def test_no_milestone_count_exceeds_the_count_below_it(
    kinds: list[tuple[Any, ...]], with_signal: bool, steps: list[list[tuple[Any, ...]]],
    batches: int,
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        store = build(Path(tmp) / "s.duckdb", kinds, with_signal, steps, batches)
        try:
            check_all(store.con)
        finally:
            store.close()


# -- the contradictions the issue names, by example --------------------------------------------

def _one(con: duckdb.DuckDBPyConnection, sql: str) -> tuple[Any, ...]:
    row = con.execute(sql).fetchone()
    assert row is not None
    return tuple(row)


def no_missing_steps(con: duckdb.DuckDBPyConnection) -> None:
    """`verify` finds the event behind every milestone knowledge_items shows (an item
    acknowledged by reaching leadership has the presentation or the signal's acknowledgement)."""
    from sinks.audit.verify import Check, verify

    report = verify(con)
    missing = {item: [p.detail for p in problems if p.check is Check.MISSING_STEP]
               for item, problems in report.problems.items()}
    assert not any(missing.values()), missing


def test_presented_by_a_coordinator_counts_at_leadership_too(tmp_path: Path) -> None:
    """A proposal on a decision under preparation, routed to decision-makers, acknowledged and
    presented by the participation coordinator: it reached decision-makers, so it reached
    leadership (at the presentation), and the group shows no more items above than below."""
    coordinator = ActorRole.PARTICIPATION_COORDINATOR
    kinds = [("workshop", 0, Severity.LOW, "decision_under_preparation", (False, False))]
    steps = [[("acknowledged", coordinator, 60, 1, ReturnedTo.CLIENT, False),
              ("presented", coordinator, 60, 1, ReturnedTo.CLIENT, False)]]
    store = build(tmp_path / "s.duckdb", kinds, False, steps, 1)
    con = store.con
    assert _one(con, "SELECT count(*), count(reached_decision_makers_at), "
                     "count(reached_leadership_at), "
                     "bool_and(reached_leadership_at = reached_decision_makers_at) "
                     "FROM item_milestones") == (1, 1, 1, True)
    assert _one(con, "SELECT sum(reached_leadership), sum(reached_decision_makers) "
                     "FROM flow_funnel") == (1, 1)
    check_all(con)
    no_missing_steps(con)
    store.close()


def test_a_signal_acknowledged_by_leadership_acknowledges_its_members(tmp_path: Path) -> None:
    """A member nobody acknowledged itself reached leadership through the weekly signal: it
    counts as acknowledged then too (acknowledged >= reached leadership), and owes no
    acknowledgement any more."""
    kinds = [("feedback", 0, Severity.LOW, "unit", (True, True))]
    lead = ActorRole.LEADERSHIP
    # build() gives the signal the first history, its member the second (nothing)
    steps = [[("acknowledged", lead, 60, 1, ReturnedTo.CLIENT, False)], []]
    store = build(tmp_path / "s.duckdb", kinds, True, steps, 1)
    con = store.con
    got = _one(con, "SELECT acknowledged_at IS NOT NULL, acknowledged_at = reached_leadership_at, "
                    "reached_leadership_via_aggregate FROM item_milestones")
    assert got == (True, True, True)
    assert _one(con, "SELECT count(*) FROM open_obligations WHERE deadline = 'acknowledge'") \
        == (0,)
    check_all(con)
    no_missing_steps(con)
    store.close()


def test_leadership_acknowledgement_is_a_status_of_its_own(tmp_path: Path) -> None:
    """Escalated by the unit, then acknowledged by leadership: the item's status is
    acknowledged_by_leadership ("kuitattu johdossa"), not escalated, and the inbox's next
    deadline is the decision."""
    unit, lead = ActorRole.UNIT_MANAGER, ActorRole.LEADERSHIP
    kinds = [("feedback", 0, Severity.LOW, "unit", (False, False))]
    steps = [[("acknowledged", unit, 60, 1, ReturnedTo.CLIENT, False),
              ("escalated", unit, 60, 1, ReturnedTo.CLIENT, False),
              ("acknowledged", lead, 60, 1, ReturnedTo.CLIENT, False)]]
    store = build(tmp_path / "s.duckdb", kinds, False, steps, 1)
    assert _one(store.con, "SELECT status FROM knowledge_items") == ("acknowledged_by_leadership",)
    assert store.maybe_publish_snapshot(0, force=True)
    check_all(store.con)
    store.close()
    ((item_id, (status, received_at, decided_at)),) = \
        unit_store.unit_statuses(tmp_path / "s.duckdb", "lappi", UNITS[0]).items()
    assert status == "acknowledged_by_leadership" and received_at is not None
    assert STEP_FI[status].startswith("kuitattu johdossa")
    entry = InboxItem(item_id, "feedback", received_at, ("access",), "complaint", "low", False,
                      "teksti", status=status, decided_at=decided_at)
    due = inbox.due(entry, received_at.date())
    assert due is not None and due.next_step == "decided"


def test_the_inbox_owes_no_acknowledgement_for_a_member_of_an_acknowledged_signal(
    tmp_path: Path,
) -> None:
    """As in overdue_items: leadership acknowledged the signal holding the item."""
    kinds = [("feedback", 0, Severity.LOW, "unit", (False, False))]
    steps = [[("acknowledged", ActorRole.LEADERSHIP, 60, 1, ReturnedTo.CLIENT, False)], []]
    store = build(tmp_path / "s.duckdb", kinds, True, steps, 1)
    assert store.maybe_publish_snapshot(0, force=True)
    member = _one(store.con, "SELECT item_id, status FROM item_milestones "
                             "JOIN knowledge_items USING (item_id)")
    store.close()
    assert member[1] == "routed"  # its own furthest step
    statuses = unit_store.unit_statuses(tmp_path / "s.duckdb", "lappi", UNITS[0])
    assert statuses[member[0]][0] == "acknowledged_by_leadership"
