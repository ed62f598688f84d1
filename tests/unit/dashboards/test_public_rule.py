"""The public dashboards' rule (dashboards/public.py), pure: no list of single items, a sentence
pointing staff to the workplace instead, and a page with an item list but no public form is
refused rather than drawn whole."""

from __future__ import annotations

import pytest

from dashboards import pages, public
from dashboards.filters import Filters
from dashboards.html import esc
from dashboards.labels import LANGS, Labels
from dashboards.queries import QueryResult


def empty(name: str) -> QueryResult:
    return QueryResult(name, [], [], 0.0)


def test_the_overdue_page_runs_no_item_list_and_points_staff_to_the_workplace() -> None:
    assert "overdue_items_list" in pages.page("myohassa").queries
    assert public.queries("myohassa") == ("overdue_by_deadline", "overdue_by_unit")
    results = {n: empty(n) for n in public.queries("myohassa")}  # no list among them
    for lang in LANGS:
        html = public.content("myohassa", results, Labels(lang), Filters())
        assert esc(public.STAFF_ONLY[lang]) in html and "/kojelauta" in html


def test_pages_without_item_lists_are_the_pages_as_they_are() -> None:
    for slug in pages.PAGES:
        if slug != "myohassa":
            assert not public.lists_items(slug) and public.queries(slug) == \
                pages.page(slug).queries


def test_a_page_with_an_item_list_and_no_public_form_is_refused(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(public, "ITEM_LISTS", frozenset({"funnel"}))
    with pytest.raises(LookupError):
        public.content("kulku", {}, Labels("fi"), Filters())
