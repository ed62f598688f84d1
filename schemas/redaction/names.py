"""Finding person names in free text: a name list (schemas/redaction/names.yaml) with Finnish case
forms, capitalisation, and context (titles such as "hoitaja Virtanen", signatures such as
"Terveisin Liisa", "nimeni on ...", and a known first name next to an unknown surname).

Pure and deterministic. What it misses, and how that was measured, is in the README's privacy
section; names that are also ordinary words ("Anna", "Mäki") need context on purpose.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from itertools import accumulate

import yaml

# strengths of a listed form
NAME, AMBIGUOUS_FIRST, AMBIGUOUS_OTHER = 2, 1, 0

_WEAK_ENDINGS = (
    "n", "lle", "lla", "llä", "lta", "ltä", "ssa", "ssä", "sta", "stä", "ksi", "t", "nkin",
    "llekin", "ltakin", "ltäkin",
)
_STRONG_ENDINGS = ("a", "ä", "na", "nä", "kin", "han", "hän")
_NEN_ENDINGS = (
    "sen", "selle", "sella", "sellä", "selta", "seltä", "sessa", "sessä", "sesta", "sestä",
    "seksi", "sena", "senä", "seen", "set", "sta", "stä", "sien", "sia", "siä", "senkin",
)
_I_STEM_ENDINGS = ("in", "ille", "illa", "illä", "ilta", "iltä", "issa", "issä", "ista", "istä",
                   "iksi", "ia", "iä", "iin", "inkin")
# Case forms of listed names that are common words: "Pian" (soon), "Ainoa" (only).
_COMMON_WORDS = frozenset({"pian", "ainoa", "ainoan", "ainoana", "ainoat", "ainoaa"})


def case_forms(name: str) -> set[str]:
    """A name's base form and its common Finnish (and Swedish/English genitive) forms, lower-case.

    Generous on purpose: a generated form that is no word costs nothing.
    """
    base = name.lower()
    forms = {base, base + "s"}
    if base.endswith("nen"):
        stem = base[:-3]
        forms.update(stem + e for e in _NEN_ENDINGS)
        forms.add(base + "kin")
    elif base[-1] in "aeiouyäöáé":
        forms.update(base + e for e in _STRONG_ENDINGS)
        forms.add(base + base[-1] + "n")  # illative: Liisaan, Timoon
        weak = base
        if len(base) > 3 and base[-3] == base[-2] and base[-2] in "kpt":
            weak = base[:-2] + base[-1]  # consonant gradation: Pekka -> Pekan, Heikki -> Heikin
        forms.update(weak + e for e in _WEAK_ENDINGS)
        if weak != base:
            forms.update(base + e for e in ("n", "lle", "lla"))  # both, as people write them
    else:
        forms.update(base + e for e in _I_STEM_ENDINGS)  # Erik -> Erikin, Lindholm -> Lindholmille
        if base.endswith("as") or base.endswith("es"):  # Tuomas -> Tuomaksen, Tuomasta
            stem = base[:-1] + "kse"
            forms.update(stem + e for e in _WEAK_ENDINGS)
            forms.update(base + e for e in ("ta", "tä"))
    return forms - _COMMON_WORDS


@dataclass(frozen=True)
class NameLists:
    forms: dict[str, tuple[int, bool]]  # lower-case form -> (strength, is a surname)
    not_names: frozenset[str]


@cache
def name_lists() -> NameLists:
    raw = yaml.safe_load(resources.files("schemas.redaction").joinpath("names.yaml")
                         .read_text(encoding="utf-8"))
    forms: dict[str, tuple[int, bool]] = {}
    # weakest first, so a stronger list wins where two generate the same form
    for key, strength, surname in (
        ("ambiguous_surnames", AMBIGUOUS_OTHER, True),
        ("ambiguous_first_names", AMBIGUOUS_FIRST, False),
        ("surnames", NAME, True),
        ("first_names", NAME, False),
    ):
        for name in raw[key]:
            for form in case_forms(name):
                forms[form] = (strength, surname)
    # short words only as they are: "Hei" would generate "heikin"
    not_names = {f for word in raw["not_names"] if len(word) >= 4 for f in case_forms(word)}
    not_names.update(w.lower() for w in raw["not_names"])
    return NameLists(forms, frozenset(not_names))


# Titles before a name. Finnish and Swedish ones also inside compounds (sairaanhoitaja,
# hammaslääkäri, socialarbetaren) and inflected (hoitajalle); the short ones only as words.
_COMPOUND_TITLES = (
    "hoitaja", "lääkäri", "tohtori", "työntekijä", "ohjaaja", "terapeutti", "psykologi",
    "psykiatri", "kätilö", "kuraattori", "farmaseutti", "esihenkilö", "virkailija", "avustaja",
    "johtaja", "neuvoja",
    "läkare", "skötare", "sköterska", "vårdare", "arbetare", "handledare", "terapeut",
    "barnmorska",
)
_WORD_TITLES = (
    "doktor", "syster", "dr", "doctor", "nurse", "therapist", "worker", "midwife", "mr", "mrs",
    "ms", "miss",
)
_SIGNATURES = frozenset({
    "terveisin", "t", "nimeltä", "nimeltään", "hälsningar", "hälsning", "mvh", "heter",
    "regards", "wishes", "called", "named", "dearvvuođat", "nimeni on", "nimi on", "name is",
})
# Weak context: enough for a name that is also a word ("Kiitos Annalle", "olen Satu").
_WEAK = frozenset({"olen", "oon", "i'm", "i am", "jag är", "kiitos", "kiitokset", "tack",
                   "thanks", "thank you"})

_LETTERS = r"[^\W\d_]"
_TITLE_WORD = re.compile(
    rf"{_LETTERS}*(?:{'|'.join(_COMPOUND_TITLES)}){_LETTERS}{{0,5}}|(?:{'|'.join(_WORD_TITLES)})s?")
# Words, hyphenated or with a suffix after a colon or apostrophe (Anna-Liisa, Erik:lle, Smith's).
_WORD = re.compile(rf"{_LETTERS}+(?:[-:'’]{_LETTERS}+)*")
_SIGNATURE_GAP = re.compile(r"[\s,.:;-]*")
# The same words, kept by re.split with the text between them.
_WORD_SPLIT = re.compile(f"({_WORD.pattern})")


@lru_cache(maxsize=65_536)
def _is_title(low: str) -> bool:
    return _TITLE_WORD.fullmatch(low) is not None


def _lookup(lists: NameLists, low: str) -> tuple[int, bool] | None:
    for sep in (":", "'", "’"):
        low = low.split(sep, 1)[0]
    found = lists.forms.get(low)
    if found is None and "-" in low:
        known = [p for p in map(lists.forms.get, low.split("-")) if p is not None]
        found = max(known) if known else None
    return found


def _trigger(gap: str, prev_low: str, before_low: str | None) -> str | None:
    """"strong" after a title or signature, "weak" after "olen"/"I'm", else None: read from the
    previous word, the one before it (None if none) and the text between the previous word and
    this one (`gap`)."""
    # the two words together, made only when the previous one alone is no context word
    if _SIGNATURE_GAP.fullmatch(gap) and (prev_low in _SIGNATURES or (
            before_low is not None and f"{before_low} {prev_low}" in _SIGNATURES)):
        return "strong" if prev_low != "t" or gap.startswith(".") else None
    if gap.strip(" \t") in ("", ".") and _is_title(prev_low) and (gap.strip() == "" or len(
            prev_low) <= 3):  # "Dr. Smith", but "omaishoitaja. Sain" is a new sentence
        return "strong"
    if gap.strip(" \t") == "" and (prev_low in _WEAK or (
            before_low is not None and f"{before_low} {prev_low}" in _WEAK)):
        return "weak"
    return None


@cache
def _strong_forms() -> frozenset[str]:
    """The forms a lower-case word can be a name in ("hoitaja liisa"): the unambiguous ones."""
    return frozenset(f for f, (strength, _) in name_lists().forms.items() if strength == NAME)


def _low(raw: str) -> str:
    """A word as the rules compare it: capitalised words lower-cased, others as written."""
    return raw.lower() if raw[0].isupper() else raw


def name_spans(text: str) -> list[tuple[int, int]]:
    """Start and end of every name found, in order, not overlapping.

    A rule decides about a word from the word itself, the previous word and the text between
    them (and, for two-word context such as "nimeni on", the word before). Only two kinds of
    word can be a name: a capitalised one, and a lower-case unambiguous name after a title
    ("hoitaja liisa"). So the text is split once into words and the text between them (in C),
    and only those candidates are looked at in Python; a word in between is context with no
    listed form and no name. The only decision made after a word is whether the previous one was
    a first name ("Anna Mäki"); its span is added then, still in order.
    """
    parts = _WORD_SPLIT.split(text)  # text before the first word, word, between, word, ..., after
    words = parts[1::2]
    strong = _strong_forms()
    candidates = [i for i, raw in enumerate(words) if raw[0].isupper() or raw in strong]
    if not candidates:
        return []
    lists = name_lists()
    not_names = lists.not_names
    found: list[int] = []  # indices of the words found names, in order
    # the last candidate looked at: its index, lower-case form, listed form's info, found a name
    last_i, last_low, last_info, last_name = -2, "", None, False
    for i in candidates:
        raw = words[i]
        gap = parts[2 * i]  # between the previous word and this one (or the text before it)
        if i:
            if last_i == i - 1:
                p_low, p_info, p_name = last_low, last_info, last_name
            else:  # a word that is no candidate: as written, no listed form, no name
                p_low, p_info, p_name = words[i - 1], None, False
            before_low = _low(words[i - 2]) if i > 1 else None
        if not raw[0].isupper():  # a listed name in lower case: only right after a title
            name = bool(i) and _trigger(gap, p_low, before_low) == "strong" and _is_title(p_low)
            if name:
                found.append(i)  # "hoitaja liisa"
            # a lower-case word's listed form is never kept: only capitalised ones count later
            last_i, last_low, last_info, last_name = i, raw, None, name
            continue
        low = raw.lower()
        info = None
        name = False
        # a placeholder ([NIMI]) is never a name and ends any context; so does a title or a word
        # listed as no name
        key = low.split(":", 1)[0]
        if gap[-1:] != "[" and key not in not_names and not _is_title(key):
            info = _lookup(lists, low)
            strength = info[0] if info else None
            if len(raw) > 1 and raw.isupper():  # SHOUTING: every word is capitalised, no context
                name = strength == NAME
            else:
                adjacent = bool(i) and gap == " "
                name = strength == NAME or (adjacent and p_name)
                if not name and i:
                    # Not "capitalised inside a sentence": texts often lack the full stop before
                    # a sentence that starts with "Toivon" (I hope) or "Harkitsen" (I consider).
                    trigger = _trigger(gap, p_low, before_low)
                    name = trigger == "strong" or (strength is not None and trigger == "weak")
                if adjacent and info is not None and info[1] and not p_name:
                    # a surname after a first name (Anna Mäki) or after an unknown word (Jonne
                    # Virtanen)
                    prev_candidate = parts[2 * i - 2][-1:] != "[" and p_low[0] != \
                        words[i - 1][0] and not _is_title(p_low) and p_low not in not_names
                    if prev_candidate and ((p_info is not None and not p_info[1])
                                           or (name and p_info is None)):
                        name = True
                        found.append(i - 1)  # the previous word, found a name now
            if name:
                found.append(i)
        last_i, last_low, last_info, last_name = i, low, info, name
    if not found:
        return []
    ends = list(accumulate(map(len, parts)))  # word i runs from ends[2i] to ends[2i + 1]
    return [(ends[2 * i], ends[2 * i + 1]) for i in found]


def redact_names(text: str, placeholder: str = "[NIMI]") -> str:
    spans = name_spans(text)
    if not spans:
        return text
    out, last = [], 0
    for start, end in spans:
        if start < last:
            continue
        out.append(text[last:start])
        out.append(placeholder)
        last = end
    out.append(text[last:])
    return "".join(out)
