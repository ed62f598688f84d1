"""Unit managers' commands, the pure parts: requests, pre-check, inbox order and deadlines."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest

from kokemusvirta.cli import build_parser
from managers import inbox as ib
from managers import requests as mg
from schemas.deadlines import add_working_days, is_working_day, working_days_between
from schemas.knowledge import (
    Classification,
    KnowledgeItem,
    RecipientLevel,
    Route,
    SourceFamily,
)
from schemas.lifecycle import (
    ActorRole,
    ItemAcknowledged,
    ItemClassified,
    ItemReceived,
    ItemReturned,
    ItemRouted,
    LifecycleEvent,
    Outcome,
    ReturnedTo,
)
from schemas.registry import parse
from schemas.taxonomy import Severity, Stance, Theme

NOW = datetime(2026, 10, 20, 9, 0, tzinfo=UTC)
ITEM = "fb-0123456789abcdef"


RECEIVED = datetime(2026, 10, 1, 7, tzinfo=UTC)
UNIT_TOPIC = "t.routed.unit.lappi.rovaniemen-terveysasema"


def _system(step: str, at: datetime, **fields: object) -> LifecycleEvent:
    cls = {"received": ItemReceived, "classified": ItemClassified, "routed": ItemRouted}[step]
    return cls(event_id=uuid.uuid4(), occurred_at=at, recorded_at=at, county="lappi",
               unit="rovaniemen-terveysasema", item_id=ITEM, actor_role=ActorRole.SYSTEM,
               **fields)


Step = tuple[str, str, int, Mapping[str, object]]


def state(*steps: Step, routed: bool = True,
          levels: tuple[RecipientLevel, ...] = (RecipientLevel.UNIT,)) -> mg.ItemState:
    """An item received on 1.10. and processed (classified, routed) on 20.10., like a replayed
    old feedback, then the people's steps given as (step, role, day of October 2026, fields)."""
    item = KnowledgeItem(item_id=ITEM, source_family=SourceFamily.FEEDBACK, source_event_id="s",
                         county="lappi", service_area="perusterveydenhuolto",
                         unit="rovaniemen-terveysasema", text="Jonotin tunnin.")
    history = [_system("received", RECEIVED, item=item)]
    if routed:
        history += [
            _system("classified", NOW, classification=Classification(
                themes=(Theme.ACCESS,), stance=Stance.COMPLAINT, severity=Severity.LOW,
                rules=(), classifier_version="t")),
            _system("routed", NOW, routes=tuple(
                Route(level=lv, topic=f"{UNIT_TOPIC}.{lv.value}", reason="r") for lv in levels)),
        ]
    base = mg.ItemState(ITEM, "lappi", "rovaniemen-terveysasema", "routed", tuple(history))
    for step, role, day, fields in steps:
        history.append(mg.build_request(step, base, ActorRole(role),
                                        datetime(2026, 10, day, 8, tzinfo=UTC), NOW,
                                        dict(fields)))
    return replace(base, history=tuple(history))


ACK: Step = ("acknowledged", "unit_manager", 2, {})
DECIDED: Step = ("decided", "unit_manager", 3, {"outcome": Outcome.ADOPTED, "rationale": "ok"})


def request(step: str, item: mg.ItemState, role: ActorRole = ActorRole.UNIT_MANAGER,
            at: datetime = NOW, **fields: object) -> LifecycleEvent:
    return mg.build_request(step, item, role, at, NOW, dict(fields))


# --- requests ------------------------------------------------------------------------------

def test_a_request_is_an_unsealed_lifecycle_event_of_the_item() -> None:
    event = request("acknowledged", state())
    assert isinstance(event, ItemAcknowledged)
    assert (event.county, event.unit, event.item_id) == ("lappi", "rovaniemen-terveysasema", ITEM)
    assert event.actor_role is ActorRole.UNIT_MANAGER
    assert event.chain_prev is None and event.chain_hash is None
    assert event.occurred_at == event.recorded_at == NOW
    assert event.kafka_key() == ITEM.encode()
    assert parse(event.to_json_bytes()) == event  # what the worker will read back


def test_each_request_gets_a_fresh_event_id() -> None:
    item = state()
    assert request("closed", item).event_id != request("closed", item).event_id


def test_a_request_carries_the_steps_own_fields() -> None:
    event = request("returned", state(), returned_to=ReturnedTo.PUBLIC_DIGEST,
                    channel="digest 2026-10")
    assert isinstance(event, ItemReturned)
    assert event.returned_to is ReturnedTo.PUBLIC_DIGEST and event.no_decision_reason is None


