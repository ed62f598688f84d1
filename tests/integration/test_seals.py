"""Seals only the worker can make (issue 12, item 4), against the real broker, worker and sink:
a lifecycle event with a correct SHA-256 chain but no valid signature is `forged`; a deleted
lifecycle row, item or dead letter falls short of the worker's signed checkpoint; a correct
store passes; after a SIGKILL, a redelivery and a key rotation everything still verifies."""

from __future__ import annotations

import json
import shutil
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import duckdb
import pytest

from kokemusvirta import kafka as kv_kafka
from kokemusvirta.processes import Child, child_env, start_child
from kokemusvirta.settings import Settings
from schemas.access import Requester
from schemas.chain import seal
from schemas.lifecycle import ActorRole, ItemAcknowledged
from sinks.store import snapshot_path
from tests.factories import as_bytes, feedback
from tests.integration.helpers import catch_up, publish, read_topic, running

pytestmark = pytest.mark.broker

T0 = datetime(2026, 10, 5, 9, 0, tzinfo=UTC)


def kv(settings: Settings, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    assert settings.kafka_bootstrap_servers
    return subprocess.run([sys.executable, "-m", "kokemusvirta", *args],
                          env=child_env(settings, settings.kafka_bootstrap_servers, **env),
                          capture_output=True, text=True, timeout=300, check=False)


def verified(settings: Settings, *args: str, **env: str) -> tuple[int, dict[str, Any]]:
    done = kv(settings, "verify", "--json", *args, **env)
    assert done.returncode in (0, 1), done.stderr
    return done.returncode, json.loads(done.stdout)


def wait_covered(settings: Settings, timeout: float = 90) -> dict[str, Any]:
    """Until the store holds a checkpoint covering every signed event (published every 5 s)."""
    deadline = time.monotonic() + timeout
    while True:
        _, report = verified(settings)
        seals = report["seals"]
        if seals["not_yet_covered"] == 0 and seals["covered"] > 0:
            return report
        assert time.monotonic() < deadline, f"checkpoints never covered the store: {seals}"
        time.sleep(1)


def request(settings: Settings, item: str, at: datetime) -> None:
    assert settings.kafka_bootstrap_servers
    event = ItemAcknowledged(event_id=uuid.uuid4(), occurred_at=at, recorded_at=at,
                             county="lappi", unit="rovaniemen-terveysasema", item_id=item,
                             actor_role=ActorRole.UNIT_MANAGER)
    # As the unit's managers would: on their request topic (the admin may write it too).
    topic = kv_kafka.ensure_request_topic(
        settings, settings.kafka_bootstrap_servers,
        Requester.parse("unit", "lappi.rovaniemen-terveysasema"))
    producer = kv_kafka.producer(settings, settings.kafka_bootstrap_servers)
    producer.send(topic, key=event.kafka_key(),
                  value=event.to_json_bytes())
    producer.flush()
    producer.close()


def copy_of(settings: Settings, tmp: Path, name: str, *statements: str) -> dict[str, str]:
    """A copy of the store's snapshot with `statements` run on it: the env to verify it."""
    target = tmp / name / "kokemusvirta.duckdb"
    target.parent.mkdir(parents=True)
    shutil.copy(snapshot_path(settings.store), target)
    con = duckdb.connect(str(target))
    for sql in statements:
        con.execute(sql)
    con.close()
    return {"KOKEMUSVIRTA_STORE": str(target)}


def test_forged_events_and_deleted_rows_fail_verify(
    settings_factory: Callable[..., Settings], tmp_path: Path
) -> None:
    s = settings_factory()
    texts = [feedback(text=f"Jonotin puhelimessa tunnin ({n}).") for n in range(4)]
    with running(s, "worker", "sink") as children:
        publish(s, [as_bytes(e) for e in texts] + [b"{not json"])
        catch_up(s, children)
        items = [r[0] for r in duckdb.connect(str(snapshot_path(s.store)), read_only=True)
                 .execute("select item_id from knowledge_items order by item_id").fetchall()]
        assert len(items) == 4
        request(s, items[0], T0)
        catch_up(s, children)
        report = wait_covered(s)
        seals = report["seals"]
        # A correct store passes: every lifecycle event and the dead letter signed and covered.
        code, report = verified(s)
        assert code == 0, report
        assert seals["forged"] == [] and seals["deleted"] == []
        assert seals["valid"] == seals["checked"] == 4 * 3 + 1 + 1
        assert seals["partitions_covered"] >= 2

        # Each deletion, on a copy of the store: a lifecycle row (consistently: its events
        # row and the item's milestone too, so only the checkpoint can tell), a whole item, a
        # dead letter.
        acked = (f"(select event_id from lifecycle where step = 'acknowledged' "
                 f"and item_id = '{items[0]}')")
        one_row = copy_of(s, tmp_path, "row", f"delete from events where event_id in {acked}",
                          "delete from lifecycle where step = 'acknowledged'",
                          "update knowledge_items set acknowledged_at = NULL")
        item = copy_of(s, tmp_path, "item", *(f"delete from {t} where item_id = '{items[1]}'"
                                              for t in ("events", "lifecycle",
                                                        "knowledge_items")))
        dead = copy_of(s, tmp_path, "dead", "delete from dead_letters")
        for env, where in ((one_row, s.topics.lifecycle), (item, s.topics.lifecycle),
                           (dead, s.topics.dead_letters)):
            done = kv(s, "verify", **env)
            assert done.returncode == 1, done.stdout + done.stderr
            assert f"deleted: {where}[" in done.stdout, done.stdout

        # A correctly chained acknowledgement by leadership, appended straight to the lifecycle
        # topic by a producer that is not the worker: its SHA-256 chain holds, its seal not.
        last = duckdb.connect(str(snapshot_path(s.store)), read_only=True).execute(
            "select chain_hash from lifecycle where item_id = ? order by \"offset\" desc "
            "limit 1", [items[2]]).fetchone()
        assert last is not None
        at = T0 + timedelta(hours=1)
        fake = seal(ItemAcknowledged(event_id=uuid.uuid4(), occurred_at=at, recorded_at=at,
                                     county="lappi", unit="rovaniemen-terveysasema",
                                     item_id=items[2], actor_role=ActorRole.LEADERSHIP),
                    last[0])
        assert s.kafka_bootstrap_servers
        producer = kv_kafka.producer(s, s.kafka_bootstrap_servers)
        producer.send(s.topics.lifecycle, key=fake.kafka_key(), value=fake.to_json_bytes())
        producer.flush()
        producer.close()
        catch_up(s, children)
        deadline = time.monotonic() + 60
        while True:
            done = kv(s, "verify")
            if done.returncode == 1 or time.monotonic() > deadline:
                break
            time.sleep(1)
        assert done.returncode == 1, done.stdout + done.stderr
        assert f"forged: lifecycle event {fake.event_id} of {items[2]}" in done.stdout
        assert "no signature" in done.stdout
        # The chain itself is intact: only the signature tells.
        _, report = verified(s)
        assert report["altered"] == 0
        assert [f["event_id"] for f in report["seals"]["forged"]] == [str(fake.event_id)]


def stopped_and_covered(s: Settings, *workers: Child) -> dict[str, Any]:
    """SIGTERM: each worker publishes its last checkpoints as it stops (no tick meanwhile)."""
    for worker in workers:
        started = time.monotonic()
        assert worker.stop() == 0, worker.log_tail()
        print(f"\nworker stopped in {time.monotonic() - started:.1f} s")
    return wait_covered(s, timeout=90)


def test_a_crash_a_redelivery_and_a_rotation_still_verify(
    settings_factory: Callable[..., Settings], tmp_path: Path
) -> None:
    # No checkpoint tick in the test's time: what covers the events is the last checkpoints a
    # worker publishes as it gives partitions up in a rebalance or stops (SIGTERM), after a
    # crash and a rotation too.
    s = settings_factory(KOKEMUSVIRTA_CHECKPOINT_EVERY_S=600)
    assert s.kafka_bootstrap_servers
    with running(s, "worker", "sink") as children:
        publish(s, [as_bytes(feedback(text=f"Hyvä palvelu ({n}).")) for n in range(3)]
                + [b"{not json"])
        catch_up(s, children)
        seals = verified(s)[1]["seals"]
        assert seals["covered"] + seals["not_yet_covered"] == 3 * 3 + 1
        # Nothing covered by a tick (unless a rebalance made the worker publish already).
        assert seals["covered"] == 0 or "(a rebalance)" in children[0].log.read_text(), seals
        # A second worker joins: the first covers what it counted before the rebalance takes
        # partitions from it.
        children.append(start_child("worker", s, s.kafka_bootstrap_servers, s.home / "logs-b"))
        assert wait_covered(s, timeout=180)["seals"]["covered"] == 3 * 3 + 1
        assert "published the last" in children[0].log.read_text(), children[0].log_tail()
        # Killed while it works through a burst: what it wrote but did not commit is written
        # again by the restarted worker (the same event ids, later offsets).
        publish(s, [as_bytes(feedback(text=f"Odotin kauan ({n}).")) for n in range(1500)])
        time.sleep(2.0)
        children[0].process.send_signal(signal.SIGKILL)
        children[0].process.wait(10)
        rotated = kv(s, "keys", "rotate")
        assert rotated.returncode == 0, rotated.stderr
        judging_before = children[0].log.read_text().count("lifecycle guard: judging")
        children[0] = start_child("worker", s, s.kafka_bootstrap_servers, s.home / "logs")
        # Once the restarted worker holds partitions again (the other may have taken them over
        # meanwhile), intake keyed onto both (murmur2: 0, 1, 1): it signs some with the new key.
        deadline = time.monotonic() + 120
        while children[0].log.read_text().count("lifecycle guard: judging") == judging_before:
            assert time.monotonic() < deadline, children[0].log_tail()
            time.sleep(0.5)
        publish(s, [as_bytes(feedback(text=f"Kiitos ({n}).")) for n in range(3)],
                [f"kiitos-{n}".encode() for n in (3, 4, 5)])
        catch_up(s, children)
        stopped_and_covered(s, children[2], children[0])
        code, report = verified(s)
    assert code == 0, report["seals"]
    lifecycle = read_topic(s, s.topics.lifecycle)
    ids = [json.loads(v)["event_id"] for _, v, _ in lifecycle]
    key_ids = {json.loads(v)["seal_key_id"] for _, v, _ in lifecycle}
    print(f"\nlifecycle records {len(ids)}, distinct events {len(set(ids))} "
          f"(redelivered copies: {len(ids) - len(set(ids))}); signing keys used: {len(key_ids)}")
    assert len(key_ids) == 2  # before and after the rotation: both verify
    assert report["seals"]["valid"] == report["seals"]["checked"] == (3 + 1500 + 3) * 3 + 1

    # An auditor's own copy of the public keys: both keys verify; the new one alone does not.
    public = kv(s, "keys", "public")
    assert public.returncode == 0 and len(public.stdout.splitlines()) == 2
    keys_file = tmp_path / "keys.jsonl"
    keys_file.write_text(public.stdout)
    assert verified(s, "--keys", str(keys_file))[0] == 0
    newest = max(public.stdout.splitlines(), key=lambda line: json.loads(line)["created_at"])
    keys_file.write_text(newest + "\n")
    code, report = verified(s, "--keys", str(keys_file))
    assert code == 1 and {f["seal"] for f in report["seals"]["forged"]} == {"unknown_key"}

