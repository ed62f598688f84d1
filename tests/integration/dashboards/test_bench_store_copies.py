"""The dashboards benchmark's big store: N/K items built the sink's way, copied K times
(scenario/bench_replicas.py). A copy must be what the sink would have made of K times the
items: each copy's derived rows (milestones, obligations) equal its original's but for the id,
the dashboards' counts are K times the base's, ids and Kafka offsets stay unique; and the
benchmark's workplace pages all answer on it (kokemusvirta/bench/workplace_pages.py)."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from dashboards import queries
from dashboards.filters import Filters
from kokemusvirta.bench import workplace_pages
from scenario import generate
from scenario.bench_replicas import replicate
from scenario.bench_store import prepare
from sinks.reader import open_sandboxed
from sinks.store import Store

COPIES = 3
# (the copies interleave the arrival numbers: scenario/bench_replicas.py)
MILESTONE_COLUMNS = "* EXCLUDE (item_id, item_seq)"


@pytest.fixture(scope="module")
def stores(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(the base, its copy made three times)"""
    folder = tmp_path_factory.mktemp("bench-copies")
    base = folder / "base.duckdb"
    store = Store(base)
    raws = [r.value for r in generate(11, events=400, start=date(2026, 3, 2), weeks=6)]
    for first in range(0, len(raws), 200):
        prepared = prepare(first, raws[first:first + 200])
        store.write_staged(prepared.staged, prepared.offsets, prepared.counters)
    store.close()
    copied = folder / "copied.duckdb"
    shutil.copyfile(base, copied)
    store = Store(copied)
    replicate(store.con, COPIES, lambda line: None)
    store.close()
    return base, copied


def _rows(path: Path, sql: str) -> list[tuple[object, ...]]:
    con = open_sandboxed(path)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def test_each_copy_has_its_originals_milestones_under_a_new_id(stores: tuple[Path, Path]
                                                               ) -> None:
    base, copied = stores
    for table in ("item_milestones_materialised", "open_obligations"):
        original = sorted(_rows(base, f"SELECT {MILESTONE_COLUMNS} FROM {table}"), key=repr)
        assert original, table
        every = sorted(_rows(copied, f"SELECT {MILESTONE_COLUMNS} FROM {table}"), key=repr)
        assert every == sorted(original * COPIES, key=repr), table
    # (but the arrival number, which the copies interleave: scenario/bench_replicas.py)
    kept = _rows(base, "SELECT * EXCLUDE (item_seq) FROM item_milestones_materialised "
                       "ORDER BY item_id")
    ids = {r[0] for r in kept}
    assert _rows(copied, "SELECT * EXCLUDE (item_seq) FROM item_milestones_materialised "
                         "WHERE item_id IN "
                         f"({', '.join(repr(i) for i in ids)}) ORDER BY item_id") == kept


def test_ids_and_offsets_stay_unique_and_of_their_form(stores: tuple[Path, Path]) -> None:
    _, copied = stores
    [(events, ids, offsets)] = _rows(copied, 'SELECT count(*), count(DISTINCT event_id), '
                                             'count(DISTINCT (topic, "offset")) FROM events')
    assert events == ids == offsets
    [(items, distinct, odd)] = _rows(copied, (
        "SELECT count(*), count(DISTINCT item_id), count(*) FILTER (WHERE NOT regexp_matches("
        "item_id, '^[a-z]{2}-[0-9a-f]{16}$')) FROM knowledge_items"))
    assert items == distinct and odd == 0
    [(lifecycle, lifecycle_ids)] = _rows(copied, "SELECT count(*), count(DISTINCT event_id) "
                                                 "FROM lifecycle")
    assert lifecycle == lifecycle_ids
    # an event's payload names its own item's id, the copy's
    assert _rows(copied, "SELECT count(*) FROM events WHERE item_id IS NOT NULL AND "
                         "NOT contains(CAST(payload AS VARCHAR), item_id)") == [(0,)]


def test_the_dashboards_count_every_copy(stores: tuple[Path, Path]) -> None:
    base, copied = stores
    keys = {"funnel": "stage", "rates_by_county": "dimension_value", "trend": "period"}
    for name, key in keys.items():
        got = []
        for path in (base, copied):
            con = open_sandboxed(path)
            try:
                got.append({r[key]: r["items"] for r in queries.run(con, name, Filters())
                            .records()})
            finally:
                con.close()
        before, after = got
        assert before.keys() == after.keys(), name
        shown = {k: v * COPIES for k, v in before.items() if v is not None}  # not suppressed
        assert shown and {k: after[k] for k in shown} == shown, name


def test_the_benchmark_gets_every_workplace_page(stores: tuple[Path, Path]) -> None:
    base, _ = stores
    con = open_sandboxed(base)
    try:
        asked, users = workplace_pages.pages(con)
    finally:
        con.close()
    assert {p.what for p in asked} >= {"/saapuneet", "/asia/<id>", "/kojelauta/trendit"}
    with workplace_pages.workplace(base, users) as sign_in:
        clients = {user: sign_in(user) for user in users}
        for page in asked:
            answer = clients[page.user].get(page.url)
            assert answer.status_code == 200 and answer.content, (page.url, answer.status_code)
