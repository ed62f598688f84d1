"""`kokemusvirta dashboard serve | build | stop`: the dashboards leaders, councils and the
public look at (dashboards/)."""

from __future__ import annotations

import argparse
import os
import sys
import textwrap
from datetime import UTC, datetime
from pathlib import Path

from kokemusvirta.organisations import organisations
from kokemusvirta.settings import Settings
from kokemusvirta.terminal import file_problem

DESCRIPTION = """\
The dashboards: the flow of clients' knowledge in pictures, in Finnish (Swedish and English one
click away). Pages: Kulku (the funnel), Tavoittavuus ja palautus (reach and return rates),
Läpimenoajat (lead times), Myöhässä (overdue), Teemat (themes), Osallistuminen (participation),
Sanoitte, me teimme (you said, we did). Groups smaller than 5 are shown as "alle 5".
Without a login, so public: aggregate figures only, no list of single items (staff see those
signed in, in `kokemusvirta workplace serve` at /kojelauta).

  serve   a local web server that reads the sink's published snapshot; the pages update
          themselves when the sink publishes a new one (a reader can pause that)
  build   one self-contained HTML file with every page in three languages, for the filters
          given, to e-mail or publish; nothing in it is fetched from the network
  stop    stop the server `serve` (or `kokemusvirta demo`) started for this $KOKEMUSVIRTA_HOME
"""


SERVE_DESCRIPTION = (
    "Serve the dashboards from the store's published snapshot (safe while the sink runs). Open "
    "the address it prints; filters are in the address (?county=lappi&period_start=2026-09), "
    "so a view can be bookmarked or shared. Pages refresh themselves when the sink publishes; "
    "each page has a button to pause that. No login: only aggregate figures, no list of single "
    "items. Limits: a request's line and headers within 10 s, at most 16 connections at once "
    "(more get 503 with Retry-After). Stops on Ctrl-C, SIGTERM or `kokemusvirta dashboard "
    "stop`.")


def _wrap(text: str) -> str:
    return textwrap.fill(text, 92)


def _month(value: str) -> str:
    from dashboards.filters import BadFilter, Filters

    try:
        Filters.parse({"period_start": value})
    except BadFilter as exc:
        raise argparse.ArgumentTypeError(f"{value!r} is not a month like 2026-09") from exc
    return value


def _port(value: str) -> int:
    if not value.isdigit() or int(value) > 65535:
        raise argparse.ArgumentTypeError(f"{value!r} is not a port number (0 to 65535)")
    return int(value)


def _seconds(value: str) -> float:
    try:
        seconds = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a number of seconds") from None
    if not 0 < seconds < 86_400:
        raise argparse.ArgumentTypeError("must be more than 0 and less than a day")
    return seconds


def _store(args: argparse.Namespace, settings: Settings) -> Path:
    return Path(args.store) if args.store else settings.store


def cmd_serve(args: argparse.Namespace, settings: Settings) -> int:
    from kokemusvirta import dashboard_daemon as daemon
    from kokemusvirta.serving import listen, run_until_stopped

    store = _store(args, settings)
    registry = organisations(settings)  # a bad registry file: one line before serving
    sock = listen(args.host, args.port, _err)  # a taken port: one line, exit 2
    if sock is None:
        return 2
    try:
        from dashboards.server import SnapshotReader, create_app, uvicorn_options

        app = create_app(SnapshotReader(store), poll_ms=int(args.poll_seconds * 1000),
                         organisations=registry)
        url = daemon.url_for(args.host, int(sock.getsockname()[1]))
        daemon.write_state(settings.home, url, store)
    except BaseException:
        sock.close()
        raise
    print(f"Kojelauta (dashboard): {url}  (store {store}; stop with Ctrl-C or "
          "`kokemusvirta dashboard stop`)", flush=True)

    def still_wanted() -> bool:
        # One server per home: a newer one took over, or the home (with its state file) was
        # deleted, e.g. a test's temporary home: this one is nobody's any more.
        return bool(daemon.read_state(settings.home).get("pid") == os.getpid())

    try:
        run_until_stopped(app, sock, access_log=False, options=uvicorn_options(),
                          still_wanted=still_wanted)
    finally:
        daemon.clear_state(settings.home)
    return 0


def _err(message: str) -> None:
    print(f"kokemusvirta: {message}", file=sys.stderr, flush=True)


