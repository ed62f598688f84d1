"""`kokemusvirta access-log`: auditors read who viewed which item, when and why.

Reads the store's snapshot through the sandboxed reader, like `trace` and `verify`; whether the
log is the one the workplace signed is `verify`'s question, and whether the store still holds
every view the topic has is `--against-kafka`'s (it connects as the auditor). Exit status 0;
1 when --against-kafka finds a view deleted or inserted; 2 with one line when the command
cannot run as given (no store, no broker, a bad date or pseudonym).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from datetime import UTC, date, datetime
from typing import Any

from kokemusvirta.settings import Settings
from kokemusvirta.terminal import json_printable, printable

UNUSABLE = 2
PSEUDONYM = re.compile(r"^us-[0-9a-f]{16}$")


def _since(text: str) -> datetime:
    """A date (midnight UTC) or an ISO time with its zone."""
    try:
        if len(text) == 10:
            return datetime.combine(date.fromisoformat(text), datetime.min.time(), UTC)
        value = datetime.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(
            f"not a date: {text!r} (e.g. 2026-10-15 or 2026-10-15T18:00+03:00)") from exc
    if value.tzinfo is None:
        raise argparse.ArgumentTypeError(f"give the time zone too: {text}+03:00 or {text}Z")
    return value


def _viewer(text: str) -> str:
    if not PSEUDONYM.match(text):
        raise argparse.ArgumentTypeError(
            f"not a pseudonym: {text!r} (us- and 16 hex digits, as the log shows them)")
    return text


def _limit(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"not a positive number: {text!r}")
    return value


def _line(v: dict[str, Any]) -> str:
    reason = f"  “{v['reason']}”" if v["reason"] else ""
    return (f"{v['viewed_at'].astimezone(UTC):%Y-%m-%d %H:%M:%S} UTC  {v['item_id']}  "
            f"{v['viewer']} ({v['viewer_role']} {v['viewer_scope']})  {v['purpose']}{reason}")


def _log_records(settings: Settings) -> list[Any]:
    """Every view on the access-log topic, from its first offset to its end (as the auditor)."""
    from kafka import KafkaConsumer, TopicPartition

    from kokemusvirta import kafka as kv_kafka
    from sinks.audit.access_log import LogRecord

    bootstrap = kv_kafka.bootstrap_servers(settings, start_local=False)
    consumer = KafkaConsumer(enable_auto_commit=False, client_id="kokemusvirta-access-log",
                             **settings.kafka_python_config(bootstrap))
    try:
        topic = settings.topics.access_log
        parts = [TopicPartition(topic, p) for p in sorted(consumer.partitions_for_topic(topic)
                                                          or ())]
        consumer.assign(parts)
        consumer.seek_to_beginning(*parts)
        ends = consumer.end_offsets(parts)
        found: list[LogRecord] = []
        while any(consumer.position(tp) < ends[tp] for tp in parts):
            for tp, records in consumer.poll(timeout_ms=1000).items():
                for r in records:
                    try:
                        body = json.loads(r.value)
                    except (TypeError, ValueError):
                        continue
                    if isinstance(body, dict) and body.get("event_type") == "access.item_viewed":
                        found.append(LogRecord(tp.partition, r.offset, str(body.get("event_id"))))
        return found
    finally:
        consumer.close()


def cmd_against_log(settings: Settings) -> int:
    from kafka.errors import KafkaError

    from kokemusvirta.kafka import NoBroker
    from sinks.audit.access_log import against_log, stored_ids_and_offsets
    from sinks.reader import open_read_only

    con = open_read_only(settings.store)
    try:
        stored, sunk = stored_ids_and_offsets(con, settings.topics.access_log)
    finally:
        con.close()
    try:
        in_log = _log_records(settings)
    except (KafkaError, NoBroker) as exc:
        print(f"kokemusvirta: Kafkaa ei tavoiteta (cannot read the access log topic): "
              f"{printable(str(exc)[:200]) or type(exc).__name__}", file=sys.stderr)
        return UNUSABLE
    deleted, inserted = against_log(in_log, stored, sunk)
    print(f"access log against {settings.topics.access_log}: {len(in_log)} view(s) in the "
          f"topic, {len(stored)} in the store; {len(deleted)} deleted from the store, "
          f"{len(inserted)} the topic never had")
    for r in deleted[:15]:
        print(f"  deleted: {r.event_id} ({settings.topics.access_log}[{r.partition}]@{r.offset})")
    for event_id in inserted[:15]:
        print(f"  not in the topic: {event_id}")
    return 1 if deleted or inserted else 0


def cmd_access_log(args: argparse.Namespace, settings: Settings) -> int:
    from sinks.audit.access_log import public_key_lines, views
    from sinks.reader import StoreMissing, open_read_only

    try:
        if args.against_kafka:
            return cmd_against_log(settings)
        con = open_read_only(settings.store)
    except StoreMissing:
        print(f"kokemusvirta: ei varastoa (no store) at {printable(str(settings.store))}; "
              "run the sink first", file=sys.stderr)
        return UNUSABLE
    try:
        if args.public_keys:
            for line in public_key_lines(con):
                print(line)
            return 0
        found = views(con, item=args.item, viewer=args.viewer, since=args.since,
                      limit=args.limit)
    finally:
        con.close()
    if args.json:
        print(json_printable(json.dumps(
            [{**v, "viewed_at": v["viewed_at"].astimezone(UTC).isoformat()} for v in found],
            ensure_ascii=False, indent=1)))
        return 0
    if not found:
        print("ei katseluja (no views) matching the filters")
        return 0
    print(f"{len(found)} katselua (views), newest first:")
    for v in found:
        print(printable(_line(v)))
    return 0


def register(sub: Any, fmt: type[argparse.HelpFormatter]) -> None:
    p = sub.add_parser(
        "access-log", help="who viewed which item, when and why (for auditors)",
        description="Read the access log (lokitiedot): every view of an item in the workplace, "
        "by the viewer's pseudonym (us-…, never a name), role and scope, with the purpose and "
        "the viewer's reason, newest first. Reads the store's snapshot. `kokemusvirta verify` "
        "checks that the log is the one the workplace signed (hash chains, Ed25519 "
        "signatures).", formatter_class=fmt)
    p.add_argument("--item", metavar="ITEM", help="only views of this item (fb-…, ws-…, …)")
    p.add_argument("--viewer", metavar="PSEUDONYM", type=_viewer,
                   help="only views by this person (us- and 16 hex digits)")
    p.add_argument("--since", metavar="DATE", type=_since,
                   help="only views at or after this date (UTC midnight) or ISO time with zone")
    p.add_argument("--limit", metavar="N", type=_limit, default=1000,
                   help="at most N views (default 1000)")
    p.add_argument("--json", action="store_true",
                   help="for machines: a list of {viewed_at, viewer, viewer_role, "
                   "viewer_scope, item_id, county, purpose, reason, chain_id, seq}")
    p.add_argument("--public-keys", action="store_true",
                   help="print the workplace's public keys (JSON lines) for the auditor to "
                   "keep and give to `verify --access-keys FILE`")
    p.add_argument("--against-kafka", action="store_true",
                   help="compare the store's views with the access-log topic itself (read as "
                   "the auditor): a view deleted from the store, even a chain's last, or one "
                   "the topic never had, exits 1")
    p.set_defaults(func=cmd_access_log)
