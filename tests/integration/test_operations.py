"""Operations (issue 11, O1): the worker and the sink serve /healthz and /metrics on loopback,
`kokemusvirta status` reads them, and a stalled loop shows.

Against the real broker: a worker and a sink as processes, three records (one not JSON), both
/metrics scraped (processed, dead letters by reason, lag 0 after catch-up), both /healthz 200,
`status --json` healthy. A SIGSTOPped sink answers nothing at all (every thread of it is
stopped), which `status` reports as unhealthy; after SIGCONT it answers 200 again. A 503 needs a
process whose loop is stuck while its HTTP thread runs: a real Sink in this process, its store
write held by the test. `pytest -s` prints a sample of each /metrics.
"""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from typing import Any

import pytest

from kokemusvirta import kafka as kv_kafka
from kokemusvirta.bootstrap import serve_sink_operations, sink
from kokemusvirta.operations.server import read_states
from kokemusvirta.processes import Child, child_env
from kokemusvirta.settings import Settings
from scenario import generate
from tests.integration.helpers import catch_up, publish, running

STALL_S = 3.0


@pytest.fixture
def operations_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """Free ports (tests run beside other workers) and a short stall threshold; the children
    inherit the environment (kokemusvirta/processes.py child_env)."""
    monkeypatch.setenv("KOKEMUSVIRTA_WORKER_METRICS_PORT", "0")
    monkeypatch.setenv("KOKEMUSVIRTA_SINK_METRICS_PORT", "0")
    monkeypatch.setenv("KOKEMUSVIRTA_HEALTH_STALL_S", str(STALL_S))


def _feedback(seed: int) -> bytes:
    record = next(generate(seed, events=1))
    assert record.expected_rejection is None
    return record.value


def _get(url: str, timeout: float = 2.0) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as answer:
            return answer.status, answer.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()


def _until(check: Callable[[], Any], timeout: float, what: str, children: list[Child]) -> Any:
    deadline = time.monotonic() + timeout
    last: Any = None
    while time.monotonic() < deadline:
        for c in children:
            assert c.alive(), f"the {c.name} exited; its log ends:\n{c.log_tail()}"
        try:
            last = check()
        except (OSError, AssertionError) as exc:
            last = exc
        else:
            if last:
                return last
        time.sleep(0.5)
    raise AssertionError(f"{what} not within {timeout:.0f} s (last: {last!r}); logs:\n"
                         + "\n".join(c.log_tail(15) for c in children))


def _sample(text: str) -> dict[str, float]:
    """metric{labels} -> value, the comment lines left out."""
    out = {}
    for line in text.splitlines():
        if line and not line.startswith("#"):
            name, _, value = line.rpartition(" ")
            out[name] = float(value)
    return out


def _lags(sample: dict[str, float]) -> list[float]:
    return [v for k, v in sample.items() if k.startswith("kokemusvirta_lag_records{")]


def _status(settings: Settings) -> tuple[int, dict[str, Any]]:
    assert settings.kafka_bootstrap_servers
    done = subprocess.run([sys.executable, "-m", "kokemusvirta", "status", "--json"],
                          env=child_env(settings, settings.kafka_bootstrap_servers),
                          capture_output=True, timeout=60)
    return done.returncode, json.loads(done.stdout)


