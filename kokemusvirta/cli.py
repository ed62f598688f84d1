"""The `kokemusvirta` command. Entry points are thin: they parse, build settings, call one thing."""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, NoReturn

from kokemusvirta.settings import Settings
from kokemusvirta.terminal import file_problem, json_printable, printable, without_controls

DESCRIPTION = """\
Kokemusvirta: clients' feedback, workshop outputs and expert-by-experience statements flow
through Kafka to the people who decide, and DuckDB tracks whether they arrived and whether an
answer came back.

Kafka: set KAFKA_BOOTSTRAP_SERVERS to use a cluster of your own; unset, the project's local
broker is used (`kokemusvirta broker start`). Every setting is listed in .env.example.
"""


class OneLineParser(argparse.ArgumentParser):
    """A malformed argument is one line saying what is wrong, not the usage block."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: virheellinen argumentti (bad argument): {printable(message)}"
                     f"; see `{self.prog} --help`\n")


def _say(message: str) -> None:
    print(message, flush=True)


def _err(message: str) -> None:
    print(f"kokemusvirta: {message}", file=sys.stderr, flush=True)


def cmd_broker(args: argparse.Namespace, settings: Settings) -> int:
    from kokemusvirta.kafka import local_broker

    broker = local_broker(settings)
    if args.action == "start":
        address = broker.start(on_progress=_say)
        _say(f"Kafka broker running on {address} (data and logs under {broker.home})")
    elif args.action == "stop":
        _say("stopped" if broker.stop() else "was not running")
    else:
        status = broker.status()
        if args.json:
            _say(json.dumps(status, indent=1))
        elif status["running"]:
            _say(f"running: listening on {status['bootstrap']} (pid {status['pid']}, "
                 f"Kafka {status['kafka_version']}); data {status['data_dir']}, "
                 f"logs {status['logs_dir']}")
        else:
            _say(f"not running (home {status['home']}); start it with `kokemusvirta broker start`")
            return 3
    return 0


def cmd_schemas(args: argparse.Namespace, settings: Settings) -> int:
    from kokemusvirta.intake.openapi import openapi_text
    from schemas.export import export

    try:
        paths = export(Path(args.dir))
        paths.append(Path(args.dir) / "openapi.json")  # the intake API's, beside the schemas
        paths[-1].write_text(openapi_text(settings.intake_max_body_bytes), encoding="utf-8")
    except OSError as exc:
        _err(file_problem(exc, args.dir))
        return 2
    for path in paths:
        _say(str(path))
    return 0


def cmd_scenario(args: argparse.Namespace, settings: Settings) -> int:
    from scenario import generate, write_jsonl

    try:
        n = write_jsonl(generate(args.seed, events=args.events), Path(args.file))
    except OSError as exc:
        _err(file_problem(exc, args.file))
        return 2
    _say(f"wrote {n} events to {args.file}")
    return 0


def cmd_publish(args: argparse.Namespace, settings: Settings) -> int:
    from kokemusvirta import kafka as kv_kafka
    from kokemusvirta.keystore import privacy_from_settings
    from kokemusvirta.publish import publish_lines, publish_summary

    # The file first: a mistyped name is said to be one even when no broker runs.
    try:
        source = sys.stdin.buffer if args.file == "-" else Path(args.file).open("rb")  # noqa: SIM115
    except OSError as exc:
        _err(file_problem(exc, args.file))
        return 2
    try:
        bootstrap = kv_kafka.bootstrap_servers(settings, start_local=False)
        _ensure_topics_if_allowed(settings, bootstrap)
        producer = kv_kafka.producer(settings, bootstrap)
    except BaseException:
        source.close()
        raise
    try:
        report = publish_lines(producer, settings.topics.intake, source,
                               include_invalid=args.include_invalid,
                               seal=privacy_from_settings(settings).seal_intake_record,
                               on_progress=lambda n: _say(f"  {n} published…"))
    finally:
        producer.close()
        if source is not sys.stdin.buffer:
            source.close()
    for bad in report.bad_lines:
        _err(f"line {bad.line_number}: {bad.reason}: {bad.detail}")
    _say(publish_summary(report, settings.topics.intake, include_invalid=args.include_invalid))
    return 1 if report.bad_lines else 0


def _ensure_topics_if_allowed(settings: Settings, bootstrap: str) -> None:
    """The topics, if these credentials may make them (the admin, as at set-up). The gateway's
    own (a cluster, or --config) write intake and make no topics: the set-up made them, so it
    goes on, saying so once; a missing intake topic then fails the send, as with `import`."""
    from kafka.errors import TopicAuthorizationFailedError

    from kokemusvirta import kafka as kv_kafka

    refused: list[str] = []
    try:
        kv_kafka.ensure_topics(settings, bootstrap, on_refused=refused.append)
    except TopicAuthorizationFailedError:  # refused before any topic (listing, configuration)
        refused.append(settings.topics.intake)
    if refused:
        _err("these credentials may not create topics (the set-up's job): publishing to the "
             f"existing {printable(settings.topics.intake)}")


def cmd_worker(args: argparse.Namespace, settings: Settings) -> int:
    from kokemusvirta.bootstrap import worker

    worker(settings, args.log_level).execute_from_commandline()  # ends by SystemExit when stopped
    return 0


def cmd_sink(args: argparse.Namespace, settings: Settings) -> int:
    from kokemusvirta.bootstrap import serve_sink_operations, sink
    from sinks.runner import install_signal_handlers

    wired = sink(settings)
    install_signal_handlers(wired)
    serve_sink_operations(settings, wired)
    logging.getLogger("kokemusvirta.sink").info("sink writing %s", settings.store)
    wired.run(max_idle_s=args.stop_when_idle)
    return 0


def cmd_query(args: argparse.Namespace, settings: Settings) -> int:
    import duckdb

    from sinks import reader as query

    if args.excel and args.csv is None:  # the dialect is of CSV; Parquet and JSON have none
        _err("--excel is a dialect of --csv: give --csv --excel (or --csv FILE --excel)")
        return 2
    named = args.parquet or (args.csv if args.csv != "-" else None)  # `--csv` alone: stdout
    to_file = Path(named) if named else None
    try:  # one read statement in the sandbox (sinks/reader.py); files are written here
        with query.analyst_query(settings.store, args.sql) as cur:
            if args.parquet:
                written = query.write_parquet(Path(args.parquet), cur)
            else:
                columns = [d[0] for d in cur.description or []]
                rows = cur.fetchall()
                written = len(rows)
                if to_file:  # a spreadsheet gets the words without the controls, as on stdout
                    query.write_csv(to_file, columns, _cells(rows, without_controls),
                                    excel=args.excel)
    except query.Refused as exc:
        _err(str(exc))
        return 2
    except duckdb.Error as exc:  # DuckDB's message spans lines (the SQL and a caret): one
        _err(f"query failed: {printable(' '.join(str(exc).split()))}")
        return 2
    except OSError as exc:
        _err(file_problem(exc, to_file))
        return 2
    if to_file:
        _say(f"{written} riviä tiedostoon {printable(str(to_file))} ({written} rows written)")
    elif args.json:  # stored text is anyone's: its control characters are shown, not obeyed
        _say(json_printable(query.as_json(columns, rows)))
    elif args.csv and args.excel:  # bytes: the byte order mark and CRLF as Excel wants them
        from sinks.excel_csv import as_excel_csv

        sys.stdout.flush()
        sys.stdout.buffer.write(as_excel_csv(columns, _cells(rows, without_controls))
                                .encode("utf-8"))
        sys.stdout.buffer.flush()
    elif args.csv:
        sys.stdout.write(query.as_csv(columns, _cells(rows, without_controls)))
    else:
        _say(query.as_table(columns, _cells(rows, printable)))
    return 0


def _cells(rows: list[tuple[Any, ...]], text: Callable[[str], str]) -> list[tuple[Any, ...]]:
    """Each text cell through `text`; lists and structs print by repr, which escapes already."""
    return [tuple(text(v) if isinstance(v, str) else v for v in row) for row in rows]


def cmd_demo(args: argparse.Namespace, settings: Settings) -> int:
    from kokemusvirta.demo import run_demo, summary

    result = run_demo(settings, args.seed, args.keep_running, _say)
    _say(summary(settings, result))
    return 0


def cmd_bench(args: argparse.Namespace, settings: Settings) -> int:
    from kokemusvirta.bench.pipeline import run_bench

    if args.store_scaling:
        from kokemusvirta.bench import store_scaling

        store_scaling.run(settings.home / "bench", args.store_scaling_sizes,
                          settings.sink_memory_limit, _say)
        return 0
    if args.intake:
        from kokemusvirta.bench.intake import run_intake_bench

        if args.requests < 1 or args.concurrency < 1:
            _err("--requests and --concurrency are at least 1")
            return 2
        _say(run_intake_bench(settings, args.requests, args.concurrency, _say).report())
        return 0
    if args.compare_security:
        from kokemusvirta.bench.security import BenchRefused, compare_security

        try:
            comparison = compare_security(settings, args.events, args.seed, _say, args.rate,
                                          args.repeat)
        except BenchRefused as exc:
            _err(str(exc))
            return 2
        _say(comparison.report())
        return 0
    if args.compare:
        from kokemusvirta.bench.compare import CompareRefused, run_compare

        try:
            _say(run_compare(settings, args.events, args.seed, _say).report())
        except CompareRefused as exc:
            _err(str(exc))
            return 2
        return 0
    result = run_bench(settings, args.events, args.seed, _say, args.rate)
    _say(result.report())
    return 0


def _sizes(text: str) -> list[int]:
    try:
        sizes = [int(x) for x in text.split(",")]
    except ValueError:
        raise argparse.ArgumentTypeError("sizes are whole numbers, e.g. 0,250000") from None
    if any(n < 0 for n in sizes) or sizes != sorted(sizes):
        raise argparse.ArgumentTypeError("sizes grow: e.g. 0,250000,1000000")
    return sizes


def build_parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """Every command's parser; with `argv`, only what that command needs when it can tell (see
    `_modules_for`)."""
    fmt = argparse.RawDescriptionHelpFormatter
    p = OneLineParser(prog="kokemusvirta", description=DESCRIPTION, formatter_class=fmt)
    p.add_argument("--log-level", default=None, choices=["DEBUG", "INFO", "WARNING", "ERROR"],
                   help="how much the command logs to stderr (default INFO for worker and "
                   "sink, WARNING for the others)")
    p.add_argument("--debug", action="store_true",
                   help="show the traceback of an unexpected error")
    p.add_argument("--config", metavar="FILE", default=None,
                   help="connect as the principal of this client configuration (kcat's format, "
                   "as `kokemusvirta access grant` writes it); also KOKEMUSVIRTA_CLIENT_CONFIG")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    b = sub.add_parser("broker", help="start, stop or show the local Kafka broker",
                       description="The project's own single-node Apache Kafka broker (KRaft), "
                       "run from Maven Central's jars on 127.0.0.1 with free ports. Jars, data "
                       "and logs live under $KOKEMUSVIRTA_HOME/broker.", formatter_class=fmt)
    b.add_argument("action", choices=["start", "stop", "status"])
    b.add_argument("--json", action="store_true", help="status as JSON")
    b.set_defaults(func=cmd_broker)

    s = sub.add_parser("schemas", help="export the events' JSON Schemas for subscribers",
                       description="Write one JSON Schema file per event type into DIR, and "
                       "the intake API's OpenAPI document (openapi.json).")
    s.add_argument("action", choices=["export"])
    s.add_argument("dir", metavar="DIR")
    s.set_defaults(func=cmd_schemas)

    sc = sub.add_parser("scenario", help="write the synthetic scenario as JSONL",
                        description="Write the demo's deterministic synthetic scenario (a few "
                        "malformed events included on purpose) to FILE, one event per line, "
                        "ready for `kokemusvirta publish`.")
    sc.add_argument("file", metavar="FILE")
    sc.add_argument("--seed", type=int, default=2026)
    sc.add_argument("--events", type=int, default=None, help="exactly N events (default: the "
                    "demo's scenario of a few thousand)")
    sc.set_defaults(func=cmd_scenario)

    pub = sub.add_parser("publish", help="validate and publish source events from JSONL",
                         description="Publish feedback, workshop outputs and expert statements "
                         "(one JSON object per line) to the intake topic. Every line is "
                         "validated first; invalid lines are reported by line number and the "
                         "rest are still published. Exit status 1 if any line was invalid.",
                         formatter_class=fmt)
    pub.add_argument("file", metavar="FILE", help="JSONL file, or - for standard input")
    pub.add_argument("--include-invalid", action="store_true",
                     help="publish invalid lines too; the worker records them as dead letters")
    pub.set_defaults(func=cmd_publish)

    w = sub.add_parser("worker", help="run the stream processor (Faust)",
                       description="Validate intake events, make knowledge items, classify, "
                       "route them to routed.* topics and emit lifecycle events. Invalid input "
                       "goes to the dead-letter topic. Stop with Ctrl-C or SIGTERM.")
    w.set_defaults(func=cmd_worker)

    k = sub.add_parser("sink", help="run the DuckDB sink",
                       description="Read every topic into the DuckDB store ($KOKEMUSVIRTA_STORE) "
                       "in micro-batches, offsets in the same transaction; publish a read-only "
                       "snapshot for queries every few seconds. Stop with Ctrl-C or SIGTERM.")
    k.add_argument("--stop-when-idle", type=float, default=None, metavar="SECONDS",
                   help="stop after this many seconds with nothing to read")
    k.set_defaults(func=cmd_sink)

    q = sub.add_parser("query", help="run a read-only SQL query on the store",
                       description="Run SQL on the store's latest snapshot: safe while the sink "
                       "runs, data at most a few seconds old. Tables: events, knowledge_items, "
                       "lifecycle, aggregate_members, workshops, forgotten_persons, "
                       "dead_letters, sink_offsets, sink_counters, calendar_days, deadlines; "
                       "views: item_milestones, flow_funnel, flow_funnel_by_theme, reach_rates, "
                       "return_rates, lead_times, overdue_items, each also as a macro "
                       "<view>_at(ts) for a past moment. Every one is described in "
                       "docs/data-dictionary.md; the dashboards' SQL is in "
                       "dashboards/queries/. One read statement (SELECT, WITH, FROM, DESCRIBE, "
                       "SHOW, SUMMARIZE), run in a sandbox: DuckDB's file access, extensions "
                       "and settings are off, so save a result with --csv FILE or --parquet "
                       "FILE; anything else is refused with exit status 2.")
    q.add_argument("sql", metavar="SQL")
    fmt_group = q.add_mutually_exclusive_group()
    fmt_group.add_argument("--csv", nargs="?", const="-", default=None, metavar="FILE",
                           help="CSV for machines, on stdout or into FILE (after the SQL)")
    fmt_group.add_argument("--parquet", default=None, metavar="FILE",
                           help="Parquet into FILE, for analysts' tools")
    fmt_group.add_argument("--json", action="store_true", help="JSON for machines")
    q.add_argument("--excel", action="store_true",
                   help="with --csv: the dialect Finnish Excel opens by a double click "
                   "(semicolons, decimal comma 1,5, UTF-8 with a byte order mark, dates as "
                   "5.12.2026 and times in Finnish time as 5.12.2026 14:30:00)")
    q.set_defaults(func=cmd_query)

    d = sub.add_parser("demo", help="run the whole flow on the local broker",
                       description="Start the local broker if needed, create topics, start a "
                       "worker and a sink, publish the synthetic scenario, wait until the sink "
                       "has caught up and print a summary. The store stays for queries.")
    d.add_argument("--seed", type=int, default=2026, help="scenario seed (same seed: same events)")
    d.add_argument("--keep-running", action="store_true",
                   help="leave the worker and the sink running afterwards")
    d.set_defaults(func=cmd_demo)

    be = sub.add_parser("bench", help="measure throughput, latency and memory end to end",
                        description="Publish N scenario events on fresh topics and a fresh "
                        "store, then print end-to-end throughput, p50/p99 latency from publish "
                        "to sink commit, and the peak memory of the worker and the sink.")
    be.add_argument("--events", type=int, default=10_000, metavar="N")
    be.add_argument("--seed", type=int, default=7)
    be.add_argument("--rate", type=float, default=None, metavar="EVENTS_PER_S",
                    help="publish at this steady rate to measure latency under that load "
                    "(default: all at once, which measures the most the flow can take)")
    be.add_argument("--compare-security", action="store_true",
                    help="measure the secured broker against a baseline broker without "
                    "authentication, for comparison only ($KOKEMUSVIRTA_HOME/bench/plain-broker, "
                    "started for this and stopped after), alternating; prints each run, the "
                    "medians, the ratio and the load average")
    be.add_argument("--compare", action="store_true",
                    help="on the same broker and generated intake topic: the bare consumer "
                    "floor (aiokafka getmany + json.loads), the pure logic in process, a Quix "
                    "Streams peer (classify + Arrow batches into DuckDB) and the project end to "
                    "end; one table of events/s, each one's ratio to the project, the load")
    be.add_argument("--repeat", type=int, default=2, metavar="N",
                    help="with --compare-security: N runs on each side (default 2)")
    be.add_argument("--store-scaling", action="store_true",
                    help="grow a store ($KOKEMUSVIRTA_HOME/bench/store-scaling) to each size and "
                    "print the sink's time for a batch of 100 intake records, how soon a reader "
                    "sees it, the size on disk, the sink's peak memory and the load average")
    be.add_argument("--store-scaling-sizes", type=_sizes, default=[0, 250_000, 1_000_000],
                    metavar="N,N,...", help="with --store-scaling: the sizes in items "
                    "(default 0,250000,1000000)")
    be.add_argument("--intake", action="store_true",
                    help="the intake API: start `kokemusvirta intake serve` on the broker and "
                    "fire --requests feedback POSTs over --concurrency connections; prints "
                    "requests/s, p50/p95/p99 latency, errors and the load average")
    be.add_argument("--requests", type=int, default=20_000, metavar="N",
                    help="with --intake: how many requests (default 20000)")
    be.add_argument("--concurrency", type=int, default=64, metavar="C",
                    help="with --intake: concurrent connections (default 64)")
    be.set_defaults(func=cmd_bench)

    import importlib

    from kokemusvirta.commands import MODULES

    command = _command_in(argv)
    chosen = _modules_for(command, sub.choices, MODULES)
    for module in chosen:
        importlib.import_module(module).register(sub, fmt)
    if command is not None and command not in sub.choices:  # not where its name said (or a
        for module in MODULES:  # typing mistake, which argparse names): all the others too
            if module not in chosen:
                importlib.import_module(module).register(sub, fmt)
    return p


def _command_in(argv: Sequence[str] | None) -> str | None:
    """The subcommand's name: the first word that is neither an option nor an option's value."""
    if argv is None:
        return None
    value_of = False
    for token in argv:
        if value_of:
            value_of = False
        elif token in ("--log-level", "--config"):
            value_of = True
        elif not token.startswith("-"):
            return token
    return None


def _modules_for(command: str | None, known: Any, modules: Sequence[str]) -> list[str]:
    """The command modules to import for `command`. Each module imports what its commands need
    (pyarrow, the classifier, Great Expectations, ...): all of them take a second before any
    command starts, so a command defined here needs none, and a command named like its module
    (`inbox` in kokemusvirta.commands.inbox) needs only that one. Without a command (`--help`)
    or with another, all of them, in the order of `--help`."""
    if command is None:
        return list(modules)
    if command in known:
        return []
    own = f"kokemusvirta.commands.{command}"
    return [own] if own in modules else list(modules)


def main(argv: list[str] | None = None) -> int:
    """Every command ends in one of: its own exit status; 2 with one line saying what was
    wrong (each command says it where it happens); 130 on Ctrl-C, quietly; or, for an error
    no one foresaw, 1 with one line naming it (--debug shows the traceback)."""
    debug = False
    try:
        args = build_parser(sys.argv[1:] if argv is None else argv).parse_args(argv)
        debug = args.debug
        return _run(args)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `kokemusvirta query … | head`: the reader has had enough
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141
    except Exception as exc:
        if debug:
            raise
        said = " ".join(str(exc).split())
        _err(f"odottamaton virhe (unexpected error): {type(exc).__name__}"
             + (f": {printable(said[:300])}" if said else "")
             + "; run again as `kokemusvirta --debug …` to see the traceback")
        return 1


#: On the local broker without a client configuration, the system principal each command
#: connects as (kokemusvirta/access/local.py); any other command is set-up: the admin.
PRINCIPALS = {"worker": "worker", "sink": "sink", "publish": "gateway", "import": "gateway",
              "intake": "gateway", "verify": "auditor", "trace": "auditor", "replay": "auditor",
              "notify": "notifier", "access-log": "auditor"}


def _identity(args: argparse.Namespace, settings: Settings) -> Settings | None:
    """--config FILE (or KOKEMUSVIRTA_CLIENT_CONFIG): that principal; else the command's own."""
    from kokemusvirta.access.clientfile import ClientConfigError
    from kokemusvirta.access.local import with_client_config

    path = Path(args.config) if args.config else settings.client_config
    if path is None:
        return settings.model_copy(update={"principal": PRINCIPALS.get(args.command, "admin")})
    try:
        return with_client_config(settings, path)
    except ClientConfigError as exc:
        _err(printable(str(exc)))
        return None


