"""`kokemusvirta status`: the verdict and the screen from a gathered report
(kokemusvirta/operations/status_view.py)."""

from __future__ import annotations

from typing import Any

from kokemusvirta.operations.status_view import (
    HEALTHY,
    NOTHING_RUNNING,
    UNHEALTHY,
    lag_summary,
    render,
    verdict,
)


def _report(**changes: Any) -> dict[str, Any]:
    report: dict[str, Any] = {
        "broker": {"reachable": True, "bootstrap": "127.0.0.1:9092", "problem": None},
        "processes": {
            "worker": [{"pid": 10, "url": "http://127.0.0.1:9465", "state": "ok",
                        "health": {"status": "ok"}}],
            "sink": [{"pid": 11, "url": "http://127.0.0.1:9466", "state": "ok",
                      "health": {"status": "ok"}}],
        },
        "lag": {"worker": lag_summary({("kv.intake", 0): 0, ("kv.intake", 1): 2}),
                "sink": lag_summary({("kv.lifecycle", 0): 5, ("kv.intake", 0): 0})},
        "dead_letters": {"total": 3, "by_reason": {"schema_violation": 2, "empty_record": 1}},
        "sink_rejections": {"total": 0, "by_reason": {}},
        "snapshot_age_s": 1.5, "last_commit_at": "2026-12-05T06:00:00+00:00",
    }
    report.update(changes)
    return report


def test_everything_running_is_healthy_and_the_screen_says_what_it_saw() -> None:
    assert verdict(_report()) == (HEALTHY, [])
    screen = render(_report())
    assert "tila (status): kunnossa (healthy)" in screen
    assert "kv.intake[1] 2" in screen and "kv.lifecycle[0] 5" in screen
    assert "3 — schema_violation 2, empty_record 1" in screen
    assert "1.5 s" in screen


def test_a_stalled_sink_or_a_lost_broker_is_unhealthy_each_in_one_line() -> None:
    report = _report()
    report["processes"]["sink"][0].update(state="stalled", health={"loop_age_s": 42.0})
    report["broker"] = {"reachable": False, "bootstrap": "x:1", "problem": "NoBrokersAvailable"}
    code, problems = verdict(report)
    assert code == UNHEALTHY and len(problems) == 2
    assert any("jumissa" in p and "42.0 s" in p for p in problems)
    assert "ongelma (unhealthy)" in render(report)


def test_a_missing_or_silent_process_is_unhealthy() -> None:
    report = _report()
    report["processes"]["worker"] = []
    report["processes"]["sink"][0]["state"] = "not_answering"
    code, problems = verdict(report)
    assert code == UNHEALTHY
    assert any("worker ei ole käynnissä" in p for p in problems)
    assert any("sink (pid 11) ei vastaa" in p for p in problems)


def test_nothing_running_is_exit_2() -> None:
    report = _report(processes={"worker": [], "sink": []}, lag=None, dead_letters=None)
    assert verdict(report)[0] == NOTHING_RUNNING
    assert "ei tiedossa" in render(report)


def test_the_worst_partitions_come_first() -> None:
    summary = lag_summary({("a", 0): 1, ("a", 1): 7, ("b", 0): 3, ("b", 1): 0, ("c", 0): 2})
    assert summary["total"] == 13 and summary["topics"] == {"a": 8, "b": 3, "c": 2}
    assert summary["worst"] == [["a", 1, 7], ["b", 0, 3], ["c", 0, 2]]


def test_the_sinks_history_lake_is_shown_and_a_failing_lake_is_a_problem() -> None:
    report = _report()
    report["processes"]["sink"][0]["health"] = {"status": "ok", "lake": {
        "syncs": 4, "rows_synced": 120, "failures": 0, "last_sync_age_s": 3.2,
        "behind": False, "error": None}}
    assert verdict(report) == (HEALTHY, [])
    screen = render(report)
    assert "historiajärvi (history lake)" in screen and "4 tilannekuvaa" in screen
    assert "120 riviä" in screen and "3.2 s sitten" in screen
    report["processes"]["sink"][0]["health"]["lake"].update(
        failures=2, behind=True, error="IOException: disk full")
    code, problems = verdict(report)
    assert code == UNHEALTHY and len(problems) == 1
    assert "historiajärvi ei päivity" in problems[0] and "disk full" in problems[0]
    assert "jäljessä (behind), 2 epäonnistunutta" in render(report)