def test_a_bad_field_is_a_request_error_naming_the_field() -> None:
    with pytest.raises(mg.RequestError, match="rationale"):
        request("decided", state(), outcome=Outcome.ADOPTED, rationale="")
    with pytest.raises(mg.RequestError, match="body"):
        request("presented", state(), body="x" * 201, agenda_ref="AH §4")


def test_a_person_never_acts_as_the_system() -> None:
    with pytest.raises(mg.RequestError, match="system"):
        request("acknowledged", state(), role=ActorRole.SYSTEM)


@pytest.mark.parametrize("text", ["lappi", "lappi.", ".x", "Lappi.x", "lappi.a b", "a.b.c!"])
def test_unit_must_be_county_dot_unit(text: str) -> None:
    with pytest.raises(mg.RequestError, match="county"):
        mg.parse_unit(text)


def test_unit_parses() -> None:
    assert mg.parse_unit("lappi.rovaniemen-terveysasema") == ("lappi", "rovaniemen-terveysasema")


def test_item_id_is_checked() -> None:
    assert mg.check_item_id(ITEM) == ITEM
    with pytest.raises(mg.RequestError, match="not an item id"):
        mg.check_item_id("fb-123")


def test_at_defaults_to_now_reads_finnish_time_and_refuses_the_future() -> None:
    assert mg.parse_at(None, NOW) == NOW
    assert mg.parse_at("2026-10-05T09:30", NOW) == datetime(2026, 10, 5, 6, 30, tzinfo=UTC)
    assert mg.parse_at("2026-10-05T09:30:00+00:00", NOW) == datetime(2026, 10, 5, 9, 30,
                                                                      tzinfo=UTC)
    with pytest.raises(mg.RequestError, match="future"):
        mg.parse_at((NOW + timedelta(hours=1)).isoformat(), NOW)
    with pytest.raises(mg.RequestError, match="ISO"):
        mg.parse_at("yesterday", NOW)


# --- pre-check -----------------------------------------------------------------------------

def refusal(step: str, item: mg.ItemState, role: ActorRole = ActorRole.UNIT_MANAGER,
            at: datetime = NOW, **fields: object) -> str | None:
    return mg.precheck(item, mg.build_request(step, item, role, at, NOW, dict(fields)))


def test_precheck_lets_legal_steps_and_skips_through() -> None:
    item = state()
    assert refusal("acknowledged", item) is None
    acked = state(ACK)
    assert refusal("closed", acked) is None  # skipping to the end is allowed
    assert refusal("decided", acked, outcome=Outcome.ADOPTED, rationale="ok") is None
    # leadership's own acknowledgement is a step after the manager's and after escalation
    escalated = state(ACK, ("escalated", "unit_manager", 3, {}))
    assert refusal("acknowledged", escalated, role=ActorRole.LEADERSHIP) is None


def test_precheck_times_a_step_against_receipt_and_people_not_processing() -> None:
    # Classified and routed carry the worker's time (20.10.); a manager back-dating the
    # acknowledgement to 2.10. is fine, as the worker's rules say.
    at = datetime(2026, 10, 2, 8, tzinfo=UTC)
    assert refusal("acknowledged", state(), at=at) is None
    too_early = datetime(2026, 9, 30, tzinfo=UTC)
    assert "earlier" in (refusal("acknowledged", state(), at=too_early) or "")
    acked = state(("acknowledged", "unit_manager", 10, {}))
    assert "earlier" in (refusal("closed", acked, at=datetime(2026, 10, 9, tzinfo=UTC)) or "")


def test_precheck_refuses_repeats_reordering_and_missing_prerequisites() -> None:
    assert "repeated" in (refusal("acknowledged", state(ACK)) or "")
    assert "out of order" in (refusal("escalated", state(ACK, DECIDED)) or "")
    assert "routed" in (refusal("acknowledged", state(routed=False)) or "")
    assert "acknowledged" in (refusal("decided", state(), outcome=Outcome.ADOPTED,
                                      rationale="ok") or "")
    assert "acknowledged" in (refusal("escalated", state()) or "")
    closed = state(ACK, ("closed", "unit_manager", 3, {}))
    assert "out of order" in (refusal("returned", closed, returned_to=ReturnedTo.CLIENT,
                                      channel="letter") or "")
    # leadership acknowledges only what was escalated or routed to it
    assert "leadership" in (refusal("acknowledged", state(), role=ActorRole.LEADERSHIP) or "")
    assert refusal("acknowledged", state(levels=(RecipientLevel.UNIT, RecipientLevel.LEADERSHIP)),
                   role=ActorRole.LEADERSHIP) is None


