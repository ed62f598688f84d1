"""What "you said, we did" reads from the store (its read-only snapshot): each decided item with
its redacted text, the labels that count, and the size of the group its writer hides among
(managers/you_said.py says which group)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import duckdb

from managers.digest import DecidedItem
from managers.you_said import DEFAULT_SMALL_GROUP_LIMIT, Answered, pair
from sinks.reader import open_read_only

# One row per decided client knowledge item (the first `decided` step: it is never repeated).
# group_size: feedback among the unit's feedback received in the same Finnish month, a statement
# among the county's statements of that month, a workshop output among its meeting's
# participants.
_ANSWERED = """
WITH sized AS (
    SELECT k.*,
        CASE k.source_family
            WHEN 'workshop_output' THEN coalesce(w.participants_total, 0)
            ELSE count(*) OVER (
                PARTITION BY k.county, k.source_family,
                    CASE WHEN k.source_family = 'feedback' THEN k.unit END,
                    date_trunc('month', fi_date(k.received_at)))
        END AS group_size
    FROM knowledge_items AS k
    LEFT JOIN workshops AS w ON k.source_family = 'workshop_output'
        AND CAST(w.event_id AS VARCHAR) = k.source_event_id
    WHERE k.source_family <> 'aggregate'
)
SELECT s.item_id, s.source_family, s.county, s.unit, s.text,
    coalesce(s.language, nullif(s.text_language, 'unsupported')) AS language,
    coalesce(l.themes, s.themes) AS themes, s.received_at, d.occurred_at AS decided_at,
    d.details, s.returned_at, s.group_size, s.erased_at IS NOT NULL AS erased
FROM sized AS s
JOIN lifecycle AS d ON d.item_id = s.item_id AND d.step = 'decided'
LEFT JOIN item_labels AS l ON l.item_id = s.item_id
WHERE s.county = ? AND (CAST(? AS VARCHAR) IS NULL OR s.unit = ?)
    AND (CAST(? AS TIMESTAMPTZ) IS NULL OR d.occurred_at >= ?)
    AND (CAST(? AS TIMESTAMPTZ) IS NULL OR d.occurred_at < ?)
ORDER BY d.occurred_at, s.item_id
"""


def small_group_limit(con: duckdb.DuckDBPyConnection) -> int:
    """The store's own threshold (sinks/suppression.sql), so the pages suppress as the store
    does; a store from before the macro existed keeps the default."""
    try:
        row = con.execute("SELECT small_group_limit()").fetchone()
    except duckdb.Error:
        return DEFAULT_SMALL_GROUP_LIMIT
    return int(row[0]) if row else DEFAULT_SMALL_GROUP_LIMIT


def answered_in(con: duckdb.DuckDBPyConnection, county: str, unit: str | None = None,
                start: datetime | None = None, end: datetime | None = None) -> list[Answered]:
    """The county's (or one unit's) items decided in [start, end), oldest decision first."""
    rows = con.execute(_ANSWERED, [county, unit, unit, start, start, end, end]).fetchall()
    out = []
    for (item_id, family, county_, unit_, text, language, themes, received_at, decided_at,
         details, returned_at, group_size, erased) in rows:
        d = json.loads(details) if details else {}
        out.append(Answered(
            item_id=item_id, source_family=family, county=county_, unit=unit_,
            text=text or "", language=language, themes=tuple(themes or ()),
            received_at=received_at, decided_at=decided_at, outcome=d["outcome"],
            rationale=d.get("rationale") or "", decision_ref=d.get("decision_ref"),
            returned_at=returned_at, group_size=int(group_size or 0), erased=bool(erased),
        ))
    return out


def answered(store: Path, county: str, unit: str | None = None, start: datetime | None = None,
             end: datetime | None = None) -> tuple[list[Answered], int]:
    """answered_in on the store's snapshot, with the store's small-group threshold."""
    con = open_read_only(store)
    try:
        return answered_in(con, county, unit, start, end), small_group_limit(con)
    finally:
        con.close()


def with_what_they_answered(store: Path, county: str, unit: str, start: datetime, end: datetime,
                            decided: Sequence[DecidedItem],
                            unit_languages: Sequence[str] = ()) -> list[DecidedItem]:
    """The digest's items with what each answered (words or summary, languages) and the labels
    that count."""
    found, limit = answered(store, county, unit, start, end)
    pairs = {a.item_id: pair(a, unit_languages, limit) for a in found}
    out = []
    for d in decided:
        p = pairs.get(d.item_id)
        out.append(d if p is None else replace(
            d, themes=p.themes, said=p.said, said_language=p.said_language,
            source_family=p.source_family, rationale_language=p.rationale_language))
    return out
