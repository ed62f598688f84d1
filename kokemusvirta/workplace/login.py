"""Signing in with a local account: the name and password (/kirjaudu), then the TOTP code
(/kirjaudu/tunnistus), then a fresh session; signing out is a POST (/kirjaudu/ulos).

Every failure says the same thing whichever part was wrong, so the page never tells whether a
user exists or is locked. The password step leaves only a half-finished sign-in in the session
(the user id and when, for 5 minutes); the user is signed in after the code. The OpenID Connect
part sets `app.state.oidc`; the login page then offers "Kirjaudu organisaation tunnuksilla"
(/kirjaudu/oidc).
"""

from __future__ import annotations

import time

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from kokemusvirta.workplace.app import check_csrf, render
from kokemusvirta.workplace.sessions import current_user, safe_next, sign_in, sign_out

PENDING = "pending"
PENDING_S = 300  # the code must follow the password within 5 minutes


def _field(form: object, name: str) -> str:
    value = form.get(name) if hasattr(form, "get") else None
    return value if isinstance(value, str) else ""


async def login_page(request: Request) -> Response:
    target = safe_next(request.query_params.get("seuraava"))
    if current_user(request) is not None:
        return RedirectResponse(target, 303)
    notice = "signed_out" if "ulos" in request.query_params else None
    return render(request, "login.html", {"next": target, "error": None, "user_id": "",
                                          "notice": notice})


async def login_submit(request: Request) -> Response:
    form = await request.form()
    check_csrf(request, form)
    user_id, password = _field(form, "kayttaja").strip(), _field(form, "salasana")
    target = safe_next(_field(form, "seuraava"))
    if not user_id or not password:
        return render(request, "login.html", {"next": target, "error": "missing_fields",
                                              "user_id": user_id, "notice": None}, 400)
    accounts = request.app.state.accounts
    account = await run_in_threadpool(accounts.verify_password, user_id, password)
    if account is None:
        return render(request, "login.html", {"next": target, "error": "login_failed",
                                              "user_id": user_id, "notice": None}, 401)
    request.session[PENDING] = {"id": account.user_id, "at": time.time(), "next": target}
    return RedirectResponse("/kirjaudu/tunnistus", 303)


def _pending(request: Request) -> dict[str, object] | None:
    pending = request.session.get(PENDING)
    if not isinstance(pending, dict):
        return None
    try:
        if not 0 <= time.time() - float(pending["at"]) <= PENDING_S:
            request.session.pop(PENDING, None)
            return None
    except (KeyError, TypeError, ValueError):
        return None
    return pending


async def code_page(request: Request) -> Response:
    if _pending(request) is None:
        return RedirectResponse("/kirjaudu", 303)
    return render(request, "totp.html", {"error": None})


async def code_submit(request: Request) -> Response:
    form = await request.form()
    check_csrf(request, form)
    pending = _pending(request)
    if pending is None:
        return render(request, "login.html", {"next": "/", "error": "totp_expired",
                                              "user_id": "", "notice": None}, 401)
    accounts = request.app.state.accounts
    user_id = str(pending["id"])
    if not await run_in_threadpool(accounts.verify_totp, user_id, _field(form, "koodi")):
        return render(request, "totp.html", {"error": "totp_failed"}, 401)
    account = accounts.get(user_id)
    if account is None:  # removed in between
        sign_out(request)
        return RedirectResponse("/kirjaudu", 303)
    sign_in(request, accounts.staff_user(account))
    return RedirectResponse(safe_next(str(pending.get("next") or "/")), 303)


async def logout(request: Request) -> Response:
    form = await request.form()
    check_csrf(request, form)
    sign_out(request)
    return RedirectResponse("/kirjaudu?ulos=1", 303)


def login_routes() -> list[BaseRoute]:
    return [
        Route("/kirjaudu", login_page, methods=["GET"]),
        Route("/kirjaudu", login_submit, methods=["POST"]),
        Route("/kirjaudu/tunnistus", code_page, methods=["GET"]),
        Route("/kirjaudu/tunnistus", code_submit, methods=["POST"]),
        Route("/kirjaudu/ulos", logout, methods=["POST"]),
    ]
