"""The dashboards behind the workplace's login, at `/kojelauta/...`, scoped to the signed-in user.

    GET /kojelauta                          -> the first page (trendit)
    GET /kojelauta/<page>                   a page: trendit, kulku, tavoittavuus, lapimenoajat,
                                            myohassa, teemat, osallistuminen, sanoitte-me-teimme
    GET /kojelauta/vienti/<chart>.<format>  a chart's data as csv (Finnish Excel) or xlsx, the
                                            trend chart also as svg or png
    GET /kojelauta/tyyli.css                the panels' stylesheet

Query parameters: the filters (county, service_area, unit, period_start, period_end as YYYY-MM,
theme), the trend's grain (month|week) and milestone (returned|acknowledged|decided), sort and
dir (asc|desc) for a table, kieli (fi|sv|en, the workplace's).

The user's scope is forced into the filters before any query runs (dashboards/scope.py): the
SQL itself filters by it, so no query returns another scope's rows; a filter naming another
place is a 403. A secretary sees county-level figures and no list of single items. Figures
come from the sink's published snapshot (dashboards/server.py's SnapshotReader), read in a
worker thread. The pages, panels and charts are dashboards/'s (pure); this is the glue.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from markupsafe import Markup
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import FileResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from dashboards import exports, page_charts, pages, queries, vega, web
from dashboards.filters import BadFilter, Filters
from dashboards.labels import Labels
from dashboards.queries import BadChoice, QueryResult
from dashboards.scope import OutOfScope, Scope
from dashboards.server import NoStoreYet, SnapshotReader
from kokemusvirta.organisations import organisations
from kokemusvirta.settings import Settings
from kokemusvirta.workplace.app import add_template_folder, lang_of, render
from kokemusvirta.workplace.sessions import Forbidden, require_user
from kokemusvirta.workplace.users import StaffUser

BASE = "/kojelauta"
HERE = Path(__file__).resolve().parent
STYLESHEET = Path(pages.__file__).resolve().parent / "static" / "web.css"
FILTER_NAMES = ("county", "service_area", "unit", "period_start", "period_end", "theme")
KEPT = (*FILTER_NAMES, *queries.CHOICES, "kieli")
CHART_FORMATS = ("svg", "png")  # the charts drawn by vl-convert: VEGA_CHARTS
VEGA_CHARTS = ("trend", "themes_over_time", *page_charts.DRAWN)
DATA_FORMATS = ("csv", "xlsx")
ITEM_LISTS = ("overdue_items_list",)  # single items: not for a council's secretary
EXPORTABLE = tuple(sorted({q for p in pages.PAGES for q in pages.page(p).queries}))


def scope_of(user: StaffUser) -> Scope:
    try:
        return Scope.of(user.role.value, user.scope)
    except ValueError:
        raise Forbidden() from None


def _reader(request: Request) -> SnapshotReader:
    reader: SnapshotReader = request.app.state.dashboards_reader
    return reader


def _labels(request: Request) -> Labels:
    """The page's words in the user's language, with the registry's names for places."""
    state = request.app.state
    registry = getattr(state, "dashboards_organisations", None)
    if registry is None:
        registry = state.dashboards_organisations = organisations(state.settings)
    return Labels(lang_of(request), registry)


def _asked(request: Request, user: StaffUser) -> tuple[Scope, Filters, dict[str, str]]:
    """The user's scope, the filters inside it, and the trend's choices; 400 or 403."""
    scope = scope_of(user)
    q = request.query_params
    try:
        filters = Filters.parse({n: q.get(n) for n in FILTER_NAMES})
        picked = queries.choices({n: q.get(n) for n in queries.CHOICES})
    except (BadFilter, BadChoice) as exc:
        raise HTTPException(400, str(exc)) from None
    try:
        return scope, scope.clamp(filters), picked
    except OutOfScope:
        raise Forbidden() from None


def _run(request: Request, names: tuple[str, ...], filters: Filters,
         picked: dict[str, str]) -> dict[str, QueryResult]:
    try:
        con, _ = _reader(request).cursor()
    except NoStoreYet:
        raise HTTPException(503, "no store yet") from None
    try:
        return {n: queries.run(con, n, filters, picked) for n in names}
    finally:
        con.close()


def _links(request: Request, slug: str) -> web.Links:
    kept = {k: v for k in KEPT if (v := request.query_params.get(k))}

    def export(name: str, fmt: str) -> str:
        return web.Links(f"{BASE}/vienti/{name}.{fmt}", kept).with_query()

    return web.Links(f"{BASE}/{slug}", kept, export)


def _panels(slug: str, results: dict[str, QueryResult], labels: Labels, filters: Filters,
            picked: dict[str, str], links: web.Links, scope: Scope, sort: str | None,
            direction: str | None) -> str:
    if slug == "trendit":
        return web.trend_panel(results["trend"], labels, picked, links, sort, direction)
    # the other pages as the no-login server draws them, with sorting, downloads and item links
    # (a council's secretary has no overdue_items_list among the results: no list is shown)
    return pages.content(slug, results, labels, filters, links=links, sort=sort,
                         direction=direction)


