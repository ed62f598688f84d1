"""`kokemusvirta signals`: detect weekly signals (unit × theme over a threshold) and publish
them; the worker makes each one an aggregate item routed to service-area leadership."""

from __future__ import annotations

import argparse
import re
import sys
from datetime import timedelta

from kokemusvirta.settings import Settings


def _week(value: str) -> str:
    if not re.fullmatch(r"\d{4}-W(0[1-9]|[1-4]\d|5[0-3])", value):
        raise argparse.ArgumentTypeError(f"{value!r} is not an ISO week like 2026-W41")
    return value


def _threshold(value: str) -> int:
    try:
        n = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a whole number") from None
    if n < 1:
        raise argparse.ArgumentTypeError("must be 1 or more")
    return n


def cmd_signals(args: argparse.Namespace, settings: Settings) -> int:
    from kokemusvirta import kafka as kv_kafka
    from managers import signals
    from schemas.envelope import utc_now

    now = utc_now()
    week = args.week or signals.week_of(now - timedelta(days=7))
    if signals.week_bounds(week)[1] > now:
        print(f"kokemusvirta: viikko ei ole päättynyt (week not over): {week} has not ended "
              "yet; a signal counts a whole week", file=sys.stderr)
        return 2
    threshold = args.threshold or settings.signal_threshold
    found = signals.detect(signals.rows_for_week(settings.store, week), week, threshold, now)
    for s in found:
        print(f"{s.county}.{s.unit}  {s.theme.value:<14} {len(s.members):>4} items  "
              f"{s.stance.value}/{s.severity.value}")
    if args.dry_run or not found:
        print(f"{len(found)} signal(s) in {week} at threshold {threshold}"
              + (" (not published: --dry-run)" if args.dry_run and found else ""))
        return 0
    bootstrap = kv_kafka.bootstrap_servers(settings, start_local=False)
    producer = kv_kafka.producer(settings, bootstrap)
    try:
        for s in found:
            producer.send(settings.topics.intake, key=s.kafka_key(), value=s.to_json_bytes())
        producer.flush()
    finally:
        producer.close()
    print(f"published {len(found)} signal(s) in {week} to {settings.topics.intake}; the same "
          "week published again gives the same signals (same ids)")
    return 0


def register(sub: argparse._SubParsersAction, fmt: type[argparse.HelpFormatter]) -> None:
    p = sub.add_parser(
        "signals", help="detect and publish weekly signals (viikkosignaalit) for leadership",
        description="Count one ISO week's feedback per unit and theme in the store; each count "
        "at or over the threshold becomes a signal published to the intake topic. The worker "
        "makes it an aggregate item (ag-…) routed to the service-area leadership; when "
        "leadership acknowledges it, its member items count as having reached leadership. "
        "Run it weekly (cron); it is idempotent.", formatter_class=fmt)
    p.add_argument("--week", type=_week, default=None,
                   help="ISO week, e.g. 2026-W41 (default: last week)")
    p.add_argument("--threshold", type=_threshold, default=None,
                   help="items per unit and theme (default $KOKEMUSVIRTA_SIGNAL_THRESHOLD, 5)")
    p.add_argument("--dry-run", action="store_true", help="list the signals, publish nothing")
    p.set_defaults(func=cmd_signals)
