"""First redaction of free text before it leaves the intake topic.

A separate issue replaces this with a fuller privacy layer (names, checksums, more formats); this
one already removes the identifiers that must never reach routed topics or the store.
"""

from __future__ import annotations

import re

# Henkilötunnus: DDMMYY, a century sign (+, -, A-F, U-Y), three digits and a check character.
_HETU = re.compile(r"\b\d{6}[-+A-FU-Y]\d{3}[0-9A-Y]\b", re.IGNORECASE)
_EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")
_IBAN = re.compile(r"\b[A-Z]{2}\d{2}(?:\s?[0-9A-Z]{4}){2,7}(?:\s?[0-9A-Z]{1,3})?\b")
# Finnish and international phone numbers: +358 40 123 4567, 040-123 4567, 0401234567, (09) 123 456
_PHONE = re.compile(r"(?<![\w+])(?:\+\d{1,3}[\s-]?)?\(?0?\d{1,3}\)?(?:[\s-]?\d){5,10}\b")

PLACEHOLDERS = (
    (_HETU, "[HETU]"),
    (_EMAIL, "[SÄHKÖPOSTI]"),
    (_IBAN, "[IBAN]"),
    (_PHONE, "[PUHELIN]"),
)


def redact(text: str) -> str:
    """Replace identifiers with placeholders that say what was removed. Idempotent."""
    for pattern, placeholder in PLACEHOLDERS:
        text = pattern.sub(placeholder, text)
    return text
