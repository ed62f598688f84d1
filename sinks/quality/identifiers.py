"""Personal identifiers left in the store's text: which kinds, never the value. Pure, no I/O.

The patterns are the redaction's own (schemas/redaction.py), so what counts as a henkilötunnus,
a phone number, an e-mail address or an IBAN has one definition: a text is flagged for a kind
exactly when redaction would still change it for that kind. Names are not checked here; the
name detector needs context and a list, and is measured by the redaction benchmark instead. The
placeholders redaction writes ([HETU], [PUHELIN], ...) hold no digits and no "@", so a redacted
text passes.

Machine values are not free text and are skipped: UUIDs, hex digests, item ids and pseudonyms
(a SHA-256 in hex or a pseudonym passes the IBAN checksum about once in a hundred by chance).
The sealed contact's ciphertext is removed before the scan, in SQL (frames.py): it is random
base64 that can look like anything, and by design nobody can read it.
"""

from __future__ import annotations

import re
from functools import lru_cache

from schemas.redaction import IDENTIFIER_STEPS, MAY_HOLD_IDENTIFIER

# The redaction's steps in its order: (pattern, replacement) -> the kind a person reads.
KIND_NAMES = ("sähköposti", "henkilötunnus", "IBAN", "puhelinnumero", "puhelinnumero")
_KINDS = tuple(zip(KIND_NAMES, IDENTIFIER_STEPS, strict=True))


MACHINE_VALUE = re.compile(
    r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"  # UUID
    r"|[0-9a-f]{16,}"  # hex digests and keys (chain hashes, key versions)
    r"|(?:fb|ws|st|ag|ps)-[0-9a-f]{16,}"  # item ids and pseudonyms (schemas/envelope.py)
    r"|-?\d{1,6}(?:\.\d+)?"  # counts and ratings: too short for any identifier kind
    # ISO dates and times
    r"|\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?"
)

# Prefilters for SQL (DuckDB's RE2 reads this syntax too), so that Python sees only candidates:
# no identifier without a digit or an "@" (or an "(at)"), the shortcut redaction itself takes,
# and machine values are none.
CANDIDATE_SQL_REGEX = "(?i)" + MAY_HOLD_IDENTIFIER.pattern
MACHINE_VALUE_SQL_REGEX = MACHINE_VALUE.pattern


def identifier_kinds(text: str) -> list[str]:
    """The kinds of identifier redaction would still remove from `text`, in its order."""
    return list(_kinds(text))


@lru_cache(maxsize=100_000)  # stores repeat themselves: versions, references, template texts
def _kinds(text: str) -> tuple[str, ...]:
    if MACHINE_VALUE.fullmatch(text) or not MAY_HOLD_IDENTIFIER.search(text):
        return ()
    found: list[str] = []
    for name, (pattern, replacement) in _KINDS:
        if name not in found and pattern.sub(replacement, text) != text:
            found.append(name)
    return tuple(found)


def describe(kinds_by_column: dict[str, list[str]]) -> str | None:
    """'column: kind, kind; column: kind' for one row, or None when nothing was found."""
    parts = [f"{column}: {', '.join(kinds)}" for column, kinds in kinds_by_column.items() if kinds]
    return "; ".join(parts) or None
