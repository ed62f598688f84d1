"""`kokemusvirta status`: the verdict and the one screen, from a report the command gathered
(kokemusvirta/commands/status.py). Pure: a report in, text and an exit status out.

The report is a plain dict (it is also what `--json` prints):
    broker: {reachable, bootstrap, problem}
    processes: {worker: [...], sink: [...]}, each {pid, url, state: ok | stalled |
        not_answering, health: the /healthz body or None}
    lag: {worker: {total, topics: {topic: n}, worst: [[topic, partition, n], ...]}, sink: ...}
        or None when the broker could not be asked
    dead_letters, sink_rejections: {total, by_reason: {reason: n}} or None (no store yet)
    snapshot_age_s, last_commit_at (ISO time) or None
A sink's health body may carry `lake` (sinks/lake.py LakeWriter.figures): shown, and its
`error` is a problem.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

HEALTHY, UNHEALTHY, NOTHING_RUNNING = 0, 1, 2
ROLES = ("worker", "sink")
WORST = 3  # partitions shown per role


def lag_summary(lag: Mapping[tuple[str, int], int]) -> dict[str, Any]:
    topics: dict[str, int] = {}
    for (topic, _), n in lag.items():
        topics[topic] = topics.get(topic, 0) + n
    worst = sorted(((t, p, n) for (t, p), n in lag.items() if n > 0),
                   key=lambda x: (-x[2], x[0], x[1]))[:WORST]
    return {"total": sum(lag.values()), "topics": dict(sorted(topics.items())),
            "worst": [list(w) for w in worst]}


def verdict(report: Mapping[str, Any]) -> tuple[int, list[str]]:
    """0 healthy; 1 something unhealthy (each problem in one line, Finnish first); 2 neither
    the worker nor the sink runs, so there is nothing to judge."""
    processes = report.get("processes", {})
    if not any(processes.get(role) for role in ROLES):
        return NOTHING_RUNNING, ["worker ja sink eivät ole käynnissä (neither the worker nor "
                                 "the sink is running)"]
    problems = []
    if not report.get("broker", {}).get("reachable"):
        problems.append("Kafka-välittäjää ei tavoiteta (the broker cannot be reached)")
    for role in ROLES:
        running = processes.get(role) or []
        if not running:
            problems.append(f"{role} ei ole käynnissä ({role} is not running)")
        for p in running:
            if p["state"] == "stalled":
                age = (p.get("health") or {}).get("loop_age_s")
                problems.append(f"{role} (pid {p['pid']}) on jumissa: silmukka ei ole "
                                f"pyörinyt {_seconds(age)} ({role} stalled: its loop has not "
                                f"turned for {_seconds(age)})")
            elif p["state"] != "ok":
                problems.append(f"{role} (pid {p['pid']}) ei vastaa osoitteessa {p['url']} "
                                f"({role} is not answering)")
            lake = (p.get("health") or {}).get("lake")
            if isinstance(lake, Mapping) and lake.get("error"):
                problems.append(f"historiajärvi ei päivity, varasto toimii (the history lake "
                                f"is not being updated; the store goes on): {lake['error']}")
    return (UNHEALTHY if problems else HEALTHY), problems


_STATE = {"ok": "käynnissä (running)", "stalled": "jumissa (stalled)",
          "not_answering": "ei vastaa (not answering)"}


def render(report: Mapping[str, Any]) -> str:
    code, problems = verdict(report)
    lines = ["Kokemusvirran tila (pipeline status)"]
    broker = report.get("broker", {})
    lines.append(_row("välittäjä (broker)",
                      f"tavoitettavissa (reachable) {broker.get('bootstrap')}"
                      if broker.get("reachable") else
                      f"ei tavoiteta (not reachable): {broker.get('problem') or '-'}"))
    for role in ROLES:
        running = report.get("processes", {}).get(role) or []
        if not running:
            lines.append(_row(role, "ei käynnissä (not running)"))
        for p in running:
            lines.append(_row(role, f"{_STATE.get(p['state'], p['state'])}, pid {p['pid']}, "
                                    f"{p['url']}"))
    lag = report.get("lag")
    if lag is None:
        lines.append(_row("viive (lag)", "ei tiedossa (unknown: the broker was not reached)"))
    else:
        for role in ROLES:
            summary = lag.get(role) or {"total": 0, "topics": {}, "worst": []}
            lines.append(_row(f"viive (lag), {role}", f"{summary['total']} tietuetta (records)"))
            for topic, n in summary["topics"].items():
                if n:
                    lines.append(_row("", f"{topic}: {n}"))
            if summary["worst"]:
                lines.append(_row("", "pahimmat osiot (worst partitions): " + ", ".join(
                    f"{t}[{p}] {n}" for t, p, n in summary["worst"])))
    for key, label in (("dead_letters", "kuolleet kirjeet (dead letters)"),
                       ("sink_rejections", "sinkin hylkäämät (sink rejections)")):
        lines.append(_row(label, _by_reason(report.get(key))))
    for p in report.get("processes", {}).get("sink") or []:
        lake = (p.get("health") or {}).get("lake")
        if isinstance(lake, Mapping):
            lines.append(_row("historiajärvi (history lake)", _lake(lake)))
    age = report.get("snapshot_age_s")
    lines.append(_row("tilannekuvan ikä (snapshot age)",
                      "ei tilannekuvaa (no snapshot)" if age is None else _seconds(age)))
    lines.append(_row("viimeisin kirjaus (last commit)", report.get("last_commit_at") or "-"))
    lines.append("")
    if code == HEALTHY:
        lines.append("tila (status): kunnossa (healthy)")
    elif code == UNHEALTHY:
        lines.append("tila (status): ongelma (unhealthy)")
        lines += [f"  - {p}" for p in problems]
    else:
        lines.append("tila (status): " + problems[0])
    return "\n".join(lines)


def _row(label: str, value: str) -> str:
    return f"  {label:<36} {value}"


def _by_reason(figures: Mapping[str, Any] | None) -> str:
    if figures is None:
        return "ei varastoa (no store yet)"
    reasons = ", ".join(f"{r} {n}" for r, n in sorted(figures["by_reason"].items(),
                                                       key=lambda x: (-x[1], x[0])))
    return f"{figures['total']}" + (f" — {reasons}" if reasons else "")


def _lake(lake: Mapping[str, Any]) -> str:
    age = lake.get("last_sync_age_s")
    text = (f"{lake.get('syncs', 0)} tilannekuvaa (snapshots), {lake.get('rows_synced', 0)} "
            f"riviä (rows), viimeisin (last) " + ("-" if age is None else _seconds(age) +
                                                  " sitten (ago)"))
    if lake.get("behind"):
        text += ", jäljessä (behind)"
    if lake.get("failures"):
        text += f", {lake['failures']} epäonnistunutta (failed)"
    return text


def _seconds(value: Any) -> str:
    return f"{float(value):.1f} s" if isinstance(value, (int, float)) else "?"
