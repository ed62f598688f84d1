"""Open data must not give a suppressed cell away by subtraction (kokemusvirta/site/opendata.py
`complementary`): a month is its quarter minus the other months, a theme `all` minus the other
themes. Each test plays the attacker on the published rows and shows the subtraction no longer
yields the hidden count."""

from __future__ import annotations

from typing import Any

from kokemusvirta.site import opendata

LIMIT = 5  # sinks/suppression.sql small_group_limit(); the primary flag below follows it


def _row(unit: str, period_type: str, period: str, theme: str, n: int) -> dict[str, Any]:
    return {"county": "lappi", "service_area": "terveys", "unit": unit,
            "period_type": period_type, "period": period, "theme": theme,
            "items_received": n, "acknowledged": n, "decided": n - 1 if n else 0,
            "returned": 0, "suppressed": 1 <= n < LIMIT}


def _cell(rows: list[dict[str, Any]], period: str, theme: str = "all",
          unit: str = "u") -> dict[str, Any]:
    return next(r for r in rows if (r["unit"], r["period"], r["theme"]) == (unit, period, theme))


def _recoverable(total: dict[str, Any], parts: list[dict[str, Any]]) -> bool:
    """Whether an attacker recovers a hidden cell: exactly one unknown in total = sum(parts)."""
    unknown = [c for c in [total, *parts] if c["items_received"] is None]
    return len(unknown) == 1


def _quarter_rows() -> list[dict[str, Any]]:
    # October 3 items (small), November 7, December 9: the quarter 19.
    return [_row("u", "month", "2026-10", "all", 3), _row("u", "month", "2026-11", "all", 7),
            _row("u", "month", "2026-12", "all", 9), _row("u", "quarter", "2026-Q4", "all", 19)]


def test_a_small_month_is_no_longer_its_quarter_minus_the_other_months() -> None:
    rows = opendata.published(_quarter_rows())
    months = [_cell(rows, p) for p in ("2026-10", "2026-11", "2026-12")]
    quarter = _cell(rows, "2026-Q4")
    assert months[0]["items_received"] is None  # the store's own rule
    assert not _recoverable(quarter, months)
    # the next smallest month goes with it, the quarter and the biggest month stay
    assert months[1]["suppressed"] is True and months[1]["acknowledged"] is None
    assert (months[2]["items_received"], quarter["items_received"]) == (9, 19)


def test_without_the_complementary_rule_the_month_would_be_recovered() -> None:
    """The attack this file is about, on the store's primary rule alone."""
    rows = [{**r, "items_received": None if r["suppressed"] else r["items_received"]}
            for r in _quarter_rows()]
    months = [_cell(rows, p) for p in ("2026-10", "2026-11", "2026-12")]
    quarter = _cell(rows, "2026-Q4")
    assert _recoverable(quarter, months)
    assert quarter["items_received"] - 7 - 9 == 3


def test_a_small_theme_is_no_longer_all_minus_the_other_themes() -> None:
    rows = opendata.published([
        _row("u", "month", "2026-11", "all", 20), _row("u", "month", "2026-11", "access", 12),
        _row("u", "month", "2026-11", "staff", 6), _row("u", "month", "2026-11", "none", 2)])
    all_ = _cell(rows, "2026-11")
    themes = [_cell(rows, "2026-11", t) for t in ("access", "staff", "none")]
    assert not _recoverable(all_, themes)
    assert [t["suppressed"] for t in themes] == [False, True, True]  # staff: the next smallest
    assert all_["items_received"] == 20


def test_a_complementary_cell_in_one_sum_is_protected_in_the_other() -> None:
    """Hiding November's theme `staff` leaves it alone in its quarter's months: the rule runs
    until no sum has exactly one hidden cell, across both kinds of sum."""
    source = [
        _row("u", "month", "2026-10", "all", 10), _row("u", "month", "2026-10", "access", 10),
        _row("u", "month", "2026-11", "all", 20), _row("u", "month", "2026-11", "access", 12),
        _row("u", "month", "2026-11", "staff", 6), _row("u", "month", "2026-11", "none", 2),
        _row("u", "month", "2026-12", "all", 8), _row("u", "month", "2026-12", "staff", 8),
        _row("u", "quarter", "2026-Q4", "all", 38), _row("u", "quarter", "2026-Q4", "access", 22),
        _row("u", "quarter", "2026-Q4", "staff", 14), _row("u", "quarter", "2026-Q4", "none", 2)]
    rows = opendata.published(source)
    sums = []
    for period in ("2026-10", "2026-11", "2026-12", "2026-Q4"):
        themes = [r for r in rows if r["period"] == period and r["theme"] != "all"]
        sums.append((_cell(rows, period), themes))
    for theme in ("all", "access", "staff", "none"):
        months = [r for r in rows if r["period_type"] == "month" and r["theme"] == theme]
        sums.append((_cell(rows, "2026-Q4", theme), months))
    for total, parts in sums:
        assert not _recoverable(total, parts), (total["period"], total["theme"])
    assert _cell(rows, "2026-Q4", "none")["suppressed"] is True  # equals November's none


def test_a_month_with_no_other_months_takes_its_quarter_with_it() -> None:
    """An absent month is a known 0, so a quarter of one month equals it."""
    rows = opendata.published([
        _row("u", "month", "2026-11", "all", 9), _row("u", "month", "2026-11", "access", 6),
        _row("u", "month", "2026-11", "none", 3), _row("u", "quarter", "2026-Q4", "all", 9),
        _row("u", "quarter", "2026-Q4", "access", 6), _row("u", "quarter", "2026-Q4", "none", 3)])
    assert _cell(rows, "2026-11", "access")["suppressed"] is True
    assert _cell(rows, "2026-Q4", "access")["suppressed"] is True
    assert _cell(rows, "2026-11")["items_received"] == 9  # the totals stay


def test_units_and_service_areas_are_separate_sums_and_nothing_else_is_touched() -> None:
    rows = opendata.published([
        _row("u", "month", "2026-11", "all", 3), _row("v", "month", "2026-11", "all", 7),
        _row("u", "quarter", "2026-Q4", "all", 3), _row("v", "quarter", "2026-Q4", "all", 7)])
    assert [r["suppressed"] for r in rows] == [True, False, True, False]
    assert _cell(rows, "2026-11", unit="v")["items_received"] == 7


def test_the_choice_is_deterministic() -> None:
    source = [_row("u", "month", "2026-11", "all", 20)] + [
        _row("u", "month", "2026-11", t, n) for t, n in (("b", 6), ("a", 6), ("c", 2))]
    first = opendata.published(source)
    assert first == opendata.published(list(reversed(source)))[::-1]
    assert _cell(first, "2026-11", "a")["suppressed"] and not _cell(first, "2026-11", "b")[
        "suppressed"]
