"""Every page of the workplace, as route factories: ONE tuple that each part appends one line
to (its own factory, defined in its own module), so merging the parts is a line each.

A part that must set something up on the app adds one line to SETUP_HOOKS the same way. The
placeholders of the role's home pages (`placeholder_routes`) are mounted after all of
them, so a part's real page at the same path wins.
"""

from __future__ import annotations

from collections.abc import Callable

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from kokemusvirta.settings import Settings
from kokemusvirta.workplace.app import HOME, check_csrf, message_page, render
from kokemusvirta.workplace.dashboards_routes import dashboards_routes, dashboards_setup
from kokemusvirta.workplace.inbox_pages import inbox_routes
from kokemusvirta.workplace.log_page import log_routes, log_setup
from kokemusvirta.workplace.oidc import oidc_routes
from kokemusvirta.workplace.sessions import require_roles, require_user
from kokemusvirta.workplace.users import StaffRole


async def landing(request: Request) -> Response:
    """Each role to its place."""
    user = require_user(request)
    return RedirectResponse(HOME[user.role], 303)


def _placeholder(*roles: StaffRole) -> Callable[[Request], object]:
    async def page(request: Request) -> Response:
        require_roles(require_user(request), *roles)
        return message_page(request, "coming_title", "coming_text", 200)
    return page


async def act(request: Request) -> Response:
    """POST /toimi: the minimal way to ask for a step (fields `askel`, `kohde`, `csrf`; the
    step's own fields by their names): the inbox's item page has the real forms."""
    from kokemusvirta.workplace.acting import ActError, Unavailable

    user = require_user(request)
    form = await request.form()
    check_csrf(request, form)
    step, item_id = str(form.get("askel", "")), str(form.get("kohde", ""))
    fields = {k: str(v) for k, v in form.items()
              if k not in ("askel", "kohde", "csrf") and isinstance(v, str) and v}
    try:
        event_id = await run_in_threadpool(request.app.state.actor.publish_step, user, step,
                                           item_id, fields)
    except Unavailable as exc:
        return render(request, "acted.html", {"ok": False, "reason": str(exc)}, 503)
    except ActError as exc:
        return render(request, "acted.html", {"ok": False, "reason": str(exc)}, 403)
    except ValueError as exc:  # a field the step does not take, or too long
        return render(request, "acted.html", {"ok": False, "reason": str(exc)}, 400)
    return render(request, "acted.html", {"ok": True, "event_id": event_id})


def core_routes() -> list[BaseRoute]:
    from kokemusvirta.workplace.login import login_routes

    return [Route("/", landing), *login_routes(), Route("/toimi", act, methods=["POST"])]


def placeholder_routes() -> list[BaseRoute]:
    return [
        Route("/saapuneet", _placeholder(StaffRole.UNIT_MANAGER)),
        Route("/jono", _placeholder(StaffRole.LEADERSHIP)),
        Route("/esityslista", _placeholder(StaffRole.SECRETARY)),
        Route("/loki", _placeholder(StaffRole.AUDITOR)),
        Route("/kojelauta", _placeholder(*StaffRole)),
    ]


# Each part: one line, its factory (a callable returning its routes).
ROUTE_FACTORIES: tuple[Callable[[], list[BaseRoute]], ...] = (
    core_routes,
    oidc_routes,
    inbox_routes,  # the web inbox, item page, queue and agenda (inbox_pages.py)
    log_routes,  # the access log for auditors (/loki)
    dashboards_routes,
)

# A part that must set something up on the app (e.g. the OpenID Connect client on
# app.state.oidc): one line, a callable run at the end of create_app with the app and settings.
SETUP_HOOKS: tuple[Callable[[Starlette, Settings], None], ...] = (
    log_setup,  # the access log page's templates
    dashboards_setup,
)