def cmd_build(args: argparse.Namespace, settings: Settings) -> int:
    from dashboards.build import build
    from dashboards.filters import BadFilter, Filters
    from dashboards.frame import Choices
    from dashboards.pages import FILTER_OPTIONS
    from dashboards.queries import run
    from dashboards.server import check_known
    from sinks.reader import open_read_only

    con = open_read_only(_store(args, settings))
    try:
        try:
            filters = Filters.parse({"county": args.county, "service_area": args.service_area,
                                     "unit": args.unit, "period_start": args.period_start,
                                     "period_end": args.period_end, "theme": args.theme})
            check_known(filters, Choices.from_result(run(con, FILTER_OPTIONS)))
        except BadFilter as exc:
            print(f"kokemusvirta: {exc}", file=sys.stderr)
            return 2
        html = build(con, filters, datetime.now(UTC), organisations(settings))
    finally:
        con.close()
    out = Path(args.out)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(html, encoding="utf-8")
    except OSError as exc:
        print(f"kokemusvirta: {file_problem(exc, out)}", file=sys.stderr)
        return 2
    print(f"wrote {out} ({len(html.encode()) // 1024} KiB: 7 pages in Finnish, Swedish and "
          "English; open it in any browser, no network needed)")
    return 0


def cmd_stop(args: argparse.Namespace, settings: Settings) -> int:
    from kokemusvirta import dashboard_daemon as daemon

    pid = daemon.stop(settings.home)
    print(f"stopped the dashboard server (pid {pid})" if pid else
          f"no dashboard server was running for {settings.home}")
    return 0


def register(sub: argparse._SubParsersAction, fmt: type[argparse.HelpFormatter]) -> None:
    p = sub.add_parser("dashboard", help="serve or build the dashboards (kojelauta)",
                       description=DESCRIPTION, formatter_class=fmt)
    actions = p.add_subparsers(dest="action", required=True, metavar="ACTION")

    s = actions.add_parser("serve", help="run the dashboard web server",
                           description=_wrap(SERVE_DESCRIPTION), formatter_class=fmt)
    s.add_argument("--host", default="127.0.0.1",
                   help="address to listen on (default 127.0.0.1: this machine only)")
    s.add_argument("--port", type=_port, default=8765,
                   help="port (default 8765; 0: any free port, printed at start)")
    s.add_argument("--store", default=None, metavar="PATH",
                   help="the sink's DuckDB file (default $KOKEMUSVIRTA_STORE)")
    s.add_argument("--poll-seconds", type=_seconds, default=5.0, metavar="S",
                   help="how often an open page asks whether the data changed (default 5)")
    s.set_defaults(func=cmd_serve)

    b = actions.add_parser("build", help="write every page into one self-contained HTML file",
                           description=_wrap("Write the dashboards for the filters given into OUT "
                           "(one HTML file, every page in Finnish, Swedish and English, inline "
                           "styles, script and pictures): ready to e-mail or publish."),
                           formatter_class=fmt)
    b.add_argument("out", metavar="OUT.html")
    b.add_argument("--county", help="wellbeing services county code, e.g. lappi")
    b.add_argument("--service-area", dest="service_area",
                   help="service area code, e.g. perusterveydenhuolto")
    b.add_argument("--unit", help="unit code, e.g. rovaniemen-terveysasema")
    b.add_argument("--from", dest="period_start", type=_month, metavar="YYYY-MM",
                   help="first month of receipt")
    b.add_argument("--to", dest="period_end", type=_month, metavar="YYYY-MM",
                   help="last month of receipt (included)")
    b.add_argument("--theme", help="theme code (docs/taxonomy.md), e.g. access")
    b.add_argument("--store", default=None, metavar="PATH",
                   help="the sink's DuckDB file (default $KOKEMUSVIRTA_STORE)")
    b.set_defaults(func=cmd_build)

    t = actions.add_parser("stop", help="stop the dashboard server of this $KOKEMUSVIRTA_HOME",
                           description=_wrap("Stop the server that `dashboard serve` or "
                           "`kokemusvirta demo` started (its pid is in "
                           "$KOKEMUSVIRTA_HOME/dashboard/server.json)."), formatter_class=fmt)
    t.set_defaults(func=cmd_stop)
