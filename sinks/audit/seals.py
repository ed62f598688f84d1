"""`kokemusvirta verify`, the worker's seals: signatures and checkpoints (schemas/seals.py).

- **Signatures.** Every lifecycle event in `events` (on whatever topic it was read) and every
  dead letter must carry the worker's Ed25519 signature over its recomputed hash, by a key in
  `worker_keys` (or, with `--keys FILE`, only by the auditor's own copy of the public keys). An
  unsigned event, an unknown key or a wrong signature is `forged`, named by its coordinates.
- **Checkpoints.** Per partition the worker wrote to, the latest checkpoint with a valid
  signature that the store has caught up with (its `last_offset` at most the store's offset in
  `sink_offsets`) says how many distinct events the worker wrote up to that offset and the sum
  of their digests. The store's validly signed rows there must give the same count and sum: a
  deleted lifecycle row, a deleted item (all its rows) or a deleted dead letter shows up as a
  shortfall. The store keeps each event once (its first copy), and the worker counts each event
  id once, so a redelivered copy after a crash leaves the two equal.
- Events after the latest usable checkpoint, or in a partition without one yet, are counted as
  not yet covered: not an error, the next checkpoint covers them. Unsigned events before the
  offset where the worker began to sign in their partition (`signed_from`, in its checkpoints)
  are from before signing (an upgraded deployment): counted, not an error.

Signatures are checked in Python (~0.1 ms each), the rest in DuckDB.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import duckdb
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from schemas.registry import LIFECYCLE_EVENTS
from schemas.seals import (
    Checkpoint,
    PublishedKey,
    Seal,
    check_event_seal,
    digest_hex,
    event_digest,
    event_hash,
)

LIFECYCLE_TYPES = [str(t.model_fields["event_type"].default) for t in LIFECYCLE_EVENTS]
BATCH_ROWS = 20_000


@dataclass(frozen=True)
class Forged:
    kind: str  # lifecycle event | dead letter | checkpoint
    seal: Seal
    event_id: str | None
    item_id: str | None
    topic: str
    partition: int
    offset: int

    def line(self) -> str:
        what = f"{self.kind} {self.event_id}" if self.event_id else self.kind
        item = f" of {self.item_id}" if self.item_id else ""
        why = {Seal.UNSIGNED: "no signature", Seal.UNKNOWN_KEY: "signed by an unknown key",
               Seal.BAD_SIGNATURE: "the signature does not match"}.get(self.seal, self.seal)
        return f"forged: {what}{item} at {self.topic}[{self.partition}]@{self.offset}: {why}"

    def as_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "seal": self.seal.value, "event_id": self.event_id,
                "item_id": self.item_id, "topic": self.topic, "partition": self.partition,
                "offset": self.offset}


@dataclass(frozen=True)
class Shortfall:
    """A partition whose validly signed rows do not add up to the worker's checkpoint."""

    topic: str
    partition: int
    last_offset: int
    expected: int
    found: int
    published_at: datetime

    def line(self) -> str:
        missing = self.expected - self.found
        if missing > 0:
            return (f"deleted: {self.topic}[{self.partition}] up to offset {self.last_offset}: "
                    f"the worker's checkpoint counts {self.expected} events, the store has "
                    f"{self.found}: {missing} missing")
        return (f"deleted or replaced: {self.topic}[{self.partition}] up to offset "
                f"{self.last_offset}: {self.found} events where the worker's checkpoint counts "
                f"{self.expected}, and their digests differ")

    def as_dict(self) -> dict[str, Any]:
        return {"topic": self.topic, "partition": self.partition,
                "last_offset": self.last_offset, "expected": self.expected,
                "found": self.found, "published_at": self.published_at.isoformat()}


