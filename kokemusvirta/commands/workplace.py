"""`kokemusvirta workplace serve`: the staff's web app (kokemusvirta/workplace/).

    kokemusvirta workplace serve [--host 127.0.0.1] [--port 8471]
    kokemusvirta workplace stop

`serve` writes $KOKEMUSVIRTA_HOME/workplace/server.json (pid, address) while it listens, so
`stop` (and the demo, which leaves one running) can find it (kokemusvirta/background.py).
"""

from __future__ import annotations

import argparse
import sys
import textwrap

from kokemusvirta.settings import Settings

DEFAULT_PORT = 8471


def _wrap(text: str) -> str:
    """A description wrapped for the terminal (the raw formatter keeps line breaks as given)."""
    return textwrap.fill(text, 88)


def register(sub: argparse._SubParsersAction, fmt: type[argparse.HelpFormatter]) -> None:
    p = sub.add_parser(
        "workplace", help="the staff's workplace: sign-in, inbox, dashboards (web)",
        description=_wrap("The web app for the people who act on feedback: unit managers, "
        "service-area leadership, political bodies' secretaries, auditors and analysts sign in "
        "(local accounts with a password and a TOTP code: `kokemusvirta users`) and act in "
        "their role and scope. Separate from the clients' intake service."),
        formatter_class=fmt)
    actions = p.add_subparsers(dest="action", required=True, metavar="ACTION")
    s = actions.add_parser(
        "serve", help="run the workplace (uvicorn) until Ctrl-C or SIGTERM",
        description=_wrap("Serves the workplace's pages: /kirjaudu (sign in), / (each role to its "
        "place) and the pages of the parts. Sessions last KOKEMUSVIRTA_WORKPLACE_SESSION_HOURS "
        "(8); set KOKEMUSVIRTA_WORKPLACE_HTTPS=true behind a TLS-terminating proxy. A user's "
        "steps go to the request topic of the user's role and scope, as that requester (on "
        "the local broker its own principal; elsewhere the client files in "
        "KOKEMUSVIRTA_WORKPLACE_CLIENT_DIR). With KOKEMUSVIRTA_OIDC_ISSUER staff may also sign "
        "in through the county's OpenID Connect provider (/kirjaudu/oidc; "
        "docs/workplace-oidc.md). Stops gracefully on Ctrl-C or SIGTERM."),
        formatter_class=fmt)
    s.add_argument("--host", default="127.0.0.1",
                   help="address to listen on (default 127.0.0.1; 0.0.0.0 for every "
                   "interface, behind a TLS-terminating proxy)")
    s.add_argument("--port", type=int, default=DEFAULT_PORT,
                   help=f"port to listen on (default {DEFAULT_PORT}; 0 picks a free one)")
    s.add_argument("--access-log", action="store_true",
                   help="log every request (off by default: it names the staff's addresses)")
    s.set_defaults(func=cmd_serve)
    t = actions.add_parser(
        "stop", help="stop the workplace of this $KOKEMUSVIRTA_HOME (e.g. the demo's)",
        description=_wrap("Stops the workplace that `workplace serve` runs for this "
                          "$KOKEMUSVIRTA_HOME (the demo leaves one running in the background), "
                          "found by $KOKEMUSVIRTA_HOME/workplace/server.json."),
        formatter_class=fmt)
    t.set_defaults(func=cmd_stop)


def _err(message: str) -> None:
    print(f"kokemusvirta: {message}", file=sys.stderr, flush=True)


def cmd_serve(args: argparse.Namespace, settings: Settings) -> int:
    from kokemusvirta.serving import listen, run_until_stopped

    sock = listen(args.host, args.port, _err)
    if sock is None:
        return 2
    from kokemusvirta.workplace.app import create_app
    from kokemusvirta.workplace.oidc_mapping import MappingError

    try:
        app = create_app(settings)
    except MappingError as exc:  # an OIDC setting that cannot work: one line
        sock.close()
        _err(str(exc))
        return 2
    except BaseException:
        sock.close()
        raise
    from kokemusvirta.background import WORKPLACE

    host, port = sock.getsockname()[:2]
    WORKPLACE.write_state(settings.home, f"http://{host}:{port}/")
    print(f"workplace listening on http://{host}:{port} (sign in at /kirjaudu); Ctrl-C or "
          "`kokemusvirta workplace stop` stops", flush=True)
    try:
        run_until_stopped(app, sock, access_log=args.access_log)
    finally:
        WORKPLACE.clear_state(settings.home)
    print("workplace stopped", flush=True)
    return 0


def cmd_stop(args: argparse.Namespace, settings: Settings) -> int:
    from kokemusvirta.background import WORKPLACE

    pid = WORKPLACE.stop(settings.home)
    print(f"stopped the workplace (pid {pid})" if pid else
          f"no workplace was running for {settings.home}")
    return 0
