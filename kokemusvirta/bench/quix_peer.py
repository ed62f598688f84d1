"""The Quix Streams peer of `kokemusvirta bench --compare`: what a user would write instead.

`python -m kokemusvirta.bench.quix_peer --topic T --group G --records N --duckdb PATH`, run as a
process of its own (like the worker): a Quix Streams application consumes the intake topic from
its beginning, calls the project's classifier (`streams.classification.classify`) on each text
and inserts the rows into a DuckDB file as Arrow batches, one batch per Quix checkpoint (every
second). It skips what the project does besides (validation, privacy, routing, the lifecycle,
seals). Stops after N records and prints one JSON line: records, texts, rows, seconds (from the
first record to the last batch stored).

The connection comes from the environment, as the worker's does: KAFKA_BOOTSTRAP_SERVERS,
KAFKA_SECURITY_PROTOCOL, KAFKA_SASL_MECHANISM, KAFKA_SASL_USERNAME, KAFKA_SASL_PASSWORD and
KAFKA_SSL_CAFILE.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import time
from typing import Any

import duckdb
import pyarrow as pa
from quixstreams import Application
from quixstreams.kafka.configuration import ConnectionConfig
from quixstreams.sinks.base import BatchingSink, SinkBatch

from streams.classification import classify

COLUMNS = ("event_id", "county", "unit", "language", "theme", "stance", "severity")


def texts_of(value: dict[str, Any]) -> list[tuple[str, str | None]]:
    """The texts of one intake record and their language: a feedback's or a statement's text,
    each workshop output item's."""
    language = value.get("language")
    if isinstance(value.get("items"), list):
        return [(i["text"], language) for i in value["items"]
                if isinstance(i, dict) and isinstance(i.get("text"), str)]
    text = value.get("text")
    return [(text, language)] if isinstance(text, str) else []


class DuckDBArrowSink(BatchingSink):
    """Each checkpoint's rows as one Arrow table inserted into DuckDB."""

    def __init__(self, path: str) -> None:
        super().__init__()
        self.path = path
        self.rows = 0
        self.last_write = 0.0

    def setup(self) -> None:
        self.con = duckdb.connect(self.path)
        self.con.execute("create table if not exists items (" + ", ".join(
            f"{c} varchar" for c in COLUMNS) + ")")

    def write(self, batch: SinkBatch) -> None:
        rows = [row for item in batch for row in item.value]
        if not rows:
            return
        table = pa.table({c: [r[i] for r in rows] for i, c in enumerate(COLUMNS)})
        self.con.register("batch", table)
        self.con.execute("insert into items select * from batch")
        self.con.unregister("batch")
        self.rows += len(rows)
        self.last_write = time.monotonic()


def connection() -> ConnectionConfig:
    env = os.environ
    return ConnectionConfig.model_validate({
        "bootstrap_servers": env["KAFKA_BOOTSTRAP_SERVERS"],
        "security_protocol": env.get("KAFKA_SECURITY_PROTOCOL", "PLAINTEXT"),
        "sasl_mechanism": env.get("KAFKA_SASL_MECHANISM") or None,
        "sasl_username": env.get("KAFKA_SASL_USERNAME") or None,
        "sasl_password": env.get("KAFKA_SASL_PASSWORD") or None,
        "ssl_ca_location": env.get("KAFKA_SSL_CAFILE") or None,
    })


def run(topic_name: str, group: str, records: int, path: str) -> dict[str, float]:
    app = Application(broker_address=connection(), consumer_group=group,
                      auto_offset_reset="earliest", commit_interval=1.0,
                      auto_create_topics=False, use_changelog_topics=False,
                      loglevel=logging.WARNING)
    topic = app.topic(topic_name, value_deserializer="bytes")
    sink = DuckDBArrowSink(path)
    seen = {"records": 0, "texts": 0, "first": 0.0}

    def rows(raw: bytes) -> list[tuple[Any, ...]]:
        if not seen["records"]:
            seen["first"] = time.monotonic()
        seen["records"] += 1
        if seen["records"] >= records:
            app.stop()
        try:
            value = json.loads(raw)
        except ValueError:
            return []  # a malformed record: the peer has no dead letters
        if not isinstance(value, dict):
            return []
        out = []
        for text, language in texts_of(value):
            c = classify(text, language if isinstance(language, str) else None)
            seen["texts"] += 1
            out.append((value.get("event_id"), value.get("county"), value.get("unit"),
                        c.language, c.themes[0] if c.themes else None, str(c.stance),
                        str(c.severity)))
        return out

    sdf = app.dataframe(topic=topic).apply(rows)
    sdf.sink(sink)
    app.run()
    sink.flush()  # whatever the last checkpoint left
    end = sink.last_write or time.monotonic()
    return {"records": seen["records"], "texts": seen["texts"], "rows": sink.rows,
            "seconds": end - seen["first"]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--topic", required=True)
    parser.add_argument("--group", required=True)
    parser.add_argument("--records", type=int, required=True)
    parser.add_argument("--duckdb", required=True)
    args = parser.parse_args()
    print(json.dumps(run(args.topic, args.group, args.records, args.duckdb)))


if __name__ == "__main__":
    main()
