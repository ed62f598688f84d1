"""Auditors' commands: trace, verify, replay.

Exit status: 0 fine; 1 verify found an altered history; 2 the command could not be run as given
(unknown item, no store, no broker, the replay's target exists).
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

from kokemusvirta.settings import Settings
from kokemusvirta.terminal import json_printable, printable

UNUSABLE = 2


def _say(message: str) -> None:
    print(message, flush=True)


def _err(message: str) -> None:
    print(f"kokemusvirta: {message}", file=sys.stderr, flush=True)


def cmd_trace(args: argparse.Namespace, settings: Settings) -> int:
    from sinks.audit.trace import UnknownItem, render, trace
    from sinks.reader import open_read_only

    con = open_read_only(settings.store)
    try:
        path = trace(con, args.item)
    except UnknownItem as exc:
        _err(f"tuntematon kohde (unknown item): {printable(str(exc))}; "
             "`kokemusvirta query \"select item_id from knowledge_items\"` lists them")
        return UNUSABLE
    finally:
        con.close()
    # The item's texts are anyone's words: their control characters are shown, not obeyed.
    # Escaped before rendering too, so that a carriage return in a text shows as one instead
    # of splitting the line.
    _say(json_printable(json.dumps(path, ensure_ascii=False, indent=1)) if args.json
         else printable(render(_escaped(path))))
    return 0


def _escaped(value: Any) -> Any:
    """Every text in the trace through `printable`, the keys of stored details too."""
    if isinstance(value, str):
        return printable(value)
    if isinstance(value, dict):
        return {_escaped(k): _escaped(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_escaped(v) for v in value]
    return value


def cmd_verify(args: argparse.Namespace, settings: Settings) -> int:
    from sinks.audit.verify import summary, verify
    from sinks.reader import open_read_only

    def progress(done: int, total: int) -> None:
        print(f"  {done}/{total} lifecycle events checked…", file=sys.stderr, flush=True)

    trusted = None
    if args.keys:
        from sinks.audit.seals import keys_from_lines

        try:
            trusted = keys_from_lines(Path(args.keys).read_text(encoding="utf-8").splitlines())
        except (OSError, ValueError) as exc:
            _err(f"avaimia ei voi lukea (cannot read the keys) from {printable(args.keys)}: "
                 f"{type(exc).__name__}; give the output of `kokemusvirta keys public`")
            return UNUSABLE
    access_keys = None
    if args.access_keys:
        from sinks.audit.access_log import keys_from_lines as access_keys_from

        try:
            access_keys = access_keys_from(
                Path(args.access_keys).read_text(encoding="utf-8").splitlines())
        except (OSError, ValueError) as exc:
            _err(f"avaimia ei voi lukea (cannot read the keys) from "
                 f"{printable(args.access_keys)}: {type(exc).__name__}; give the output of "
                 "`kokemusvirta access-log --public-keys`")
            return UNUSABLE
    con = open_read_only(settings.store)
    try:
        report = verify(con, item=args.item, on_progress=None if args.json else progress,
                        trusted_keys=trusted, access_keys=access_keys)
    finally:
        con.close()
    if args.item and args.item not in report.items:
        _err(f"tuntematon kohde (unknown item): no item {printable(args.item)} in the store")
        return UNUSABLE
    if args.json:
        _say(json_printable(json.dumps({"store": str(settings.store), **report.as_dict()},
                                       ensure_ascii=False, indent=1)))
    else:
        _say(printable(summary(report, str(settings.store))))
    return 1 if report.failed else 0


def _aware(text: str) -> datetime:
    try:
        value = datetime.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(
            f"not a time: {text!r} (e.g. 2026-10-15T18:00+03:00)") from exc
    if value.tzinfo is None:
        raise argparse.ArgumentTypeError(f"give the time zone too: {text}+03:00 or {text}Z")
    return value


def cmd_replay(args: argparse.Namespace, settings: Settings) -> int:
    from kafka import KafkaConsumer

    from kokemusvirta import kafka as kv_kafka
    from sinks.audit.replay import REPLAY_BATCH, ReplayError, replay
    from sinks.store import Store

    bootstrap = kv_kafka.bootstrap_servers(settings, start_local=False)
    # Whole fetches per poll (replay's batches are REPLAY_BATCH records, not the sink's).
    consumer = KafkaConsumer(enable_auto_commit=False, client_id="kokemusvirta-replay",
                             max_poll_records=REPLAY_BATCH,
                             **settings.kafka_python_config(bootstrap))

    def make_store(path: Path) -> Store:
        return Store(path, deadlines=settings.deadlines)

    def progress(n: int) -> None:
        print(f"  {n} records replayed…", file=sys.stderr, flush=True)

    try:
        result = replay(consumer, settings.topics, args.until, Path(args.store),
                        on_progress=progress, make_store=make_store)
    except ReplayError as exc:
        _err(str(exc))
        return UNUSABLE
    finally:
        consumer.close()
    if result.truncated:
        _err(f"warning: {len(result.truncated)} partition(s) no longer start at offset 0 "
             f"(retention deleted their oldest records), so the rebuilt store lacks them: "
             + ", ".join(result.truncated[:5]))
    _say(f"replayed {result.records} records from {result.partitions} partitions up to "
         f"{result.until.isoformat()} into {result.store} in {result.seconds:.1f} s "
         f"({result.rejected} rejected: sink_rejections)\n"
         f"query it: KOKEMUSVIRTA_STORE={result.store} kokemusvirta query \"select * from "
         f"flow_funnel\"")
    return 0


def register(sub: Any, fmt: type[argparse.HelpFormatter]) -> None:
    t = sub.add_parser(
        "trace", help="an item's whole path, from the client's words to the return",
        description="Show one knowledge item's path: the source event and its Kafka "
        "coordinates, the redacted text, the classification with the classifier version and "
        "the rules that fired, each route with its forwarded copy, and each lifecycle step with "
        "actor role, times, details, coordinates and chain hash, marked ✓ when its hash chain "
        "verifies. Reads the store's snapshot; exit status 2 for an unknown item.",
        formatter_class=fmt)
    t.add_argument("item", metavar="ITEM", help="the item id (fb-…, ws-…, st-…, ag-…)")
    t.add_argument("--json", action="store_true", help="for machines (shape in the README)")
    t.set_defaults(func=cmd_trace)

    v = sub.add_parser(
        "verify", help="check that no item's history in the store was altered",
        description="Check every item's hash chain in the store: each payload still hashes to "
        "its chain_hash, the chain links every lifecycle event from a null start in Kafka "
        "order, and the lifecycle, events and knowledge_items rows agree with the sealed "
        "payloads; every table the sink materialises from the lifecycle (knowledge_items, "
        "item_milestones_materialised, open_obligations, aggregate_members) is recomputed from "
        "the payloads and compared. Items written before events were sealed are reported as "
        "unsealed. Then the worker's seals: every lifecycle event and dead letter must carry the "
        "worker's Ed25519 signature (else it is reported as forged), and the rows must add up to "
        "the worker's signed checkpoints (else rows were deleted). Last the access log: its hash "
        "chains, the workplace's signatures and its rows. Exit status 1 if any history or the "
        "access log was altered, forged or deleted.", formatter_class=fmt)
    v.add_argument("--item", metavar="ITEM", help="check only this item")
    v.add_argument("--keys", metavar="FILE",
                   help="trust only these public keys (the output of `kokemusvirta keys "
                   "public`, kept by the auditor), not the store's copy")
    v.add_argument("--access-keys", metavar="FILE",
                   help="trust only these workplace keys for the access log (the output of "
                   "`kokemusvirta access-log --public-keys`), not the store's copy")
    v.add_argument("--json", action="store_true", help="for machines (shape in the README)")
    v.set_defaults(func=cmd_verify)

    r = sub.add_parser(
        "replay", help="rebuild the store as it was at a past moment, from the log",
        description="Read every topic the sink reads, from its beginning up to the records "
        "appended at TIME, into a NEW store through the sink's own projection. Query it with "
        "KOKEMUSVIRTA_STORE=NEW kokemusvirta query …, or open it with DuckDB. The live store "
        "and the sink are not touched.", formatter_class=fmt)
    r.add_argument("--until", required=True, type=_aware, metavar="TIME",
                   help="ISO time with its zone, e.g. 2026-10-15T18:00+03:00")
    r.add_argument("--store", required=True, metavar="NEW.duckdb",
                   help="the new store's file (must not exist)")
    r.set_defaults(func=cmd_replay)
