"""The timing-sensitive test files: `./run tests` runs them last, alone on the machine.

Phase 1 of `./run tests` runs everything else in two processes (pytest-xdist, `-m "not serial"`);
phase 2 runs these (`-m serial`) in one process. Each file here kills or stops a process or a
broker and checks what the rest did meanwhile, measures throughput or latency, or waits on a
tight deadline: with a second process of tests on the same 2 cores such a test fails for the
load, not for the code (the fault suite's round lost a leadership acknowledgement once in a
two-process run). One list, kept here with the reason for each file, rather than a marker in
each file: tests/conftest.py marks every test of these files `serial` at collection, and
tests/unit/test_serial_files.py checks that every file named still exists.
"""

from __future__ import annotations

from pathlib import PurePosixPath

#: test file (relative to the repository) -> why it runs alone.
SERIAL_FILES: dict[str, str] = {
    "tests/integration/test_chaos.py":
        "the fault suite's round: kill -9 of the broker, worker and sink, then a count to zero",
    "tests/e2e/test_sink_crash.py":
        "a sink killed with SIGKILL mid-batch, restarted, compared with a clean run",
    "tests/integration/test_restart.py":
        "a worker and a sink killed with SIGKILL; prints the time to process again",
    "tests/integration/test_two_workers.py":
        "two workers, one killed: nothing lost, duplicated or judged on a stale state",
    "tests/integration/test_seals.py":
        "a worker killed with SIGKILL mid-stream; checkpoints must cover the store in time",
    "tests/integration/test_sink_poison.py":
        "a broker stopped and started under a running sink; the time to resume is measured",
    "tests/integration/test_intake_retention.py":
        "waits out the broker's retention check within a fixed window",
    "tests/e2e/test_demo.py":
        "the whole demo (worker, sink, managers, dashboards) against its deadlines",
    "tests/integration/test_bench_compare.py":
        "`bench --compare` measures throughput: the figures mean nothing under a second process",
    "tests/integration/test_bench_security.py":
        "`bench --compare-security` measures two brokers' throughput side by side",
}


def is_serial(relative_path: str) -> bool:
    """True for a test file that runs alone (its path relative to the repository)."""
    return PurePosixPath(relative_path).as_posix() in SERIAL_FILES
