"""The access log in the store: is it the one the workplace signed, and who viewed what.

`check_access_log` (run by `kokemusvirta verify`): every view of `access_log`, in Kafka order,
through schemas/access_log.py `check_chains` (payload hash, chain, signature by a workplace key),
and every column compared with the signed payload, so editing the table analysts read without
its payload is caught too. Keys come from `access_log_keys` or, with the auditor's own copy
(`kokemusvirta access-log --public-keys` kept aside), only from that copy.

`views` (run by `kokemusvirta access-log`): the log filtered by item, viewer and time.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import duckdb
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from pydantic import ValidationError

from schemas.access_log import (
    ROW_FIELDS,
    AccessCheck,
    AccessLogKey,
    AccessProblem,
    ItemViewed,
    check_chains,
)

BATCH_ROWS = 10_000  # views fetched at a time: memory stays bounded


@dataclass
class AccessLogReport:
    views: int = 0
    chains: int = 0
    keys: int = 0
    trusted_from: str = "store"
    problems: list[AccessProblem] = field(default_factory=list)

    @property
    def failed(self) -> bool:
        return bool(self.problems)

    def as_dict(self) -> dict[str, Any]:
        return {"views": self.views, "chains": self.chains, "keys": self.keys,
                "trusted_keys_from": self.trusted_from,
                "problems": [p.to_json() for p in self.problems]}


def _exists(con: duckdb.DuckDBPyConnection, table: str) -> bool:
    row = con.execute("SELECT count(*) FROM information_schema.tables WHERE table_name = $n",
                      {"n": table}).fetchone()
    return bool(row and row[0])


def store_keys(con: duckdb.DuckDBPyConnection) -> dict[str, Ed25519PublicKey]:
    if not _exists(con, "access_log_keys"):
        return {}
    keys = {}
    for key_id, public, created in con.execute(
            "SELECT key_id, public_key, created_at FROM access_log_keys").fetchall():
        try:
            keys[key_id] = AccessLogKey(key_id=key_id, public_key=public,
                                        created_at=created).key()
        except ValueError:
            continue  # not a key: whatever it signed reads as forged
    return keys


def public_key_lines(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The workplace's public keys as JSON lines, for the auditor to keep aside."""
    if not _exists(con, "access_log_keys"):
        return []
    return [AccessLogKey(key_id=k, public_key=p, created_at=c).model_dump_json()
            for k, p, c in con.execute("SELECT key_id, public_key, created_at "
                                       "FROM access_log_keys ORDER BY created_at, key_id"
                                       ).fetchall()]


def keys_from_lines(lines: Iterable[str]) -> dict[str, Ed25519PublicKey]:
    """The auditor's copy (`kokemusvirta access-log --public-keys`); ValueError if unreadable."""
    keys = {}
    for line in lines:
        if line.strip():
            key = AccessLogKey.model_validate_json(line)
            keys[key.key_id] = key.key()
    return keys


def _row_problem(row: Mapping[str, Any], payload: Mapping[str, Any]) -> AccessProblem | None:
    """The columns the sink wrote against the signed payload."""
    chain, seq, eid = str(row["chain_id"]), row["seq"], str(row["event_id"])
    try:
        view = ItemViewed.model_validate(payload)
    except ValidationError:
        return AccessProblem(AccessCheck.UNREADABLE, chain, seq, eid,
                             "the stored payload is not a view")
    signed = view.model_dump()
    differs = [f for f in ROW_FIELDS if row[f] != signed[f]]
    if not differs:
        return None
    return AccessProblem(AccessCheck.ROW_DIFFERS, chain, seq, eid,
                         f"access_log differs from the signed view in {', '.join(differs)}")


