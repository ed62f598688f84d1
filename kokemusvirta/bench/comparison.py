"""The figures of `kokemusvirta bench --compare-security`: each run, the medians side by side, the
ratio and whether it keeps the budget (issue 12: security may cost at most 10 % of throughput).

Pure: the runs themselves are made in kokemusvirta/bench/security.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from statistics import median

SECURED = "secured"
BASELINE = "baseline"
#: What each side is, in every line that names it: the baseline is never mistaken for a setting.
LABELS = {
    SECURED: "secured (SASL/SCRAM-SHA-512 + ACLs)",
    BASELINE: "baseline (no authentication, for comparison only)",
}
#: The most throughput security may cost, as a share of the baseline's.
BUDGET = 0.10

Load = tuple[float, float, float]


def order(repeat: int) -> list[str]:
    """Alternating, secured first, so a change in the machine's load hits both sides."""
    if repeat < 1:
        raise ValueError("--repeat must be at least 1")
    return [SECURED, BASELINE] * repeat


@dataclass(frozen=True)
class Measured:
    """One run's figures and the load average (1, 5, 15 min) just before and after it."""

    side: str
    throughput: float
    latency_p50_ms: float
    latency_p99_ms: float
    load_before: Load
    load_after: Load

    def line(self, number: int) -> str:
        return (f"run {number}  {LABELS[self.side]:<50} {self.throughput:7.0f} events/s  "
                f"p50 {self.latency_p50_ms:6.0f} ms  p99 {self.latency_p99_ms:6.0f} ms  "
                f"load {_load(self.load_before)} -> {_load(self.load_after)}")


def _load(load: Load) -> str:
    return " ".join(f"{v:.2f}" for v in load)


@dataclass(frozen=True)
class Comparison:
    runs: tuple[Measured, ...]

    def median(self, side: str, figure: str = "throughput") -> float:
        values = [float(getattr(r, figure)) for r in self.runs if r.side == side]
        if not values:
            raise ValueError(f"no {side} run")
        return median(values)

    @property
    def ratio(self) -> float:
        """Secured throughput over the baseline's (medians): 1.0 means security costs nothing."""
        return self.median(SECURED) / self.median(BASELINE)

    @property
    def within_budget(self) -> bool:
        return self.ratio >= 1 - BUDGET

    def report(self) -> str:
        per_side = sum(r.side == SECURED for r in self.runs)
        lines = [r.line(i) for i, r in enumerate(self.runs, 1)]
        lines += ["", f"medians over {per_side} run(s) each:  {'secured':>10} {'baseline':>10}"]
        for figure, name, unit in (("throughput", "throughput", "events/s"),
                                   ("latency_p50_ms", "latency p50", "ms"),
                                   ("latency_p99_ms", "latency p99", "ms")):
            lines.append(f"  {name:<31} {self.median(SECURED, figure):10.0f} "
                         f"{self.median(BASELINE, figure):10.0f}  {unit}")
        verdict = ("within" if self.within_budget else "OVER") + f" the {BUDGET:.0%} budget"
        lines.append(f"secured / baseline throughput: {self.ratio:.2f} "
                     f"({(self.ratio - 1) * 100:+.1f} % with security: {verdict})")
        return "\n".join(lines)
