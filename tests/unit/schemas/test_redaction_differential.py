"""The faster name_spans (one re.split, only candidate words looked at) and the redaction's quick
pre-check find exactly what the old code found: the old functions are kept here verbatim and both
run on every text of the repository's data, the scenario's generated records, the string literals
of the scenario's texts and of the redaction tests, and generated texts dense with names, titles,
signatures, placeholders and case forms. Identical spans, identical redacted texts."""

from __future__ import annotations

import ast
import json
import random
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path

import pytest
import yaml

from scenario import generate
from schemas.redaction import (
    EMAIL,
    HETU,
    IBAN,
    IDENTIFIER_STEPS,
    MAY_HOLD_IDENTIFIER,
    NAME,
    PHONE,
    redact,
)
from schemas.redaction import names as names_module
from schemas.redaction.names import (
    _SIGNATURE_GAP,
    _SIGNATURES,
    _WEAK,
    _WORD,
    _is_title,
    _lookup,
    case_forms,
    name_lists,
    name_spans,
    redact_names,
)
from tests.conftest import TEST_DATA

ROOT = Path(__file__).resolve().parents[3]


# --- the old code, as it was before the rewrite (schemas/redaction/names.py, __init__.py) ----

@dataclass(slots=True)
class _Word:
    low: str
    start: int
    end: int
    info: tuple[int, bool] | None = None
    name: bool = False


def _old_trigger(text: str, words: list[_Word], start: int) -> str | None:
    if not words:
        return None
    prev = words[-1]
    gap = text[prev.end:start]
    two = f"{words[-2].low} {prev.low}" if len(words) > 1 else ""
    if _SIGNATURE_GAP.fullmatch(gap) and (prev.low in _SIGNATURES or two in _SIGNATURES):
        return "strong" if prev.low != "t" or gap.startswith(".") else None
    if gap.strip(" \t") in ("", ".") and _is_title(prev.low) and (gap.strip() == "" or len(
            prev.low) <= 3):
        return "strong"
    if gap.strip(" \t") == "" and (prev.low in _WEAK or two in _WEAK):
        return "weak"
    return None


def old_name_spans(text: str) -> list[tuple[int, int]]:
    lists = name_lists()
    words: list[_Word] = []
    for m in _WORD.finditer(text):
        start, end = m.span()
        raw = m.group()
        if not raw[0].isupper():
            w = _Word(raw, start, end)
            info = lists.forms.get(raw)
            if info is not None and info[0] == names_module.NAME and _old_trigger(
                    text, words, start) == "strong" and _is_title(words[-1].low):
                w.name = True
            words.append(w)
            continue
        w = _Word(raw.lower(), start, end)
        if text[start - 1:start] == "[":
            words.append(w)
            continue
        key = w.low.split(":", 1)[0]
        if key in lists.not_names or _is_title(key):
            words.append(w)
            continue
        w.info = info = _lookup(lists, w.low)
        strength = info[0] if info else None
        if len(raw) > 1 and raw.isupper():
            w.name = strength == names_module.NAME
            words.append(w)
            continue
        prev = words[-1] if words else None
        adjacent = prev is not None and text[prev.end:start] == " "
        is_name = strength == names_module.NAME or (adjacent and prev is not None and prev.name)
        if not is_name:
            trigger = _old_trigger(text, words, start)
            is_name = trigger == "strong" or (strength is not None and trigger == "weak")
        if adjacent and prev is not None and info is not None and info[1] and not prev.name:
            prev_candidate = text[prev.start - 1:prev.start] != "[" and prev.low[0] != \
                text[prev.start] and not _is_title(prev.low) and prev.low not in lists.not_names
            if prev_candidate and ((prev.info is not None and not prev.info[1])
                                   or (is_name and prev.info is None)):
                is_name = prev.name = True
        w.name = is_name
        words.append(w)
    return [(w.start, w.end) for w in words if w.name]


def old_redact_names(text: str, placeholder: str = "[NIMI]") -> str:
    spans = old_name_spans(text)
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


def old_redact(text: str) -> str:
    for _ in range(4):
        out = text
        if MAY_HOLD_IDENTIFIER.search(out):
            for pattern, replacement in IDENTIFIER_STEPS:
                out = pattern.sub(replacement, out)
        out = old_redact_names(out, NAME)
        if out == text:
            return out
        text = out
    return text


# --- the texts ---------------------------------------------------------------------------------

def _strings(obj: object) -> Iterator[str]:
    if isinstance(obj, str):
        yield obj
    elif isinstance(obj, dict):
        for v in obj.values():
            yield from _strings(v)
    elif isinstance(obj, list):
        for v in obj:
            yield from _strings(v)