def check_access_log(con: duckdb.DuckDBPyConnection,
                     trusted: Mapping[str, Ed25519PublicKey] | None = None) -> AccessLogReport:
    report = AccessLogReport()
    if not _exists(con, "access_log"):
        return report
    keys = dict(trusted) if trusted is not None else store_keys(con)
    report.keys, report.trusted_from = len(keys), "file" if trusted is not None else "store"
    columns = ", ".join(f'"{c}"' for c in ROW_FIELDS)
    cursor = con.execute(f"SELECT {columns}, payload FROM access_log "
                         'ORDER BY topic, "partition", "offset"')
    chains: set[str] = set()
    row_problems: list[AccessProblem] = []

    def payloads() -> Iterator[Mapping[str, Any]]:
        """Streamed in batches (memory stays bounded), rows compared on the way."""
        while batch := cursor.fetchmany(BATCH_ROWS):
            for values in batch:
                row = dict(zip((*ROW_FIELDS, "payload"), values, strict=True))
                try:
                    payload = json.loads(row["payload"])
                except (TypeError, ValueError):
                    payload = None
                if not isinstance(payload, dict):
                    payload = {}
                report.views += 1
                chains.add(row["chain_id"])
                if (problem := _row_problem(row, payload)) is not None:
                    row_problems.append(problem)
                yield payload

    report.problems = check_chains(payloads(), keys) + row_problems
    report.chains = len(chains)
    return report


def summary_lines(report: AccessLogReport, limit: int = 15) -> list[str]:
    head = (f"  access log: {report.views} view(s) in {report.chains} chain(s), "
            f"{len(report.problems)} problem(s) ({report.keys} workplace key(s) from the "
            f"{report.trusted_from})")
    lines = [head]
    if report.problems:
        lines.append("")
        lines.append("ACCESS LOG ALTERED: these views are not the ones the workplace signed")
        for p in report.problems[:limit]:
            lines.append(f"  {p.check.value}: chain {p.chain_id} seq {p.seq}: {p.detail}")
        if len(report.problems) > limit:
            lines.append(f"  … and {len(report.problems) - limit} more; --json lists them all")
    return lines


VIEW_COLUMNS = ("viewed_at", "viewer", "viewer_role", "viewer_scope", "item_id", "county",
                "purpose", "reason", "chain_id", "seq")


def views(con: duckdb.DuckDBPyConnection, *, item: str | None = None,
          viewer: str | None = None, since: datetime | None = None,
          county: str | None = None, limit: int = 1000) -> list[dict[str, Any]]:
    """The views, newest first, filtered (each filter optional)."""
    if not _exists(con, "access_log"):
        return []
    columns = ", ".join(VIEW_COLUMNS)
    rows = con.execute(
        f"SELECT {columns} FROM access_log "
        "WHERE ($item::VARCHAR IS NULL OR item_id = $item::VARCHAR) "
        "AND ($viewer::VARCHAR IS NULL OR viewer = $viewer::VARCHAR) "
        "AND ($since::TIMESTAMPTZ IS NULL OR viewed_at >= $since::TIMESTAMPTZ) "
        "AND ($county::VARCHAR IS NULL OR county = $county::VARCHAR) "
        "ORDER BY viewed_at DESC, chain_id, seq DESC LIMIT $limit",
        {"item": item, "viewer": viewer, "since": since, "county": county,
         "limit": limit}).fetchall()
    return [dict(zip(VIEW_COLUMNS, r, strict=True)) for r in rows]


@dataclass(frozen=True)
class LogRecord:
    """One view as the access-log topic holds it."""

    partition: int
    offset: int
    event_id: str


def against_log(in_log: Iterable[LogRecord], stored: set[str], sunk_up_to: Mapping[int, int]
                ) -> tuple[list[LogRecord], list[str]]:
    """(views the topic holds up to the sink's committed offset of their partition but the store
    lacks: deleted; views the store holds that the topic never had: inserted). The topic, which
    only the workplace may write, is the anchor a forward chain lacks for its last views."""
    seen: set[str] = set()
    deleted = []
    for r in in_log:
        seen.add(r.event_id)
        if r.offset <= sunk_up_to.get(r.partition, -1) and r.event_id not in stored:
            deleted.append(r)
    return deleted, sorted(stored - seen)


def stored_ids_and_offsets(con: duckdb.DuckDBPyConnection, topic: str
                           ) -> tuple[set[str], dict[int, int]]:
    if not _exists(con, "access_log"):
        return set(), {}
    ids = {str(r[0]) for r in con.execute("SELECT event_id FROM access_log").fetchall()}
    offsets = {int(p): int(o) for p, o in con.execute(
        'SELECT "partition", "offset" FROM sink_offsets WHERE topic = $t', {"t": topic}
    ).fetchall()}
    return ids, offsets
