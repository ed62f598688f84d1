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
from markupsafe import Markup

from dashboards.filters import Filters
from dashboards.frame import FILTER_NAMES, content_security_policy, scope_text, static
from dashboards.labels import LANGS, Labels
from dashboards.pages import PAGES
from dashboards.public import collect, content
from dashboards.web import environment
from schemas.organisations import OrganisationRegistry


def view_id(lang: str, slug: str) -> str:
    return f"{lang}-{slug}"


def _view(slug: str, labels: Labels, filters: Filters, body: str, compiled: str) -> str:
    lang = labels.lang
    vid = view_id(lang, slug)
    return environment().get_template("built_view.html").render(
        t=labels.t, vid=vid, lang=lang, title=f"{labels.page(slug)} – {labels.t('app')}",
        main_id=f"main-{vid}", heading=labels.page(slug), lead=labels.page(slug, "lead"),
        langs=[{"lang": other, "href": f"#{view_id(other, slug)}", "current": other == lang,
                "name": labels.language_name(other)} for other in LANGS],
        tabs=[{"href": f"#{view_id(lang, p)}", "text": labels.page(p), "current": p == slug}
              for p in PAGES],
        scope=scope_text(labels, filters, FILTER_NAMES), compiled=compiled, body=Markup(body))


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
    return environment().get_template("built.html").render(
        lang=first.lang, policy=content_security_policy(served=False),
        title=f"{first.page(PAGES[0])} – {first.t('app')}",
        style=Markup(static("dashboard.css")), views=Markup("".join(views)),
        script=Markup(static("views.js")))
