"""The web inbox, the item page with its actions, leadership's queue and a political body's
agenda: server-rendered pages in Finnish, Swedish and English that work without JavaScript.

Thin: the order and filters are inbox_listing.py's, the steps a person may ask for now and the
forms' checks item_actions.py's, the reads inbox_store.py's. An item outside the person's
scope and an unknown item get the same 403 page, so the page does not tell which ids exist.
A step is asked for with `WebActor.publish_step` (the person's role's request topic, their
pseudonym in the request); the worker's guard decides, so the page says "request sent" and
shows the step once the store has it.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from kokemusvirta.workplace import inbox_listing as il
from kokemusvirta.workplace import inbox_store as store
from kokemusvirta.workplace import item_actions as ia
from kokemusvirta.workplace.access_log import AccessLogUnavailable, log_view
from kokemusvirta.workplace.app import check_csrf, lang_of, message_page, render
from kokemusvirta.workplace.i18n import register_texts
from kokemusvirta.workplace.inbox_texts import MESSAGE_TEXTS, words
from kokemusvirta.workplace.log_page import unavailable_page
from kokemusvirta.workplace.sessions import Forbidden, require_roles, require_user
from kokemusvirta.workplace.users import StaffRole, StaffUser
from managers import inbox as ib
from managers.inbox_view import LANGS, Lang, deadline_words
from schemas.access_log import Purpose
from schemas.deadlines import FINNISH_TIME
from schemas.envelope import ItemId
from schemas.lifecycle import Outcome, ReturnedTo
from schemas.taxonomy import Severity, Stance, Theme
from schemas.vocabulary import OUTCOMES, SEVERITIES, STANCES, STEPS, THEMES
from sinks.reader import StoreMissing

register_texts(MESSAGE_TEXTS)

_DETAIL_KEYS = ("reason", "body", "agenda_ref", "outcome", "rationale", "decision_ref",
                "returned_to", "channel", "no_decision_reason", "downgraded_to", "themes",
                "stance", "severity")


async def _record_view(request: Request, user: StaffUser, item_id: str, county: str
                       ) -> Response | None:
    """Every view of an item is an access-log event, written (and acknowledged by the broker)
    before the item is shown; None when it is, else the 503 page to show instead: the rules
    require the trail, so an item the log cannot record is not shown."""
    try:
        await log_view(request, user, item_id, county, Purpose.ITEM_PAGE)
    except AccessLogUnavailable:
        return unavailable_page(request)
    return None


def _lang(request: Request) -> Lang:
    lang = lang_of(request)
    return next((code for code in LANGS if code == lang), "fi")


def _today() -> Any:
    return datetime.now(FINNISH_TIME).date()


def _settings(request: Request) -> Any:
    return request.app.state.settings


async def inbox(request: Request) -> Response:
    user = require_roles(require_user(request), StaffRole.UNIT_MANAGER, StaffRole.LEADERSHIP)
    requester = user.requester
    assert requester is not None
    settings = _settings(request)
    try:
        chosen, items = await run_in_threadpool(_inbox_items, settings.store, user, request)
        missing = False
    except StoreMissing:  # a new deployment: an empty inbox that says why
        chosen, missing = il.choice(request.query_params), True
        items = ([], il.paged([], 1))
    units, page = items
    lang = _lang(request)
    return render(request, "inbox.html", {
        "w": words(lang), "rows": il.rows(page.entries, lang), "page": page,
        "chosen": chosen, "units": units,
        "orders": il.ORDERS, "severities": _options(SEVERITIES, [s.value for s in Severity],
                                                    lang),
        "themes": _options(THEMES, [t.value for t in Theme], lang),
        "statuses": _options(STEPS, [s for s in il.STATUS_ORDER if ib.is_open(s)], lang),
        "show_unit": bool(units), "store_missing": missing,
    })


def _inbox_items(path: Any, user: StaffUser, request: Request
                 ) -> tuple[il.Choice, tuple[list[str], il.Paged]]:
    """The choice from the address, the units leadership may filter by, and the page asked for
    of the open items in the user's scope that pass the filters: filtered in SQL, ordered by
    their deadlines (Python), then the page's items read in full."""
    requester = user.requester
    assert requester is not None and requester.place is not None
    leadership = user.role is StaffRole.LEADERSHIP
    units = store.area_units(path, requester.county, requester.place) if leadership else []
    chosen = il.choice(request.query_params, units)
    place = {"area": requester.place, "unit": chosen.unit} if leadership else {
        "unit": requester.place}
    found = store.inbox_candidates(path, requester.county, severity=chosen.severity,
                                   theme=chosen.theme, status=chosen.status, **place)
    page = il.paged(il.ordered(found, chosen, _today(), request.app.state.settings.deadlines),
                    chosen.page)
    full = store.page_items(path, [e.item.item_id for e in page.entries], requester.county,
                            **place)
    entries = [il.Listed(full[e.item.item_id], e.unit, e.due) for e in page.entries
               if e.item.item_id in full]  # (a snapshot is one view: all are there)
    return chosen, (units, replace(page, entries=entries))


