"""`kokemusvirta notify run [--once] [--interval S]`: the notifier.

Reads the store's published snapshot, sends what is due (answers to clients who asked for
one: e-mail over KOKEMUSVIRTA_SMTP_*, or a letter PDF under $KOKEMUSVIRTA_HOME/letters/) and
asks the worker's guard to record each attempt, as the notifier principal on its own request
topic. Every round is in kokemusvirta/notify/ (ROUNDS).
"""

from __future__ import annotations

import argparse
import sys
import threading

from kokemusvirta.settings import Settings
from kokemusvirta.terminal import printable


def register(sub: argparse._SubParsersAction, fmt: type[argparse.HelpFormatter]) -> None:
    n = sub.add_parser(
        "notify", help="the notifier: deliver answers to clients, tell staff",
        description="The notifier delivers answers returned to clients who asked for one (an "
        "e-mail in the client's language, or a printable letter PDF for post) and tells staff, "
        "each attempt recorded as a lifecycle event (item.reply_delivery, "
        "item.staff_notified) that the worker's guard accepts from the notifier's own request "
        "topic. Mail goes by KOKEMUSVIRTA_SMTP_HOST/_PORT/_SECURITY/_USER/_PASSWORD from "
        "KOKEMUSVIRTA_MAIL_FROM; the server's certificate is always checked (a private CA: "
        "KOKEMUSVIRTA_SMTP_CA_FILE). A client who left a phone number is recorded as the "
        "unit's to call (unit_answers); nothing is sent. Each answer is sent once, also across "
        "restarts (a ledger in $KOKEMUSVIRTA_HOME/notify/). Needs the worker and the sink running.",
        formatter_class=fmt)
    nsub = n.add_subparsers(dest="notify_command", metavar="COMMAND", required=True)
    r = nsub.add_parser(
        "run", help="run the notifier's rounds (every --interval seconds, or --once)",
        description="Run the delivery round (and every other round of kokemusvirta/notify/): "
        "read the store's snapshot, send what is due, record each attempt. A mail the server "
        "refuses for now is tried again later, the wait doubling from "
        "KOKEMUSVIRTA_DELIVERY_RETRY_S, up to KOKEMUSVIRTA_DELIVERY_MAX_ATTEMPTS attempts. "
        "Prints one line per round with counts (never an address). Stop with Ctrl-C.",
        formatter_class=fmt)
    r.add_argument("--once", action="store_true", help="one turn of every round, then exit")
    r.add_argument("--interval", type=float, default=30.0, metavar="S",
                   help="seconds between turns (default 30)")
    r.set_defaults(func=cmd_run)


def _err(message: str) -> None:
    print(f"kokemusvirta notify: {message}", file=sys.stderr, flush=True)


def cmd_run(args: argparse.Namespace, settings: Settings) -> int:
    from kokemusvirta.notify import ROUNDS
    from kokemusvirta.notify.ledger import Ledger, ledger_path
    from kokemusvirta.notify.mail import send_mail
    from kokemusvirta.notify.publisher import NotifierPublisher
    from kokemusvirta.notify.service import NotifierContext, run_rounds

    if args.interval <= 0:
        _err("--interval is a number of seconds above 0")
        return 2
    from kokemusvirta.notify.staff_rules import RulesFileError, load_rules
    from kokemusvirta.organisations import organisations

    try:  # the county's rules for telling staff: a bad file is one line, before anything runs
        load_rules(settings.notify_rules_path)
    except RulesFileError as exc:
        _err(printable(str(exc)))
        return 2
    organisations(settings)  # the staff's addresses: a bad registry is one line too (cli.py)
    if not settings.store.exists() and not settings.store.with_name(
            settings.store.stem + ".snapshot.duckdb").exists():
        _err(f"no store at {printable(str(settings.store))}: run `kokemusvirta sink` first")
        return 2
    ledger = Ledger(ledger_path(settings.home))
    stop = threading.Event()
    try:
        with NotifierPublisher(settings) as publisher:
            ctx = NotifierContext(settings=settings, publisher=publisher,
                                  send=lambda mail: send_mail(settings, mail), ledger=ledger)
            run_rounds(ctx, ROUNDS, once=args.once, interval_s=args.interval, stop=stop,
                       on_report=lambda r: print(printable(r.line()), flush=True))
    except KeyboardInterrupt:
        stop.set()
    finally:
        ledger.close()
    return 0
