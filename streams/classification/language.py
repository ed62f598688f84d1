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
_SAMI_LETTERS = "áčđŋšŧž"  # counted with str.count: a C loop per letter, cheaper than a regex
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
    sami_letters = sum(map(low.count, _SAMI_LETTERS))
    counted = list(map(_features.get, words))
    if None in counted:
        counted = [_word_features(w) if c is None else c for w, c in zip(words, counted,
                                                                         strict=True)]
    # Each count in a field of its own (see _word_features): one sum adds all six.
    total: int = sum(counted)  # type: ignore[arg-type]
    b, m = _FIELD_BITS, _FIELD
    sami_words, sami_only, fi = total & m, total >> b & m, total >> 2 * b & m
    sv, en, endings = total >> 3 * b & m, total >> 4 * b & m, total >> 5 * b
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
# en, Finnish case ending, each a 0 or 1 in a field of its own of one int, so that a text's counts
# are one sum (a field holds any count up to 2**40 - 1 words, far beyond any text). A plain dict,
# emptied when full, so it stays bounded.
_FIELD_BITS = 40
_FIELD = (1 << _FIELD_BITS) - 1
_features: dict[str, int] = {}
_FEATURES_KEPT = 100_000


def _word_features(w: str) -> int:
    if len(_features) >= _FEATURES_KEPT:
        _features.clear()
    flags = (w in _SAMI_WORDS, w in _SAMI_ONLY, w in load("fi").stopwords,
             w in load("sv").stopwords, w in load("en").stopwords, w.endswith(_FI_ENDINGS))
    f = _features[w] = sum(int(flag) << (n * _FIELD_BITS) for n, flag in enumerate(flags))
    return f


def _clear(score: dict[str, float]) -> str | None:
    """The language that scores at least 1 and over twice the next; ties go to SUPPORTED's order
    (the first of the best), and the next is the middle score."""
    fi, sv, en = score["fi"], score["sv"], score["en"]
    best, second = max(fi, sv, en), sorted((fi, sv, en))[1]
    if best >= 1 and best > 2 * second:
        return "fi" if fi == best else "sv" if sv == best else "en"
    return None


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
