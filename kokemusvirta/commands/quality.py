"""Analysts' command: quality (data-quality checks with Great Expectations).

Exit status: 0 every expectation holds; 1 some do not (named on stderr); 2 the check could not
be run (no store, not a store, a docs folder that is not ours).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from kokemusvirta.settings import Settings
from kokemusvirta.terminal import printable

UNUSABLE = 2


def _err(message: str) -> None:
    print(f"kokemusvirta: {message}", file=sys.stderr, flush=True)


def cmd_quality(args: argparse.Namespace, settings: Settings) -> int:
    from sinks.quality.checkpoint import DocsDirNotOurs
    from sinks.quality.runner import NotAStore, check_store
    from sinks.quality.summary import failure_names, render

    store = Path(args.store) if args.store else settings.store
    try:
        report = check_store(store, Path(args.docs) if args.docs else None)
    except (NotAStore, DocsDirNotOurs) as exc:
        _err(str(exc))
        return UNUSABLE
    print(printable(render(report)), flush=True)  # failing values may be stored text
    if report.failed:
        _err(f"{len(report.failed)} odotusta ei täyty: {failure_names(report)}")
        return 1
    return 0


def register(sub: Any, fmt: type[argparse.HelpFormatter]) -> None:
    q = sub.add_parser(
        "quality", help="check the store's data quality (Great Expectations)",
        description="Validate the store with Great Expectations: one expectation suite per "
        "table and metric view (events, knowledge_items, lifecycle, dead_letters, "
        "aggregate_members, sink_counters, item_milestones, flow_funnel, overdue_items, ...). "
        "Unique event ids, required columns, codes within the taxonomy, references to existing "
        "items, milestones in order, no henkilötunnus, phone number, e-mail or IBAN in any "
        "text column, returned items with a decision or a reason, and the sink's counters "
        "balancing. Reads the published snapshot, so it runs while the sink runs. Prints a "
        "summary (in Finnish) and writes Data Docs (HTML) next to the store. docs/quality.md "
        "explains every rule. Exit status 0 all hold, 1 some do not, 2 no store.",
        formatter_class=fmt)
    q.add_argument("--store", metavar="PATH",
                   help="the store to check (default $KOKEMUSVIRTA_STORE); its published "
                   "snapshot <stem>.snapshot.duckdb is read when there is one")
    q.add_argument("--docs", metavar="DIR",
                   help="where to write the Data Docs (default <store dir>/<stem>.laatu/); "
                   "replaced on every run")
    q.set_defaults(func=cmd_quality)
