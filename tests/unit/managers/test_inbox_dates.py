"""The inbox with times a store may hold from before the worker's time window: no deadline is
counted outside the working-day calendar, and nothing raises."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from managers import inbox as ib

TODAY = date(2026, 12, 7)


def item(received: datetime, status: str = "routed",
         decided: datetime | None = None) -> ib.InboxItem:
    return ib.InboxItem(item_id="fb-1", source_family="feedback", received_at=received,
                        themes=("access",), stance="complaint", severity="medium",
                        immediate_attention=False, text="Jonotin.", status=status,
                        decided_at=decided, reply_owed=True)


@pytest.mark.parametrize("received", [
    datetime(9999, 12, 31, 23, 59, 59, tzinfo=UTC),  # year 10000 in Finland: OverflowError
    datetime(9999, 1, 1, tzinfo=UTC), datetime(1900, 1, 1, tzinfo=UTC),
    datetime(1, 1, 1, tzinfo=UTC),
])
@pytest.mark.parametrize("status", ["routed", "acknowledged", "decided"])
def test_a_time_outside_the_calendar_has_no_deadline(received: datetime, status: str) -> None:
    i = item(received, status, decided=received)
    assert ib.due(i, TODAY) is None
    row = ib.table_rows([i], TODAY)[0]
    assert row[6] == "–" and row[1][:4] in ("9999", "1900", "0001")
    assert ib.json_rows([i], TODAY)[0]["due"] is None


def test_a_decision_past_9999_leaves_the_return_uncounted() -> None:
    i = item(datetime(2026, 12, 1, 9, tzinfo=UTC), "decided",
             decided=datetime(9999, 12, 31, 23, 59, tzinfo=UTC))
    assert ib.due(i, TODAY) is None


def test_ordinary_items_keep_their_deadline() -> None:
    d = ib.due(item(datetime(2026, 12, 1, 9, tzinfo=UTC)), TODAY)
    assert d is not None and d.on == date(2026, 12, 4) and d.overdue
    assert ib.due(item(datetime(2026, 12, 1, 9, tzinfo=UTC)), date(9999, 1, 1)) is None


def test_a_big_inbox_counts_each_day_once() -> None:
    """A unit's inbox asks the same (day, deadline) questions for thousands of items; each
    answer walks the calendar day by day, so it is kept (44,000 items: 4 s without)."""
    from schemas.deadlines import working_days_between
    working_days_between.cache_clear()
    items = [item(datetime(2025, 11, 3 + n % 20, 9, tzinfo=UTC)) for n in range(2_000)]
    dues = [ib.due(i, TODAY) for i in items]
    assert all(d is not None for d in dues)
    assert working_days_between.cache_info().misses <= 60  # 20 days, not 2,000 items