@dataclass
class SealReport:
    keys: int = 0
    trusted_from: str = "store"  # store | file
    checked: int = 0
    valid: int = 0
    forged: list[Forged] = field(default_factory=list)
    shortfalls: list[Shortfall] = field(default_factory=list)
    partitions_covered: int = 0
    covered: int = 0
    not_yet_covered: int = 0
    before_signing: int = 0
    unchecked: bool = False  # no keys and no signature anywhere: a store from before signing

    @property
    def failed(self) -> bool:
        return bool(self.forged or self.shortfalls)

    def as_dict(self) -> dict[str, Any]:
        return {"keys": self.keys, "trusted_keys_from": self.trusted_from,
                "checked": self.checked, "valid": self.valid, "unchecked": self.unchecked,
                "forged": [f.as_dict() for f in self.forged],
                "deleted": [s.as_dict() for s in self.shortfalls],
                "partitions_covered": self.partitions_covered, "covered": self.covered,
                "not_yet_covered": self.not_yet_covered, "before_signing": self.before_signing}


def _table_exists(con: duckdb.DuckDBPyConnection, name: str) -> bool:
    return bool(con.execute("SELECT count(*) FROM information_schema.tables "
                            "WHERE table_name = $n", {"n": name}).fetchone()[0])  # type: ignore[index]


def _columns(con: duckdb.DuckDBPyConnection, table: str) -> set[str]:
    return {r[0] for r in con.execute("SELECT column_name FROM information_schema.columns "
                                      "WHERE table_name = $t", {"t": table}).fetchall()}


def store_keys(con: duckdb.DuckDBPyConnection) -> dict[str, Ed25519PublicKey]:
    if not _table_exists(con, "worker_keys"):
        return {}
    keys = {}
    for key_id, public, created in con.execute(
            "SELECT key_id, public_key, created_at FROM worker_keys").fetchall():
        try:
            keys[key_id] = PublishedKey(key_id=key_id, public_key=public,
                                        created_at=created).key()
        except ValueError:
            continue  # not its own id: never trusted
    return keys


def keys_from_lines(lines: Iterator[str] | list[str]) -> dict[str, Ed25519PublicKey]:
    """The auditor's copy: `kokemusvirta keys public` output, one JSON object a line."""
    keys = {}
    for line in lines:
        if line.strip():
            published = PublishedKey.model_validate_json(line)
            keys[published.key_id] = published.key()
    return keys


def _stream(con: duckdb.DuckDBPyConnection, sql: str, params: dict[str, Any]
            ) -> Iterator[dict[str, Any]]:
    for batch in con.execute(sql, params).to_arrow_reader(BATCH_ROWS):
        columns = batch.to_pydict()
        names = list(columns)
        for values in zip(*columns.values(), strict=True):
            yield dict(zip(names, values, strict=True))


def _signed_rows(con: duckdb.DuckDBPyConnection, item: str | None
                 ) -> Iterator[tuple[str, dict[str, Any]]]:
    yield from (("lifecycle event", r) for r in _stream(
        con, 'SELECT CAST(event_id AS VARCHAR) AS event_id, item_id, topic, "partition", '
        '"offset", payload FROM events WHERE event_type IN (SELECT unnest($types)) '
        "AND ($item::VARCHAR IS NULL OR item_id = $item::VARCHAR)",
        {"types": LIFECYCLE_TYPES, "item": item}))
    if item is None and "payload" in _columns(con, "dead_letters"):
        yield from (("dead letter", r) for r in _stream(
            con, 'SELECT CAST(event_id AS VARCHAR) AS event_id, NULL AS item_id, topic, '
            '"partition", "offset", payload FROM dead_letters', {}))


def _usable_checkpoints(
    con: duckdb.DuckDBPyConnection, keys: Mapping[str, Ed25519PublicKey], report: SealReport
) -> tuple[dict[tuple[str, int], Checkpoint], dict[tuple[str, int], int]]:
    """Per covered partition, the latest validly signed checkpoint the store has caught up
    with, and where signing began; checkpoints with a bad signature are forged."""
    began: dict[tuple[str, int], int] = {}
    if not _table_exists(con, "worker_checkpoints"):
        return {}, began
    rows = con.execute(
        'SELECT c.*, o."offset" AS stored_offset FROM worker_checkpoints AS c '
        'LEFT JOIN sink_offsets AS o ON o.topic = c.covered_topic '
        'AND o."partition" = c.covered_partition '
        'ORDER BY c.covered_topic, c.covered_partition, c.last_offset').fetchall()
    names = [d[0] for d in con.description or ()]
    usable: dict[tuple[str, int], Checkpoint] = {}
    for values in rows:
        r = dict(zip(names, values, strict=True))
        cp = Checkpoint(topic=r["covered_topic"], partition=r["covered_partition"],
                        last_offset=r["last_offset"], signed_from=r["signed_from"],
                        event_count=r["event_count"],
                        digest=r["digest"], published_at=r["published_at"],
                        key_id=r["key_id"], signature=r["signature"])
        seal = cp.seal(keys)
        if seal is not Seal.VALID:
            report.forged.append(Forged("checkpoint", seal, None, None, r["topic"],
                                        r["partition"], r["offset"]))
            continue
        tp = (cp.topic, cp.partition)
        began[tp] = min(began.get(tp, cp.signed_from), cp.signed_from)
        stored = r["stored_offset"]
        if stored is not None and cp.last_offset <= stored:
            usable[tp] = cp
    return usable, began


