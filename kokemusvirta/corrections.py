"""Staff corrections as data (issue 14): the classifier scored against people's labels, and the
corrections written as a labelled development set. Pure, no I/O; the store is read by
sinks/corrections.py, the commands are kokemusvirta/commands/corrections.py.

Scoring reuses streams/classification/evaluation.py's public `score`, label by label: a
person's themes score the themes, their stance the stance, their severity (a relabelling's, or
a confirmation: critical or the severity down-graded to) the severity, each over the items
where a person gave that label. A label the person left alone is neither right nor wrong.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from schemas.redaction import redact
from sinks.corrections import LabelledItem, Labels
from streams.classification.evaluation import score

Predict = Callable[[LabelledItem], Labels]

# What may never leave in an exported text, besides what redact() replaces: the project's own
# identifiers (an item id, a client's pseudonym), in case a text quotes one.
_IDENTIFIERS = re.compile(r"\b(?:(?:fb|ws|st|ag)-[0-9a-f]{16}|ps-[0-9a-f]{32})\b", re.I)
IDENTIFIER_MARK = "[TUNNISTE]"


def stored(item: LabelledItem) -> Labels:
    """The prediction the classifier made when the item arrived (as the store keeps it)."""
    return item.machine


def _row(item_id: str, labels: Labels) -> dict[str, Any]:
    return {"id": item_id, "themes": list(labels.themes or ()), "stance": labels.stance,
            "severity": labels.severity}


def score_group(items: list[LabelledItem], predict: Predict) -> dict[str, Any]:
    """The classifier's scores against the people's labels of these items."""
    predicted = {i.item_id: predict(i) for i in items}
    out: dict[str, Any] = {"items": len(items)}

    def scored(label: str) -> Any:
        given = [i for i in items if getattr(i.human, label) is not None]
        if not given:
            return None, 0
        # the other labels copied from the prediction: score() compares all three, and only
        # this one is read from its report
        gold = [_row(i.item_id, Labels(**{**vars(predicted[i.item_id]),
                                          label: getattr(i.human, label)})) for i in given]
        return score(gold, [_row(i.item_id, predicted[i.item_id]) for i in given]), len(given)

    report, n = scored("themes")
    out["themes"] = {"rows": n} | ({} if report is None else {
        "macro_f1": round(report.macro_f1, 4),
        "per_theme": report.as_dict()["themes"]})
    report, n = scored("stance")
    out["stance"] = {"rows": n} | ({} if report is None else {
        "accuracy": round(report.stance_accuracy, 4)})
    report, n = scored("severity")
    if report is None:
        out["severity"] = {"rows": 0}
    else:
        d = report.as_dict()
        out["severity"] = {"rows": n, "accuracy": round(report.severity_accuracy, 4),
                           "confusion": d["severity_confusion"],
                           "critical_recall": d["critical_recall"],
                           "critical_missed": d["critical_missed"],
                           "none_predicted_critical": d["none_predicted_critical"]}
    return out


def _by(items: Iterable[LabelledItem], key: Callable[[LabelledItem], str]
        ) -> dict[str, list[LabelledItem]]:
    groups: dict[str, list[LabelledItem]] = {}
    for i in items:
        groups.setdefault(key(i), []).append(i)
    return dict(sorted(groups.items()))


def evaluate(items: list[LabelledItem], predict: Predict = stored,
             version_of: Callable[[LabelledItem], str] | None = None) -> dict[str, Any]:
    """Scores over all the people's labels, per county and per classifier version (the
    stored version, or `version_of` when the texts are classified again)."""
    version = version_of or (lambda i: i.classifier_version)
    return {
        "all": score_group(items, predict),
        "county": {k: score_group(v, predict) for k, v in _by(items, lambda i: i.county).items()},
        "classifier_version": {k: score_group(v, predict)
                               for k, v in _by(items, version).items()},
    }


def format_evaluation(result: Mapping[str, Any]) -> str:
    """The scores as a person reads them at a terminal."""

    def line(name: str, g: Mapping[str, Any]) -> str:
        t, s, v = g["themes"], g["stance"], g["severity"]
        parts = [f"{name:28} {g['items']:5d} items"]
        parts.append(f"themes F1 {t['macro_f1']:.3f} ({t['rows']})" if t["rows"]
                     else "themes -")
        parts.append(f"stance {s['accuracy']:.3f} ({s['rows']})" if s["rows"] else "stance -")
        parts.append(f"severity {v['accuracy']:.3f} ({v['rows']}), critical recall "
                     f"{v['critical_recall']:.3f}" if v["rows"] else "severity -")
        return "  ".join(parts)

    lines = [line("kaikki (all)", result["all"]), "", "per county:"]
    lines += [line(f"  {k}", g) for k, g in result["county"].items()]
    lines += ["", "per classifier version:"]
    lines += [line(f"  {k}", g) for k, g in result["classifier_version"].items()]
    themes = result["all"]["themes"].get("per_theme")
    if themes:
        lines += ["", f"{'theme':14} {'precision':>9} {'recall':>7} {'F1':>6} {'support':>7}"]
        lines += [f"{t:14} {s['precision']:9.3f} {s['recall']:7.3f} {s['f1']:6.3f} "
                  f"{s['support']:7d}" for t, s in themes.items()]
    return "\n".join(lines)


def scrubbed(text: str) -> str:
    """A stored text as it may leave: redacted again (the rule may have grown since intake) and
    without the project's identifiers."""
    return _IDENTIFIERS.sub(IDENTIFIER_MARK, redact(text))


def export_rows(items: list[LabelledItem]) -> list[dict[str, Any]]:
    """The corrections in the development set's format (`id`, `lang`, `source`, `text`,
    `themes`, `stance`, `severity`), with the labels that count. The ids are the rows' own
    (`c0001`, …): an item id never leaves, nor a pseudonym or a contact (never in the text)."""
    rows = []
    for n, item in enumerate(items, start=1):
        labels = item.effective
        rows.append({"id": f"c{n:04d}", "lang": item.language, "source": item.source_family,
                     "text": scrubbed(item.text), "themes": list(labels.themes or ()),
                     "stance": labels.stance, "severity": labels.severity})
    return rows
