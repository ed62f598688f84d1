"""What the access log costs: `python -m kokemusvirta.bench.access_log [--views N] [--broker]`.

- sealing a view (hash + Ed25519 signature) and verifying it (hash, chain, signature), in
  process, per view; then `verify`'s whole access-log check (rows against payloads too) over a
  store of those views written by the sink's own code;
- with --broker (a running local broker under $KOKEMUSVIRTA_HOME, or KAFKA_BOOTSTRAP_SERVERS):
  what a page waits for `record_view`, the write acknowledged by the broker (acks=all), p50 and
  p95 over N views, as the workplace's own principal.

Prints the load average with every figure: the machine is shared.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from schemas.access_log import Purpose, check_chains, new_view, sealed_view
from schemas.seals import key_id_of


@dataclass(frozen=True)
class _Viewer:
    pseudonym: str = "us-00112233445566aa"
    role: str = "unit_manager"
    scope: str = "lappi.rovaniemen-terveysasema"


@dataclass(frozen=True)
class _Key:
    private: Ed25519PrivateKey

    @property
    def key_id(self) -> str:
        return key_id_of(self.private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw))

    def sign(self, message: bytes) -> bytes:
        return self.private.sign(message)


def _load() -> str:
    return "load average " + " ".join(f"{x:.2f}" for x in os.getloadavg())


def in_process(n: int) -> None:
    key = _Key(Ed25519PrivateKey.generate())
    at = datetime.now(UTC)
    started = time.perf_counter()
    views: list[dict[str, Any]] = []
    prev = None
    for seq in range(n):
        view = sealed_view(new_view(_Viewer(), "fb-0123456789abcdef", "lappi",
                                    Purpose.ITEM_PAGE, None, at, "ab" * 8, seq), prev, key)
        prev = view.chain_hash
        views.append(view.model_dump(mode="json"))
    sealed = time.perf_counter() - started
    started = time.perf_counter()
    problems = check_chains(views, {key.key_id: key.private.public_key()})
    checked = time.perf_counter() - started
    assert not problems
    print(f"seal {sealed / n * 1000:.3f} ms/view, verify {checked / n * 1000:.3f} ms/view "
          f"({n} views; {_load()})")
    in_store(views, key)


def in_store(views: list[dict[str, Any]], key: _Key) -> None:
    """`verify`'s access-log check over a store holding `views` (written by the sink's code)."""
    import tempfile

    import orjson

    from schemas.access_log import AccessLogKey
    from schemas.seals import encode
    from schemas.topics import TopicNames
    from sinks.audit.access_log import check_access_log
    from sinks.projection import ConsumedRecord, project
    from sinks.reader import open_read_only
    from sinks.store import Store

    topics = TopicNames()
    raw = key.private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    values = [AccessLogKey(key_id=key.key_id, public_key=encode(raw),
                           created_at=datetime.now(UTC)).model_dump_json().encode()]
    values += [orjson.dumps(v) for v in views]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "access.duckdb"
        store = Store(path)
        try:
            for start in range(0, len(values), 20_000):
                chunk = values[start:start + 20_000]
                store.write(project([ConsumedRecord(topics.access_log, 0, start + i, None, v)
                                     for i, v in enumerate(chunk)], topics, datetime.now(UTC)))
        finally:
            store.close()
        con = open_read_only(path)
        try:
            started = time.perf_counter()
            report = check_access_log(con)
            took = time.perf_counter() - started
        finally:
            con.close()
    assert report.views == len(views) and not report.problems, report.as_dict()
    print(f"verify's access-log check over a store of {len(views)} views: {took:.2f} s "
          f"({took / len(views) * 1000:.3f} ms/view; {_load()})")


def against_broker(n: int) -> None:
    from kokemusvirta import kafka as kv_kafka
    from kokemusvirta.access.local import as_admin
    from kokemusvirta.settings import Settings
    from kokemusvirta.workplace.access_log import AccessLogWriter, for_workplace

    settings = Settings()
    kv_kafka.ensure_topics(as_admin(settings),
                           kv_kafka.bootstrap_servers(settings, start_local=False))
    writer = AccessLogWriter(for_workplace(settings))
    waits = []
    try:
        writer.record(_Viewer(), "fb-0123456789abcdef", "lappi", "item_page")  # connects
        for _ in range(n):
            started = time.perf_counter()
            writer.record(_Viewer(), "fb-0123456789abcdef", "lappi", "item_page")
            waits.append((time.perf_counter() - started) * 1000)
    finally:
        writer.close()
    waits.sort()
    print(f"record_view p50 {statistics.median(waits):.1f} ms, "
          f"p95 {waits[int(len(waits) * 0.95) - 1]:.1f} ms ({n} views, acks=all; {_load()})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--views", type=int, default=10_000)
    parser.add_argument("--broker", action="store_true")
    args = parser.parse_args()
    in_process(args.views)
    if args.broker:
        against_broker(min(args.views, 500))


if __name__ == "__main__":
    main()
