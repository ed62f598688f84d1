"""The figures of `kokemusvirta bench --compare-security` (kokemusvirta/bench/comparison.py)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from kokemusvirta.bench.comparison import BASELINE, SECURED, Comparison, Measured, order
from kokemusvirta.settings import PROJECT_ROOT, Settings

LOAD = (1.0, 2.0, 3.0)
#: A call passing security=False (the keyword after another argument), not a mention of it.
MAKES_A_BASELINE = re.compile(r",\s*security\s*=\s*False\s*[,)]")


def run(side: str, throughput: float, p50: float = 100, p99: float = 200) -> Measured:
    return Measured(side, throughput, p50, p99, LOAD, (1.5, 2.0, 3.0))


def test_the_runs_alternate_secured_first_so_load_changes_hit_both() -> None:
    assert order(1) == [SECURED, BASELINE]
    assert order(3) == [SECURED, BASELINE] * 3
    with pytest.raises(ValueError):
        order(0)


def test_the_ratio_is_of_the_medians_so_one_disturbed_run_does_not_decide() -> None:
    c = Comparison((run(SECURED, 900), run(BASELINE, 1000), run(SECURED, 100),
                    run(BASELINE, 1000), run(SECURED, 950), run(BASELINE, 5000)))
    assert c.median(SECURED) == 900 and c.median(BASELINE) == 1000
    assert c.ratio == pytest.approx(0.9)
    assert c.within_budget  # exactly 10 % is within


def test_more_than_ten_percent_is_over_the_budget() -> None:
    c = Comparison((run(SECURED, 899), run(BASELINE, 1000)))
    assert not c.within_budget
    assert "OVER the 10% budget" in c.report()
    assert "within the 10% budget" in Comparison((run(SECURED, 1100),
                                                  run(BASELINE, 1000))).report()


def test_the_report_shows_each_run_both_medians_the_ratio_and_the_load() -> None:
    c = Comparison((run(SECURED, 1234, 56, 78), run(BASELINE, 1300, 50, 70)))
    text = c.report()
    lines = text.splitlines()
    assert lines[0].startswith("run 1  secured (SASL/SCRAM-SHA-512 + ACLs)")
    assert lines[1].startswith("run 2  baseline (no authentication, for comparison only)")
    assert "load 1.00 2.00 3.00 -> 1.50 2.00 3.00" in lines[0]
    throughput = next(line for line in lines if line.strip().startswith("throughput"))
    assert re.search(r"1234\s+1300\s+events/s", throughput)
    assert re.search(r"latency p50\s+56\s+50", text) and re.search(r"latency p99\s+78\s+70", text)
    assert "secured / baseline throughput: 0.95 (-5.1 % with security" in text


def test_a_comparison_without_a_baseline_run_says_so() -> None:
    with pytest.raises(ValueError, match="no baseline run"):
        _ = Comparison((run(SECURED, 1),)).ratio


def test_no_setting_can_make_the_local_broker_insecure() -> None:
    """The baseline broker (LocalBroker security=False) is made by the bench's comparison only:
    no setting names it, and no other module passes security=False."""
    assert not [name for name in Settings.model_fields
                if re.search(r"insecure|plain|security(?!_protocol)|no_auth", name)]
    makers = [path.relative_to(PROJECT_ROOT).as_posix()
              for folder in ("kokemusvirta", "streams", "sinks", "dashboards", "managers",
                             "scenario", "schemas", "tests")
              for path in (PROJECT_ROOT / folder).rglob("*.py")
              if MAKES_A_BASELINE.search(path.read_text(encoding="utf-8"))
              and path.resolve() != Path(__file__).resolve()]
    assert sorted(makers) == ["kokemusvirta/bench/security.py",
                              "tests/integration/test_bench_security.py"]