def test_precheck_wants_a_reason_for_a_return_without_decision() -> None:
    assert "no_decision_reason" in (refusal("returned", state(ACK), returned_to=ReturnedTo.CLIENT,
                                            channel="letter") or "")
    assert refusal("returned", state(ACK), returned_to=ReturnedTo.CLIENT, channel="letter",
                   no_decision_reason="kiitos, ei päätettävää") is None
    assert refusal("returned", state(ACK, DECIDED), returned_to=ReturnedTo.PUBLIC_DIGEST,
                   channel="digest 2026-10") is None


def test_precheck_leaves_an_item_without_history_to_the_worker() -> None:
    bare = mg.ItemState(ITEM, "lappi", None, "unknown")
    assert refusal("acknowledged", bare) is None


# --- arguments -----------------------------------------------------------------------------

def test_commands_parse_with_their_defaults() -> None:
    p = build_parser()
    a = p.parse_args(["ack", ITEM])
    # No --as: the caller acts in the role of its client configuration (checked when it runs).
    assert (a.actor_role, a.no_wait, a.timeout, a.at) == (None, False, 30.0, None)
    a = p.parse_args(["decide", ITEM, "--outcome", "partly", "--rationale", "r", "--no-wait"])
    assert (a.outcome, a.ref, a.no_wait) == ("partly", None, True)
    a = p.parse_args(["return", ITEM, "--to", "public_digest", "--channel", "verkkosivu"])
    assert a.no_decision_reason is None
    a = p.parse_args(["present", ITEM, "--body", "aluehallitus", "--ref", "AH §4", "--as",
                      "leadership"])
    assert a.actor_role == "leadership"
    a = p.parse_args(["inbox", "--unit", "lappi.x", "--today", "2026-10-20"])
    assert (a.today, a.limit, a.all) == (date(2026, 10, 20), 50, False)
    a = p.parse_args(["digest", "--unit", "lappi.x", "--period", "2026-10"])
    assert (a.swedish, a.publish, a.actor_role) == ("auto", False, None)


@pytest.mark.parametrize("role", ["unit_manager", "leadership", "decision_maker"])
def test_ack_takes_every_role_that_acknowledges(role: str) -> None:
    """`ack --as` offers the role of every requester (schemas/access.py): the unit's managers,
    the service area's leadership, the county's decision-makers. A participation coordinator
    has no request topic of its own (yet), so it is not offered."""
    assert build_parser().parse_args(["ack", ITEM, "--as", role]).actor_role == role


