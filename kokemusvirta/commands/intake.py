"""`kokemusvirta intake …`: the clients' front door.

    kokemusvirta intake serve [--host 127.0.0.1] [--port 8470]
    kokemusvirta intake posters --unit CODE [--unit ...] | --all --out DIR [--base-url URL]

Each action is a parser under the `intake` subparsers (`INTAKE_ACTIONS`); another action adds a
`register_<action>(actions, fmt)` function here and its name to the tuple.
"""

from __future__ import annotations

import argparse
import socket
import sys
from collections.abc import Callable

from kokemusvirta.serving import listen, run_until_stopped
from kokemusvirta.settings import Settings
from kokemusvirta.terminal import printable

DEFAULT_PORT = 8470


def register(sub: argparse._SubParsersAction, fmt: type[argparse.HelpFormatter]) -> None:
    p = sub.add_parser(
        "intake", help="the intake service: API for e-services (and the feedback form)",
        description="The clients' front door: an HTTP service that takes feedback, workshop "
        "outputs and statements and publishes them to the intake topic as the intake gateway "
        "(client ids pseudonymised, contacts sealed before anything reaches Kafka).",
        formatter_class=fmt)
    actions = p.add_subparsers(dest="action", required=True, metavar="ACTION")
    for add in INTAKE_ACTIONS:
        add(actions, fmt)


def register_serve(actions: argparse._SubParsersAction,
                   fmt: type[argparse.HelpFormatter]) -> None:
    s = actions.add_parser(
        "serve", help="run the intake service (uvicorn) until Ctrl-C or SIGTERM",
        description="Serves POST /v1/feedback, /v1/workshops and /v1/statements (one event or "
        "a list, the JSON of the schemas; 202 with the item ids once the broker has "
        "acknowledged them), GET /v1/health and GET /v1/openapi.json. Errors are JSON in the "
        "language of Accept-Language (fi, sv, en): 400 lists every field problem, 413 over "
        "KOKEMUSVIRTA_INTAKE_MAX_BODY_BYTES, 415 not JSON, 422 an Idempotency-Key reused for "
        "another request, 429 over the per-client rate (KOKEMUSVIRTA_INTAKE_RATE_PER_S, "
        "_BURST), 503 with Retry-After when the broker does not acknowledge. Connects as the "
        "intake gateway principal (on the local broker; elsewhere KAFKA_SASL_* or --config). "
        "Stops gracefully on Ctrl-C or SIGTERM: requests in flight are answered first.",
        formatter_class=fmt)
    s.add_argument("--host", default="127.0.0.1",
                   help="address to listen on (default 127.0.0.1; 0.0.0.0 for every "
                   "interface, behind a TLS-terminating proxy)")
    s.add_argument("--port", type=int, default=DEFAULT_PORT,
                   help=f"port to listen on (default {DEFAULT_PORT}; 0 picks a free one)")
    s.add_argument("--access-log", action="store_true",
                   help="log every request (off by default: it names the clients' addresses)")
    s.set_defaults(func=cmd_serve)


def register_posters(actions: argparse._SubParsersAction,
                     fmt: type[argparse.HelpFormatter]) -> None:
    from kokemusvirta.intake.posters import cmd_posters

    p = actions.add_parser(
        "posters", help="write a printable poster with a QR code per unit (HTML, A4)",
        description="Writes DIR/<unit>.html for each unit: a printable A4 page with the unit's "
        "name, the feedback question in the unit's languages (Finnish, Swedish, English; the "
        "registry's `languages`), the form's short address and a QR code that opens the form "
        "in the unit's first language. Open a file in a browser and print it. The QR code is "
        "made here (segno), nothing is fetched.",
        formatter_class=fmt)
    p.add_argument("--unit", action="append", default=[], metavar="CODE",
                   help="a unit code of the organisation registry (repeat for several)")
    p.add_argument("--all", action="store_true", help="every unit of the registry")
    p.add_argument("--out", required=True, metavar="DIR", help="where the posters are written")
    p.add_argument("--base-url", default=f"http://localhost:{DEFAULT_PORT}", metavar="URL",
                   help="the public address of the intake service, e.g. "
                   f"https://palaute.hyvinvointialue.fi (default http://localhost:{DEFAULT_PORT}, "
                   "this machine: only for trying it out)")
    p.set_defaults(func=cmd_posters)


INTAKE_ACTIONS: tuple[Callable[[argparse._SubParsersAction, type[argparse.HelpFormatter]],
                               None], ...] = (register_serve, register_posters)


def _err(message: str) -> None:
    print(f"kokemusvirta: {message}", file=sys.stderr, flush=True)


def _reachable(bootstrap: str, timeout: float = 2.0) -> bool:
    """Whether any bootstrap address takes a connection: the Kafka clients would try for 30 s
    before saying no, and the service need not wait for that to start."""
    for address in bootstrap.split(","):
        host, _, port = address.strip().rpartition(":")
        try:
            socket.create_connection((host.strip("[]"), int(port)), timeout).close()
        except (OSError, ValueError):
            continue
        return True
    return False


def _ensure_topics(settings: Settings) -> None:
    """The intake topic exists before the first request (as `publish` makes sure). A broker
    that does not answer now is said in one line; the service starts anyway and answers 503
    until it does."""
    from kafka.errors import KafkaError

    from kokemusvirta import kafka as kv_kafka

    bootstrap = kv_kafka.bootstrap_servers(settings, start_local=False)  # NoBroker: exit 2
    try:
        if not _reachable(bootstrap):
            raise ConnectionRefusedError
        kv_kafka.ensure_topics(settings, bootstrap)
    except (KafkaError, OSError) as exc:
        _err(f"the broker at {printable(bootstrap)} did not answer ({type(exc).__name__}): "
             "serving anyway, requests are answered 503 until it does")


def cmd_serve(args: argparse.Namespace, settings: Settings) -> int:
    sock = listen(args.host, args.port, _err)
    if sock is None:
        return 2
    from kokemusvirta.intake.app import create_app

    try:
        _ensure_topics(settings)
        app = create_app(settings)
    except BaseException:
        sock.close()
        raise
    host, port = sock.getsockname()[:2]
    print(f"intake API listening on http://{host}:{port} (POST /v1/feedback, /v1/workshops, "
          "/v1/statements; GET /v1/openapi.json; the feedback form at /palaute/<unit>); "
          "Ctrl-C stops", flush=True)
    run_until_stopped(app, sock, access_log=args.access_log)
    print("intake API stopped", flush=True)
    return 0
