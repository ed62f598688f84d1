"""The trend with its still-open part and the scoped queries, on stores built through the
sink's own path (no broker): the hand-computed flow scenario (tests/flow_scenario.py) and a
store of the demo's generated scenario."""

from __future__ import annotations

from datetime import date
from itertools import pairwise
from typing import Any

import duckdb
import pytest
from pytest import approx

from dashboards import pages, queries
from dashboards.filters import Filters
from dashboards.scope import Scope
from scenario import generate
from scenario.bench_store import prepare
from sinks.store import Store
from tests.integration.sinks.test_views import build


@pytest.fixture(scope="module")
def con(tmp_path_factory: pytest.TempPathFactory) -> duckdb.DuckDBPyConnection:
    return build(tmp_path_factory.mktemp("trend") / "s.duckdb").con


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> duckdb.DuckDBPyConnection:
    store = Store(tmp_path_factory.mktemp("generated") / "g.duckdb")
    raws = [r.value for r in generate(11, events=1500, start=date(2026, 3, 2), weeks=8)]
    for first in range(0, len(raws), 500):
        prepared = prepare(first, raws[first:first + 500])
        store.write_staged(prepared.staged, prepared.offsets, prepared.counters)
    return store.con


def trend(con: duckdb.DuckDBPyConnection, f: Filters | None = None,
          **picked: str) -> list[dict[str, Any]]:
    return queries.run(con, "trend", f, picked).records()


def test_the_trend_by_hand_shows_the_still_open_part(con: duckdb.DuckDBPyConnection) -> None:
    # by month of receipt: 9.2024 F9 (1), 11.2024 F4 F5 (2): small groups, nothing shown;
    # 12.2024 F1 F2 F3 F6 F7 F8 S1 (7): acknowledged F1 F2 F6 F7 S1, still open F3 F8
    rows = trend(con, milestone="acknowledged")
    assert [r["period"] for r in rows] == ["2024-09", "2024-11", "2024-12"]
    assert all(r["suppressed"] and r["items"] is None for r in rows[:2])
    dec = rows[2]
    assert (dec["items"], dec["reached"], dec["closed_unreached"], dec["still_open"]) == \
        (7, 5, 0, 2)
    assert dec["reached_share"] == approx(5 / 7)
    assert dec["previous_items"] is None and dec["items_change"] is None  # against suppressed
    # returned: F1 F6 S1; F2 F3 F7 F8 still open, none closed without a return
    dec = trend(con, milestone="returned")[2]
    assert (dec["reached"], dec["closed_unreached"], dec["still_open"]) == (3, 0, 4)


def test_the_trend_by_week_and_the_period_comparison(
    generated: duckdb.DuckDBPyConnection,
) -> None:
    weeks = trend(generated, grain="week", milestone="acknowledged")
    assert len(weeks) >= 8 and all(str(w["period"]).startswith("2026-W") for w in weeks)
    monday = [w["period_start"] for w in weeks]
    assert all(isinstance(d, date) and d.weekday() == 0 for d in monday)
    shown = [w for w in weeks if not w["suppressed"]]
    assert shown
    for w in shown:  # the three parts are the period's items
        assert w["reached"] + w["closed_unreached"] + w["still_open"] == w["items"]
    for before, now in pairwise(weeks):
        assert now["previous_items"] == before["items"]
        if now["items"] is not None and before["items"] is not None:
            assert now["items_change"] == now["items"] - before["items"]
    total = generated.execute("SELECT count(*) FROM item_milestones").fetchone()
    assert total is not None
    assert sum(int(w["items"]) for w in shown) + 4 * (len(weeks) - len(shown)) >= total[0]


def test_a_scoped_query_never_returns_another_scopes_rows(
    generated: duckdb.DuckDBPyConnection,
) -> None:
    county, area, unit, n = generated.execute(
        "SELECT county, service_area, unit, count(*) FROM overdue_items WHERE unit IS NOT NULL "
        "GROUP BY ALL ORDER BY 4 DESC LIMIT 1").fetchone() or (None, None, None, 0)
    assert n, "the generated store has overdue items"
    manager = Scope.of("unit_manager", f"{county}.{unit}").clamp(Filters())
    for row in queries.run(generated, "overdue_items_list", manager).records():
        assert (row["county"], row["unit"]) == (county, unit)
    for row in queries.run(generated, "overdue_by_unit", manager).records():
        assert (row["county"], row["unit"]) == (county, unit)
    leadership = Scope.of("leadership", f"{county}.{area}").clamp(Filters())
    for row in queries.run(generated, "overdue_items_list", leadership).records():
        assert (row["county"], row["service_area"]) == (county, area)
    for row in queries.run(generated, "rates_by_unit", leadership).records():
        assert (row["county"], row["service_area"]) == (county, area)
    # the trend under the unit counts the unit's items only
    unit_items = generated.execute(
        "SELECT count(*) FROM item_milestones WHERE county = ? AND unit = ?",
        [county, unit]).fetchone()
    weeks = trend(generated, manager, grain="month")
    assert unit_items is not None
    assert sum(int(w["items"] or 0) for w in weeks) <= unit_items[0]
    secretary = Scope.of("secretary", str(county)).clamp(Filters())
    for row in queries.run(generated, "rates_by_service_area", secretary).records():
        assert row["suppressed"] or row["items"] is None or row["items"] >= 5
    auditor = queries.run(generated, "overdue_items_list",
                          Scope.of("auditor", str(county)).clamp(Filters())).records()
    assert auditor and all(r["county"] == county for r in auditor)


def test_every_page_answers_under_every_scope(generated: duckdb.DuckDBPyConnection) -> None:
    county, area, unit = generated.execute(
        "SELECT county, service_area, unit FROM item_milestones WHERE unit IS NOT NULL "
        "LIMIT 1").fetchone() or (None, None, None)
    for scope in (Scope.of("unit_manager", f"{county}.{unit}"),
                  Scope.of("leadership", f"{county}.{area}"), Scope.of("secretary", str(county)),
                  Scope.of("analyst", "*")):
        for slug in pages.PAGES:
            results = pages.collect(generated, slug, scope.clamp(Filters()))
            assert results