async def index(request: Request) -> Response:
    require_user(request)
    return RedirectResponse(f"{BASE}/{pages.PAGES[0]}", 303)


async def page(request: Request) -> Response:
    user = require_user(request)
    slug = request.path_params["page"]
    if slug not in pages.PAGES:
        raise HTTPException(404)
    scope, filters, picked = _asked(request, user)
    names = tuple(n for n in pages.page(slug).queries
                  if scope.sees_items or n not in ITEM_LISTS)
    results = await run_in_threadpool(_run, request, names, filters, picked)
    labels = _labels(request)
    links = _links(request, slug)
    sort, direction = request.query_params.get("sort"), request.query_params.get("dir")
    panels = await run_in_threadpool(_panels, slug, results, labels, filters, picked, links,
                                     scope, sort, direction)
    tabs = [{"href": web.Links(f"{BASE}/{p}", {k: v for k, v in links.query.items()
                                               if k in FILTER_NAMES or k == "kieli"})
             .with_query(), "text": labels.page(p), "current": p == slug}
            for p in pages.PAGES]
    where = scope.describe()
    period_form = None
    if slug != "trendit":  # the trend's own form has the period with its other choices
        period_form = {
            "action": links.path, "start": links.query.get("period_start", ""),
            "end": links.query.get("period_end", ""),
            "hidden": [(k, v) for k, v in links.query.items()
                       if k not in ("period_start", "period_end")],
            "start_label": labels.t("period_start"), "end_label": labels.t("period_end"),
            "show": labels.t("show")}
    context: dict[str, Any] = {
        "page_title": labels.page(slug), "lead": labels.page(slug, "lead"), "tabs": tabs,
        "tabs_label": labels.t("pages_nav"),
        "scope_line": labels.t("scope_is", scope=labels.t("everywhere") if where == "*"
                               else where),
        "period_form": period_form,
        "panels": Markup(panels),  # dashboards/ escapes what it renders (Jinja2, esc)
    }
    return render(request, "kojelauta.html", context)


async def export(request: Request) -> Response:
    user = require_user(request)
    name, fmt = request.path_params["name"], request.path_params["fmt"]
    if name not in EXPORTABLE or fmt not in CHART_FORMATS + DATA_FORMATS \
            or (fmt in CHART_FORMATS and name not in VEGA_CHARTS):
        raise HTTPException(404)
    scope, filters, picked = _asked(request, user)
    if name in ITEM_LISTS and not scope.sees_items:
        raise Forbidden()
    result = (await run_in_threadpool(_run, request, (name,), filters, picked))[name]
    labels = _labels(request)
    file = exports.filename(name, filters, fmt)
    disposition = {"Content-Disposition": f'attachment; filename="{file}"'}
    if fmt == "csv":
        return Response(exports.as_csv(result), media_type=exports.CSV_TYPE, headers=disposition)
    if fmt == "xlsx":
        return Response(exports.as_xlsx(result, name), media_type=exports.XLSX_TYPE,
                        headers=disposition)
    if name == "trend":
        spec = vega.trend_spec(result.records(), labels, picked["grain"], picked["milestone"])
        title = labels.t("trend_title", grain=labels.t(f"grain_{picked['grain']}"),
                         milestone=labels.t(f"milestone_{picked['milestone']}"))
        desc, series = labels.t("trend_desc"), vega.TREND_SERIES
    elif name == "themes_over_time":
        spec = vega.themes_spec(result.records(), labels)
        title, desc, series = labels.t("themes_title"), labels.t("themes_desc"), \
            vega.SEVERITY_SERIES
    else:
        drawing = page_charts.drawing(result, labels)
        if drawing is None:  # nothing to draw under these filters: no image either
            raise HTTPException(404, "no chart under these filters")
        spec, title, desc, series = drawing.spec, drawing.title, drawing.desc, drawing.series
    if fmt == "png":
        png = await run_in_threadpool(vega.png, spec)
        return Response(png, media_type="image/png", headers=disposition)
    svg = await run_in_threadpool(vega.svg, spec, title, desc, series)
    return Response('<?xml version="1.0" encoding="UTF-8"?>\n' + svg,
                    media_type="image/svg+xml", headers=disposition)


async def stylesheet(request: Request) -> Response:
    return FileResponse(STYLESHEET, media_type="text/css")


def dashboards_setup(app: Starlette, settings: Settings) -> None:
    """Run by create_app (routes.SETUP_HOOKS): the page template's folder, and the one reader
    of the sink's published snapshot."""
    add_template_folder(app.state.templates, HERE / "dashboards_templates")
    app.state.dashboards_reader = SnapshotReader(settings.store)
    # the chart engine starts in the background, not on the first reader's page
    threading.Thread(target=vega.warm, name="vl-convert warm-up", daemon=True).start()


def dashboards_routes() -> list[BaseRoute]:
    return [
        Route(BASE, index),
        Route(f"{BASE}/tyyli.css", stylesheet),
        Route(BASE + "/vienti/{name:str}.{fmt:str}", export),
        Route(BASE + "/{page:str}", page),
    ]
