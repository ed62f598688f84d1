"""`kokemusvirta import FILE --mapping MAPPING`: a survey export (CSV or XLSX) into the intake
topic as client feedback, through the intake gateway (the client id pseudonymised and the
contact sealed before anything reaches Kafka), every row validated, idempotent.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
from datetime import UTC, datetime
from pathlib import Path

from kokemusvirta.importing import importer
from kokemusvirta.importing.ledger import Ledger, ledger_path
from kokemusvirta.importing.mapping import SHIPPED, MappingProblem, load
from kokemusvirta.importing.readers import ReadProblem, read
from kokemusvirta.settings import Settings
from kokemusvirta.terminal import file_problem, printable

DESCRIPTION = """\
Import a survey export (CSV or XLSX) as client feedback, or a spreadsheet of experts by
experience's statements (`family: expert_statement`). The mapping (YAML) says which column is
the text, the time (Finnish local time unless it says otherwise), the unit (its code or its name
in the organisation registry), the rating and the rest: see docs/importing.md. Shipped mappings
can be named without a path: {shipped}.

Every row is checked as the worker would check it. A bad row is named by its row number as the
spreadsheet shows it (the header is row 1) with its reason, and the other rows are imported;
a row whose unit the organisation registry lacks is a bad row too (the worker would make it a
dead letter). Importing the same file again publishes nothing new: a ledger under
$KOKEMUSVIRTA_HOME/imports/ keeps the event ids the broker acknowledged.

Exit 0: every row imported (or already imported); 1: some rows were bad; 2: the file or the
mapping cannot be used (nothing published).
"""


def register(sub: argparse._SubParsersAction, fmt: type[argparse.HelpFormatter]) -> None:
    shipped = ", ".join(sorted(p.stem for p in SHIPPED.glob("*.yaml")))
    p = sub.add_parser("import", formatter_class=fmt,
                       help="import a CSV or XLSX survey export as client feedback (or statements)",
                       description=DESCRIPTION.format(shipped=shipped))
    p.add_argument("file", metavar="FILE", help="the export: .csv (delimiter ; , or tab; "
                   "UTF-8 or Windows-1252) or .xlsx")
    p.add_argument("--mapping", required=True, metavar="MAPPING",
                   help=f"the mapping file (YAML), or a shipped mapping's name ({shipped})")
    p.add_argument("--county", metavar="CODE",
                   help="the county of every row, when the mapping does not name it")
    p.add_argument("--dry-run", action="store_true",
                   help="check every row and say what would be imported; publish nothing")
    p.set_defaults(func=cmd_import)


def _say(message: str) -> None:
    print(message, flush=True)


def _err(message: str) -> None:
    print(f"kokemusvirta: {message}", file=sys.stderr, flush=True)


def cmd_import(args: argparse.Namespace, settings: Settings) -> int:
    from kokemusvirta.organisations import organisations

    path = Path(args.file)
    # The file first: a mistyped name is said to be one even when no broker runs.
    try:
        path.open("rb").close()
    except OSError as exc:
        _err(file_problem(exc, args.file))
        return 2
    try:
        mapping = load(Path(args.mapping))
    except OSError as exc:
        _err(f"tuontimääritys (mapping): {file_problem(exc, args.mapping)}")
        return 2
    except MappingProblem as exc:
        _err(f"tuontimääritys ei kelpaa (bad mapping) {printable(args.mapping)}: "
             f"{printable(str(exc))}")
        return 2
    registry = organisations(settings)
    county = args.county
    if county is not None and registry.county(county) is None:
        known = ", ".join(c.code for c in registry.counties)
        _err(f"tuntematon hyvinvointialue (unknown county) {printable(county)!r}: not in the "
             f"organisation registry; its counties: {known}")
        return 2
    if county is None and mapping.spec("county") is None:
        _err(f"tuontimääritys {printable(args.mapping)} ei nimeä hyvinvointialuetta (the mapping "
             "names no county): give --county CODE")
        return 2
    try:
        table = read(path, sheet=mapping.sheet, header_row=mapping.header_row)
        _say(f"luetaan (reading) {printable(args.file)}: {table.described}")
        the_plan = importer.plan(table, mapping, registry, county=county,
                                 recorded_at=datetime.now(UTC),
                                 on_progress=lambda n: _say(f"  {n} riviä (rows) luettu…"))
    except OSError as exc:
        _err(file_problem(exc, args.file))
        return 2
    except (ReadProblem, MappingProblem) as exc:
        _err(f"{printable(args.file)}: {printable(str(exc))}")
        return 2
    topic = settings.topics.intake
    ledger = Ledger(ledger_path(settings.home), read_only=args.dry_run)
    try:
        publish = None if args.dry_run else _publisher(settings)
        report = importer.carry_out(the_plan, ledger, topic, mapping.name, publish)
    finally:
        ledger.close()
    for bad in report.bad:
        _err(f"rivi (row) {bad.row}: {printable(bad.reason)}")
    _say(importer.summary(report, topic))
    return 1 if report.bad else 0


def _publisher(settings: Settings) -> importer.Publish:
    """publish_lines as the intake gateway does it for `publish`: sealed, acknowledged."""
    from kafka.errors import TopicAuthorizationFailedError

    from kokemusvirta import kafka as kv_kafka
    from kokemusvirta.keystore import privacy_from_settings
    from kokemusvirta.publish import PublishReport, publish_lines

    seal = privacy_from_settings(settings).seal_intake_record

    def publish(lines: list[bytes]) -> PublishReport:
        bootstrap = kv_kafka.bootstrap_servers(settings, start_local=False)
        # The gateway's own credentials (a cluster, or --config) write intake and make no
        # topics: the set-up made them, and a missing intake topic fails the send instead.
        with contextlib.suppress(TopicAuthorizationFailedError):
            kv_kafka.ensure_topics(settings, bootstrap)
        producer = kv_kafka.producer(settings, bootstrap)
        try:
            return publish_lines(producer, settings.topics.intake, lines, seal=seal,
                                 on_progress=lambda n: _say(f"  {n} julkaistu (published)…"))
        finally:
            producer.close()

    return publish
