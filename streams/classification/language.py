"""Which of the supported languages a text is in, when the source does not say; pure.

Frequent function words that are unambiguous between Finnish, Swedish and English (the rule
files' ``stopwords``), plus a few cheap cues: Finnish case endings, Swedish "å". Northern Sámi
(and other Sámi languages) is recognised by its letters á č đ ŋ š ŧ ž, so it is reported as "se"
rather than mistaken for Finnish; anything else unsure is None.
"""

from __future__ import annotations

import re

from streams.classification.ruleset import load

SUPPORTED = ("fi", "sv", "en")
SAMI = "se"
_SAMI_LETTERS = re.compile(r"[áčđŋšŧž]")
_SAMI_WORDS = frozenset({"ja", "lea", "leat", "ii", "in", "go", "mun", "don", "son", "mii", "dii",
                         "sii", "dat", "dán", "giitu", "buorre", "bálvalus", "doavttir"})
_WORD = re.compile(r"\w+")
_FI_ENDINGS = ("ssa", "ssä", "sta", "stä", "lla", "llä", "lle", "ksi", "tta", "ttä")


def detect_language(text: str) -> str | None:
    """"fi", "sv", "en", "se" (Sámi, unsupported), or None when unsure."""
    low = text.lower()
    words = _WORD.findall(low)
    if not words:
        return None
    sami_letters = len(_SAMI_LETTERS.findall(low))
    if sami_letters >= 2 or (sami_letters and sum(w in _SAMI_WORDS for w in words) >= 2):
        return SAMI
    score = {lang: float(sum(w in load(lang).stopwords for w in words)) for lang in SUPPORTED}
    score["sv"] += 2 * ("å" in low)
    score["fi"] += 0.5 * sum(w.endswith(_FI_ENDINGS) for w in words)
    ranked = sorted(SUPPORTED, key=lambda lang: -score[lang])
    best, second = score[ranked[0]], score[ranked[1]]
    return ranked[0] if best >= 1 and best > 2 * second else None
