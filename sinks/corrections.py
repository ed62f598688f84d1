"""Staff corrections as data: the items a person labelled, read from the store (issue 14).

One row per client knowledge item with a person's label (`item_labels`, sinks/labels.sql):
the classifier's labels as stored, the person's (None where not given) and the item's text as
stored (redacted at intake). Weekly signals are left out (their labels are counts, not a
reading of a text), and so are the items of a forgotten client (`erased_at`): their words are
not copied into a new data set.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

_LABELLED = """
SELECT l.item_id, l.county, l.source_family, k.language, k.text_language, k.text,
    l.classifier_version, l.machine_themes, l.machine_stance, l.machine_severity,
    l.human_themes, l.human_stance, l.human_severity, l.last_labelled_at
FROM item_labels AS l
JOIN knowledge_items AS k ON k.item_id = l.item_id
WHERE l.labelled_by_person AND l.source_family <> 'aggregate' AND k.erased_at IS NULL
ORDER BY l.last_labelled_at, l.item_id
"""


@dataclass(frozen=True)
class Labels:
    themes: tuple[str, ...] | None
    stance: str | None
    severity: str | None


@dataclass(frozen=True)
class LabelledItem:
    item_id: str
    county: str
    source_family: str
    language: str | None  # as the source gave it (fi, sv, en, se), else as the classifier read it
    text: str  # redacted at intake
    classifier_version: str
    machine: Labels  # every label given
    human: Labels  # None where the person did not give it

    @property
    def effective(self) -> Labels:
        """The labels that count: the person's where given, else the classifier's."""
        return Labels(
            self.human.themes if self.human.themes is not None else self.machine.themes,
            self.human.stance or self.machine.stance,
            self.human.severity or self.machine.severity)


def _labels(themes: list[str] | None, stance: str | None, severity: str | None) -> Labels:
    return Labels(None if themes is None else tuple(themes), stance, severity)


def labelled_items(con: duckdb.DuckDBPyConnection) -> list[LabelledItem]:
    """Every client item a person labelled, in the order they were last labelled."""
    out = []
    for (item_id, county, family, language, text_language, text, version, m_themes, m_stance,
         m_severity, h_themes, h_stance, h_severity, _at) in con.execute(_LABELLED).fetchall():
        read_as = text_language if text_language in ("fi", "sv", "en") else None
        out.append(LabelledItem(
            item_id=item_id, county=county, source_family=family,
            language=language or read_as, text=text, classifier_version=version,
            machine=_labels(m_themes or [], m_stance, m_severity),
            human=_labels(h_themes, h_stance, h_severity)))
    return out
