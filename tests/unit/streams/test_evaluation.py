"""Scoring a classifier against labelled rows (streams/classification/evaluation.py)."""

from __future__ import annotations

import pytest

from streams.classification.evaluation import THEMES, format_report, score


def row(themes: list[str], stance: str = "complaint", severity: str = "low",
        row_id: str = "x") -> dict:
    return {"id": row_id, "themes": themes, "stance": stance, "severity": severity}


def test_precision_recall_and_f1_per_theme() -> None:
    gold = [row(["access"], row_id="a"), row(["access", "fees"], row_id="b"), row([], row_id="c")]
    got = [row(["access"]), row(["fees"]), row(["access"])]
    report = score(gold, got)
    access = next(s for s in report.themes if s.theme == "access")
    assert (access.tp, access.fp, access.fn) == (1, 1, 1)
    assert access.precision == access.recall == access.f1 == 0.5
    assert access.support == 2
    fees = next(s for s in report.themes if s.theme == "fees")
    assert fees.f1 == 1.0
    # a theme absent from gold and predictions: nothing to find, nothing wrongly found
    quality = next(s for s in report.themes if s.theme == "quality")
    assert quality.f1 == 1.0 and quality.support == 0
    assert report.macro_f1 == pytest.approx((0.5 + 1.0 * (len(THEMES) - 1)) / len(THEMES))


def test_a_theme_only_predicted_or_only_missed_scores_zero() -> None:
    report = score([row(["safety"]), row([])], [row([]), row(["digital"])])
    by = {s.theme: s for s in report.themes}
    assert by["safety"].f1 == 0.0 and by["safety"].recall == 0.0
    assert by["digital"].f1 == 0.0 and by["digital"].precision == 0.0


def test_stance_severity_confusion_and_critical() -> None:
    gold = [row([], "praise", "none", "n1"), row([], "complaint", "critical", "c1"),
            row([], "complaint", "critical", "c2"), row([], "mixed", "low", "l1")]
    got = [row([], "praise", "critical"), row([], "complaint", "critical"),
           row([], "complaint", "high"), row([], "complaint", "low")]
    report = score(gold, got)
    assert report.stance_accuracy == 0.75
    assert report.severity_accuracy == 0.5
    assert report.confusion == {("none", "critical"): 1, ("critical", "critical"): 1,
                                ("critical", "high"): 1, ("low", "low"): 1}
    assert report.critical_support == 2 and report.critical_recall == 0.5
    assert report.critical_missed == ("c2",)
    assert report.none_as_critical == ("n1",)
    d = report.as_dict()
    assert d["severity_confusion"]["critical"]["high"] == 1
    assert d["none_predicted_critical"] == ["n1"]
    text = format_report(report, mistakes=True)
    assert "critical recall     0.500 (1/2), missed: c2" in text
    assert "none -> critical    1 (n1)" in text
    assert "c2: severity critical got high" in text


def test_no_critical_rows_means_full_recall_and_lengths_must_match() -> None:
    assert score([row([])], [row([])]).critical_recall == 1.0
    assert score([], []).macro_f1 == 1.0
    with pytest.raises(ValueError, match="2 gold rows but 1"):
        score([row([]), row([])], [row([])])


def test_false_alarms_and_suspected_items_are_counted() -> None:
    gold = [row([], "complaint", "high", "h1"), row([], "complaint", "critical", "c1"),
            row([], "praise", "none", "n1"), row([], "complaint", "low", "l1")]
    got = [dict(row([], "complaint", "critical"), critical_suspected=True),
           dict(row([], "complaint", "critical"), critical_suspected=True),
           row([], "praise", "none"), row([], "complaint", "low")]
    report = score(gold, got)
    assert report.critical_recall == 1.0  # a suspected item counts as found
    assert report.false_alarms == ("h1",) and report.suspected == ("h1", "c1")
    assert report.false_alarm_rate == pytest.approx(1 / 3)
    d = report.as_dict()
    assert d["non_critical_predicted_critical"] == ["h1"]
    assert d["critical_suspected"] == ["h1", "c1"]
    text = format_report(report)
    assert "false alarms        1/3 non-critical texts critical or suspected (33.3%): h1" in text
    assert "critical suspected  2 (h1, c1)" in text
