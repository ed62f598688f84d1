"""`kokemusvirta lake query|snapshots`: the history lake (sinks/lake.py, docs/lake.md), read-only.

Both open the lake through the readers' sandbox (sinks/reader.py:open_lake): the lake attached
read-only (at a snapshot version or a time for time travel), file access off except the lake's
Parquet directory, settings locked; `query` runs exactly one read statement.
"""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime
from typing import Any

from kokemusvirta.settings import Settings
from kokemusvirta.terminal import json_printable, printable

SNAPSHOTS_SQL = """
SELECT snapshot_id AS version, snapshot_time AS "time",
       coalesce(TRY_CAST(json_extract_string(commit_extra_info, '$.rows_added') AS BIGINT), 0)
           AS rows_added,
       coalesce(commit_message, array_to_string(map_keys(changes), ', ')) AS what
FROM ducklake_snapshots('lake') ORDER BY snapshot_id
"""


def register(sub: argparse._SubParsersAction, fmt: type[argparse.HelpFormatter]) -> None:
    lake = sub.add_parser(
        "lake", help="query the history lake (DuckLake), also as it was at a past moment",
        description="The history lake beside the store: the sink appends what the store's "
        "history tables (events, lifecycle, dead_letters, worker_keys, worker_checkpoints) "
        "gained, one DuckLake snapshot per sync, into $KOKEMUSVIRTA_HOME/lake/ (or the "
        "catalog KOKEMUSVIRTA_LAKE names). Read-only, in the readers' sandbox. See "
        "docs/lake.md.", formatter_class=fmt)
    lsub = lake.add_subparsers(dest="lake_command", required=True, metavar="COMMAND")
    q = lsub.add_parser(
        "query", help="one read-only SQL statement on the lake, now or as it was",
        description="Run one read statement (SELECT, WITH, FROM, DESCRIBE, SHOW, SUMMARIZE) "
        "on the lake's latest snapshot, or on an earlier one: --version N (from `kokemusvirta "
        "lake snapshots`) or --at TIME (the lake as it was then). Tables: events, lifecycle, "
        "dead_letters, worker_keys, worker_checkpoints, lake_taken. Anything else is refused "
        "with exit status 2.", formatter_class=fmt)
    q.add_argument("sql", metavar="SQL")
    when = q.add_mutually_exclusive_group()
    when.add_argument("--version", type=int, default=None, metavar="N",
                      help="the lake as of snapshot N")
    when.add_argument("--at", default=None, metavar="TIME",
                      help="the lake as it was at TIME (ISO 8601, e.g. 2026-12-05T14:30:00Z; "
                      "UTC when no zone is given)")
    out = q.add_mutually_exclusive_group()
    out.add_argument("--json", action="store_true", help="JSON for machines")
    out.add_argument("--csv", action="store_true", help="CSV on stdout for machines")
    q.set_defaults(func=cmd_lake_query)
    s = lsub.add_parser(
        "snapshots", help="list the lake's snapshots: version, time, rows added",
        description="Every snapshot of the lake: its version (for `lake query --version`), "
        "when it was committed (UTC), the history rows it added and what it was (a sync, "
        "tables created, compaction).", formatter_class=fmt)
    s.add_argument("--json", action="store_true", help="JSON for machines")
    s.set_defaults(func=cmd_lake_snapshots)


def _err(message: str) -> None:
    print(printable(message), file=sys.stderr, flush=True)


def parse_at(text: str) -> str:
    """An ISO time as DuckLake's SNAPSHOT_TIME takes it, UTC when it has no zone. Raises
    ValueError with the user's one line."""
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(f"virheellinen aika (invalid time) {text!r}: give an ISO 8601 time, "
                         "e.g. 2026-12-05T14:30:00Z") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat(sep=" ")


def _run(settings: Settings, sql: str | None, version: int | None = None,
         at: str | None = None) -> tuple[list[str], list[tuple[Any, ...]]] | int:
    """Columns and rows, or an exit status after one line on stderr."""
    import duckdb

    from sinks import reader

    where = settings.lake_location
    if where is None:
        _err("historiajärvi on pois päältä (the history lake is off): KOKEMUSVIRTA_LAKE=off")
        return 2
    if where.catalog_file is not None and not where.catalog_file.exists():
        _err(f"ei historiajärveä (no history lake) at {where.catalog_file}: the sink makes it "
             "on its first sync (`kokemusvirta sink`, `kokemusvirta demo`)")
        return 2
    try:
        con = reader.open_lake(where, version=version, at=at)
    except duckdb.Error as exc:
        _err(f"lake not opened: {' '.join(str(exc).split())[:300]}")
        return 2
    try:
        statement = reader.read_statement(con, sql) if sql is not None else None
        cur = con.execute(statement.query if statement is not None else SNAPSHOTS_SQL)
        columns = [d[0] for d in cur.description or []]
        return columns, cur.fetchall()
    except reader.Refused as exc:
        _err(str(exc).replace("`kokemusvirta query`", "`kokemusvirta lake query`"))
        return 2
    except duckdb.PermissionException:
        _err(reader.FILE_ACCESS_OFF)
        return 2
    except duckdb.Error as exc:
        _err(f"query failed: {' '.join(str(exc).split())[:300]}")
        return 2
    finally:
        con.close()


def _show(args: argparse.Namespace, columns: list[str], rows: list[tuple[Any, ...]]) -> None:
    from sinks import reader

    if args.json:
        print(json_printable(reader.as_json(columns, rows)), flush=True)
    elif getattr(args, "csv", False):
        sys.stdout.write(reader.as_csv(columns, rows))
    else:
        cells = [tuple(printable(v) if isinstance(v, str) else v for v in row) for row in rows]
        print(reader.as_table(columns, cells), flush=True)


def cmd_lake_query(args: argparse.Namespace, settings: Settings) -> int:
    try:
        at = parse_at(args.at) if args.at is not None else None
    except ValueError as exc:
        _err(str(exc))
        return 2
    if args.version is not None and args.version < 0:
        _err("--version is a snapshot number, 0 or more (see `kokemusvirta lake snapshots`)")
        return 2
    result = _run(settings, args.sql, args.version, at)
    if isinstance(result, int):
        return result
    _show(args, *result)
    return 0


def cmd_lake_snapshots(args: argparse.Namespace, settings: Settings) -> int:
    result = _run(settings, None)
    if isinstance(result, int):
        return result
    _show(args, *result)
    return 0
