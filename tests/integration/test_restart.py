"""Fast restart (issue 11, R1): a worker or sink killed with SIGKILL and started again processes
a newly published record within seconds. Before static group membership the worker waited
45-60 s for its dead self's session to expire before it got its partitions back.

The limit here is 20 s, generous for a noisy 2-core CI runner; the measured figures are printed
(`pytest -s`), and `python -m kokemusvirta.bench.restart` measures them under a steady stream.
"""

from __future__ import annotations

import signal
import time
from collections.abc import Callable

from kokemusvirta import kafka as kv_kafka
from kokemusvirta.bench.restart import Watcher
from kokemusvirta.processes import Child, start_child
from kokemusvirta.settings import Settings
from scenario import generate
from tests.integration.helpers import publish, running

RESUME_LIMIT_S = 20.0


def _feedback(seed: int) -> bytes:
    record = next(generate(seed, events=1))
    assert record.expected_rejection is None
    return record.value


def _wait(condition: Callable[[], bool], timeout: float, child: Child) -> float | None:
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        assert child.alive(), f"the {child.name} exited; its log ends:\n{child.log_tail()}"
        if condition():
            return time.monotonic() - started
        time.sleep(0.1)
    return None


def _kill_and_restart(settings: Settings, child: Child) -> Child:
    child.process.send_signal(signal.SIGKILL)
    child.process.wait(10)
    assert settings.kafka_bootstrap_servers
    return start_child(child.name, settings, settings.kafka_bootstrap_servers,
                       settings.home / "logs")


def test_a_killed_worker_resumes_within_seconds(settings_factory: Callable[..., Settings]) -> None:
    settings = settings_factory()
    assert settings.kafka_bootstrap_servers
    watcher = Watcher(settings, settings.kafka_bootstrap_servers)
    group = kv_kafka.admin(settings, settings.kafka_bootstrap_servers)
    intake = f"^{settings.topics.intake.replace('.', '[.]')}$"

    def committed_all() -> bool:
        ends = kv_kafka.end_offsets(watcher.reader, intake)
        done = kv_kafka.group_offsets(group, settings.worker_group)
        return all(done.get(tp, 0) >= end for tp, end in ends.items())

    try:
        with running(settings, "worker") as children:
            publish(settings, [_feedback(1)])
            assert _wait(lambda: watcher.worker_done() > 0, 120, children[0]) is not None
            # Committed, so the restarted worker has nothing to redo: new output is new work.
            assert _wait(committed_all, 30, children[0]) is not None
            before = watcher.worker_done()
            children[0] = _kill_and_restart(settings, children[0])
            publish(settings, [_feedback(2)])
            took = _wait(lambda: watcher.worker_done() > before, RESUME_LIMIT_S, children[0])
            print(f"\nworker: restart after SIGKILL -> new record processed in "
                  f"{'over ' + str(RESUME_LIMIT_S) if took is None else f'{took:.1f}'} s")
            assert took is not None, (
                f"the restarted worker did not process a new record within {RESUME_LIMIT_S} s; "
                f"its log ends:\n{children[0].log_tail()}")
    finally:
        watcher.close()
        group.close()


def test_a_killed_sink_resumes_within_seconds(settings_factory: Callable[..., Settings]) -> None:
    settings = settings_factory()
    assert settings.kafka_bootstrap_servers
    watcher = Watcher(settings, settings.kafka_bootstrap_servers)
    try:
        with running(settings, "worker", "sink") as children:
            publish(settings, [_feedback(3)])
            assert _wait(lambda: watcher.sink_done() > 0, 120, children[1]) is not None
            time.sleep(1.0)  # the worker's outputs of that record reach the sink too
            before = watcher.sink_done()
            children[1] = _kill_and_restart(settings, children[1])
            publish(settings, [_feedback(4)])
            took = _wait(lambda: watcher.sink_done() > before, RESUME_LIMIT_S, children[1])
            print(f"\nsink: restart after SIGKILL -> new record stored in "
                  f"{'over ' + str(RESUME_LIMIT_S) if took is None else f'{took:.1f}'} s")
            assert took is not None, (
                f"the restarted sink did not store a new record within {RESUME_LIMIT_S} s; "
                f"its log ends:\n{children[1].log_tail()}")
    finally:
        watcher.close()
