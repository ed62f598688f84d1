"""What is around a served page's figures: header, language switch, page tabs, filter form,
the live-update control, footer; and the 400/404 pages. Everything inline (no requests for CSS,
scripts or fonts), so a page works the same from the server, a file or an e-mail."""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from urllib.parse import urlencode

from markupsafe import Markup

from dashboards import web
from dashboards.dates import month_code
from dashboards.filters import Filters
from dashboards.labels import DEFAULT_LANG, LANGS, Labels
from dashboards.queries import QueryResult

STATIC = Path(__file__).with_name("static")
FILTER_NAMES = ("county", "service_area", "unit", "period_start", "period_end", "theme")


@cache
def static(name: str) -> str:
    return (STATIC / name).read_text(encoding="utf-8")


def _digest(name: str) -> str:
    """A CSP source for one inline <script> or <style> holding exactly static(name)."""
    digest = hashlib.sha256(static(name).encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode()}'"


def content_security_policy(*, served: bool) -> str:
    """Only the page's own inline style and script run (their hashes: an injected <script>
    does not), nothing is fetched but from the page's server (a built file fetches nothing),
    and no form posts elsewhere."""
    if served:
        return (f"default-src 'none'; style-src {_digest('dashboard.css')}; "
                f"script-src {_digest('live.js')}; connect-src 'self'; img-src 'self' data:; "
                "form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
    # A <meta> policy: frame-ancestors is not honoured there, so it is left out.
    return (f"default-src 'none'; style-src {_digest('dashboard.css')}; "
            f"script-src {_digest('views.js')}; img-src data:; form-action 'none'; "
            "base-uri 'none'")


@dataclass(frozen=True)
class Live:
    """The served page's link to the store: its snapshot version (the page asks /api/version
    whether it changed) and when the snapshot was published."""
    version: str
    as_of: str | None = None
    poll_ms: int = 5000


@dataclass(frozen=True)
class Choices:
    """The values the filter form offers, from the `filter_options` query."""
    counties: tuple[str, ...]
    service_areas: tuple[str, ...]
    units: tuple[tuple[str, str, str], ...]         # (county, service area, unit)
    months: tuple[date, ...]
    themes: tuple[str, ...]

    @classmethod
    def from_result(cls, result: QueryResult) -> Choices:
        counties: list[str] = []
        areas: list[str] = []
        units: list[tuple[str, str, str]] = []
        months: list[date] = []
        themes: list[str] = []
        for r in result.records():
            kind, value = r["kind"], r["value"]
            if kind == "county":
                counties.append(value)
            elif kind == "service_area":
                areas.append(value)
            elif kind == "unit":
                units.append((r["county"], r["service_area"], value))
            elif kind == "month":
                # Only months a filter can name: a store may hold 10000-01 (a time of
                # 9999-12-31 UTC in Finland), which no period filter reaches.
                code = month_code(value)
                if code is not None:
                    months.append(date(int(code[:4]), int(code[5:7]), 1))
            elif kind == "theme":
                themes.append(value)
        return cls(tuple(counties), tuple(areas), tuple(units), tuple(months), tuple(themes))

    def known(self, name: str, value: object) -> bool:
        if name == "county":
            return value in self.counties
        if name == "service_area":
            return value in self.service_areas
        if name == "unit":
            return any(u == value for _, _, u in self.units)
        if name == "theme":
            return value in self.themes
        return True


def page_href(slug: str, filters: Filters, lang: str) -> str:
    query = filters.query_string()
    if lang != DEFAULT_LANG:
        query["lang"] = lang
    return f"/{slug}" + (f"?{urlencode(query)}" if query else "")


def _options(values: list[tuple[str, str]], selected: object) -> list[dict[str, object]]:
    return [{"value": v, "text": text, "selected": v == selected} for v, text in values]


def filter_form(slug: str, labels: Labels, filters: Filters, choices: Choices,
                offers: tuple[str, ...]) -> str:
    """A GET form (templates/_filters.html): works without scripts, and its address can be
    bookmarked or shared. Only the filters the page's queries take are offered."""
    fields: list[dict[str, object]] = []

    def field(name: str, all_text: str, groups: list[dict[str, object]]) -> None:
        fields.append({"name": name, "all": all_text, "groups": groups})

    if "county" in offers:
        field("county", labels.t("all_counties"), [{"label": "", "options": _options(
            [(c, labels.org(c)) for c in choices.counties], filters.county)}])
    if "service_area" in offers:
        field("service_area", labels.t("all_areas"), [{"label": "", "options": _options(
            [(a, labels.org(a)) for a in choices.service_areas], filters.service_area)}])
    if "unit" in offers:
        groups: list[dict[str, object]] = []
        for county in choices.counties:
            units = [u for c, _, u in choices.units if c == county]
            if units:
                groups.append({"label": labels.org(county), "options": _options(
                    [(u, labels.org(u)) for u in units], filters.unit)})
        field("unit", labels.t("all_units"), groups)
    for name, all_key in (("period_start", "first_month"), ("period_end", "last_month")):
        if name in offers:
            chosen = getattr(filters, name)
            field(name, labels.t(all_key), [{"label": "", "options": _options(
                [(month_code(m) or "", labels.month(m)) for m in choices.months],
                month_code(chosen) if chosen else None)}])
    if "theme" in offers:
        field("theme", labels.t("all_themes"), [{"label": "", "options": _options(
            [(t, labels.code("theme", t)) for t in choices.themes], filters.theme)}])
    return web.environment().get_template("_filters.html").render(
        t=labels.t, slug=slug, fields=fields,
        lang=labels.lang if labels.lang != DEFAULT_LANG else "",
        clear=page_href(slug, Filters(), labels.lang))


def scope_text(labels: Labels, filters: Filters, offers: tuple[str, ...]) -> str:
    """The filters in words: what the figures below are about."""
    parts = []
    for name in ("county", "service_area", "unit"):
        value = getattr(filters, name)
        if value and name in offers:
            parts.append(labels.org(value))
    if filters.theme and "theme" in offers:
        parts.append(labels.code("theme", filters.theme))
    start, end = filters.period_start, filters.period_end
    if (start or end) and "period_start" in offers:
        parts.append(f"{labels.month(start) if start else labels.t('first_month')} – "
                     f"{labels.month(end) if end else labels.t('last_month')}")
    return " · ".join(parts) if parts else labels.t("everything")


@dataclass(frozen=True)
class Chrome:
    page: str
    labels: Labels
    filters: Filters
    options: QueryResult
    offers: tuple[str, ...]
    pages: tuple[str, ...]


def _chrome(labels: Labels, current: str | None, filters: Filters,
            pages: tuple[str, ...]) -> dict[str, object]:
    """What _chrome.html needs: the language switch (to the same page and filters) and the
    page tabs."""
    here = current or pages[0]
    return {
        "langs": [{"lang": lang, "href": page_href(here, filters, lang), "current":
                   lang == labels.lang, "name": labels.language_name(lang)} for lang in LANGS],
        "tabs": [{"href": page_href(slug, filters, labels.lang), "text": labels.page(slug),
                  "current": slug == current} for slug in pages],
    }


def document(chrome: Chrome, body: str, live: Live | None) -> str:
    """The served page (templates/page.html) around the panels in `body` (already HTML)."""
    labels, slug = chrome.labels, chrome.page
    choices = Choices.from_result(chrome.options)
    return web.environment().get_template("page.html").render(
        t=labels.t, lang=labels.lang, title=f"{labels.page(slug)} – {labels.t('app')}",
        # the inline style and script exactly as their files: the CSP allows them by hash
        style=Markup(static("dashboard.css")),
        script=Markup(static("live.js")) if live else "",
        version=live.version if live else "", poll=live.poll_ms if live else 0,
        main_id="main", **_chrome(labels, slug, chrome.filters, chrome.pages),
        heading=labels.page(slug), lead=labels.page(slug, "lead"),
        filter_form=Markup(filter_form(slug, labels, chrome.filters, choices, chrome.offers)),
        scope=scope_text(labels, chrome.filters, chrome.offers), live=live,
        body=Markup(body))


def problem_document(labels: Labels, pages: tuple[str, ...], title: str, message: str,
                     listing: str = "") -> str:
    """A 400 or 404 page (templates/problem.html): says what was wrong and how to get back.
    `listing`: HTML the caller escaped (the pages one could have meant)."""
    return web.environment().get_template("problem.html").render(
        t=labels.t, lang=labels.lang, title=title, message=message, listing=Markup(listing),
        style=Markup(static("dashboard.css")), main_id="main",
        back=page_href(pages[0], Filters(), labels.lang), **_chrome(labels, None, Filters(), pages))
