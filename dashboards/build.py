"""`kokemusvirta dashboard build OUT.html`: every page in Finnish, Swedish and English in one
self-contained file (inline CSS, script and SVG; nothing fetched) to e-mail or publish.

Each page's queries run once; the results are drawn three times, once per language. The file
shows one view (page × language) at a time, chosen by the address's #fragment, and every view
one after another when scripts are off (dashboards/static/views.js). Public, like `dashboard
serve`: no list of single items (dashboards/public.py).
"""

from __future__ import annotations

from datetime import datetime

import duckdb

from dashboards.filters import Filters
from dashboards.frame import FILTER_NAMES, content_security_policy, scope_text, static
from dashboards.html import esc
from dashboards.labels import LANGS, Labels
from dashboards.pages import PAGES
from dashboards.public import collect, content
from schemas.organisations import OrganisationRegistry


def view_id(lang: str, slug: str) -> str:
    return f"{lang}-{slug}"


def _view(slug: str, labels: Labels, filters: Filters, body: str, compiled: str) -> str:
    lang = labels.lang
    vid = view_id(lang, slug)
    langs = "".join(
        f'<li><a href="#{view_id(other, slug)}" lang="{other}" hreflang="{other}"'
        + (' aria-current="true"' if other == lang else "")
        + f">{esc(labels.language_name(other))}</a></li>" for other in LANGS)
    tabs = "".join(
        f'<li><a href="#{view_id(lang, p)}"' + (' aria-current="page"' if p == slug else "")
        + f">{esc(labels.page(p))}</a></li>" for p in PAGES)
    title = f"{labels.page(slug)} – {labels.t('app')}"
    return (
        f'<div class="view" id="{vid}" lang="{lang}" data-title="{esc(title)}">'
        f'<a class="skip" href="#main-{vid}">{esc(labels.t("skip"))}</a>'
        f'<header class="top"><p class="brand">{esc(labels.t("app"))}</p>'
        f'<nav class="langs" aria-label="{esc(labels.t("language_nav"))}"><ul>{langs}</ul></nav>'
        f"</header>"
        f'<nav class="pages" aria-label="{esc(labels.t("pages_nav"))}"><ul>{tabs}</ul></nav>'
        f'<main id="main-{vid}" tabindex="-1"><h1 tabindex="-1">{esc(labels.page(slug))}</h1>'
        f'<p class="lead">{esc(labels.page(slug, "lead"))}</p>'
        f'<p class="scope">{esc(labels.t("built_note"))} '
        f"<strong>{esc(scope_text(labels, filters, FILTER_NAMES))}</strong>. "
        f"{esc(labels.t('generated'))} {esc(compiled)}.</p>"
        f"{body}</main>"
        f'<footer><p>{esc(labels.t("suppressed_note"))}</p></footer></div>'
    )


def build(con: duckdb.DuckDBPyConnection, filters: Filters, compiled_at: datetime,
          organisations: OrganisationRegistry | None = None) -> str:
    """The whole file, as text; `organisations` names counties, service areas and units."""
    results = {slug: collect(con, slug, filters) for slug in PAGES}
    views = []
    for lang in LANGS:
        labels = Labels(lang, organisations)
        for slug in PAGES:
            body = content(slug, results[slug], labels, filters)
            views.append(_view(slug, labels, filters, body, labels.moment(compiled_at)))
    first = Labels(LANGS[0])
    return (
        f'<!doctype html><html lang="{first.lang}"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" '
        f'content="{esc(content_security_policy(served=False))}">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<link rel="icon" href="data:,">'  # no request for /favicon.ico
        f"<title>{esc(first.page(PAGES[0]))} – {esc(first.t('app'))}</title>"
        f"<style>{static('dashboard.css')}</style></head><body>"
        f"{''.join(views)}<script>{static('views.js')}</script></body></html>"
    )
