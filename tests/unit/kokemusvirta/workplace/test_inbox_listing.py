"""The web inbox's order, filters and words (pure)."""

from __future__ import annotations

from datetime import UTC, date, datetime

from kokemusvirta.workplace import inbox_listing as il
from managers.inbox import InboxItem

TODAY = date(2026, 10, 20)


def _item(item_id: str, severity: str, received: datetime, status: str = "routed",
          themes: tuple[str, ...] = ("access",), **kw: object) -> InboxItem:
    return InboxItem(item_id=item_id, source_family="feedback", received_at=received,
                     themes=themes, stance="complaint", severity=severity,
                     immediate_attention=False, text="t", status=status, **kw)  # type: ignore[arg-type]


OLD = datetime(2026, 10, 1, 9, tzinfo=UTC)
NEW = datetime(2026, 10, 19, 9, tzinfo=UTC)
ITEMS = [
    (_item("fb-000000000000000a", "low", OLD), "u1"),
    (_item("fb-000000000000000b", "critical", NEW, confirmation_waiting=True), "u1"),
    (_item("fb-000000000000000c", "high", NEW, themes=("safety",)), "u2"),
    (_item("fb-000000000000000d", "critical", OLD, status="acknowledged"), "u1"),
    (_item("fb-000000000000000e", "critical", OLD, status="returned"), "u1"),
]


def _ids(listed: list[il.Listed]) -> list[str]:
    return [e.item.item_id[-1] for e in listed]


def test_critical_first_then_nearest_deadline_and_returned_items_leave() -> None:
    listed = il.listing(ITEMS, il.choice({}), TODAY)
    # d (critical, acknowledged 1 Oct: decide by 31 Oct) and b (critical, acknowledge by 22 Oct)
    assert _ids(listed) == ["b", "d", "c", "a"]


def test_orders_by_query_parameter() -> None:
    assert _ids(il.listing(ITEMS, il.choice({"jarjestys": "saapui"}), TODAY))[:2] == ["b", "c"]
    assert _ids(il.listing(ITEMS, il.choice({"jarjestys": "tila"}), TODAY))[-1] == "d"


def test_filters_by_severity_theme_status_overdue_and_unit() -> None:
    assert _ids(il.listing(ITEMS, il.choice({"vakavuus": "critical"}), TODAY)) == ["b", "d"]
    assert _ids(il.listing(ITEMS, il.choice({"teema": "safety"}), TODAY)) == ["c"]
    assert _ids(il.listing(ITEMS, il.choice({"tila": "acknowledged"}), TODAY)) == ["d"]
    assert _ids(il.listing(ITEMS, il.choice({"myohassa": "1"}), TODAY)) == ["a"]
    assert _ids(il.listing(ITEMS, il.choice({"yksikko": "u2"}, units=["u1", "u2"]),
                           TODAY)) == ["c"]


def test_unknown_values_are_named_not_obeyed() -> None:
    chosen = il.choice({"jarjestys": "x", "vakavuus": "huge", "yksikko": "not-mine"},
                       units=["u1"])
    assert chosen.order == "kiireellisyys" and chosen.severity is None and chosen.unit is None
    assert set(chosen.ignored) == {"jarjestys", "vakavuus", "yksikko"}


def test_rows_say_severity_and_lateness_in_words() -> None:
    listed = il.listing(ITEMS, il.choice({}), TODAY)
    rows = {r.item_id[-1]: r for r in il.rows(listed, "sv")}
    assert rows["b"].severity == "kritisk (väntar på bekräftelse)"
    assert rows["a"].overdue and "försenad" in rows["a"].deadline
    assert rows["d"].status == "kvitterat"


def test_query_keeps_the_other_choices() -> None:
    chosen = il.choice({"vakavuus": "high", "jarjestys": "saapui"})
    assert chosen.query(jarjestys="tila") == "?jarjestys=tila&vakavuus=high"
    assert il.choice({}).query() == ""


def test_a_page_of_the_list_and_its_neighbours() -> None:
    listed = il.listing(ITEMS, il.choice({}), TODAY)  # four open items
    first = il.paged(listed, 1, size=3)
    assert (first.number, first.pages, first.total, first.first, first.last) == (1, 2, 4, 1, 3)
    assert first.entries == listed[:3] and (first.previous, first.next) == (None, 2)
    second = il.paged(listed, 2, size=3)
    assert second.entries == listed[3:] and (second.previous, second.next) == (1, None)
    assert il.paged(listed, 9, size=3).number == 2  # past the last page: the last
    empty = il.paged([], 1)
    assert (empty.pages, empty.total, empty.first, empty.last) == (1, 0, 0, 0)


def test_the_page_number_from_the_address() -> None:
    assert il.choice({"sivu": "3"}).page == 3
    for odd in ("0", "-1", "kaksi", "1e3", "٣"):
        chosen = il.choice({"sivu": odd})
        assert chosen.page == 1 and chosen.ignored == ("sivu",), odd
    chosen = il.choice({"sivu": "2", "vakavuus": "critical"})
    assert chosen.query() == "?vakavuus=critical"  # a new order or filter: the first page
    assert chosen.query(sivu="3") == "?vakavuus=critical&sivu=3"


def test_candidates_are_ordered_as_the_items_are() -> None:
    """`ordered` (the store's pre-filtered candidates) gives `listing`'s order and deadlines."""
    for params in ({}, {"jarjestys": "maaraaika"}, {"jarjestys": "tila"}, {"myohassa": "1"}):
        chosen = il.choice(params)
        candidates = [il.Candidate(i.item_id, i.severity, i.received_at, i.status, i.decided_at,
                                   i.reply_owed, unit) for i, unit in ITEMS
                      if i.status != "returned"]
        got = [(e.item.item_id, e.unit, e.due) for e in il.ordered(candidates, chosen, TODAY)]
        want = [(e.item.item_id, e.unit, e.due) for e in il.listing(ITEMS, chosen, TODAY)]
        assert got == want, params
