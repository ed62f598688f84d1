"""The quality summary (pure): one screen, failures named by table and column, GX errors shown."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from sinks.quality.checkpoint import CheckResult, _error
from sinks.quality.runner import Report
from sinks.quality.suites import SUITES, identifiers
from sinks.quality.summary import MAX_FAILURES_SHOWN, failure_names, render


def report(results: list[CheckResult]) -> Report:
    return Report(Path("/s/kokemusvirta.snapshot.duckdb"), 3094, 21487, tuple(results),
                  Path("/s/kokemusvirta.laatu/index.html"), 4.2, 1.0, "1.24.1")


def every_check(failed: int = 0) -> list[CheckResult]:
    results = [CheckResult(s.name, c, True, 0, ()) for s in SUITES for c in s.checks]
    for i in range(failed):
        r = results[i]
        results[i] = CheckResult(r.suite, r.check, False, 3, ("key-1: x", "key-2: y"))
    return results


def test_all_pass() -> None:
    text = render(report(every_check()))
    assert "Ohitettu" not in text
    assert f"Kaikki {len(every_check())} odotusta täyttyvät." in text
    assert "3 094 asiaa, 21 487 tapahtumaa" in text
    assert "/s/kokemusvirta.laatu/index.html" in text


def test_checks_an_older_store_cannot_have_are_said_to_be_skipped() -> None:
    text = render(replace(report(every_check()), skipped=("knowledge_items.author_role",)))
    assert "Ohitettu, sarake puuttuu tästä varastosta: knowledge_items.author_role" in text


def test_many_failures_still_fit_on_one_screen() -> None:
    results = every_check(failed=40)
    text = render(report(results))
    assert len(text.splitlines()) <= 50
    assert f"… ja {40 - MAX_FAILURES_SHOWN} muuta (Data Docs)" in text
    assert "  ✗ events.event_id: yksilöllinen — 3 riviä" in text
    assert "      esim. key-1: x · key-2: y" in text


def test_identifier_failures_name_the_table_not_a_column_list() -> None:
    check = identifiers("text, details, payload")
    r = CheckResult("knowledge_items", check, False, 1, ("fb-1: text: henkilötunnus",))
    text = render(report([r]))
    assert "✗ knowledge_items (tekstisarakkeet):" in text
    assert "1 rivi\n" in text and "fb-1: text: henkilötunnus" in text
    assert failure_names(report([r])) == "knowledge_items (tekstisarakkeet) (identifiers_found)"


def test_an_expectation_gx_could_not_evaluate_is_a_failure_with_the_reason() -> None:
    flat = {"raised_exception": True, "exception_message": "boom"}
    by_metric = {"MetricConfigurationID(table.row_count)": flat}
    assert _error(flat) == "boom" and _error(by_metric) == "boom"
    assert _error({"raised_exception": False}) is None
    check = SUITES[0].checks[0]
    text = render(report([CheckResult("events", check, False, 0, (), "boom")]))
    assert "ei voitu tarkistaa: boom" in text
