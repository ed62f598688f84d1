"""The feedback form on the intake service: GET/POST /palaute/<unit> (Finnish), /respons/<unit>
(Swedish) and /feedback/<unit> (English), and its stylesheet.

Plain HTML without JavaScript: the browser posts the form, the server validates it
(form_logic.py) and either shows the form again with the problems beside the fields and listed
at the top, the entered values kept, or sends the feedback through the intake gateway (which
seals the contact before Kafka) and shows what happens next and by when. `?kioski=1` is a
shared device: the thank-you page returns to an empty form by itself. `?kanava=suullinen|
kirjallinen` or `?henkilokunta=1` is staff recording oral or written feedback (without a login
for now: staff sign-in is another issue, so the channel is what the page was opened with).

No page keeps anything in the browser (Cache-Control: no-store, so the back button on a kiosk
does not show the previous client's words) and none loads anything but the page and its
stylesheet (Content-Security-Policy).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol
from urllib.parse import parse_qsl, urlencode

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import BaseRoute, Route

from kokemusvirta.intake import form_logic as logic
from kokemusvirta.intake.api import client_of
from kokemusvirta.intake.form_texts import FORM_LANGUAGES, PATHS, TEXTS
from kokemusvirta.intake.gateway import KeyReused
from kokemusvirta.intake.ratelimit import retry_after_header
from schemas.deadlines import finnish_date
from schemas.organisations import OrganisationRegistry, Unit

if TYPE_CHECKING:
    from kokemusvirta.settings import Settings

log = logging.getLogger(__name__)
HERE = Path(__file__).resolve().parent
STYLESHEET = "/lomake/lomake.css"
KIOSK_RESET_SECONDS = 30
HEADERS = {
    "Cache-Control": "no-store",
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "default-src 'none'; style-src 'self'; img-src 'self' data:; "
                               "form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
}


class Gateway(Protocol):
    """What the form needs of the intake gateway (kokemusvirta/intake/gateway.py)."""

    async def submit(self, family: str, payloads: list[dict[str, Any]], *,
                     idempotency_key: str | None, client: str) -> Any: ...


def is_form_path(path: str) -> bool:
    """A form's page or stylesheet: the form limits its own body (FORM_BODY_LIMIT) and answers
    a client with a page in their language, not the API's JSON (app.py's BodyLimit)."""
    parts = path.split("/")
    return path == STYLESHEET or (len(parts) == 3 and parts[1] in PATHS.values())


def templates() -> Environment:
    return Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=True,
                       undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)


def form_routes(settings: Settings, gateway: Gateway,
                registry: OrganisationRegistry) -> list[BaseRoute]:
    """The form's routes, to mount on the intake service's app."""
    pages = FormPages(settings, gateway, registry)
    routes: list[BaseRoute] = [
        Route(f"/{PATHS[lang]}/{{unit}}", pages.endpoint(lang), methods=["GET", "POST"],
              name=f"feedback-form-{lang}") for lang in FORM_LANGUAGES]
    routes.append(Route(STYLESHEET, pages.stylesheet, methods=["GET"], name="feedback-form-css"))
    return routes


class FormPages:
    def __init__(self, settings: Settings, gateway: Gateway,
                 registry: OrganisationRegistry) -> None:
        self.deadlines = settings.deadlines
        self.gateway = gateway
        self.registry = registry
        self.env = templates()
        self.css = (HERE / "static" / "form.css").read_text(encoding="utf-8")

    def endpoint(self, lang: str) -> Any:
        async def page(request: Request) -> Response:
            return await self.page(request, lang)
        return page

    async def stylesheet(self, request: Request) -> Response:
        return Response(self.css, media_type="text/css",
                        headers={"Cache-Control": "public, max-age=3600"})

    async def page(self, request: Request, lang: str) -> Response:
        code = request.path_params["unit"]
        unit = logic.find_unit(self.registry, code)
        if unit is None:
            return self.message(lang, code, "not_found", 404)
        if request.method == "GET":
            q = request.query_params
            values = logic.FormValues(token=logic.new_token(),
                                      channel=logic.channel_code(q.get(logic.CHANNEL)),
                                      kiosk=q.get(logic.KIOSK) == "1",
                                      staff=q.get(logic.STAFF) == "1")
            return self.form(lang, unit, values, [], 200)
        body = await read_limited(request, logic.FORM_BODY_LIMIT)
        if body is None:
            return self.message(lang, code, "too_large", 413)
        values = logic.read_form(parse_qsl(body.decode("utf-8", "replace"),
                                           keep_blank_values=True))
        errors = logic.validate(values)
        if errors:
            return self.form(lang, unit, values, errors, 400)
        return await self.send(request, lang, unit, values)

    async def send(self, request: Request, lang: str, unit: Unit,
                   values: logic.FormValues) -> Response:
        now = datetime.now(UTC)
        payload = logic.feedback_payload(values, unit, lang, now)
        client = client_of(request)
        # The service's per-client rate limit (app.py leaves the form's posts to it, so that a
        # client over it sees the form again with their words, not the API's JSON).
        limiter = getattr(request.app.state, "rate_limiter", None)
        wait = limiter.take(client, time.monotonic()) if limiter is not None else 0.0
        if wait > 0:
            response = self.form(lang, unit, values, [], 429, problem="too_many")
            response.headers["Retry-After"] = retry_after_header(wait)
            return response
        try:
            submitted = await self.gateway.submit(
                "feedback", [payload], idempotency_key=f"form-{payload['event_id']}",
                client=client)
        except KeyReused:
            # This form (its token) was sent and accepted before: a double click's second
            # request differs only in its time. The client is told it arrived, once.
            submitted = None
        except Exception as exc:  # noqa: BLE001 - the client keeps their words and may retry
            # The type only: an error's text may quote the payload, and the payload holds
            # the client's contact.
            log.warning("feedback form: not sent to %s (%s)", unit.code, type(exc).__name__)
            response = self.form(lang, unit, values, [], 503, problem="unavailable")
            response.headers["Retry-After"] = str(getattr(exc, "retry_after_s", 30))
            return response
        item_ids = list(getattr(submitted, "item_ids", None) or [])
        item_id = item_ids[0] if item_ids else logic.expected_item_id(payload)
        log.info("feedback form: %s sent to %s", item_id, unit.code)
        steps = logic.next_steps(finnish_date(now), values.reply, self.deadlines)
        return self.thanks(lang, unit, item_id, steps, kiosk=values.kiosk)

    # --- pages ---------------------------------------------------------------------------

    def form(self, lang: str, unit: Unit, values: logic.FormValues,
             errors: Sequence[logic.FieldError], status: int, *,
             problem: str | None = None) -> Response:
        words = TEXTS[lang]
        query = {k: v for k, v in ((logic.KIOSK, "1" if values.kiosk else ""),
                                   (logic.STAFF, "1" if values.staff else ""),
                                   (logic.CHANNEL, values.channel
                                    if values.channel != "sahkoinen" else "")) if v}
        staff_note = ""
        if values.channel != "sahkoinen" and not values.staff:
            channel = words[logic.CHANNEL_WORDS[logic.CHANNELS[values.channel]]]
            staff_note = words["staff_recording"].format(channel=channel)
        return self.render("form.html", lang, unit.code, status, query, {
            "unit_name": unit.names.in_language(lang),
            "action": logic.form_path(lang, unit.code),
            "values": values,
            "errors": [{"message": e.message(lang), "target": error_target(e.field)}
                       for e in errors],
            "errors_count": words["errors_count"].format(count=len(errors)),
            "field_errors": {e.field: e.message(lang) for e in errors},
            "problem": problem,
            "staff_note": staff_note,
            "ratings": [("", "rating_none"), *((str(n), f"rating_{n}") for n in range(1, 6))],
            "roles": [("asiakas", "role_client"), ("laheinen", "role_close_one")],
            "replies": [(logic.NO_REPLY, "reply_none"), (logic.BY_EMAIL, "reply_email"),
                        (logic.BY_POST, "reply_post")],
            "channels": [(code, logic.CHANNEL_WORDS[channel])
                         for code, channel in logic.CHANNELS.items()],
            "kiosk": values.kiosk,
        })

    def thanks(self, lang: str, unit: Unit, item_id: str, steps: logic.NextSteps, *,
               kiosk: bool) -> Response:
        query = {logic.KIOSK: "1"} if kiosk else {}
        new_form = logic.form_path(lang, unit.code) + (f"?{urlencode(query)}" if query else "")
        words = TEXTS[lang]
        return self.render("thanks.html", lang, unit.code, 200, query, {
            "thanks_lead": words["thanks_lead"].format(unit=unit.names.in_language(lang)),
            "reference": logic.reference(item_id),
            "next": logic.next_step_lines(steps, lang),
            "new_form": new_form,
            "kiosk": kiosk,
            "kiosk_seconds": KIOSK_RESET_SECONDS,
            "kiosk_note": words["kiosk_reset"].format(seconds=KIOSK_RESET_SECONDS),
        })

    def message(self, lang: str, code: str, which: str, status: int) -> Response:
        words = TEXTS[lang]
        known = which != "not_found"
        return self.render("message.html", lang, code, status, {}, {
            "heading": words[f"{which}_title"], "text": words[f"{which}_text"],
            "back": logic.form_path(lang, code) if known else "", "kiosk": False,
        })

    def render(self, template: str, lang: str, code: str, status: int,
               query: Mapping[str, str], context: dict[str, Any]) -> Response:
        suffix = f"?{urlencode(query)}" if query else ""
        languages = [{"lang": other, "name": TEXTS[other]["language_name"],
                      "href": logic.form_path(other, code) + suffix, "current": other == lang}
                     for other in FORM_LANGUAGES]
        html = self.env.get_template(template).render(
            lang=lang, t=TEXTS[lang], languages=languages, stylesheet=STYLESHEET, **context)
        return HTMLResponse(html, status_code=status, headers=HEADERS)


def error_target(field: str) -> str:
    """The id the summary's link jumps to: the field, or a radio group's first choice."""
    return {logic.RATING: "arvio-ei", logic.ROLE: "vastaaja-asiakas",
            logic.REPLY: "vastaus-ei"}.get(field, field)


async def read_limited(request: Request, limit: int) -> bytes | None:
    """The request's body, or None once it is over `limit` bytes (declared or streamed)."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        return None
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            return None
        chunks.append(chunk)
    return b"".join(chunks)
