"""What the dashboards without a login may show (`dashboard serve`, `dashboard build`): the
public and councils see aggregate figures, small groups suppressed (in the SQL, as everywhere),
and NO list of single items. The one rule, next to the signed-in readers' scopes (scope.py):

    ITEM_LISTS                          the chart queries that return one row per item
    queries(slug) -> tuple[str, ...]    a page's queries without them (they are never run)
    content(slug, results, labels, filters) -> str       a page's panels, public
    render_page(con, slug, filters, lang, ...) -> str    a whole public page

A page that would list single items shows its aggregate panels and, where the list was, a
sentence pointing staff to the workplace's /kojelauta (signed in, scoped, each item a link).
The "you said, we did" page stays whole: its pairs are the deciders' published decisions by
theme (the open-data site publishes them too), not items.
"""

from __future__ import annotations

from collections.abc import Mapping

import duckdb

from dashboards import pages
from dashboards.filters import Filters
from dashboards.frame import Chrome, Live, document
from dashboards.html import esc, new_id
from dashboards.labels import Labels
from dashboards.queries import QueryResult, parameters, run
from schemas.organisations import OrganisationRegistry

Results = Mapping[str, QueryResult]

# One row per item (its id among the columns): staff only. A new per-item query belongs here;
# tests/integration/dashboards/test_public_dashboards.py fails on any query that returns an
# item_id column and is not named here.
ITEM_LISTS = frozenset({"overdue_items_list"})

# A page with an item list whose drawing leaves the list out when its result is missing
# (dashboards/flow_pages.py myohassa), and the list's title.
_WITHOUT_ITEMS = frozenset({"myohassa"})
_LIST_TITLE = {"myohassa": "overdue_list_title"}

# Kept here, not in labels.yaml: the sentence belongs to this rule (fi, sv, en).
STAFF_ONLY = {
    "fi": "Yksittäisten asioiden luettelo ei ole julkinen. Henkilöstö näkee sen "
          "työpaikkasovelluksen kojelaudalla (/kojelauta) kirjautuneena, oman vastuualueensa "
          "osalta.",
    "sv": "Förteckningen över enskilda ärenden är inte offentlig. Personalen ser den på "
          "arbetsplatsappens instrumentpanel (/kojelauta) inloggad, för sitt eget "
          "ansvarsområde.",
    "en": "The list of single items is not public. Staff see it on the workplace's dashboards "
          "(/kojelauta) when signed in, for their own scope.",
}


def queries(slug: str) -> tuple[str, ...]:
    return tuple(q for q in pages.page(slug).queries if q not in ITEM_LISTS)


def lists_items(slug: str) -> bool:
    return any(q in ITEM_LISTS for q in pages.page(slug).queries)


def collect(con: duckdb.DuckDBPyConnection, slug: str, filters: Filters) -> dict[str, QueryResult]:
    """The page's public chart queries, each once; an item list is never run."""
    return {name: run(con, name, filters) for name in queries(slug)}


def staff_only(slug: str, labels: Labels) -> str:
    """Where the list would be: a panel with the list's title and the sentence."""
    title = esc(labels.t(_LIST_TITLE.get(slug, "overdue_list_title")))
    heading = new_id("h")
    return (f'<section class="panel" aria-labelledby="{heading}"><h2 id="{heading}">{title}</h2>'
            f'<p class="note staff-only">{esc(STAFF_ONLY[labels.lang])}</p></section>')


def content(slug: str, results: Results, labels: Labels, filters: Filters) -> str:
    """The page's panels as the public sees them."""
    if not lists_items(slug):
        return pages.content(slug, results, labels, filters)
    if slug not in _WITHOUT_ITEMS:  # a page with a list and no public form: nothing, not items
        raise LookupError(f"page {slug} lists single items and has no public form "
                          "(dashboards/public.py)")
    public = {name: result for name, result in results.items() if name not in ITEM_LISTS}
    return pages.content(slug, public, labels, filters) + staff_only(slug, labels)


def render_page(con: duckdb.DuckDBPyConnection, slug: str, filters: Filters, lang: str, *,
                live: Live | None = None, options: QueryResult | None = None,
                organisations: OrganisationRegistry | None = None) -> str:
    """One public page as a whole HTML document: pages.render_page itself for a page without
    an item list, the same chrome around the public panels for one with."""
    if not lists_items(slug):
        return pages.render_page(con, slug, filters, lang, live=live, options=options,
                                 organisations=organisations)
    labels = Labels(lang, organisations)
    options = options or run(con, pages.FILTER_OPTIONS, Filters())
    body = content(slug, collect(con, slug, filters), labels, filters)
    offers = tuple(n for n in ("county", "service_area", "unit", "period_start", "period_end",
                               "theme") if any(n in parameters(q) for q in queries(slug)))
    chrome = Chrome(page=slug, labels=labels, filters=filters, options=options, offers=offers,
                    pages=pages.PAGES)
    return document(chrome, body, live)