def check_seals(con: duckdb.DuckDBPyConnection, item: str | None = None,
                trusted: Mapping[str, Ed25519PublicKey] | None = None) -> SealReport:
    """See the module's docstring. `trusted`: the auditor's own keys (else the store's)."""
    report = SealReport()
    keys = dict(trusted) if trusted is not None else store_keys(con)
    report.keys, report.trusted_from = len(keys), "file" if trusted is not None else "store"
    checkpoints, began = _usable_checkpoints(con, keys, report)
    if item:
        checkpoints = {}
    found: dict[tuple[str, int], list[int]] = {tp: [0, 0] for tp in checkpoints}
    pending: list[Forged] = []
    signatures = 0
    for kind, row in _signed_rows(con, item):
        report.checked += 1
        try:
            payload = json.loads(row["payload"]) if row["payload"] else None
        except (ValueError, RecursionError):
            payload = None
        seal = check_event_seal(payload, keys) if isinstance(payload, dict) else Seal.UNSIGNED
        if isinstance(payload, dict) and payload.get("seal_signature") is not None:
            signatures += 1
        where = (row["topic"], row["partition"], row["offset"])
        start = began.get((row["topic"], row["partition"]))
        if seal is Seal.UNSIGNED and start is not None and row["offset"] < start:
            report.before_signing += 1
            continue
        if seal is not Seal.VALID:
            pending.append(Forged(kind, seal, row["event_id"], row["item_id"], *where))
            continue
        report.valid += 1
        cp = checkpoints.get((row["topic"], row["partition"]))
        if cp is None or row["offset"] > cp.last_offset:
            report.not_yet_covered += 1
            continue
        assert isinstance(payload, dict)
        tally = found[(row["topic"], row["partition"])]
        tally[0] += 1
        tally[1] += event_digest(row["event_id"], event_hash(payload))
        report.covered += 1
    if not keys and not signatures and not checkpoints:
        report.unchecked = True  # a store written before the worker signed
        return report
    report.forged.extend(pending)
    report.partitions_covered = len(checkpoints)
    for (topic, partition), cp in sorted(checkpoints.items()):
        count, total = found[(topic, partition)]
        if count != cp.event_count or digest_hex(total) != cp.digest:
            report.shortfalls.append(Shortfall(topic, partition, cp.last_offset,
                                               cp.event_count, count, cp.published_at))
    return report


def summary_lines(report: SealReport, limit: int = 15) -> list[str]:
    if report.unchecked:
        return ["  signatures: not checked (the store holds no worker keys and no signed "
                "event: written before the worker signed)"]
    lines = [
        f"  signed by the worker:       {report.valid} of {report.checked} "
        f"({report.keys} key(s) from the {report.trusted_from})",
        f"  forged:                     {len(report.forged)}",
        f"  checkpoints: {report.partitions_covered} partition(s), {report.covered} events "
        f"covered, {report.not_yet_covered} not yet covered (newer than the last checkpoint)"
        + (f", {report.before_signing} from before signing began" if report.before_signing
           else ""),
    ]
    if report.forged or report.shortfalls:
        lines.append("")
        lines.append("NOT THE WORKER'S: these were not sealed by the worker, or are gone")
        lines.extend(f"  {f.line()}" for f in report.forged[:limit])
        if len(report.forged) > limit:
            lines.append(f"  … and {len(report.forged) - limit} more; --json lists them all")
        lines.extend(f"  {s.line()}" for s in report.shortfalls)
    return lines
