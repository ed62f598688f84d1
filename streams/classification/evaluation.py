"""Scores of a classifier against a labelled file (the shared sample's format); pure, no I/O.

One gold row: ``{"id", "text", "lang", "themes": [codes], "stance", "severity"}``; one prediction:
``{"themes": [codes], "stance", "severity"}``. Themes are scored per code (precision, recall, F1
over the rows) and macro-averaged over the taxonomy's ten themes; a theme that is neither in the
gold labels nor predicted counts F1 = 1 (nothing to find, nothing wrongly found). Critical recall is
the share of gold-critical rows predicted critical (1.0 when there are none).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from schemas.taxonomy import Severity, Theme

SEVERITIES = tuple(s.value for s in Severity)
THEMES = tuple(t.value for t in Theme)


@dataclass(frozen=True)
class ThemeScore:
    theme: str
    tp: int
    fp: int
    fn: int

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else float(not self.fn)

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else float(not self.fp)

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def support(self) -> int:
        return self.tp + self.fn


@dataclass(frozen=True)
class Report:
    rows: int
    themes: tuple[ThemeScore, ...]
    stance_correct: int
    severity_correct: int
    confusion: dict[tuple[str, str], int]  # (gold, predicted) -> rows
    critical_missed: tuple[str, ...]  # ids of gold-critical rows not predicted critical
    none_as_critical: tuple[str, ...]  # ids of gold-none rows predicted critical
    mistakes: tuple[tuple[str, str], ...]  # (id, what differs) for reading
    false_alarms: tuple[str, ...] = ()  # ids of gold non-critical rows predicted critical
    suspected: tuple[str, ...] = ()  # ids of rows predicted critical_suspected

    @property
    def macro_f1(self) -> float:
        return sum(s.f1 for s in self.themes) / len(self.themes) if self.themes else 0.0

    @property
    def stance_accuracy(self) -> float:
        return self.stance_correct / self.rows if self.rows else 0.0

    @property
    def severity_accuracy(self) -> float:
        return self.severity_correct / self.rows if self.rows else 0.0

    @property
    def critical_support(self) -> int:
        return sum(n for (gold, _p), n in self.confusion.items() if gold == "critical")

    @property
    def critical_recall(self) -> float:
        support = self.critical_support
        return (support - len(self.critical_missed)) / support if support else 1.0

    def as_dict(self) -> dict[str, Any]:
        return {
            "rows": self.rows,
            "themes": {s.theme: {"precision": round(s.precision, 4), "recall": round(s.recall, 4),
                                 "f1": round(s.f1, 4), "support": s.support}
                       for s in self.themes},
            "macro_f1": round(self.macro_f1, 4),
            "stance_accuracy": round(self.stance_accuracy, 4),
            "severity_accuracy": round(self.severity_accuracy, 4),
            "severity_confusion": {g: {p: self.confusion.get((g, p), 0) for p in SEVERITIES}
                                   for g in SEVERITIES},
            "critical_recall": round(self.critical_recall, 4),
            "critical_missed": list(self.critical_missed),
            "none_predicted_critical": list(self.none_as_critical),
            "non_critical_predicted_critical": list(self.false_alarms),
            "false_alarm_rate": round(self.false_alarm_rate, 4),
            "critical_suspected": list(self.suspected),
        }

    @property
    def false_alarm_rate(self) -> float:
        """Share of gold non-critical rows predicted critical (suspected ones included)."""
        others = self.rows - self.critical_support
        return len(self.false_alarms) / others if others else 0.0


def score(gold: Sequence[Mapping[str, Any]], predicted: Sequence[Mapping[str, Any]]) -> Report:
    if len(gold) != len(predicted):
        raise ValueError(f"{len(gold)} gold rows but {len(predicted)} predictions")
    counts = {t: [0, 0, 0] for t in THEMES}
    confusion: dict[tuple[str, str], int] = {}
    stance_ok = severity_ok = 0
    missed, none_crit, mistakes, alarms, suspected = [], [], [], [], []
    for i, (g, p) in enumerate(zip(gold, predicted, strict=True)):
        row_id = str(g.get("id", i + 1))
        gold_themes, got_themes = set(g["themes"]), set(p["themes"])
        for t in THEMES:
            gold_has, got = t in gold_themes, t in got_themes
            counts[t][0] += gold_has and got
            counts[t][1] += got and not gold_has
            counts[t][2] += gold_has and not got
        stance_ok += g["stance"] == p["stance"]
        severity_ok += g["severity"] == p["severity"]
        key = (str(g["severity"]), str(p["severity"]))
        confusion[key] = confusion.get(key, 0) + 1
        if g["severity"] == "critical" and p["severity"] != "critical":
            missed.append(row_id)
        if g["severity"] == "none" and p["severity"] == "critical":
            none_crit.append(row_id)
        if g["severity"] != "critical" and p["severity"] == "critical":
            alarms.append(row_id)
        if p.get("critical_suspected"):
            suspected.append(row_id)
        diff = [f"themes {sorted(gold_themes)} got {sorted(got_themes)}"] * (
            gold_themes != got_themes)
        diff += [f"{k} {g[k]} got {p[k]}" for k in ("stance", "severity") if g[k] != p[k]]
        if diff:
            mistakes.append((row_id, "; ".join(diff)))
    return Report(rows=len(gold),
                  themes=tuple(ThemeScore(t, *counts[t]) for t in THEMES),
                  stance_correct=stance_ok, severity_correct=severity_ok, confusion=confusion,
                  critical_missed=tuple(missed), none_as_critical=tuple(none_crit),
                  false_alarms=tuple(alarms), suspected=tuple(suspected),
                  mistakes=tuple(mistakes))


def format_report(report: Report, *, mistakes: bool = False) -> str:
    """The report as a person reads it at a terminal."""
    lines = [f"{report.rows} labelled texts", "",
             f"{'theme':14} {'precision':>9} {'recall':>7} {'F1':>6} {'support':>7}"]
    lines += [f"{s.theme:14} {s.precision:9.3f} {s.recall:7.3f} {s.f1:6.3f} {s.support:7d}"
              for s in report.themes]
    lines += ["", f"theme macro-F1      {report.macro_f1:.3f}",
              f"stance accuracy     {report.stance_accuracy:.3f}",
              f"severity accuracy   {report.severity_accuracy:.3f}", "",
              "severity confusion (rows: gold, columns: predicted)",
              " " * 10 + "".join(f"{p:>9}" for p in SEVERITIES)]
    lines += [f"{g:10}" + "".join(f"{report.confusion.get((g, p), 0):9d}" for p in SEVERITIES)
              for g in SEVERITIES]
    lines += ["", f"critical recall     {report.critical_recall:.3f} "
                  f"({report.critical_support - len(report.critical_missed)}"
                  f"/{report.critical_support})"
                  + (f", missed: {', '.join(report.critical_missed)}"
                     if report.critical_missed else ""),
              f"none -> critical    {len(report.none_as_critical)}"
              + (f" ({', '.join(report.none_as_critical)})" if report.none_as_critical else ""),
              f"false alarms        {len(report.false_alarms)}/"
              f"{report.rows - report.critical_support} non-critical texts critical or suspected "
              f"({report.false_alarm_rate:.1%})"
              + (f": {', '.join(report.false_alarms)}" if report.false_alarms else ""),
              f"critical suspected  {len(report.suspected)}"
              + (f" ({', '.join(report.suspected)})" if report.suspected else "")]
    if mistakes and report.mistakes:
        lines += ["", "differences:"] + [f"  {i}: {what}" for i, what in report.mistakes]
    return "\n".join(lines)
