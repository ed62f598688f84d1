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


@dataclass(slots=True)
class _Word:
    low: str
    start: int
    end: int
    info: tuple[int, bool] | None = None
    name: bool = False


def _trigger(text: str, words: list[_Word], start: int) -> str | None:
    """"strong" after a title or signature, "weak" after "olen"/"I'm", else None."""
    if not words:
        return None
    prev = words[-1]
    gap = text[prev.end:start]
    two = f"{words[-2].low} {prev.low}" if len(words) > 1 else ""
    if _SIGNATURE_GAP.fullmatch(gap) and (prev.low in _SIGNATURES or two in _SIGNATURES):
        return "strong" if prev.low != "t" or gap.startswith(".") else None
    if gap.strip(" \t") in ("", ".") and _is_title(prev.low) and (gap.strip() == "" or len(
            prev.low) <= 3):  # "Dr. Smith", but "omaishoitaja. Sain" is a new sentence
        return "strong"
    if gap.strip(" \t") == "" and (prev.low in _WEAK or two in _WEAK):
        return "weak"
    return None


def name_spans(text: str) -> list[tuple[int, int]]:
    """Start and end of every name found, in order, not overlapping."""
    lists = name_lists()
    words: list[_Word] = []
    for m in _WORD.finditer(text):
        start, end = m.span()
        raw = m.group()
        if not raw[0].isupper():  # the common case, kept cheap
            w = _Word(raw, start, end)
            info = lists.forms.get(raw)
            if info is not None and info[0] == NAME and _trigger(text, words, start) == "strong" \
                    and _is_title(words[-1].low):
                w.name = True  # "hoitaja liisa"
            words.append(w)
            continue
        w = _Word(raw.lower(), start, end)
        if text[start - 1:start] == "[":  # a placeholder: never a name, and ends any context
            words.append(w)
            continue
        key = w.low.split(":", 1)[0]
        if key in lists.not_names or _is_title(key):
            words.append(w)
            continue
        w.info = info = _lookup(lists, w.low)
        strength = info[0] if info else None
        if len(raw) > 1 and raw.isupper():  # SHOUTING: every word is capitalised, no context
            w.name = strength == NAME
            words.append(w)
            continue
        prev = words[-1] if words else None
        adjacent = prev is not None and text[prev.end:start] == " "
        is_name = strength == NAME or (adjacent and prev is not None and prev.name)
        if not is_name:
            # Not "capitalised inside a sentence": texts often lack the full stop before a
            # sentence that starts with "Toivon" (I hope) or "Harkitsen" (I consider).
            trigger = _trigger(text, words, start)
            is_name = trigger == "strong" or (strength is not None and trigger == "weak")
        if adjacent and prev is not None and info is not None and info[1] and not prev.name:
            # a surname after a first name (Anna Mäki) or after an unknown word (Jonne Virtanen)
            prev_candidate = text[prev.start - 1:prev.start] != "[" and prev.low[0] != \
                text[prev.start] and not _is_title(prev.low) and prev.low not in lists.not_names
            if prev_candidate and ((prev.info is not None and not prev.info[1])
                                   or (is_name and prev.info is None)):
                is_name = prev.name = True
        w.name = is_name
        words.append(w)
    return [(w.start, w.end) for w in words if w.name]


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
