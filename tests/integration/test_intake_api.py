"""The intake API as it runs: `kokemusvirta intake serve` (uvicorn) as the gateway principal on the
real broker, with the real worker and sink behind it. One flow: an API call becomes an item in
the store, a bad request is a 400 listing its problems (in Swedish when asked), a retry with the
same Idempotency-Key creates nothing new, a body over the limit is 413, the intake topic holds
no raw client id or contact; and without a broker the answer is 503 with Retry-After."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from kokemusvirta.bench.intake import free_port, start_intake, wait_healthy
from kokemusvirta.broker.local import LocalBroker
from sinks import reader as query
from tests.conftest import SettingsFactory, SystemSettings, admin_values, shared_lib_dir
from tests.factories import feedback, workshop
from tests.integration.helpers import catch_up, read_topic, running

pytestmark = pytest.mark.broker

CLIENT_ID = "131052-308T"
CONTACT = "maija.asiakas@example.fi"


def _stop(service: subprocess.Popen[bytes]) -> int:
    service.terminate()
    return service.wait(30)


def test_api_calls_become_items_and_nothing_raw_reaches_kafka(
        settings_factory: SettingsFactory, system_settings: SystemSettings,
        tmp_path: Path) -> None:
    s = settings_factory(KOKEMUSVIRTA_INTAKE_MAX_BODY_BYTES=50_000)
    gateway = system_settings(s, "gateway")
    assert s.kafka_bootstrap_servers
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    log = tmp_path / "intake.log"
    with running(s, "worker", "sink") as children:
        service = start_intake(gateway, s.kafka_bootstrap_servers, log, port,
                               KOKEMUSVIRTA_INTAKE_MAX_BODY_BYTES="50000")
        try:
            wait_healthy(port, service, log)
            with httpx.Client(base_url=url, timeout=30) as http:
                event = feedback(client_id=CLIENT_ID, contact=CONTACT)
                key = {"Idempotency-Key": "e-palvelu-2026-0001"}
                first = http.post("/v1/feedback", json=event, headers=key)
                assert first.status_code == 202, first.text
                retry = http.post("/v1/feedback", json=event, headers=key)
                assert retry.status_code == 202 and retry.json() == first.json()
                assert retry.headers["idempotent-replayed"] == "true"

                proposals = http.post("/v1/workshops", json=[workshop()])
                assert proposals.status_code == 202 and len(proposals.json()["item_ids"]) == 3

                bad = http.post("/v1/feedback", json=feedback(rating=6, channel="kirje", text=""),
                                headers={"Accept-Language": "sv-FI,sv;q=0.9"})
                assert bad.status_code == 400
                assert bad.headers["content-language"] == "sv"
                assert {(p["path"], p["message"]) for p in bad.json()["problems"]} == {
                    ("rating", "för stort"), ("channel", "inte ett tillåtet värde"),
                    ("text", "för kort eller tom")}

                big = http.post("/v1/feedback", json=feedback(text="x" * 60_000))
                assert big.status_code == 413
                assert "50000" in big.json()["error"]
        finally:
            stopped = _stop(service)
        catch_up(s, children)
    assert stopped == 0 and "intake API stopped" in log.read_text()  # SIGTERM: a clean stop

    expected = [*first.json()["item_ids"], *proposals.json()["item_ids"]]
    _, rows = query.run(s.store, "select item_id from knowledge_items order by item_id")
    assert [r[0] for r in rows] == sorted(expected)  # the retry made nothing new

    records = read_topic(s, s.topics.intake)
    assert len(records) == 2  # the feedback once, the workshop once; nothing of the bad ones
    for _, value, _ in records:
        assert CLIENT_ID.encode() not in value and CONTACT.encode() not in value
        assert b"maija" not in value
    published = next(json.loads(v) for _, v, _ in records if b"feedback.submitted" in v)
    assert published["client_pseudonym"] and published["contact_sealed"]
    assert published["client_id"] is None and published["contact"] is None
    assert "maija" not in log.read_text() and CLIENT_ID not in log.read_text()


def test_without_a_broker_nothing_is_accepted_503_with_retry_after(
        settings_factory: SettingsFactory, tmp_path: Path) -> None:
    nowhere = f"127.0.0.1:{free_port()}"  # nothing listens there
    s = settings_factory(KAFKA_BOOTSTRAP_SERVERS=nowhere)
    port = free_port()
    log = tmp_path / "intake.log"
    service = start_intake(s, nowhere, log, port, KOKEMUSVIRTA_INTAKE_ACK_TIMEOUT_S="2")
    try:
        wait_healthy(port, service, log, connected=False)
        answer = httpx.post(f"http://127.0.0.1:{port}/v1/feedback", json=feedback(),
                            headers={"Accept-Language": "en"}, timeout=30)
        assert answer.status_code == 503
        assert int(answer.headers["retry-after"]) >= 1
        assert answer.json()["error"].startswith("The feedback could not be accepted")
    finally:
        _stop(service)


def test_a_broker_that_goes_away_is_503_never_a_promise(
        settings_factory: SettingsFactory, tmp_path: Path) -> None:
    """The producer was connected, then the broker stops: no 202 without its acknowledgement."""
    broker = LocalBroker(tmp_path / "broker", lib_dir=shared_lib_dir())
    broker.ensure_jars()
    service = None
    try:
        bootstrap = broker.start(timeout=120)
        s = settings_factory(**{k: str(v) for k, v in admin_values(broker).items()})
        port = free_port()
        log = tmp_path / "intake.log"
        service = start_intake(s, bootstrap, log, port, KOKEMUSVIRTA_INTAKE_ACK_TIMEOUT_S="3")
        wait_healthy(port, service, log)
        url = f"http://127.0.0.1:{port}/v1/feedback"
        assert httpx.post(url, json=feedback(), timeout=30).status_code == 202
        broker.stop()
        answer = httpx.post(url, json=feedback(), timeout=30)
        assert answer.status_code == 503, answer.text
        assert int(answer.headers["retry-after"]) >= 1
    finally:
        if service is not None:
            _stop(service)
        broker.stop()


def test_the_bench_counts_what_the_topic_gained(settings_factory: SettingsFactory) -> None:
    """`kokemusvirta bench --intake` in small: every 202 is a record on the intake topic."""
    from kokemusvirta.bench.intake import run_intake_bench

    result = run_intake_bench(settings_factory(), 60, 4, lambda message: None)
    assert result.errors == {} and len(result.latencies_ms) == 60
    assert result.published == 60
    report = result.report()
    assert "requests/s" in report and "p99" in report and "load average" in report


def test_serve_explains_itself_and_a_taken_port_is_one_line(tmp_path: Path) -> None:
    for args in (["intake", "--help"], ["intake", "serve", "--help"]):
        done = subprocess.run([sys.executable, "-m", "kokemusvirta", *args],
                              capture_output=True, timeout=60)
        assert done.returncode == 0 and b"usage: kokemusvirta intake" in done.stdout
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = subprocess.run(
            [sys.executable, "-m", "kokemusvirta", "intake", "serve", "--port", str(port)],
            capture_output=True, timeout=60,
            env={**os.environ, "KOKEMUSVIRTA_HOME": str(tmp_path)})
    assert done.returncode == 2
    lines = done.stderr.decode().splitlines()
    assert len(lines) == 1 and "port already in use" in lines[0], lines


def test_the_listening_socket_says_it_is_tcp() -> None:
    """asyncio sets TCP_NODELAY only on sockets whose proto is IPPROTO_TCP; without it every
    answer waited ~40 ms for the client's delayed ACK (the bench fell from ~2000 to ~800/s)."""
    from kokemusvirta.serving import bind

    listening = bind("127.0.0.1", 0)
    try:
        assert listening.proto == socket.IPPROTO_TCP
    finally:
        listening.close()
