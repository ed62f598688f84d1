"""The web inbox in pages, and the item page's own chain check, on a store the sink wrote.

The inbox at 1M items is filtered in SQL, ordered by deadlines counted once per kind of item and
read in full a page at a time (kokemusvirta/workplace/inbox_store.py); here each page must be
the same slice of the list the inbox showed whole before (`scoped_items` + `listing`), and the
pages must be reachable without JavaScript. The item page checks the item's own chain only
(sinks/audit/verify.py with `item`), so a tampered row of that item must still be shown.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import duckdb
import pytest

from kokemusvirta.bench import workplace_pages as wp
from kokemusvirta.workplace import inbox_listing as il
from kokemusvirta.workplace import inbox_store as st
from schemas.deadlines import FINNISH_TIME
from schemas.lifecycle import ActorRole, ItemAcknowledged
from tests.chains import NOW, Log
from tests.factories import as_bytes, feedback

COUNTY, UNIT = "lappi", "rovaniemen-terveysasema"
USERS = {"esihenkilo": ("unit_manager", f"{COUNTY}.{UNIT}")}


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    """130 open items of one unit received over 60 days, some acknowledged: three pages,
    with deadlines of every kind."""
    log = Log()
    items = []
    for n in range(130):
        at = NOW - timedelta(days=n % 60, hours=n % 7)
        [item] = log.intake(as_bytes(feedback(
            occurred_at=at.isoformat(),
            recorded_at=(at + timedelta(seconds=5)).isoformat())), now=at)
        if n % 4 == 0:
            log.step(item, ItemAcknowledged, at + timedelta(days=1),
                     actor_role=ActorRole.UNIT_MANAGER)
        items.append(item)
    return log.write(tmp_path_factory.mktemp("paging") / "s.duckdb"), items


@pytest.fixture(scope="module")
def varied(store: tuple[Path, list[str]], tmp_path_factory: pytest.TempPathFactory
           ) -> tuple[Path, list[str]]:
    """The same in three severities (the test classifier says `high` of every text): the
    order puts the critical first."""
    path, items = store
    copy = tmp_path_factory.mktemp("varied") / "s.duckdb"
    shutil.copy(path, copy)
    con = duckdb.connect(str(copy))
    con.execute("UPDATE knowledge_items SET severity = CASE hash(item_id) % 3 WHEN 0 THEN "
                "'critical' WHEN 1 THEN 'low' ELSE severity END")
    con.close()
    return copy, items


def before(path: Path, chosen: il.Choice, today: date) -> list[il.Listed]:
    """The whole list as the inbox showed it before it had pages."""
    return il.listing(st.scoped_items(path, COUNTY, unit=UNIT), chosen, today)


def page_now(path: Path, chosen: il.Choice, today: date) -> il.Paged:
    found = st.inbox_candidates(path, COUNTY, unit=UNIT, severity=chosen.severity,
                                theme=chosen.theme, status=chosen.status)
    page = il.paged(il.ordered(found, chosen, today), chosen.page)
    full = st.page_items(path, [e.item.item_id for e in page.entries], COUNTY, unit=UNIT)
    return il.Paged([il.Listed(full[e.item.item_id], e.unit, e.due) for e in page.entries],
                    page.number, page.pages, page.total)


@pytest.mark.parametrize("params", [
    {}, {"jarjestys": "maaraaika"}, {"jarjestys": "saapui"}, {"jarjestys": "vakavuus"},
    {"jarjestys": "tila"}, {"myohassa": "1"}, {"tila": "acknowledged"}, {"teema": "access"},
    {"sivu": "2"}, {"sivu": "3", "jarjestys": "saapui"}, {"sivu": "99"},
])
def test_each_page_is_the_slice_of_the_whole_list(varied: tuple[Path, list[str]],
                                                  params: dict[str, str]) -> None:
    path, _ = varied
    today = (NOW + timedelta(days=3)).date()
    chosen = il.choice(params)
    whole = before(path, chosen, today)
    page = page_now(path, chosen, today)
    assert page.total == len(whole) and whole
    start = (page.number - 1) * il.PAGE_ROWS
    assert page.entries == whole[start:start + il.PAGE_ROWS]  # items, units and deadlines
    if not params:
        assert page.pages == 3 and len({e.item.severity for e in whole}) > 1


def rows_of(html: str) -> list[str]:
    return re.findall(r'<td><a href="/asia/([a-z]{2}-[0-9a-f]{16})">', html)


@pytest.fixture(scope="module")
def client(varied: tuple[Path, list[str]]) -> Iterator[Any]:
    path, _ = varied
    with wp.workplace(path, USERS) as sign_in:
        yield sign_in("esihenkilo")


def test_the_inbox_pages_through_links_without_javascript(varied: tuple[Path, list[str]],
                                                          client: Any) -> None:
    path, _ = varied
    today = datetime.now(FINNISH_TIME).date()
    whole = [e.item.item_id for e in before(path, il.choice({}), today)]
    first = client.get("/saapuneet")
    assert first.status_code == 200
    assert rows_of(first.text) == whole[:50]
    assert '<nav class="pager" aria-label="Sivut">' in first.text
    assert "Sivu 1/3: asiat 1–50, yhteensä 130 asiaa" in first.text
    assert "<caption>130 asiaa</caption>" in first.text
    following = re.search(r'<a rel="next" href="(/saapuneet\?sivu=2)">', first.text)
    assert following, first.text[-1500:]
    second = client.get(following.group(1))
    assert rows_of(second.text) == whole[50:100]
    assert 'rel="prev" href="/saapuneet?sivu=1"' in second.text
    last = client.get("/saapuneet?sivu=3&lang=sv")
    assert rows_of(last.text) == whole[100:] and 'rel="next"' not in last.text
    # a sort link starts again from the first page; a page number it cannot read is named
    assert 'href="/saapuneet?jarjestys=saapui"' in second.text
    odd = client.get("/saapuneet?sivu=kaksi")
    assert rows_of(odd.text) == whole[:50] and "sivu" in odd.text.split("role=\"status\"")[1]


def test_a_tampered_row_of_the_item_is_shown_on_its_page(store: tuple[Path, list[str]],
                                                        tmp_path: Path) -> None:
    path, items = store
    copy = tmp_path / "s.duckdb"
    shutil.copy(path, copy)
    tampered, sound = items[4], items[8]  # both acknowledged
    con = duckdb.connect(str(copy))
    con.execute("UPDATE lifecycle SET actor_role = 'leadership' WHERE item_id = ?", [tampered])
    con.close()
    with wp.workplace(copy, USERS) as sign_in:
        client = sign_in("esihenkilo")
        shown = client.get(f"/asia/{tampered}")
        assert shown.status_code == 200
        assert 'role="alert" id="ketju"' in shown.text and "MUUTETTU" in shown.text
        assert "lifecycle_row_differs" in shown.text
        fine = client.get(f"/asia/{sound}")
        assert "MUUTETTU" not in fine.text and 'id="ketju"' in fine.text
