"""A store that already holds absurd times (issue 11): a feedback received 9999-12-31 23:59:59
UTC (year 10000 in Finland), one in 1900, one in year 1, a step closed on 9999-01-01 and one
decided on 9999-12-31. The worker now rejects such times, but stores written before hold them:
every page answers 200, `dashboard build` writes its file, and the unit managers' inbox shows
the items without a deadline instead of raising.

The store is built through the sink's own path with ordinary times, then its times are set as an
older worker left them (SQL, so that the worker's time window cannot refuse the test's input).
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from dashboards.build import build
from dashboards.filters import Filters
from dashboards.pages import PAGES
from dashboards.server import Dashboard, SnapshotReader
from kokemusvirta.cli import main
from managers import inbox as ib
from managers import unit_store
from schemas.knowledge import SourceFamily
from schemas.lifecycle import ActorRole, ItemAcknowledged, ItemClosed, ItemDecided, Outcome
from sinks.projection import ConsumedRecord, project
from sinks.reader import open_read_only
from sinks.store import Store, rebuild_milestones
from streams.items import item_id_for
from tests.factories import as_bytes, feedback, workshop
from tests.integration.sinks.test_store import NOW, T, records_for

COUNTY, UNIT = "lappi", "rovaniemen-terveysasema"
FAR = "9999-12-31 23:59:59+00"
SOURCES = {name: feedback() for name in ("far", "old", "first", "closed", "decided")}
ITEM = {name: item_id_for(SourceFamily.FEEDBACK, e["event_id"]) for name, e in SOURCES.items()}
RECEIVED = {"far": FAR, "old": "1900-01-01 00:00:00+00", "first": "0001-01-01 00:00:00+00"}
STEPS = {("closed", "closed"): "9999-01-01 00:00:00+00", ("decided", "decided"): FAR}


def _step(cls: type, name: str, **fields: object) -> bytes:
    event = cls(event_id=uuid.uuid4(), occurred_at=NOW, recorded_at=NOW, county=COUNTY,
                unit=UNIT, item_id=ITEM[name], actor_role=ActorRole.UNIT_MANAGER, **fields)
    return bytes(event.to_json_bytes())


def build_store(path: Path) -> Path:
    records = records_for(*(as_bytes(e) for e in SOURCES.values()), as_bytes(workshop()))
    steps = [_step(ItemClosed, "closed"), _step(ItemAcknowledged, "decided"),
             _step(ItemDecided, "decided", outcome=Outcome.ADOPTED, rationale="Korjattu.")]
    records += [ConsumedRecord(T.lifecycle, 0, n, None, v) for n, v in enumerate(steps)]
    store = Store(path)
    store.write(project(records, T, NOW))
    con = store.con
    for name, at in RECEIVED.items():  # the item's every system step: it came in then
        con.execute("UPDATE lifecycle SET occurred_at = ?::TIMESTAMPTZ, "
                    "recorded_at = ?::TIMESTAMPTZ WHERE item_id = ?", [at, at, ITEM[name]])
        con.execute("UPDATE knowledge_items SET received_at = ?::TIMESTAMPTZ WHERE item_id = ?",
                    [at, ITEM[name]])
    for (name, step), at in STEPS.items():
        con.execute("UPDATE lifecycle SET occurred_at = ?::TIMESTAMPTZ, "
                    "recorded_at = ?::TIMESTAMPTZ WHERE item_id = ? AND step = ?",
                    [at, at, ITEM[name], step])
        con.execute(f"UPDATE knowledge_items SET {step}_at = ?::TIMESTAMPTZ WHERE item_id = ?",
                    [at, ITEM[name]])
    con.execute("UPDATE workshops SET held_on = DATE '9999-12-31', "
                "occurred_at = ?::TIMESTAMPTZ", [FAR])
    rebuild_milestones(con)
    store.close()
    return path


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = build_store(tmp_path_factory.mktemp("extreme") / "s.duckdb")
    con = open_read_only(path)
    try:
        months = {str(m) for (m,) in con.execute(
            "SELECT month_received FROM item_milestones").fetchall()}
    finally:
        con.close()
    # What broke the pages: a month Python has no date for, and months before the calendar.
    assert {"10000-01-01", "1900-01-01", "0001-01-01"} <= months
    return path


@pytest.mark.parametrize("query", ["", "lang=sv", "lang=en", "period_start=1900-01",
                                   "period_start=0001-01&period_end=1900-01", "unit=" + UNIT,
                                   "period_end=9999-12&theme=access"])
def test_every_page_answers_200(store: Path, query: str) -> None:
    dashboard = Dashboard(SnapshotReader(store))
    for slug in PAGES:
        page = dashboard.respond(f"/{slug}", query)
        assert page.status == 200, (slug, query, page.body[-300:])


def test_months_are_shown_as_they_are_and_in_time_order(store: Path) -> None:
    page = Dashboard(SnapshotReader(store)).respond("/teemat", "").body.decode()
    table = page.split("<table")[-1]
    # Year 10000 is not shown as "December 1000" (its text '10000-01' read as 4 + 2 digits).
    assert table.index("tammikuu 1") < table.index("tammikuu 1900") \
        < table.index("tammikuu 10000")
    form = page.split("<form")[1].split("</form>")[0]
    assert 'value="1900-01"' in form and 'value="0001-01"' in form
    assert "10000" not in form  # no filter can name it: not offered


def test_dashboard_build_writes_the_file(store: Path, tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "kojelauta.html"
    assert main(["dashboard", "build", str(out), "--store", str(store)]) == 0, \
        capsys.readouterr()
    assert "tammikuu 10000" in out.read_text(encoding="utf-8")
    con = open_read_only(store)
    try:
        assert "januari 1900" in build(con, Filters(), datetime(2026, 12, 1, tzinfo=UTC))
    finally:
        con.close()


def test_the_inbox_shows_the_items_without_a_deadline(store: Path) -> None:
    statuses = unit_store.unit_statuses(store, COUNTY, UNIT)
    routed = NOW
    items = [ib.with_store(ib.InboxItem(item_id=i, source_family="feedback", received_at=routed,
                                        themes=("access",), stance="complaint",
                                        severity="medium", immediate_attention=False,
                                        text="Jonotin."), *statuses[i])
             for i in ITEM.values()]
    shown = ib.open_items(items, include_all=True)
    today = date(2026, 12, 5)
    rows = {r[2]: r for r in ib.table_rows(shown, today)}
    assert rows[ITEM["far"]][1] == "9999-12-31T23:59:59+00:00"  # no Finnish day: as stored
    assert rows[ITEM["old"]][1] == "1900-01-01" and rows[ITEM["first"]][1].startswith("0001-")
    for name in ("far", "old", "first", "decided"):
        assert rows[ITEM[name]][6] == "–", name
    as_json = {r["item_id"]: r for r in ib.json_rows(shown, today)}
    assert as_json[ITEM["decided"]]["due"] is None and as_json[ITEM["far"]]["overdue"] is None