def _run(args: argparse.Namespace) -> int:
    if args.log_level is None:
        args.log_level = "INFO" if args.command in {"worker", "sink"} else "WARNING"
    from pydantic import ValidationError

    from kokemusvirta.broker.errors import BrokerError
    from kokemusvirta.kafka import NoBroker
    from kokemusvirta.organisations import RegistryFileError
    from kokemusvirta.worker_instance import InstanceIdTaken
    from sinks.reader import StoreMissing

    try:
        settings = Settings()
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "?"
        _err(f"asetus ei kelpaa (bad setting) {where.upper()}: {printable(first['msg'])} "
             "(.env.example lists every setting)")
        return 2
    acting = _identity(args, settings)
    if acting is None:
        return 2
    settings = acting
    # One format for every process (the worker's Faust is given the same, bootstrap.worker).
    from kokemusvirta.operations.logs import setup as setup_logging

    setup_logging(args.log_level, settings.log_format)
    try:
        return int(args.func(args, settings))
    except (NoBroker, BrokerError, StoreMissing, InstanceIdTaken, RegistryFileError) as exc:
        _err(str(exc))
        return 2
    except Exception as exc:
        duckdb = sys.modules.get("duckdb")  # loaded only by the commands that use a store
        if duckdb is None or not isinstance(exc, duckdb.IOException):
            raise
        # Not a DuckDB file, locked by a writer, unreadable: the store given cannot be used.
        _err(f"varastoa ei voi avata (cannot open the store): "
             f"{printable(' '.join(str(exc).split()))}")
        return 2
