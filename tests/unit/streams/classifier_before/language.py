# A copy of streams/classification/language.py at commit 3544bc6, before issue 13 made it faster
# (see __init__.py); only its imports differ.
"""Which language a text is in: what the record knows first, then the text; pure.

Order: the language the source declares; otherwise the text when it says so clearly (frequent
function words unambiguous between Finnish, Swedish and English, the rule files' ``stopwords``;
Finnish case endings; Swedish "å"; with Voikko, the share of words Finnish knows, so that short
workshop outputs such as "Ajanvarausviesti myös tekstiviestinä" are Finnish); otherwise the
service languages of the unit the item is about (the organisation registry), the first one when
the unit has several. Northern Sámi is recognised by its letters á č đ ŋ š ŧ ž and frequent words:
reported as "se", classified with its own small rule file and the others' (Sámi texts often mix in
Finnish). With nothing to go on, every language's rules apply and the language is "unsupported"
(text) or None (no text).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import NamedTuple

from streams.classification.ruleset import load

SUPPORTED = ("fi", "sv", "en")
SAMI = "se"
RULE_LANGUAGES = (*SUPPORTED, SAMI)
UNSUPPORTED = "unsupported"
_SAMI_LETTERS = re.compile(r"[áčđŋšŧž]")
_SAMI_WORDS = frozenset({"ja", "lea", "leat", "ii", "in", "go", "mun", "don", "son", "mii", "dii",
                         "sii", "dat", "dán", "giitu", "buorre", "bálvalus", "doavttir", "ollu",
                         "dulka", "buot", "eai", "galgá", "sámegiel", "sámegiela", "sámegillii"})
# Words of Northern Sámi that are no Finnish, Swedish or English words ("ja", "mun" are Finnish too)
_SAMI_ONLY = frozenset({"giitu", "buorre", "lea", "leat", "dulka", "buot", "eai", "ollu", "galgá",
                        "doavttir", "háliidan", "beaivi"})
_WORD = re.compile(r"\w+")
_FI_ENDINGS = ("ssa", "ssä", "sta", "stä", "lla", "llä", "lle", "ksi", "tta", "ttä")


class Choice(NamedTuple):
    rules: tuple[str, ...]  # rule files to apply
    how: str  # given, detected, registry, unsupported, unknown
    reported: str | None  # fi, sv, en, se, "unsupported", None (no text)
    ids: tuple[str, ...]  # rule ids saying so


def detect_language(text: str, finnish_word: Callable[[str], bool] | None = None,
                    words: list[str] | None = None) -> str | None:
    """"fi", "sv", "en", "se" (Northern Sámi), or None when unsure. ``finnish_word``: whether
    Voikko knows a word (None without Voikko). ``words``: the text's lowercased ``\\w+`` runs
    when the caller has them already (one regex pass less)."""
    low = text.lower()
    if words is None:
        words = _WORD.findall(low)
    if not words:
        return None
    sami_letters = len(_SAMI_LETTERS.findall(low))
    counts = _features.get
    counted = [counts(w) or _word_features(w) for w in words]
    sami_words, sami_only, fi, sv, en, endings = (sum(c) for c in zip(*counted, strict=True))
    if sami_letters >= 2 or (sami_letters and sami_words >= 2) or sami_only >= 2:
        return SAMI
    score = {"fi": float(fi), "sv": float(sv), "en": float(en)}
    score["sv"] += 2 * ("å" in low)
    score["fi"] += 0.5 * endings
    found = _clear(score)
    if found is None and finnish_word is not None:
        # unsure (short texts): most words known to Finnish, even without function words
        long = [w for w in words if len(w) > 3 and w.isalpha()]
        known = sum(map(finnish_word, long))
        if long and known >= 0.6 * len(long):
            score["fi"] += known
            found = _clear(score)
    return found


# What detection counts of a word, once per word: Sámi word, Sámi-only word, stopword of fi, sv,
# en, Finnish case ending. A plain dict, emptied when full, so it stays bounded.
_features: dict[str, tuple[int, int, int, int, int, int]] = {}
_FEATURES_KEPT = 100_000


def _word_features(w: str) -> tuple[int, int, int, int, int, int]:
    if len(_features) >= _FEATURES_KEPT:
        _features.clear()
    f = _features[w] = (int(w in _SAMI_WORDS), int(w in _SAMI_ONLY),
                        int(w in load("fi").stopwords), int(w in load("sv").stopwords),
                        int(w in load("en").stopwords), int(w.endswith(_FI_ENDINGS)))
    return f


def _clear(score: dict[str, float]) -> str | None:
    ranked = sorted(SUPPORTED, key=lambda lang: -score[lang])
    best, second = score[ranked[0]], score[ranked[1]]
    return ranked[0] if best >= 1 and best > 2 * second else None


def choose(text: str, declared: str | None, unit_languages: Sequence[str] = (),
           finnish_word: Callable[[str], bool] | None = None,
           words: list[str] | None = None) -> Choice:
    """The rule files to apply and the language to report, from the record and then the text."""
    detected = detect_language(text, finnish_word, words)
    if declared == SAMI and detected in SUPPORTED:  # labelled Sámi, written in Finnish: Finnish
        return Choice((detected, SAMI), "detected", detected,
                      (f"language.declared.{SAMI}", f"language.detected.{detected}"))
    if declared == SAMI or (declared is None and detected == SAMI):
        return Choice((SAMI, *SUPPORTED), "given" if declared else "detected", SAMI,
                      () if declared else (f"language.detected.{SAMI}",))
    if declared in SUPPORTED:
        if detected in SUPPORTED and detected != declared:  # mislabelled: apply both
            return Choice((declared, detected), "given", declared,
                          (f"language.detected.{detected}",))
        return Choice((declared,), "given", declared, ())
    unsupported = (f"language.unsupported.{declared}",) if declared else ()
    if detected in SUPPORTED:
        return Choice((detected,), "detected", detected,
                      (*unsupported, f"language.detected.{detected}"))
    known = [lang for lang in unit_languages if lang in RULE_LANGUAGES]
    if known and text.strip() and not declared:  # the unit's service language
        first = known[0]
        rules = (SAMI, *SUPPORTED) if first == SAMI else (first,)
        return Choice(rules, "registry", first, (f"language.registry.{first}",))
    # Another language, or too little text: every language's rules, so a critical word in any of
    # them still escalates; reported as unsupported, never dropped.
    if declared or text.strip():
        why = declared or detected or "unknown"
        return Choice(SUPPORTED, UNSUPPORTED, UNSUPPORTED,
                      ("language.unsupported", f"language.unsupported.{why}"))
    return Choice(SUPPORTED, "unknown", None, ("language.unknown",))