def _repository_texts() -> list[str]:
    texts: list[str] = []
    for path in sorted(TEST_DATA.glob("*.jsonl")) + sorted(
            (ROOT / "streams" / "classification" / "data").glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                texts.extend(_strings(json.loads(line)))
    literal_files = [*sorted((ROOT / "scenario").rglob("*.py")),
                     ROOT / "tests" / "unit" / "schemas" / "test_redaction.py",
                     ROOT / "tests" / "unit" / "streams" / "test_privacy.py",
                     ROOT / "kokemusvirta" / "bench" / "redaction.py"]
    for path in literal_files:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                texts.append(node.value)
    for seed in (7, 2026):
        for record in generate(seed, events=1_500):
            try:
                texts.extend(_strings(json.loads(record.value)))
            except ValueError:
                texts.append(record.value.decode("utf-8", "replace"))
    return [t for t in texts if t]


def _dense_texts(n: int, seed: int = 13) -> list[str]:
    """Texts made of names in their case forms, titles, signatures, context words, placeholders,
    words that are not names, in every capitalisation, joined by every kind of gap the rules
    read (a space, a full stop, a comma, a new line, a bracket, a hyphen, nothing)."""
    raw = yaml.safe_load((ROOT / "schemas" / "redaction" / "names.yaml").read_text("utf-8"))
    rnd = random.Random(seed)
    names = [n for key in ("first_names", "surnames", "ambiguous_first_names",
                           "ambiguous_surnames") for n in raw[key]]
    context = ["hoitaja", "sairaanhoitaja", "lääkäri", "hammaslääkärille", "Dr", "dr", "Mr",
               "syster", "nurse", "Terveisin", "terveisin", "t", "T", "Nimeni", "nimeni", "on",
               "nimi", "name", "is", "olen", "oon", "I'm", "I", "am", "jag", "är", "Kiitos",
               "kiitos", "tack", "thank", "you", "Thanks", "mvh", "hälsningar", "called",
               "omaishoitaja", "Hei", "Toivon", "ja", "oli", "the", "and", "[NIMI]", "[HETU]",
               "[PUHELIN]", "Pian", "Ainoa", "Kela", "KELA", "Mäki", "Anna", "Jonne",
               # e-mail addresses with no digit or "@" in them, for the identifiers' pre-check
               "liisa(at)example.fi", "Matti [at] posti.fi", "anna { ät } koti.fi",
               "jonne(a)firma.com", "puh.", "(09) 123 456", "040-123 4567"]
    context += [w for w in raw["not_names"][:60]]
    gaps = [" ", " ", " ", " ", ". ", ", ", "\n", " - ", "-", ":", "'", " [", "] ", ".", "",
            "  ", "\t", "; ", " (", ") ", "! ", "? ", "2 ", " x"]

    def name_word() -> str:
        form = rnd.choice(sorted(case_forms(rnd.choice(names))))
        shape = rnd.random()
        if shape < 0.6:
            form = form[:1].upper() + form[1:]
        elif shape < 0.7:
            form = form.upper()
        if rnd.random() < 0.1:
            form += rnd.choice([":lle", "'s", "’n", "-" + rnd.choice(names)])
        return form

    texts = []
    for _ in range(n):
        parts = []
        for _ in range(rnd.randint(1, 14)):
            if rnd.random() < 0.1:  # "hoitaja liisa", "dr. smith"
                parts.append(rnd.choice(context[:8]) + rnd.choice([" ", ". ", "  "]))
                parts.append(rnd.choice(sorted(case_forms(rnd.choice(names)))))
                parts.append(rnd.choice(gaps))
                continue
            parts.append(name_word() if rnd.random() < 0.5 else rnd.choice(context))
            parts.append(rnd.choice(gaps))
        texts.append(("" if rnd.random() < 0.8 else rnd.choice(gaps)) + "".join(parts))
    return texts


@pytest.fixture(scope="module")
def texts() -> list[str]:
    return _repository_texts() + _dense_texts(4_000)


def test_the_texts_exercise_every_rule(texts: list[str]) -> None:
    """The comparison means something: many texts have names, found by every kind of rule."""
    spans = [(t, old_name_spans(t)) for t in texts]
    assert len(texts) > 10_000 and sum(1 for _, s in spans if s) > 3_000
    # "hoitaja liisa": a lower-case name after a title
    assert sum(1 for t, s in spans for a, _ in s if t[a].islower()) > 50
    # "Anna Mäki": a name decided with the word after it (two names a space apart)
    assert sum(1 for t, s in spans for (_, e), (a, _) in pairwise(s)
               if t[e:a] == " ") > 500
    redacted = "".join(map(old_redact, texts[::3]))
    for placeholder in (NAME, HETU, PHONE, EMAIL, IBAN):
        assert placeholder in redacted


def test_name_spans_are_the_old_ones(texts: list[str]) -> None:
    differ = [t for t in texts if name_spans(t) != old_name_spans(t)]
    assert not differ, differ[:5]


def test_redacted_texts_are_the_old_ones(texts: list[str]) -> None:
    differ = [t for t in texts if redact_names(t) != old_redact_names(t)
              or redact(t) != old_redact(t)]
    assert not differ, differ[:5]
