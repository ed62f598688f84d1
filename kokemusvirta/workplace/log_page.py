"""The auditor's page `/loki`: who viewed which item, when and why (the access log in the
store), filtered by item and viewer; and the 503 page shown instead of an item whose view could
not be logged (`unavailable_page`).

Auditors only; an auditor of one county sees that county's views, one of every county (`*`)
all. Filters are a GET form (works without JavaScript, the URL can be kept). Reads the store's
snapshot through the sandboxed reader, in a thread.
"""

from __future__ import annotations

import re
from datetime import UTC
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import BaseRoute, Route

from kokemusvirta.settings import Settings
from kokemusvirta.workplace.app import add_template_folder, message_page, render
from kokemusvirta.workplace.i18n import register_texts
from kokemusvirta.workplace.sessions import require_roles, require_user
from kokemusvirta.workplace.users import ALL_COUNTIES, StaffRole

ITEM = re.compile(r"^(fb|ws|st|ag)-[0-9a-f]{16}$")
PSEUDONYM = re.compile(r"^us-[0-9a-f]{16}$")
SHOWN = 500  # rows on one page; the filters narrow it, the CLI has --limit
TEMPLATES = Path(__file__).resolve().parent / "log_templates"

TEXTS: dict[str, dict[str, str]] = {
    "log_title": {"fi": "Lokitapahtumat: kuka katsoi mitäkin", "sv": "Logghändelser: vem såg vad",
                  "en": "Access log: who viewed what"},
    "log_intro": {"fi": "Jokainen palautteen katselu työpöydällä kirjataan ennen kuin se "
                        "näytetään. Katsoja näkyy pseudonyyminä.",
                  "sv": "Varje visning av en respons på arbetsbordet loggas innan den visas. "
                        "Den som såg visas med pseudonym.",
                  "en": "Every view of feedback in the workplace is logged before it is "
                        "shown. The viewer appears as a pseudonym."},
    "log_filters": {"fi": "Rajaa", "sv": "Avgränsa", "en": "Filter"},
    "log_item": {"fi": "Palautteen tunnus (esim. fb-…)", "sv": "Responsens id (t.ex. fb-…)",
                 "en": "Item id (e.g. fb-…)"},
    "log_viewer": {"fi": "Katsojan pseudonyymi (us-…)", "sv": "Pseudonym för den som såg (us-…)",
                   "en": "Viewer's pseudonym (us-…)"},
    "log_show": {"fi": "Näytä", "sv": "Visa", "en": "Show"},
    "log_bad_item": {"fi": "Tunnus on muotoa fb-, ws-, st- tai ag- ja 16 heksamerkkiä.",
                     "sv": "Ett id är fb-, ws-, st- eller ag- och 16 hexadecimala tecken.",
                     "en": "An item id is fb-, ws-, st- or ag- and 16 hex digits."},
    "log_bad_viewer": {"fi": "Pseudonyymi on muotoa us- ja 16 heksamerkkiä.",
                       "sv": "En pseudonym är us- och 16 hexadecimala tecken.",
                       "en": "A pseudonym is us- and 16 hex digits."},
    "log_caption": {"fi": "Katselut, uusin ensin", "sv": "Visningar, nyaste först",
                    "en": "Views, newest first"},
    "log_count": {"fi": "katselua", "sv": "visningar", "en": "views"},
    "log_none": {"fi": "Ei katseluja näillä rajauksilla.",
                 "sv": "Inga visningar med dessa avgränsningar.",
                 "en": "No views match these filters."},
    "log_when": {"fi": "Aika (UTC)", "sv": "Tid (UTC)", "en": "Time (UTC)"},
    "log_who": {"fi": "Katsoja", "sv": "Den som såg", "en": "Viewer"},
    "log_role": {"fi": "Rooli ja alue", "sv": "Roll och område", "en": "Role and scope"},
    "log_what": {"fi": "Palaute", "sv": "Respons", "en": "Item"},
    "log_why": {"fi": "Syy", "sv": "Orsak", "en": "Purpose"},
    "log_reason": {"fi": "Perustelu", "sv": "Motivering", "en": "Reason"},
    "log_no_store": {"fi": "Tietovarastoa ei vielä ole.", "sv": "Datalagret finns inte ännu.",
                     "en": "There is no store yet."},
    "log_unavailable_title": {"fi": "Katselua ei voitu kirjata", "sv": "Visningen kunde inte "
                              "loggas", "en": "The view could not be logged"},
    "log_unavailable_text": {"fi": "Palautetta ei näytetä, koska sen katselua ei juuri nyt "
                                   "voida kirjata lokiin. Yritä hetken kuluttua uudelleen.",
                             "sv": "Responsen visas inte eftersom visningen inte kan loggas "
                                   "just nu. Försök igen om en stund.",
                             "en": "The feedback is not shown because its view cannot be "
                                   "logged right now. Try again in a moment."},
    **{f"purpose_{p}": v for p, v in {
        "inbox": {"fi": "saapuneet", "sv": "inkommet", "en": "inbox"},
        "item_page": {"fi": "palautteen sivu", "sv": "responsens sida", "en": "item page"},
        "queue": {"fi": "johdon jono", "sv": "ledningens kö", "en": "leadership's queue"},
        "agenda": {"fi": "esityslista", "sv": "föredragningslista", "en": "agenda"},
        "dashboard": {"fi": "kojelauta", "sv": "instrumentpanel", "en": "dashboard"},
        "export": {"fi": "vienti", "sv": "export", "en": "export"},
        "trace": {"fi": "jäljitys", "sv": "spårning", "en": "trace"},
        "other": {"fi": "muu", "sv": "annat", "en": "other"},
    }.items()},
}
register_texts(TEXTS)


