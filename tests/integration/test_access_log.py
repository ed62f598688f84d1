"""The access log against the real broker and sink (issue 16 item 2): views written by the
workplace's own principal reach the store's access_log, `verify` passes them and reports an
edited, re-attributed or removed view, `access-log --item` shows them to auditors, the workplace
principal may write nothing else, and without a broker no view is logged and none shown."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pytest
from kafka.errors import KafkaError

from kokemusvirta import kafka as kv_kafka
from kokemusvirta.processes import child_env, start_child
from kokemusvirta.settings import Settings
from kokemusvirta.workplace.access_log import (
    AccessLogUnavailable,
    AccessLogWriter,
    record_view,
)
from schemas.access_log import Purpose
from sinks.store import snapshot_path

pytestmark = pytest.mark.broker

ITEM, OTHER = "fb-0123456789abcdef", "fb-fedcba9876543210"


@dataclass(frozen=True)
class Staff:
    pseudonym: str
    role: str = "unit_manager"
    scope: str = "lappi.rovaniemen-terveysasema"


MAIJA, AUDITOR = Staff("us-00112233445566aa"), Staff("us-99887766554433bb", "auditor", "lappi")


def kv(settings: Settings, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    assert settings.kafka_bootstrap_servers
    return subprocess.run([sys.executable, "-m", "kokemusvirta", *args],
                          env=child_env(settings, settings.kafka_bootstrap_servers, **env),
                          capture_output=True, text=True, timeout=300, check=False)


def verified(settings: Settings, **env: str) -> tuple[int, dict[str, Any]]:
    done = kv(settings, "verify", "--json", **env)
    assert done.returncode in (0, 1), done.stderr
    return done.returncode, json.loads(done.stdout)


def copy_of(settings: Settings, tmp: Path, name: str, *statements: str) -> dict[str, str]:
    target = tmp / name / "kokemusvirta.duckdb"
    target.parent.mkdir(parents=True)
    shutil.copy(snapshot_path(settings.store), target)
    con = duckdb.connect(str(target))
    for sql in statements:
        con.execute(sql)
    con.close()
    return {"KOKEMUSVIRTA_STORE": str(target)}


def stored_views(settings: Settings, want: int, timeout: float = 90) -> int:
    deadline = time.monotonic() + timeout
    while True:
        path = snapshot_path(settings.store)
        if path.exists():
            con = duckdb.connect(str(path), read_only=True)
            try:
                n = int(con.execute("select count(*) from access_log").fetchone()[0])  # type: ignore[index]
            except duckdb.Error:
                n = 0
            finally:
                con.close()
            if n >= want:
                return n
        assert time.monotonic() < deadline, f"the store has {n} of {want} views"
        time.sleep(0.5)


def test_views_are_logged_verified_and_read_by_auditors(
    settings_factory: Callable[..., Settings],
    system_settings: Callable[[Settings, str], Settings], tmp_path: Path,
) -> None:
    s = settings_factory()
    assert s.kafka_bootstrap_servers
    kv_kafka.ensure_topics(s, s.kafka_bootstrap_servers)
    # The sink as its own principal: its ACLs must let it read the access log.
    sink = start_child("sink", system_settings(s, "sink"), s.kafka_bootstrap_servers,
                       s.home / "logs")
    try:
        workplace = system_settings(s, "workplace")
        writer = AccessLogWriter(workplace)
        try:
            first = writer.record(MAIJA, ITEM, "lappi", Purpose.ITEM_PAGE)
            writer.record(MAIJA, OTHER, "lappi", "inbox")
            writer.record(AUDITOR, ITEM, "lappi", Purpose.TRACE, "vuosittainen tarkastus")
        finally:
            writer.close()
        # Through the function the pages call, with settings: a second chain.
        last = record_view(workplace, MAIJA, ITEM, "lappi", Purpose.ITEM_PAGE,
                           "soita 040 123 4567")
        # The workplace's principal writes the access log and nothing else.
        assert workplace.kafka_bootstrap_servers
        producer = kv_kafka.producer(workplace, workplace.kafka_bootstrap_servers)
        try:
            with pytest.raises(KafkaError):
                producer.send(s.topics.lifecycle, value=b"{}").get(timeout=20)
        finally:
            producer.close(timeout=1)
        stored_views(s, 4)
    finally:
        sink.stop()

    code, report = verified(s)
    log = report["access_log"]
    assert code == 0, report
    assert (log["views"], log["chains"], log["problems"]) == (4, 2, [])

    shown = kv(s, "access-log", "--item", ITEM)
    assert shown.returncode == 0, shown.stderr
    assert "3 katselua" in shown.stdout and MAIJA.pseudonym in shown.stdout
    assert "vuosittainen tarkastus" in shown.stdout and OTHER not in shown.stdout
    assert "040" not in shown.stdout  # the reason was redacted before it was logged
    mine = json.loads(kv(s, "access-log", "--viewer", AUDITOR.pseudonym, "--json").stdout)
    assert [(v["item_id"], v["purpose"]) for v in mine] == [(ITEM, "trace")]

    # Tampering, each on a copy of the store.
    cases = {
        "reattributed": (f"update access_log set viewer = '{AUDITOR.pseudonym}' "
                         f"where event_id = '{first.event_id}'", "row_differs"),
        "payload": (f"update access_log set payload = replace(payload::VARCHAR, "
                    f"'{ITEM}', '{OTHER}')::JSON where event_id = '{first.event_id}'",
                    "payload_altered"),
        "removed": (f"delete from access_log where event_id = '{first.event_id}'",
                    "chain_break"),
    }
    for name, (sql, check) in cases.items():
        code, report = verified(s, **copy_of(s, tmp_path, name, sql))
        assert code == 1, (name, report["access_log"])
        assert check in {p["check"] for p in report["access_log"]["problems"]}, name
    # A chain's last view (here a whole chain of one) leaves no break: the topic is the anchor.
    tail = copy_of(s, tmp_path, "tail",
                   f"delete from access_log where event_id = '{last.event_id}'")
    assert verified(s, **tail)[0] == 0  # what the chains alone cannot see …
    assert kv(s, "access-log", "--against-kafka").returncode == 0
    against = kv(s, "access-log", "--against-kafka", **tail)
    assert against.returncode == 1 and f"deleted: {last.event_id}" in against.stdout, against

    # The auditor's own copy of the keys: a store that brings its own key does not pass.
    keys = tmp_path / "workplace-keys.jsonl"
    keys.write_text(kv(s, "access-log", "--public-keys").stdout, encoding="utf-8")
    done = kv(s, "verify", "--json", "--access-keys", str(keys))
    assert done.returncode == 0 and json.loads(done.stdout)["access_log"]["trusted_keys_from"] \
        == "file"
    stranger = tmp_path / "stranger.jsonl"
    stranger.write_text('{"event_type":"access.key_published","key_id":"0000000000000000",'
                        '"public_key":"00","created_at":"2026-10-01T00:00:00Z"}\n')
    assert kv(s, "verify", "--access-keys", str(stranger)).returncode == 2


def test_without_a_broker_no_view_is_logged(settings_factory: Callable[..., Settings]) -> None:
    s = settings_factory(KAFKA_BOOTSTRAP_SERVERS="127.0.0.1:9")
    writer = AccessLogWriter(s, ack_timeout_s=2)
    with pytest.raises(AccessLogUnavailable):
        writer.record(MAIJA, ITEM, "lappi", Purpose.ITEM_PAGE)