def _options(vocabulary: Any, codes: list[str], lang: str) -> list[tuple[str, str]]:
    return [(code, vocabulary[code][lang]) for code in codes]


def _place(request: Request, user: StaffUser, item_id: str) -> None:
    """403 unless the item exists and is in the user's scope (the same page for both)."""
    try:
        from pydantic import TypeAdapter

        TypeAdapter(ItemId).validate_python(item_id)
    except ValueError:
        raise Forbidden from None
    where = store.where_is(_settings(request).store, item_id)
    if where is None or not user.may_see(*where):
        raise Forbidden


async def item_page(request: Request) -> Response:
    user = require_user(request)
    item_id = request.path_params["item_id"]
    try:
        await run_in_threadpool(_place, request, user, item_id)
    except StoreMissing:
        return message_page(request, "store_missing_title", "store_missing_text", 503)
    return await _item_response(request, user, item_id)


async def _item_response(request: Request, user: StaffUser, item_id: str,
                         failed: str | None = None, errors: dict[str, str] | None = None,
                         values: dict[str, Any] | None = None, problem: str | None = None,
                         status: int = 200) -> Response:
    settings = _settings(request)
    page = await run_in_threadpool(store.item_page, settings.store, item_id)
    if page is None:
        raise Forbidden
    unlogged = await _record_view(request, user, item_id, page.county)
    if unlogged is not None:
        return unlogged
    lang = _lang(request)
    w = words(lang)
    allowed = ia.allowed_now(page.history, user.requester)
    sent = request.query_params.get("lahetetty")
    notice = None
    if sent and failed is None:
        seen = await run_in_threadpool(store.has_step, settings.store, item_id, sent)
        notice = w["step_seen"] if seen else w["sent"]
    due = ib.due(page.item, _today(), settings.deadlines)
    return render(request, "item.html", {
        "w": w, "page": page, "item": page.item, "allowed": allowed,
        "has_decision": ia.decided(page.history), "notice": notice,
        "failed": failed, "errors": errors or {}, "values": values or {}, "problem": problem,
        "severity_words": SEVERITIES[page.item.severity][lang],
        "stance_words": STANCES[page.item.stance][lang] if page.item.stance in STANCES else "–",
        "theme_words": [THEMES[t][lang] for t in page.item.themes],
        "status_words": STEPS.get(page.item.status, {}).get(lang, page.item.status),
        "deadline": deadline_words(due, lang) if due else None,
        "received": ib.received_text(page.item.received_at),
        "path": [_path_row(r, lang, w) for r in page.path.get("lifecycle", [])],
        # whether THIS item's chain verifies (sinks/audit/verify.py for the one item)
        "chain": page.path.get("chain") or {"state": "unsealed", "problems": []},
        "outcomes": _options(OUTCOMES, [o.value for o in Outcome], lang),
        "returned_to": [(r.value, w[f"rt_{r.value}"]) for r in ReturnedTo],
        "severities": _options(SEVERITIES, [s.value for s in Severity], lang),
        "stances": _options(STANCES, [s.value for s in Stance], lang),
        "themes": _options(THEMES, [t.value for t in Theme], lang),
    }, status)


def _path_row(r: dict[str, Any], lang: str, w: dict[str, str]) -> dict[str, Any]:
    details = r.get("details") or {}
    who = w.get(f"actor_{r.get('actor_role')}", str(r.get("actor_role")))
    pseudonym = details.get("actor_pseudonym") or r.get("actor_pseudonym")
    shown = []
    for key in _DETAIL_KEYS:
        value: Any = details.get(key)
        if value in (None, "", []):
            continue
        if key == "outcome" and str(value) in OUTCOMES:
            value = OUTCOMES[str(value)][lang]
        elif key == "returned_to":
            value = w.get(f"rt_{value}", value)
        elif key == "themes" and isinstance(value, list):
            value = ", ".join(THEMES[t][lang] if t in THEMES else str(t) for t in value)
        elif key in ("severity", "downgraded_to") and str(value) in SEVERITIES:
            value = SEVERITIES[str(value)][lang]
        elif key == "stance" and str(value) in STANCES:
            value = STANCES[str(value)][lang]
        shown.append((w.get(f"f_{key}", key), str(value)))
    step = r.get("step", "")
    return {"step": STEPS.get(step, {}).get(lang, step), "who": who, "pseudonym": pseudonym,
            "when": str(r.get("occurred_at", ""))[:16].replace("T", " "), "details": shown}


