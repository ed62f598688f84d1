"""Staff corrections as data (kokemusvirta/corrections.py): the classifier scored label by label
against people's labels, and the export in the development set's format without identifiers."""

from __future__ import annotations

import json

from kokemusvirta.corrections import IDENTIFIER_MARK, evaluate, export_rows, format_evaluation
from sinks.corrections import LabelledItem, Labels

NONE = Labels(None, None, None)


def item(n: int, county: str, machine: Labels, human: Labels, version: str = "rules-1",
         text: str = "Hoitaja ei vastannut hälytykseen yöllä.") -> LabelledItem:
    return LabelledItem(item_id=f"fb-{n:016x}", county=county, source_family="feedback",
                        language="fi", text=text, classifier_version=version,
                        machine=machine, human=human)


ITEMS = [
    # confirmed critical: severity right
    item(1, "lappi", Labels(("safety",), "complaint", "critical"),
         Labels(None, None, "critical")),
    # down-graded: severity wrong; themes and stance untouched, so not scored
    item(2, "lappi", Labels(("safety",), "complaint", "critical"), Labels(None, None, "medium")),
    # relabelled themes and stance: one theme missed, stance wrong
    item(3, "pirha", Labels(("access",), "complaint", "low"),
         Labels(("access", "respect"), "mixed", None), version="rules-2"),
    # relabelled to critical: a critical the classifier missed
    item(4, "pirha", Labels(("quality",), "complaint", "medium"),
         Labels(None, None, "critical"), version="rules-2"),
]


def test_each_label_is_scored_where_a_person_gave_it() -> None:
    result = evaluate(ITEMS)
    everything = result["all"]
    assert everything["items"] == 4
    assert everything["themes"]["rows"] == 1 and everything["stance"]["rows"] == 1
    assert everything["stance"]["accuracy"] == 0.0
    respect = everything["themes"]["per_theme"]["respect"]
    assert respect["recall"] == 0.0 and respect["support"] == 1
    severity = everything["severity"]
    assert severity["rows"] == 3 and severity["accuracy"] == round(1 / 3, 4)
    assert severity["critical_recall"] == 0.5
    assert severity["critical_missed"] == [ITEMS[3].item_id]
    assert severity["confusion"]["medium"]["critical"] == 1  # the down-grade


def test_per_county_and_per_classifier_version() -> None:
    result = evaluate(ITEMS)
    assert sorted(result["county"]) == ["lappi", "pirha"]
    assert result["county"]["lappi"]["severity"]["accuracy"] == 0.5
    assert result["county"]["lappi"]["themes"] == {"rows": 0}
    assert sorted(result["classifier_version"]) == ["rules-1", "rules-2"]
    assert result["classifier_version"]["rules-2"]["severity"]["critical_recall"] == 0.0
    text = format_evaluation(result)
    assert "rules-2" in text and "respect" in text


def test_another_prediction_is_scored_the_same_way() -> None:
    perfect = {i.item_id: i.effective for i in ITEMS}
    result = evaluate(ITEMS, lambda i: perfect[i.item_id], lambda i: "rules-3")
    assert result["all"]["severity"]["accuracy"] == 1.0
    assert result["all"]["themes"]["macro_f1"] == 1.0
    assert list(result["classifier_version"]) == ["rules-3"]


def test_the_export_is_the_development_sets_format_without_identifiers() -> None:
    quoting = item(5, "lappi", Labels(("fees",), "question", "low"),
                   Labels(("fees", "communication"), "question", None),
                   text="Asia fb-00000000000000ab, asiakas ps-" + "0a" * 16
                   + ", soita 040 123 4567 tai matti@example.fi, hetu 131052-308T.")
    rows = export_rows([ITEMS[1], quoting])
    assert [sorted(r) for r in rows] == [
        ["id", "lang", "severity", "source", "stance", "text", "themes"]] * 2
    assert rows[0] == {"id": "c0001", "lang": "fi", "source": "feedback",
                       "text": ITEMS[1].text, "themes": ["safety"], "stance": "complaint",
                       "severity": "medium"}
    assert rows[1]["themes"] == ["fees", "communication"] and rows[1]["severity"] == "low"
    dumped = json.dumps(rows)
    for leak in ("fb-00000000000000ab", "ps-0a0a", "040 123 4567", "matti@example.fi",
                 "131052-308T", ITEMS[1].item_id):
        assert leak not in dumped, leak
    assert rows[1]["text"].count(IDENTIFIER_MARK) == 2