def unavailable_page(request: Request) -> HTMLResponse:
    """What a page shows instead of an item whose view could not be logged: 503, and a
    Retry-After, so nobody reads a client's words without a trail."""
    page = message_page(request, "log_unavailable_title", "log_unavailable_text", 503)
    page.headers["Retry-After"] = "10"
    return page


def _read(settings: Any, item: str | None, viewer: str | None, county: str | None
          ) -> list[dict[str, Any]] | None:
    from sinks.audit.access_log import views
    from sinks.reader import StoreMissing, open_read_only

    try:
        con = open_read_only(settings.store)
    except StoreMissing:
        return None
    try:
        return views(con, item=item, viewer=viewer, county=county, limit=SHOWN)
    finally:
        con.close()


def log_setup(app: Starlette, settings: Settings) -> None:
    """routes.SETUP_HOOKS: this part's template folder in the app's environment. (The access
    log's producer needs no closing at shutdown: every view waited for its ack.)"""
    add_template_folder(app.state.templates, TEMPLATES)


async def log_page(request: Request) -> Response:
    user = require_roles(require_user(request), StaffRole.AUDITOR)
    item = request.query_params.get("kohde", "").strip()
    viewer = request.query_params.get("katsoja", "").strip()
    errors = {}
    if item and not ITEM.match(item):
        errors["kohde"] = "log_bad_item"
    if viewer and not PSEUDONYM.match(viewer):
        errors["katsoja"] = "log_bad_viewer"
    rows: list[dict[str, Any]] | None = []
    if not errors:
        county = None if user.scope == ALL_COUNTIES else user.scope
        rows = await run_in_threadpool(_read, request.app.state.settings, item or None,
                                       viewer or None, county)
    shown = [{**r, "when": f"{r['viewed_at'].astimezone(UTC):%Y-%m-%d %H:%M:%S}"}
             for r in rows or []]
    return render(request, "loki.html", {"item": item, "viewer": viewer, "errors": errors,
                                         "rows": shown, "no_store": rows is None},
                  400 if errors else 200)


def log_routes() -> list[BaseRoute]:
    return [Route("/loki", log_page)]