@pytest.mark.parametrize("argv", [
    ["ack", ITEM, "--as", "system"],
    ["ack", ITEM, "--as", "participation_coordinator"],  # no request topic of its own
    ["decide", ITEM, "--outcome", "maybe", "--rationale", "r"],
    ["decide", ITEM, "--outcome", "adopted"],
    ["present", ITEM, "--body", "aluehallitus"],
    ["return", ITEM, "--to", "neighbour", "--channel", "x"],
    ["ack", ITEM, "--timeout", "0"],
    ["inbox"],
    ["inbox", "--unit", "lappi.x", "--today", "tomorrow"],
])
def test_bad_arguments_are_refused_before_anything_runs(argv: list[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        build_parser().parse_args(argv)
    assert exited.value.code == 2


# --- working days --------------------------------------------------------------------------

def test_working_days_skip_weekends_and_finnish_holidays() -> None:
    assert not is_working_day(date(2026, 12, 24))  # jouluaatto
    assert not is_working_day(date(2026, 12, 6))  # itsenäisyyspäivä (a Sunday anyway)
    assert not is_working_day(date(2026, 6, 19))  # juhannusaatto
    assert is_working_day(date(2026, 10, 30))
    # Friday 2026-10-30; Saturday 31.10. is pyhäinpäivä anyway: Mon, Tue, Wed
    assert add_working_days(date(2026, 10, 30), 3) == date(2026, 11, 4)
    # Tuesday 22.12.: 23.12. (Wed), then 24–27.12. are off, Mon 28.12., Tue 29.12.
    assert add_working_days(date(2026, 12, 22), 3) == date(2026, 12, 29)
    assert working_days_between(date(2026, 12, 22), date(2026, 12, 29)) == 3
    assert working_days_between(date(2026, 12, 29), date(2026, 12, 22)) == -3
    assert working_days_between(date(2026, 10, 20), date(2026, 10, 20)) == 0


# --- inbox ---------------------------------------------------------------------------------

def entry(item_id: str, severity: str, day: int, status: str = "routed",
          decided_day: int | None = None) -> ib.InboxItem:
    return ib.InboxItem(
        item_id=item_id, source_family="feedback",
        received_at=datetime(2026, 10, day, 8, tzinfo=UTC), themes=("access",),
        stance="complaint", severity=severity, immediate_attention=severity == "critical",
        text="Jonotin tunnin.", status=status,
        decided_at=datetime(2026, 10, decided_day, 8, tzinfo=UTC) if decided_day else None,
    )


def test_inbox_lists_most_severe_first_and_newest_first_within_a_severity() -> None:
    items = [entry("fb-0000000000000001", "low", 15), entry("fb-0000000000000002", "critical", 1),
             entry("fb-0000000000000003", "none", 19), entry("fb-0000000000000004", "low", 18),
             entry("fb-0000000000000005", "high", 2), entry("fb-0000000000000006", "medium", 3)]
    assert [i.item_id[-1] for i in ib.inbox_order(items)] == ["2", "5", "6", "4", "1", "3"]


def test_open_means_not_returned_and_not_closed() -> None:
    items = [entry(f"fb-000000000000000{n}", "low", n, status=s) for n, s in enumerate(
        ["routed", "acknowledged", "decided", "returned", "closed", "unknown"], start=1)]
    assert [i.status for i in ib.open_items(items)] == [
        "unknown", "decided", "acknowledged", "routed"]
    assert len(ib.open_items(items, include_all=True)) == 6


def test_deadlines_acknowledge_in_three_working_days_decide_in_30_return_in_14() -> None:
    today = date(2026, 10, 20)  # a Tuesday
    # received Thu 15.10.: acknowledge by Tue 20.10. -> today
    ack = ib.due(entry("fb-0000000000000001", "low", 15), today)
    assert ack == ib.Due("acknowledged", date(2026, 10, 20), 0)
    # received Fri 9.10.: due Wed 14.10., four working days late on Tue 20.10.
    late = ib.due(entry("fb-0000000000000002", "low", 9), today)
    assert late is not None and late.overdue and late.working_days_left == -4
    assert "myöhässä (overdue) 4 työpv" in ib.deadline_text(late)
    # acknowledged, received 1.10.: 30 days is Sat 31.10., so Mon 2.11.: 21–23.10., 26–30.10.
    # and 2.11. are 9 working days ahead
    decide = ib.due(entry("fb-0000000000000003", "low", 1, status="acknowledged"), today)
    assert decide == ib.Due("decided", date(2026, 11, 2), 9)
    assert "9 työpv jäljellä" in ib.deadline_text(decide)
    # decided 2.10.: return by 16.10., two working days late
    back = ib.due(entry("fb-0000000000000004", "low", 1, status="decided", decided_day=2), today)
    assert back == ib.Due("returned", date(2026, 10, 16), -2)
    # decided 19.10.: return by 2.11., but a client who asked for a reply gets it by 31.10.,
    # which moves to Mon 2.11. as well; received 1.9. the reply was due 1.10.
    owed = replace(entry("fb-0000000000000006", "low", 1, status="decided", decided_day=19),
                   reply_owed=True, received_at=datetime(2026, 9, 1, 8, tzinfo=UTC))
    assert ib.due(owed, today) == ib.Due("returned", date(2026, 10, 1), -13)
    assert ib.due(entry("fb-0000000000000005", "low", 1, status="unknown"), today) is None
    assert ib.deadline_text(None) == "–"


def test_inbox_rows_show_finnish_labels() -> None:
    row = ib.table_rows([entry("fb-0000000000000002", "critical", 19)], date(2026, 10, 20))[0]
    assert row[0] == "kriittinen !"
    assert row[4] == "Saatavuus ja odottaminen" and row[5] == "epäkohta"
    data = ib.json_rows([entry("fb-0000000000000002", "critical", 19)], date(2026, 10, 20))[0]
    assert data["themes_fi"] == ["Saatavuus ja odottaminen"]
    assert data["next_step"] == "acknowledged" and data["overdue"] is False
