"""The chart queries (dashboards/queries/*.sql) on stores built through the sink's own path:
the hand-computed flow scenario (tests/flow_scenario.py), a store with workshops and
statements, and a store of the demo's generated scenario big enough to show figures unsuppressed.

The scenario happened in 2024, so at today's date every figure but the overdue days is fixed.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import duckdb
import pytest
from pytest import approx

from dashboards import queries
from dashboards.filters import Filters
from scenario import generate
from scenario.bench_store import prepare
from sinks.projection import project
from sinks.store import Store
from tests.factories import as_bytes, statement, workshop
from tests.flow_scenario import ITEM, PTH, H, K, R
from tests.integration.sinks.test_store import records_for
from tests.integration.sinks.test_views import T, build

DEC = date(2024, 12, 1)
STAGES = ("received", "acknowledged", "reached_leadership", "reached_decision_makers",
          "decided", "returned")
FILTERS = (
    Filters(),
    Filters(county="lappi"),
    Filters(county="lappi", unit=R),
    Filters(service_area=PTH),
    Filters(period_start=DEC, period_end=DEC),
    Filters(theme="access"),
    Filters(county="lappi", theme="communication", period_start=date(2024, 11, 1)),
    Filters(county="nobody"),
)
# Columns each chart relies on (a query may return more).
COLUMNS = {
    "funnel": {"stage_order", "stage", "items", "share_of_received", "suppressed"},
    "lead_time_summary": {"measure", "items", "median_working_days", "p90_working_days",
                          "median_days", "p90_days", "deadline", "deadline_amount",
                          "deadline_unit", "within_deadline", "within_deadline_share",
                          "suppressed"},
    "lead_time_distribution": {"measure", "bucket_order", "bucket", "items", "beyond_deadline",
                               "suppressed"},
    "overdue_by_deadline": {"deadline", "items", "max_working_days_overdue",
                            "median_working_days_overdue", "suppressed"},
    "overdue_by_unit": {"county", "unit", "deadline", "items", "suppressed"},
    "overdue_items_list": {"item_id", "county", "unit", "service_area", "deadline", "due_date",
                           "working_days_overdue", "severity", "theme"},
    "themes_over_time": {"month_received", "theme", "severity", "items", "suppressed"},
    "participation_workshops": {"month", "forum_type", "workshops", "meetings", "output_items",
                                "participants", "suppressed"},
    "participation_roles": {"kind", "role", "participants", "workshops", "statements",
                            "suppressed"},
    "participation_outcomes": {"source_family", "target", "outcome", "items", "suppressed"},
    "you_said_we_did": {"theme", "items", "decided", "adopted", "partly", "rejected",
                        "no_action_needed", "already_under_way", "returned",
                        "example_rationales", "suppressed"},
    "filter_options": {"kind", "value", "county"},
    "trend": {"period_start", "period", "items", "reached", "closed_unreached", "still_open",
              "reached_share", "previous_items", "items_change", "previous_reached_share",
              "reached_share_change", "suppressed"},
    **{f"rates_by_{d}": {"dimension_value", "items", "reached_leadership",
                         "reached_leadership_share", "returned", "returned_share",
                         "replied_to_client", "reply_requested", "replied_share_of_requested",
                         "suppressed"}
       for d in ("county", "service_area", "unit", "theme", "channel", "month")},
}


@pytest.fixture(scope="module")
def con(tmp_path_factory: pytest.TempPathFactory) -> duckdb.DuckDBPyConnection:
    return build(tmp_path_factory.mktemp("charts") / "s.duckdb").con


def records(con: duckdb.DuckDBPyConnection, name: str,
            filters: Filters | None = None) -> list[dict[str, Any]]:
    return queries.run(con, name, filters).records()


def by(rows: list[dict[str, Any]], *keys: str) -> dict[Any, dict[str, Any]]:
    return {tuple(r[k] for k in keys) if len(keys) > 1 else r[keys[0]]: r for r in rows}


def funnel_sum(con: duckdb.DuckDBPyConnection, f: Filters) -> dict[str, int]:
    """flow_funnel (or, with a theme, flow_funnel_by_theme) added up under the filters, in
    Python: what the funnel chart must show."""
    view = "flow_funnel_by_theme" if f.theme else "flow_funnel"
    cur = con.execute(f"SELECT * FROM {view}")
    names = [d[0] for d in cur.description or []]
    total = dict.fromkeys(STAGES, 0)
    for row in cur.fetchall():
        r = dict(zip(names, row, strict=True))
        month = r["month_received"]
        if (f.county and r["county"] != f.county) or (f.unit and r["unit"] != f.unit) \
                or (f.service_area and r["service_area"] != f.service_area) \
                or (f.theme and r["theme"] != f.theme) \
                or (f.period_start and month < f.period_start) \
                or (f.period_end and month > f.period_end):
            continue
        for stage in STAGES:
            total[stage] += r[stage]
    return total


def check_funnel_is_the_view_sum(con: duckdb.DuckDBPyConnection, f: Filters) -> int:
    """The funnel equals flow_funnel's sum where shown, and hides exactly the 1-4 counts;
    returns how many stages were shown."""
    expected = funnel_sum(con, f)
    got = records(con, "funnel", f)
    assert [r["stage"] for r in got] == list(STAGES)
    assert [r["stage_order"] for r in got] == [1, 2, 3, 4, 5, 6]
    shown = 0
    for r in got:
        n = expected[r["stage"]]
        small = 1 <= n <= 4 or 1 <= expected["received"] <= 4
        assert r["suppressed"] is small, (f, r)
        if small:
            assert r["items"] is None and r["share_of_received"] is None
        else:
            shown += 1
            assert r["items"] == n, (f, r)
            if expected["received"]:
                assert r["share_of_received"] == approx(n / expected["received"])
    return shown


@pytest.mark.parametrize("f", FILTERS, ids=str)
def test_every_query_answers_every_filter_with_its_columns(
    con: duckdb.DuckDBPyConnection, f: Filters,
) -> None:
    assert set(queries.names()) == set(COLUMNS)
    for name in queries.names():
        result = queries.run(con, name, f)
        assert COLUMNS[name] <= set(result.columns), (name, COLUMNS[name] - set(result.columns))
        if "suppressed" in result.columns:
            # a suppressed row shows no figure; a shown row none of 1-4
            for r in result.records():
                counts = [r[c] for c in ("items", "participants", "statements") if c in r]
                if r["suppressed"]:
                    assert all(c is None for c in counts), (name, r)
                else:
                    assert all(c is None or c == 0 or c >= 5 for c in counts), (name, r)


@pytest.mark.parametrize("f", FILTERS, ids=str)
def test_the_funnel_is_the_flow_funnel_view_added_up(
    con: duckdb.DuckDBPyConnection, f: Filters,
) -> None:
    check_funnel_is_the_view_sum(con, f)


def test_the_funnel_by_hand(con: duckdb.DuckDBPyConnection) -> None:
    # F1-F9 and S1: 8 acknowledged (not F3, F8), 5 reached leadership (F1, F4, F5, F9, S1);
    # 2 presented, 3 decided, 4 returned: too few to show.
    got = {r["stage"]: (r["items"], r["suppressed"]) for r in records(con, "funnel")}
    assert got == {"received": (10, False), "acknowledged": (8, False),
                   "reached_leadership": (5, False), "reached_decision_makers": (None, True),
                   "decided": (None, True), "returned": (None, True)}
    # access: F1-F5, F8, F9 (F8 once although it has two themes); 5 acknowledged, 4 reached
    got = {r["stage"]: r["items"] for r in records(con, "funnel", Filters(theme="access"))}
    assert (got["received"], got["acknowledged"], got["reached_leadership"]) == (7, 5, None)
    assert [r["items"] for r in records(con, "funnel", Filters(county="nobody"))] == [0] * 6


def test_rates_by_county_by_hand(con: duckdb.DuckDBPyConnection) -> None:
    rows = by(records(con, "rates_by_county"), "dimension_value")
    lappi = rows["lappi"]
    assert (lappi["items"], lappi["acknowledged"], lappi["reached_leadership"],
            lappi["decided"], lappi["returned"]) == (9, 7, 5, 3, 4)
    assert lappi["returned_share"] == approx(4 / 9)
    # F1, F3, F6, F8 asked for a reply: four, too few to show
    assert lappi["reply_suppressed"] and lappi["reply_requested"] is None
    assert rows["pirkanmaa"]["suppressed"] and rows["pirkanmaa"]["items"] is None
    units = by(records(con, "rates_by_unit", Filters(county="lappi")), "dimension_value")
    assert units[R]["items"] == 6 and units[R]["county"] == "lappi"  # F1 F2 F4 F5 F6 F9
    assert units[K]["suppressed"] and units[None]["suppressed"]  # F3 F8; S1
    themes = by(records(con, "rates_by_theme"), "dimension_value")
    assert themes["access"]["items"] == 7 and themes["communication"]["suppressed"]
    assert set(by(records(con, "rates_by_theme", Filters(theme="access")),
                  "dimension_value")) == {"access"}
    months = records(con, "rates_by_month")
    assert [m["dimension_value"] for m in months] == ["2024-09", "2024-11", "2024-12"]
    assert months[2]["items"] == 7  # F1-F3, F6-F8, S1
    assert by(records(con, "rates_by_channel"), "dimension_value")["electronic"]["items"] == 7


def test_lead_times_by_hand(con: duckdb.DuckDBPyConnection) -> None:
    summary = by(records(con, "lead_time_summary"), "measure")
    assert list(summary) == ["acknowledge", "reach_leadership", "decide", "return",
                             "decision_to_return"]
    ack = summary["acknowledge"]
    # working days: F6 0, F4 F5 F7 F9 S1 1, F1 2, F2 3 (over 6.12): all within 3
    assert (ack["items"], ack["median_working_days"], ack["within_deadline"]) == (8, 1, 8)
    assert (ack["deadline"], ack["deadline_amount"], ack["deadline_unit"]) == \
        ("acknowledge", 3, "working_days")
    assert ack["within_deadline_share"] == 1.0
    reach = summary["reach_leadership"]  # F5 F9 1, F1 3, F4 6, S1 9
    assert (reach["items"], reach["median_working_days"], reach["deadline"]) == (5, 3, None)
    assert reach["within_deadline"] is None
    assert summary["decide"]["suppressed"] and summary["decide"]["items"] is None
    assert summary["decide"]["deadline"] == "decide_or_answer"
    dist = by(records(con, "lead_time_distribution"), "measure", "bucket")
    assert len(dist) == 50
    assert dist[("acknowledge", "1")]["items"] == 5
    assert dist[("acknowledge", "0")]["suppressed"]  # F6 alone
    assert dist[("acknowledge", "6–10")]["items"] == 0
    assert not dist[("acknowledge", "3")]["beyond_deadline"]
    assert dist[("acknowledge", "4–5")]["beyond_deadline"]
    assert dist[("decide", "31–60")]["beyond_deadline"]  # 30 calendar days
    assert dist[("decide", "21–30")]["day_unit"] == "calendar_days"


def test_overdue_by_hand(con: duckdb.DuckDBPyConnection) -> None:
    # Long after 2024 every open item's deadlines are missed (see test_views): acknowledge F3
    # F8, decide_or_answer F2 F3 F4 F7 F8, reply_to_client F3 F8.
    deadlines = by(records(con, "overdue_by_deadline"), "deadline")
    assert list(deadlines) == ["acknowledge", "decide_or_answer", "return_after_decision",
                               "reply_to_client"]
    assert deadlines["decide_or_answer"]["items"] == 5
    assert deadlines["acknowledge"]["suppressed"]
    assert deadlines["return_after_decision"]["items"] == 0
    listed = records(con, "overdue_items_list")
    assert {r["item_id"] for r in listed} == {ITEM[n] for n in ("F2", "F3", "F4", "F7", "F8")}
    f3 = by(listed, "item_id")[ITEM["F3"]]
    assert f3["deadline"] == "acknowledge" and f3["due_date"] == date(2024, 12, 11)  # earliest
    assert f3["deadlines_missed"] == 3 and f3["theme"] == "access"
    days = [r["working_days_overdue"] for r in listed]
    assert days == sorted(days, reverse=True)
    units = records(con, "overdue_by_unit")
    assert all(r["suppressed"] for r in units)  # no unit has 5 overdue items
    assert {(r["unit"], r["deadline"]) for r in units} >= {(K, "acknowledge"), (H,
                                                                                "decide_or_answer")}


def test_themes_and_you_said_we_did_by_hand(con: duckdb.DuckDBPyConnection) -> None:
    themes = records(con, "themes_over_time")
    assert all(r["suppressed"] for r in themes)  # at most 4 of a theme in a month
    dec = by(themes, "month", "theme", "severity")
    assert ("2024-12", "access", "medium") in dec and ("2024-12", None, "medium") in dec
    said = by(records(con, "you_said_we_did"), "theme")
    access = said["access"]  # F1-F5, F8, F9; F1 and F5 decided (adopted) and returned
    assert (access["items"], access["feedback_items"], access["decided"], access["adopted"],
            access["rejected"], access["returned"]) == (7, 7, 2, 2, 0, 2)
    assert access["example_rationales"] == ["Toimenpiteet käynnistetty."]
    assert said["respect"]["suppressed"] and said["respect"]["example_rationales"] is None


def test_filter_options(con: duckdb.DuckDBPyConnection) -> None:
    options: dict[str, set[Any]] = {}
    for r in records(con, "filter_options"):
        options.setdefault(r["kind"], set()).add(r["value"] if r["kind"] != "unit"
                                                 else (r["county"], r["value"]))
    assert options == {
        "county": {"lappi", "pirkanmaa"},
        "service_area": {PTH, "mielenterveys-ja-paihde"},
        "unit": {("lappi", R), ("lappi", K), ("pirkanmaa", H)},
        "month": {"2024-09", "2024-11", "2024-12"},
        "theme": {"access", "communication", "fees", "respect"},
    }


def test_participation(tmp_path: Path) -> None:
    def meeting(n: int) -> dict[str, Any]:
        return workshop(workshop_id=f"ryhma-{n}", meeting_number=n,
                        held_on=f"2026-10-0{n}", occurred_at=f"2026-10-0{n}T14:00:00+03:00")

    popup = workshop(workshop_id="popup-1", group_id=None, meeting_number=None,
                     forum_type="pop_up", unit="hervannan-terveysasema",
                     service_area="perusterveydenhuolto", held_on="2026-11-03",
                     occurred_at="2026-11-03T14:00:00+02:00",
                     participants={"client": 20, "close_one": 3, "staff": 2},
                     items=[{"text": "Opasteet selkeämmiksi.", "target": "unit"}])
    statements = [statement() for _ in range(5)] + [statement(author_role="influence_body")]
    raws = [as_bytes(e) for e in (meeting(1), meeting(2), popup, *statements)]
    store = Store(tmp_path / "p.duckdb")
    store.write(project(records_for(*raws), T, datetime(2026, 11, 5, tzinfo=UTC)))
    con = store.con
    months = by(records(con, "participation_workshops"), "month", "forum_type")
    october = months[("2026-10", "structural")]
    assert (october["workshops"], october["meetings"], october["groups"],
            october["output_items"], october["participants"],
            october["developer_clients"]) == (2, 2, 1, 6, 20, 16)
    november = months[("2026-11", "pop_up")]
    assert (november["meetings"], november["participants"], november["developer_clients"]) \
        == (0, 25, 0)
    roles = by(records(con, "participation_roles"), "kind", "role")
    assert len(roles) == 9
    dev = roles[("workshop_participants", "developer_client")]
    assert (dev["participants"], dev["workshops"]) == (16, 2)
    assert roles[("workshop_participants", "staff")]["participants"] == 6  # 2 + 2 + 2
    assert roles[("workshop_participants", "close_one")]["suppressed"]  # 3 people
    assert roles[("statement_authors", "expert_by_experience")]["statements"] == 5
    assert roles[("statement_authors", "influence_body")]["suppressed"]
    assert roles[("workshop_participants", "other")]["participants"] == 0
    outcomes = by(records(con, "participation_outcomes"), "rollup", "source_family", "target",
                  "outcome")
    # 3 + 3 + 1 workshop outputs and 6 statements, none decided yet
    assert outcomes[(True, "workshop_output", None, "pending")]["items"] == 7
    assert outcomes[(True, "expert_statement", None, "pending")]["items"] == 6
    assert outcomes[(False, "workshop_output", "unit", "pending")]["suppressed"]
    only_pirkanmaa = records(con, "participation_workshops", Filters(county="pirkanmaa"))
    assert {r["month"] for r in only_pirkanmaa} == {"2026-10", "2026-11"}
    assert records(con, "participation_workshops", Filters(county="lappi")) == []
    store.close()


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> duckdb.DuckDBPyConnection:
    """1,500 records of the demo's scenario through the benchmark's builder (bench_store)."""
    store = Store(tmp_path_factory.mktemp("generated") / "g.duckdb")
    raws = [r.value for r in generate(7, events=1500, start=date(2026, 3, 2), weeks=8)]
    for first in range(0, len(raws), 500):
        prepared = prepare(first, raws[first:first + 500])
        store.write_staged(prepared.staged, prepared.offsets, prepared.counters)
    return store.con


def test_on_the_generated_scenario_the_funnel_shows_what_flow_funnel_adds_up(
    generated: duckdb.DuckDBPyConnection,
) -> None:
    counties = [r[0] for r in generated.execute(
        "SELECT DISTINCT county FROM item_milestones").fetchall()]
    shown = 0
    for f in [Filters(), Filters(theme="access"), Filters(period_start=date(2026, 4, 1)),
              *(Filters(county=c) for c in counties)]:
        shown += check_funnel_is_the_view_sum(generated, f)
    assert shown >= 20  # most stages are big enough to show
    rates = records(generated, "rates_by_county")
    assert sum(r["items"] for r in rates if not r["suppressed"]) == generated.execute(
        "SELECT count(*) FROM item_milestones").fetchone()[0]  # type: ignore[index]


def test_on_the_generated_scenario_lead_time_percentiles_are_quantile_cont(
    generated: duckdb.DuckDBPyConnection,
) -> None:
    """The summary reads percentiles off histograms; they must be what quantile_cont gives."""
    columns = {"acknowledge": "to_acknowledge", "reach_leadership": "to_reach_leadership",
               "decide": "to_decide", "return": "to_return",
               "decision_to_return": "decision_to_return"}
    county = "lappi"
    for f, where in ((Filters(), "true"), (Filters(county=county), f"county = '{county}'"),
                     (Filters(theme="access"), "list_contains(themes, 'access')")):
        got = by(records(generated, "lead_time_summary", f), "measure")
        for measure, suffix in columns.items():
            row = generated.execute(
                f"SELECT count(days_{suffix}), quantile_cont(working_days_{suffix}, 0.5), "
                f"quantile_cont(working_days_{suffix}, 0.9), quantile_cont(days_{suffix}, 0.5), "
                f"quantile_cont(days_{suffix}, 0.9) FROM item_milestones WHERE {where}"
            ).fetchone()
            assert row is not None
            r = got[measure]
            if r["suppressed"]:
                assert 1 <= row[0] <= 4
                continue
            assert (r["items"], r["median_working_days"], r["p90_working_days"],
                    r["median_days"], r["p90_days"]) == approx(row), (f, measure)
        dist = records(generated, "lead_time_distribution", f)
        shown = {m: sum(r["items"] or 0 for r in dist if r["measure"] == m) for m in columns}
        hidden = {m: sum(r["suppressed"] for r in dist if r["measure"] == m) for m in columns}
        for m in columns:
            total = got[m]["items"]
            if total is not None and not hidden[m]:
                assert shown[m] == total, (f, m)
