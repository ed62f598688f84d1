"""The dashboards' pages: which chart queries each shows and how it draws them.

    render_page(con, page, filters, lang) -> str     one page as a whole HTML document

Each page runs only the queries it shows (plus `filter_options` for its filter form), once; the
drawing is pure (query results in, HTML out), so the built file renders one set of results in
three languages and tests can draw from made-up results.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

import duckdb

from dashboards import flow_pages, people_pages, web
from dashboards.filters import Filters
from dashboards.frame import Chrome, Live, document
from dashboards.labels import Labels
from dashboards.panels import View
from dashboards.queries import QueryResult, choices, parameters, run
from schemas.organisations import OrganisationRegistry

Results = Mapping[str, QueryResult]
Draw = Callable[[Results, View, Filters], str]


@dataclass(frozen=True)
class Page:
    slug: str
    queries: tuple[str, ...]
    draw: Draw

    def takes(self, parameter: str) -> bool:
        """Whether any of the page's queries uses this filter (the form offers only those)."""
        return any(parameter in parameters(q) for q in self.queries)


def trendit(results: Results, view: View, filters: Filters) -> str:
    """The trend by month, returned (the defaults); the workplace's page offers the choices
    (dashboards/web.py's trend_panel, called by the workplace itself)."""
    return web.trend_panel(results["trend"], view.labels, choices(), view.links, view.sort,
                           view.direction)


RATE_DIMENSIONS = ("county", "service_area", "unit", "theme", "channel", "month")

_PAGES: tuple[Page, ...] = (
    Page("kulku", ("funnel",), flow_pages.kulku),
    Page("trendit", ("trend",), trendit),
    Page("tavoittavuus", tuple(f"rates_by_{d}" for d in RATE_DIMENSIONS),
         flow_pages.tavoittavuus),
    Page("lapimenoajat", ("lead_time_summary", "lead_time_distribution"),
         flow_pages.lapimenoajat),
    Page("myohassa", ("overdue_by_deadline", "overdue_by_unit", "overdue_items_list"),
         flow_pages.myohassa),
    Page("teemat", ("themes_over_time",), people_pages.teemat),
    Page("osallistuminen",
         ("participation_workshops", "participation_roles", "participation_outcomes"),
         people_pages.osallistuminen),
    Page("sanoitte-me-teimme", ("you_said_we_did",), people_pages.sanoitte),
)
BY_SLUG: dict[str, Page] = {p.slug: p for p in _PAGES}
PAGES: tuple[str, ...] = tuple(p.slug for p in _PAGES)
FILTER_OPTIONS = "filter_options"


class UnknownPage(KeyError):
    pass


def page(slug: str) -> Page:
    try:
        return BY_SLUG[slug]
    except KeyError:
        raise UnknownPage(slug) from None


def collect(con: duckdb.DuckDBPyConnection, slug: str, filters: Filters) -> dict[str, QueryResult]:
    """Run the page's chart queries (each once) under the filters."""
    return {name: run(con, name, filters) for name in page(slug).queries}


def content(slug: str, results: Results, labels: Labels, filters: Filters, *,
            links: web.Links | None = None, sort: str | None = None,
            direction: str | None = None) -> str:
    """The page's panels (no chrome): what the server's page, the built file and the
    workplace's /kojelauta show. `links` (the workplace): where sorting, downloads and item
    links go; None: no links out of the page. `sort`, `direction`: a table's order."""
    return page(slug).draw(results, View(labels, links, sort, direction), filters)


def render_page(con: duckdb.DuckDBPyConnection, page_slug: str, filters: Filters, lang: str,
                *, live: Live | None = None, options: QueryResult | None = None,
                organisations: OrganisationRegistry | None = None) -> str:
    """One page as a complete HTML document, as `kokemusvirta dashboard serve` sends it.
    `options`: the filter_options result when the caller already has it; `organisations`: the
    registry that names counties, service areas and units."""
    p = page(page_slug)
    labels = Labels(lang, organisations)
    options = options or run(con, FILTER_OPTIONS, Filters())
    body = content(page_slug, collect(con, page_slug, filters), labels, filters)
    chrome = Chrome(page=page_slug, labels=labels, filters=filters, options=options,
                    offers=tuple(n for n in ("county", "service_area", "unit", "period_start",
                                             "period_end", "theme") if p.takes(n)),
                    pages=PAGES)
    return document(chrome, body, live)