def test_worker_and_sink_serve_health_and_metrics_and_status_reads_them(
    settings_factory: Callable[..., Settings], operations_env: None
) -> None:
    settings = settings_factory(KOKEMUSVIRTA_LAKE="")  # the default lake, under the home
    with running(settings, "worker", "sink") as children:
        publish(settings, [_feedback(1), _feedback(2), b"this is not json"])
        catch_up(settings, children)
        urls = _until(lambda: {r: read_states(settings.home, r)[0]["url"]
                               for r in ("worker", "sink")}, 60, "the state files", children)

        def worker_done() -> dict[str, float] | None:
            s = _sample(_get(urls["worker"] + "/metrics")[1])
            ok = (s.get("kokemusvirta_worker_intake_processed_total") == 3
                  and s.get('kokemusvirta_worker_dead_letters_total{reason="not_json"}') == 1
                  and _lags(s) and not any(_lags(s)))
            return s if ok else None

        worker = _until(worker_done, 30, "worker metrics: 3 processed, 1 not_json, lag 0",
                        children)
        assert worker["kokemusvirta_last_commit_timestamp_seconds"] > time.time() - 300

        def sink_done() -> dict[str, float] | None:
            s = _sample(_get(urls["sink"] + "/metrics")[1])
            ok = (s.get("kokemusvirta_sink_records_consumed_total", 0) > 3
                  # Raw intake is the worker's alone: the sink reads the redacted sources, so
                  # the bad record is the worker's dead letter and never the sink's rejection.
                  and not s.get('kokemusvirta_sink_rejections_total{reason="not_json"}')
                  and _lags(s) and not any(_lags(s)))
            return s if ok else None

        sink_sample = _until(sink_done, 30, "sink metrics: consumed, no rejection, lag 0",
                             children)
        assert sink_sample["kokemusvirta_sink_batch_duration_seconds_count"] >= 1
        assert sink_sample["kokemusvirta_snapshot_age_seconds"] < 60
        lake_synced = _until(lambda: (s := _sample(_get(urls["sink"] + "/metrics")[1])).get(
            "kokemusvirta_lake_rows_synced_total", 0) > 0 and s, 30, "the lake synced", children)
        assert lake_synced["kokemusvirta_lake_failing"] == 0
        assert lake_synced["kokemusvirta_lake_sync_age_seconds"] < 60
        for role in ("worker", "sink"):
            code, body = _get(urls[role] + "/healthz")
            assert code == 200 and json.loads(body)["status"] == "ok", body
            print(f"\n--- {role} /metrics ---\n" + _get(urls[role] + "/metrics")[1])

        # The worker's signed checkpoints follow its outputs by up to 5 s (a few more records
        # for the sink), so the lag is read until that last tick has been stored too.
        def settled() -> tuple[int, dict[str, Any]] | None:
            code, report = _status(settings)
            lag = report.get("lag", {})
            quiet = all(lag.get(role, {}).get("total") == 0 for role in ("worker", "sink"))
            return (code, report) if quiet else None

        code, report = _until(settled, 30, "status: no lag", children)
        assert code == 0, report
        assert [p["state"] for p in report["processes"]["worker"]] == ["ok"]
        assert [p["state"] for p in report["processes"]["sink"]] == ["ok"]
        assert report["broker"]["reachable"] is True
        assert report["lag"]["worker"]["total"] == 0 and report["lag"]["sink"]["total"] == 0
        assert report["dead_letters"] == {"total": 1, "by_reason": {"not_json": 1}}
        assert report["last_commit_at"] is not None and report["snapshot_age_s"] is not None
        lake = report["processes"]["sink"][0]["health"]["lake"]
        assert lake["syncs"] >= 1 and lake["rows_synced"] > 0 and lake["error"] is None

        # SIGSTOP stops every thread, the HTTP one too: no answer at all, which status reports.
        sink_child = children[1]
        sink_child.process.send_signal(signal.SIGSTOP)
        try:
            with pytest.raises(OSError):  # a timeout (URLError is an OSError)
                _get(urls["sink"] + "/healthz", timeout=STALL_S)
            code, report = _status(settings)
            assert code == 1, report
            assert [p["state"] for p in report["processes"]["sink"]] == ["not_answering"]
            assert any("sink" in p and "ei vastaa" in p for p in report["problems"])
        finally:
            sink_child.process.send_signal(signal.SIGCONT)
        _until(lambda: _get(urls["sink"] + "/healthz")[0] == 200, 2 * STALL_S + 5,
               "the resumed sink's /healthz 200", children)


def test_a_sink_whose_loop_is_stuck_answers_503_and_200_again(
    settings_factory: Callable[..., Settings], operations_env: None
) -> None:
    """The real Sink and its endpoint in this process; the test holds its store write, as a
    stuck disk or a lock would, while the HTTP thread keeps answering."""
    settings = settings_factory()
    assert settings.kafka_bootstrap_servers
    kv_kafka.ensure_topics(settings, settings.kafka_bootstrap_servers)
    wired = sink(settings)
    serve_sink_operations(settings, wired)
    url = read_states(settings.home, "sink")[0]["url"]
    held, entered = threading.Event(), threading.Event()
    write = wired.store.write

    def stuck_write(batch: Any) -> None:
        entered.set()
        held.wait(120)
        write(batch)

    wired.store.write = stuck_write  # type: ignore[method-assign]
    thread = threading.Thread(target=wired.run, daemon=True)
    thread.start()
    try:
        assert _until(lambda: _get(url + "/healthz")[0] == 200, 30, "healthz 200", [])
        # Straight onto a topic the sink reads (no worker runs here; the sink never reads intake).
        producer = kv_kafka.producer(settings, settings.kafka_bootstrap_servers)
        producer.send(settings.topics.sources, value=_feedback(3))
        producer.flush()
        producer.close()
        assert entered.wait(60), "the sink never polled the record"
        started = time.monotonic()
        _, body = _until(lambda: (r := _get(url + "/healthz"))[0] == 503 and r, 3 * STALL_S,
                            "healthz 503 while the loop is stuck", [])
        assert json.loads(body)["status"] == "stalled"
        assert time.monotonic() - started < STALL_S + 2
    finally:
        held.set()
    assert _until(lambda: _get(url + "/healthz")[0] == 200, 30, "healthz 200 again", [])
    assert "kokemusvirta_sink_batches_total 1.0" in _get(url + "/metrics")[1]
    wired.stop()
    thread.join(30)
