"""Auditors' commands as a user runs them, on a store the real worker and sink produced."""

from __future__ import annotations

import json
import subprocess
import sys
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import duckdb
import pytest

from kokemusvirta import kafka as kv_kafka
from kokemusvirta.processes import child_env
from schemas.access import Requester
from schemas.knowledge import SourceFamily
from schemas.lifecycle import ActorRole, ItemAcknowledged, ItemDecided
from sinks import reader as query
from sinks.store import snapshot_path
from streams.items import item_id_for
from tests.factories import as_bytes, feedback
from tests.integration.helpers import catch_up, publish, running

pytestmark = pytest.mark.broker

T0 = datetime(2026, 10, 5, 9, 0, tzinfo=UTC)


def kv(settings, *args: str, **env: str) -> subprocess.CompletedProcess[str]:  # type: ignore[no-untyped-def]
    assert settings.kafka_bootstrap_servers
    return subprocess.run([sys.executable, "-m", "kokemusvirta", *args],
                          env=child_env(settings, settings.kafka_bootstrap_servers, **env),
                          capture_output=True, text=True, timeout=180, check=False)


def request(settings, item: str, make, at: datetime, **fields: object) -> None:  # type: ignore[no-untyped-def]
    assert settings.kafka_bootstrap_servers
    event = make(event_id=uuid.uuid4(), occurred_at=at, recorded_at=at, county="lappi",
                 unit="rovaniemen-terveysasema", item_id=item, **fields)
    # On the request topic of the role's requester for this item (created as the demo does).
    requester = {
        ActorRole.UNIT_MANAGER: Requester.parse("unit", "lappi.rovaniemen-terveysasema"),
        ActorRole.LEADERSHIP: Requester.parse("leadership", "lappi.perusterveydenhuolto"),
    }[event.actor_role]
    kv_kafka.ensure_request_topic(settings, settings.kafka_bootstrap_servers, requester)
    topic = settings.topics.requests(requester)
    producer = kv_kafka.producer(settings, settings.kafka_bootstrap_servers)
    producer.send(topic, key=event.kafka_key(), value=event.to_json_bytes())
    producer.flush()
    producer.close()


def test_trace_verify_and_replay_on_the_real_flow(settings_factory, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    s = settings_factory()
    early = [feedback(text=f"Jonotin puhelimessa tunnin ({n}).") for n in range(3)]
    item = item_id_for(SourceFamily.FEEDBACK, early[0]["event_id"])
    with running(s, "worker", "sink") as children:
        publish(s, [as_bytes(e) for e in early])
        catch_up(s, children)
        request(s, item, ItemAcknowledged, T0, actor_role=ActorRole.UNIT_MANAGER)
        catch_up(s, children)
        request(s, item, ItemDecided, T0 + timedelta(days=2), actor_role=ActorRole.LEADERSHIP,
                outcome="adopted", rationale="Takaisinsoitto otetaan käyttöön.")
        catch_up(s, children)
        time.sleep(1.5)
        cut = datetime.now(UTC)
        time.sleep(1.5)
        publish(s, [as_bytes(feedback()) for _ in range(2)])
        catch_up(s, children)

    done = kv(s, "trace", item)
    assert done.returncode == 0, done.stderr
    text = done.stdout
    assert "ketju (chain): ehjä (intact)" in text
    assert "✓ kuitattu (acknowledged)" in text and "✓ päätetty (decided)" in text
    assert f"{s.topics.intake}[" in text and f"{s.topics.lifecycle}[" in text
    traced = json.loads(kv(s, "trace", item, "--json").stdout)
    assert [e["step"] for e in traced["lifecycle"]] == \
        ["received", "classified", "routed", "acknowledged", "decided"]
    assert all(e["chain_ok"] for e in traced["lifecycle"])
    assert traced["routes"][0]["forwarded"]["topic"] == traced["routes"][0]["topic"]
    assert kv(s, "trace", "fb-0000000000000000").returncode == 2

    done = kv(s, "verify", "--json")
    assert done.returncode == 0, done.stdout + done.stderr
    report = json.loads(done.stdout)
    assert (report["items_checked"], report["intact"], report["altered"]) == (5, 5, 0)

    # The store as it was at `cut`: the three early items, the decision included.
    replayed = tmp_path / "then.duckdb"
    done = kv(s, "replay", "--until", cut.isoformat(), "--store", str(replayed))
    assert done.returncode == 0, done.stderr
    _, rows = query.run(replayed, "select count(*), count(decided_at) from knowledge_items")
    assert rows == [(3, 1)]
    done = kv(s, "verify", "--json", KOKEMUSVIRTA_STORE=str(replayed))
    assert json.loads(done.stdout)["intact"] == 3
    assert kv(s, "replay", "--until", cut.isoformat(), "--store", str(replayed)).returncode == 2

    # Someone changes the decision in the store the analysts read: verify names the item.
    con = duckdb.connect(str(snapshot_path(s.store)))
    con.execute("UPDATE lifecycle SET details = json_object('outcome', 'rejected', "
                "'rationale', 'Ei resursseja.', 'decision_ref', NULL) WHERE step = 'decided'")
    con.close()
    done = kv(s, "verify")
    assert done.returncode == 1
    assert "altered:                    1" in done.stdout and item in done.stdout
