"""The dashboards without a login are public (dashboards/public.py): over the real uvicorn
server and in the built file, no page shows a single item's id, on a store of the demo's
scenario built through the sink's own path (scenario/bench_store.py) that has overdue items
the staff's list would show."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import httpx
import pytest

from dashboards import pages, public
from dashboards.build import build
from dashboards.filters import Filters
from dashboards.html import esc
from dashboards.labels import LANGS
from dashboards.queries import run
from scenario import generate
from scenario.bench_store import prepare
from sinks.reader import open_read_only
from sinks.store import Store
from tests.integration.dashboards.uvicorn_server import serving


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("public") / "kokemusvirta.duckdb"
    store = Store(path)
    raws = [r.value for r in generate(7, events=600, start=date(2026, 3, 2), weeks=8)]
    prepared = prepare(0, raws)
    store.write_staged(prepared.staged, prepared.offsets, prepared.counters)
    store.close()
    return path


@pytest.fixture(scope="module")
def item_ids(store: Path) -> list[str]:
    con = open_read_only(store)
    try:
        ids = [str(i) for (i,) in con.execute("SELECT item_id FROM knowledge_items").fetchall()]
        overdue = con.execute("SELECT count(*) FROM overdue_items").fetchone()
        # What makes the test mean something: the staff's page lists some of these items.
        staff = pages.render_page(con, "myohassa", Filters(), "fi")
    finally:
        con.close()
    assert len(ids) > 100 and overdue is not None and overdue[0] > 0
    assert any(i in staff for i in ids), "the staff's overdue list shows no item here"
    return ids


def shown(ids: list[str], text: str) -> list[str]:
    return [i for i in ids if i in text]


def test_no_public_page_shows_an_item_id(store: Path, item_ids: list[str]) -> None:
    with serving(store) as (url, _), httpx.Client(base_url=url, timeout=30) as client:
        for slug in pages.PAGES:
            for lang in LANGS:
                page = client.get(f"/{slug}", params={"lang": lang})
                assert page.status_code == 200, (slug, lang)
                assert not shown(item_ids, page.text), (slug, lang, shown(item_ids, page.text))
        overdue = client.get("/myohassa").text
    assert esc(public.STAFF_ONLY["fi"]) in overdue and "/kojelauta" in overdue
    assert "<h1>Myöhässä</h1>" in overdue  # the aggregate charts stay


def test_the_built_file_shows_no_item_id(store: Path, item_ids: list[str]) -> None:
    con = open_read_only(store)
    try:
        html = build(con, Filters(), datetime(2026, 12, 5, tzinfo=UTC))
    finally:
        con.close()
    assert not shown(item_ids, html)
    assert all(esc(public.STAFF_ONLY[lang]) in html for lang in LANGS)


def test_every_query_with_single_items_is_named_in_the_public_rule(store: Path) -> None:
    """A chart query that returns one row per item (an item_id column) must be in ITEM_LISTS,
    so that no page of the public server or file runs it."""
    con = open_read_only(store)
    try:
        per_item = {q for slug in pages.PAGES for q in pages.page(slug).queries
                    if "item_id" in run(con, q).columns}
    finally:
        con.close()
    assert per_item == set(public.ITEM_LISTS)
    for slug in pages.PAGES:
        assert not set(public.queries(slug)) & public.ITEM_LISTS
