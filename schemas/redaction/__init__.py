"""Redaction of free text before it leaves the intake topic (docs/design.md §4).

Removes, in this order: e-mail addresses, henkilötunnus (every century sign, 1800s to 2000s,
including the 2023 ones; checksum-validated), IBANs (mod-97 validated; Finnish ones also by
shape), phone numbers (Finnish and international), and person names where they can be detected
(schemas/redaction/names.py). Each becomes a placeholder that says what was removed.

Pure, deterministic and idempotent: `redact(redact(x)) == redact(x)`. Placeholders hold no
digits, no "@" and are never taken for names, so a second pass finds nothing new; `redact` still
repeats until nothing changes, so a rule's context that a replacement changed cannot leave a
second-pass difference.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from schemas.redaction.names import redact_names

HETU, PHONE, EMAIL, IBAN, NAME = "[HETU]", "[PUHELIN]", "[SÄHKÖPOSTI]", "[IBAN]", "[NIMI]"
PLACEHOLDERS = (HETU, PHONE, EMAIL, IBAN, NAME)

# --- e-mail addresses, also written "liisa(at)example.fi" or "liisa [at] example.fi"
_EMAIL = re.compile(
    r"(?<![\w.+-])[\w.+-]+(?:@|\s?[(\[{]\s?(?:at|ät|a)\s?[)\]}]\s?)[\w-]+(?:\.[\w-]+)+",
    re.IGNORECASE,
)

# --- henkilötunnus: DDMMYY, a century sign, an individual number NNN and a check character.
_HETU_CHECK = "0123456789ABCDEFHJKLMNPRSTUVWXY"
_CENTURY_SIGNS = "+-ABCDEFUVWXY"
_DASHES = "‐‑‒–—−"  # hyphen look-alikes that word processors put in place of "-"
_HETU = re.compile(
    rf"(?<![\w+-])(\d{{2}})(\d{{2}})(\d{{2}})(\s?)([-+A-FU-Ya-fu-y{_DASHES}])(\s?)(\d{{3}})"
    r"([0-9A-Ya-y])(?!\w)"
)


def _hetu(m: re.Match[str]) -> str:
    day, month = int(m.group(1)), int(m.group(2))
    check = m.group(8).upper()
    valid = _HETU_CHECK[int(m.group(1) + m.group(2) + m.group(3) + m.group(7)) % 31] == check
    plausible = 1 <= day <= 31 and 1 <= month <= 12 and check in _HETU_CHECK
    spaced = bool(m.group(4) or m.group(6))
    # The exact shape with a plausible date is a henkilötunnus even with a typo in the check
    # character; a looser one (spaces around the sign) must also pass the checksum.
    return HETU if plausible and (valid or not spaced) else m.group()


# --- IBAN: country code, two check digits, the account (BBAN); spaces every four characters.
IBAN_LENGTHS = {
    "AD": 24, "AT": 20, "BE": 16, "BG": 22, "CH": 21, "CY": 28, "CZ": 24, "DE": 22, "DK": 18,
    "EE": 20, "ES": 24, "FI": 18, "FO": 18, "FR": 27, "GB": 22, "GL": 18, "GR": 27, "HR": 21,
    "HU": 28, "IE": 22, "IS": 26, "IT": 27, "LI": 21, "LT": 20, "LU": 20, "LV": 21, "MC": 27,
    "MT": 31, "NL": 18, "NO": 15, "PL": 28, "PT": 25, "RO": 24, "SE": 24, "SI": 19, "SK": 24,
    "UA": 29,
}
_IBAN = re.compile(r"(?<![\w])[A-Za-z]{2}\d{2}(?:[ ]?[A-Za-z0-9]){11,30}")
_FI_IBAN_SHAPE = re.compile(r"FI\d{2}(?: ?\d{4}){3} ?\d{2}", re.IGNORECASE)


def iban_valid(compact: str) -> bool:
    """ISO 13616 mod-97 check of an IBAN without spaces."""
    moved = compact[4:] + compact[:4]
    try:
        return int("".join(str(int(c, 36)) for c in moved)) % 97 == 1
    except ValueError:
        return False


def _iban(m: re.Match[str]) -> str:
    raw = m.group()
    compact = raw.replace(" ", "").upper()
    country = compact[:2]
    lengths = [IBAN_LENGTHS[country]] if country in IBAN_LENGTHS else range(
        min(len(compact), 34), 14, -1)
    for length in lengths:
        if len(compact) >= length and iban_valid(compact[:length]):
            return IBAN + raw[_end_of(raw, length):]
    shape = _FI_IBAN_SHAPE.match(raw)
    if shape:  # a Finnish account number with a typo in it is still an account number
        return IBAN + raw[shape.end():]
    return raw


def _end_of(raw: str, alnum: int) -> int:
    """Index in raw just after its alnum-th letter or digit."""
    seen = 0
    for i, c in enumerate(raw):
        if c != " ":
            seen += 1
            if seen == alnum:
                return i + 1
    return len(raw)


# --- phone numbers: +358 40 123 4567, 0401234567, 040-123 4567, (09) 123 456, 00358 ...,
# +46 8 123 456 78; and after "puh."/"tel"/"numero" also a local number without area code.
_PHONE = re.compile(
    r"(?<![\w+])(?:"
    r"(?:\+|00)\d{1,3}[\s-]?(?:\(0\)[\s-]?)?\(?\d{1,4}\)?(?:[\s-]?\d{2,4}){1,4}"
    r"|\(?0\d{1,3}\)?[\s-]?\d{2,4}(?:[\s-]?\d{2,4}){0,3}"
    r")(?![\w])"
)
_PHONE_AFTER_WORD = re.compile(
    r"(?i)(?<!\w)(puh(?:elin|\.)?|p\.|tel\.?|tfn|phone|mob(?:ile)?|gsm|numero(?:on|sta|ni|ssa)?"
    r"|nummer|number)(:?\s*)(\+?\d[\d\s-]{4,16}\d)(?![\w])"
)


def _digits(text: str) -> int:
    return sum(c.isdigit() for c in text)


def _phone(m: re.Match[str]) -> str:
    raw = m.group()
    n = _digits(raw)
    international = raw.startswith(("+", "00"))
    ok = 8 <= n <= 15 if international else 7 <= n <= 11
    return PHONE if ok else raw


def _phone_after_word(m: re.Match[str]) -> str:
    n = _digits(m.group(3))
    return m.group(1) + m.group(2) + PHONE if 6 <= n <= 15 else m.group()


# Public: sinks/quality checks the store with these same steps, so that "no identifier
# left" means what redaction removes.
IDENTIFIER_STEPS: tuple[tuple[re.Pattern[str], Callable[[re.Match[str]], str] | str], ...] = (
    (_EMAIL, EMAIL),
    (_HETU, _hetu),
    (_IBAN, _iban),
    (_PHONE, _phone),
    (_PHONE_AFTER_WORD, _phone_after_word),
)
MAY_HOLD_IDENTIFIER = re.compile(r"[\d@]|[(\[{]\s?(?:at|ät|a)\s?[)\]}]", re.IGNORECASE)
# Every match of MAY_HOLD_IDENTIFIER starts with one of these characters; a search for a single
# character class is about twice as fast as the alternation, and most texts have none of them.
_MAY_HOLD_FIRST = re.compile(r"[\d@(\[{]")
# An e-mail address needs an "@" or a bracket ("liisa(at)example.fi"); its pattern is the
# costliest of the steps (tried at every word), and a text with a number seldom has either.
_MAY_HOLD_EMAIL = re.compile(r"[@(\[{]")


def _redact_once(text: str) -> str:
    # the common case, a text with no number, skips them all
    if _MAY_HOLD_FIRST.search(text) and MAY_HOLD_IDENTIFIER.search(text):
        for pattern, replacement in IDENTIFIER_STEPS:
            if pattern is _EMAIL and not _MAY_HOLD_EMAIL.search(text):
                continue
            text = pattern.sub(replacement, text)
    return redact_names(text, NAME)


def redact(text: str) -> str:
    """Replace identifiers with placeholders that say what was removed. Idempotent."""
    for _ in range(4):
        out = _redact_once(text)
        if out == text:
            return out
        text = out
    return text
