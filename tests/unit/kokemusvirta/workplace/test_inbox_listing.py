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