async def act(request: Request) -> Response:
    """POST /asia/<item>/<step>: check, publish, then 303 to the item page."""
    from kokemusvirta.workplace.acting import ActError

    user = require_user(request)
    item_id, step = request.path_params["item_id"], request.path_params["step"]
    form = await request.form()
    check_csrf(request, form)
    try:
        await run_in_threadpool(_place, request, user, item_id)
    except StoreMissing:
        return message_page(request, "store_missing_title", "store_missing_text", 503)
    if step not in ia.ACTIONS:
        raise HTTPException(404)
    lang = _lang(request)
    values = {k: str(v) for k, v in form.items() if isinstance(v, str) and k != "csrf"}
    themes = [str(v) for v in form.getlist("themes")]
    page = await run_in_threadpool(store.item_page, _settings(request).store, item_id)
    if page is None:
        raise Forbidden
    if step not in ia.allowed_now(page.history, user.requester):
        if user.requester is None:
            raise Forbidden
        return await _item_response(request, user, item_id, step, {}, values,
                                    words(lang)["not_now"], 409)
    checked = ia.validate(step, values, lang, has_decision=ia.decided(page.history),
                          themes=themes)
    if not checked.ok:
        return await _item_response(request, user, item_id, step, checked.errors,
                                    {**values, "themes": themes}, words(lang)["form_errors"],
                                    400)
    try:
        event_id = await run_in_threadpool(request.app.state.actor.publish_step, user, step,
                                           item_id, checked.fields)
    except ActError as refused:  # one line, no personal data: the guard's reason
        return await _item_response(request, user, item_id, step, {}, values, str(refused),
                                    409)
    return RedirectResponse(f"/asia/{item_id}?lahetetty={event_id}#polku", 303)


def _waiting_rows(waiting: list[store.Waiting], lang: str) -> list[dict[str, Any]]:
    out = []
    for entry in waiting:
        i = entry.item
        out.append({
            "item_id": i.item_id, "severity": SEVERITIES[i.severity][lang],
            "severity_code": i.severity, "received": ib.received_text(i.received_at),
            "since": ib.received_text(entry.since) if entry.since else "–",
            "status": STEPS.get(i.status, {}).get(lang, i.status),
            "themes": ", ".join(THEMES[t][lang] for t in i.themes) or "–",
            "unit": entry.unit or "–", "body": entry.body or "–",
            "agenda_ref": entry.agenda_ref or "–", "reason": entry.reason or "–",
        })
    return out


async def queue(request: Request) -> Response:
    user = require_roles(require_user(request), StaffRole.LEADERSHIP)
    requester = user.requester
    assert requester is not None and requester.place is not None
    try:
        waiting = await run_in_threadpool(store.leadership_queue, _settings(request).store,
                                          requester.county, requester.place)
    except StoreMissing:
        waiting = None
    lang = _lang(request)
    return render(request, "queue.html", {"w": words(lang), "store_missing": waiting is None,
                                          "rows": _waiting_rows(waiting or [], lang)})


async def agenda(request: Request) -> Response:
    user = require_roles(require_user(request), StaffRole.SECRETARY)
    requester = user.requester
    assert requester is not None
    try:
        waiting = await run_in_threadpool(store.agenda, _settings(request).store,
                                          requester.county)
    except StoreMissing:
        waiting = None
    lang = _lang(request)
    return render(request, "agenda.html", {"w": words(lang), "store_missing": waiting is None,
                                           "rows": _waiting_rows(waiting or [], lang)})


def inbox_routes() -> list[BaseRoute]:
    return [
        Route("/saapuneet", inbox),
        Route("/asia/{item_id}", item_page),
        Route("/asia/{item_id}/{step}", act, methods=["POST"]),
        Route("/jono", queue),
        Route("/esityslista", agenda),
    ]
