"""The serial tests (tests/serial.py): `./run tests` runs them alone after the parallel phase. A
file renamed or moved would silently fall into the parallel phase, next to a second process of
tests: every file named must exist, and collection must mark its tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests import conftest
from tests.serial import SERIAL_FILES, is_serial

REPO = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("path", sorted(SERIAL_FILES))
def test_every_serial_file_exists_and_says_why(path: str) -> None:
    assert (REPO / path).is_file(), f"{path} is listed in tests/serial.py but does not exist"
    assert SERIAL_FILES[path].strip()


def test_the_fault_suite_crash_tests_and_the_demo_are_serial() -> None:
    for path in ("tests/integration/test_chaos.py", "tests/e2e/test_sink_crash.py",
                 "tests/integration/test_two_workers.py", "tests/e2e/test_demo.py",
                 "tests/integration/test_restart.py"):
        assert is_serial(path)
    assert not is_serial("tests/integration/test_flow.py")
    assert not is_serial("tests/unit/test_layers.py")


class _Item:
    """Enough of a pytest.Item for the collection hook."""

    def __init__(self, nodeid: str) -> None:
        self.nodeid = nodeid
        self.path = REPO / nodeid.split("::", 1)[0]
        self.markers: list[str] = []

    def add_marker(self, name: str) -> None:
        self.markers.append(name)


def test_collection_marks_the_tests_of_a_serial_file_and_no_other() -> None:
    chaos = _Item("tests/integration/test_chaos.py::test_one_round[x::y]")
    flow = _Item("tests/integration/test_flow.py::test_flow")
    tiers = set(conftest._tiers_collected)  # the CI guard's: `pytest tests/unit` has no broker
    try:
        conftest.pytest_collection_modifyitems(None, [chaos, flow])  # type: ignore[arg-type, list-item]
    finally:
        conftest._tiers_collected.clear()
        conftest._tiers_collected.update(tiers)
    assert chaos.markers == ["integration", "serial"]
    assert flow.markers == ["integration"]
