"""The CI guard ("no broker test skipped, at least one ran", tests/conftest.py) under pytest-xdist.

`./run tests` runs two processes: each worker sees only its own files (one may run no broker test
at all) and the controller collects nothing. So only the controller judges, and it learns each
test's tier from the reports' node ids.
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from tests import conftest


def test_an_xdist_worker_leaves_the_judgement_to_its_controller() -> None:
    worker: Any = SimpleNamespace(workerinput={"workerid": "gw0"})
    controller_or_alone: Any = SimpleNamespace()
    assert not conftest.judges_the_run(worker)
    assert conftest.judges_the_run(controller_or_alone)


def test_the_tier_comes_from_the_node_id() -> None:
    assert conftest.tier_of_nodeid("tests/integration/test_flow.py::test_x[a::b]") == "integration"
    assert conftest.tier_of_nodeid("tests/unit/sinks/test_store.py::test_y") == "unit"
    assert conftest.tier_of_nodeid("tests/browser/test_site_in_chromium.py::t") == "browser"
    assert conftest.tier_of_nodeid("elsewhere/test_z.py::t") is None


def test_the_controller_learns_the_tiers_and_broker_outcomes_from_reports() -> None:
    tiers = set(conftest._tiers_collected)
    outcomes = {k: list(v) for k, v in conftest._broker_outcomes.items()}
    try:
        conftest._tiers_collected.clear()
        node = "tests/integration/test_flow.py::test_flow"
        for when in ("setup", "call"):
            report: Any = SimpleNamespace(when=when, nodeid=node, outcome="passed",
                                          keywords={"broker": 1, "integration": 1})
            conftest.pytest_runtest_logreport(report)
        assert conftest._tiers_collected == {"integration"}
        assert conftest._broker_outcomes["passed"][-1] == node
    finally:
        conftest._tiers_collected.clear()
        conftest._tiers_collected.update(tiers)
        conftest._broker_outcomes.clear()
        conftest._broker_outcomes.update(outcomes)
