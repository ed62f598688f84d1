"""The one-screen summary of a quality run, in Finnish. Pure: a report in, text out.

Never personal data: the examples are row keys with what is wrong (an unknown code, the pair of
milestones out of order, the kind of identifier and its column), which the frames already
reduced to that (suites.py).
"""

from __future__ import annotations

from sinks.quality.checkpoint import CheckResult
from sinks.quality.runner import Report
from sinks.quality.suites import IDENTIFIERS, Kind

MAX_FAILURES_SHOWN = 10
EXAMPLES_WIDTH = 94  # one line of examples under each failure


def _n(value: int) -> str:
    return f"{value:,}".replace(",", " ")  # Finnish thousands separator


def where(result: CheckResult) -> str:
    """table.column as a person looks for it."""
    check = result.check
    if check.column == IDENTIFIERS:
        return f"{result.suite} (tekstisarakkeet)"
    about = check.about or check.column
    return f"{result.suite}.{about}"


def _failure(result: CheckResult) -> list[str]:
    check = result.check
    if result.error:
        return [f"  ✗ {where(result)}: {check.title}",
                f"      ei voitu tarkistaa: {result.error}"]
    if check.kind is Kind.SUM_IS:
        count = ""
    else:
        rows = "rivi" if result.unexpected_count == 1 else "riviä"
        count = f" — {_n(result.unexpected_count)} {rows}"
    lines = [f"  ✗ {where(result)}: {check.title}{count}"]
    if result.examples:
        examples = "esim. " + " · ".join(result.examples)
        lines.append("      " + (examples if len(examples) <= EXAMPLES_WIDTH
                                 else examples[:EXAMPLES_WIDTH - 1] + "…"))
    return lines


def render(report: Report) -> str:
    by_suite: dict[str, list[CheckResult]] = {}
    for r in report.results:
        by_suite.setdefault(r.suite, []).append(r)
    width = max([len(s) for s in by_suite] + [12])
    lines = [
        f"Laatutarkistus (great-expectations {report.gx_version}): {report.source}",
        f"{_n(report.items)} asiaa, {_n(report.events)} tapahtumaa"
        + ("" if report.rejections is None
           else f", {_n(report.rejections)} hylättyä tietuetta (sink_rejections)"),
        "",
        f"  {'taulu / näkymä'.ljust(width)}  läpi  ei täyty",
    ]
    for suite, results in by_suite.items():
        not_met = sum(1 for r in results if not r.success)
        mark = "✗" if not_met else " "
        lines.append(f"{mark} {suite.ljust(width)}  {len(results) - not_met:4}  {not_met:8}")
    failed = report.failed
    lines.append("")
    if failed:
        lines.append(f"Odotukset, jotka eivät täyty ({len(failed)}/{len(report.results)}):")
        for result in failed[:MAX_FAILURES_SHOWN]:
            lines += _failure(result)
        if len(failed) > MAX_FAILURES_SHOWN:
            lines.append(f"  … ja {len(failed) - MAX_FAILURES_SHOWN} muuta (Data Docs)")
    else:
        lines.append(f"Kaikki {len(report.results)} odotusta täyttyvät.")
    if report.skipped:
        skipped = "Ohitettu, sarake puuttuu tästä varastosta: " + ", ".join(report.skipped)
        lines.append(skipped if len(skipped) <= 100 else skipped[:99] + "…")
    lines.append(f"Data Docs: {report.docs_index}")
    lines.append(f"({report.seconds:.1f} s)")
    return "\n".join(lines)


_RULES = {Kind.UNIQUE: "yksilöllinen", Kind.NOT_NULL: "pakollinen", Kind.IN_SET: "koodi",
          Kind.MATCHES: "muoto", Kind.AT_LEAST: "vähimmäisarvo", Kind.SUM_IS: "summa",
          Kind.ROWS_ARE: "rivimäärä"}


def failure_names(report: Report) -> str:
    """One line naming every failed expectation, for the exit message: where, and the rule
    (a derived check by its column's name, e.g. unknown_item_id)."""
    return ", ".join(f"{where(r)} ({_RULES.get(r.check.kind, r.check.column)})"
                     for r in report.failed)
