"""The rule files (rules/<language>.yaml) as typed data, checked when loaded; no matching here.

Pattern language (lowercase; texts are lowercased and split into word tokens at any non-letter,
so "teho-osastolle" is the two words "teho osastolle"). A pattern word matches a word when it is a
prefix of one of the word's keys: the word itself and, from morphology.py, its base forms and
compound parts (Voikko) or its stem (Snowball):

- ``jono``     a key that starts with the stem (jonossa, jonottaa; "päivystysjonossa" via its
               compound part "jono")
- ``*jono``    the stem anywhere inside a key; ``*kö$``: a key that ends with the stem
- ``vasta$``   the whole word as written (no ending); ``=kerto``: a prefix of the word as
               written only, not of its base forms ("kertoi", "kertonut" but not "kerroin")
- ``a|b``      alternatives for one word; each alternative becomes its own rule and rule id
- ``a b``      a phrase: b follows a with at most 1 word between, same sentence
- ``a .. b``   as above with at most 3 words between
- ``A + B``    co-occurrence: A and B anywhere in the same text (alternatives kept in one rule)

An entry is a pattern string or a mapping ``{match, unless, label}``: ``unless`` (a pattern) stops
the rule when it matches in the same sentence ("kaatui" of a web service is not a fall); ``label``
replaces the pattern in the rule id. Rule ids read ``<kind>.<label>.<lang>:<pattern>``, e.g.
``severity.critical.fi:väär lääke``; they travel with every classified event, so changing what a
rule means needs a new CLASSIFIER_VERSION.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from importlib import resources
from typing import Any, NamedTuple

import yaml

from schemas.taxonomy import Severity, Theme

ALWAYS, NOT_PRAISE, PROBLEM = "always", "not-praise", "problem"
STANCE_KINDS = ("praise", "complaint", "suggestion")


class R(NamedTuple):
    spec: str
    unless: str | None = None
    label: str | None = None


class Frame(NamedTuple):
    """One kind of critical event (fall, medication, ...): its event patterns and what the event
    alone is worth without a vulnerable or unattended person: ``critical``, ``suspected``, ``none``.
    """

    name: str
    alone: str
    rules: tuple[R, ...]


FRAME_ALONE = ("critical", "suspected", "none")


class Group(NamedTuple):
    """Severity rules of one level; ``when``: ALWAYS, NOT_PRAISE, or PROBLEM (complaint, mixed)."""

    level: Severity
    themes: tuple[Theme, ...]
    when: str
    rules: tuple[R, ...]


@dataclass(frozen=True)
class Language:
    code: str
    themes: dict[Theme, tuple[R, ...]]
    stance: dict[str, tuple[tuple[R, ...], tuple[R, ...]]]  # kind -> (strong, weak)
    negators: frozenset[str]
    negated_problems: tuple[R, ...]  # a negated problem is praise ("ei tarvinnut jonottaa")
    negated_needs: tuple[R, ...]  # negated basic needs are high ("ettei isä ehdi syödä")
    intensifiers: frozenset[str]  # "todella", "very": the next stance word counts once more
    irony: tuple[R, ...]  # "kiitos vaan", "oh great": praise in that sentence is a complaint
    rhetorical: tuple[R, ...]  # "miksi minun pitää ...?": a complaint, not a question
    severity: tuple[Group, ...]
    reply: tuple[R, ...]  # asking for a reply is no suggestion or question
    sign_off: tuple[R, ...]
    contrast: frozenset[str]
    wh_words: frozenset[str]
    yes_no_words: frozenset[str]
    stopwords: frozenset[str]  # language detection
    # Critical frames: an event of harm or risk with a person who is vulnerable or left without
    # help (streams/classification/frames.py decides from what fired).
    frames: tuple[Frame, ...] = ()
    persons: tuple[R, ...] = ()  # a vulnerable person, or one left without help
    # Care verbs: a negator before an event whose care verb follows negates the care, not the
    # event ("eikä painehaavoja ole hoidettu": the ulcers are there, untreated).
    care: tuple[str, ...] = ()
    # Reported speech ("hän sanoo, että", "säger att", "keeps saying"): the rest of the sentence
    # is someone else's words, so its conditionals are no suggestion of the writer's.
    reported: tuple[R, ...] = ()


class RuleFileError(ValueError):
    pass


_KEYS = {"language", "themes", "stance", "negators", "negated_problems", "negated_needs",
         "intensifiers", "irony", "rhetorical", "severity", "reply", "sign_off", "contrast",
         "question_words", "stopwords", "frames", "reported"}


def _entries(raw: Any, where: str) -> tuple[R, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list):
        raise RuleFileError(f"{where}: expected a list of patterns")
    out = []
    for entry in raw:
        if isinstance(entry, str) and entry.strip():
            out.append(R(entry.strip()))
        elif isinstance(entry, dict) and isinstance(entry.get("match"), str):
            if set(entry) - {"match", "unless", "label"}:
                raise RuleFileError(f"{where}: unknown keys in {entry}")
            out.append(R(entry["match"], entry.get("unless"), entry.get("label")))
        else:
            raise RuleFileError(f"{where}: bad entry {entry!r}")
    return tuple(out)


def _words(raw: Any, where: str) -> frozenset[str]:
    if not isinstance(raw, list) or not all(isinstance(w, str) for w in raw):
        raise RuleFileError(f"{where}: expected a list of words")
    return frozenset(w.lower() for w in raw)


def parse(doc: dict[str, Any], name: str) -> Language:
    """A rule file's content as a Language; RuleFileError names what is wrong and where."""
    if not isinstance(doc, dict) or set(doc) - _KEYS:
        raise RuleFileError(f"{name}: unknown top-level keys {sorted(set(doc) - _KEYS)}")
    try:
        themes = {Theme(code): _entries(es, f"{name}: themes.{code}")
                  for code, es in doc["themes"].items()}
        stance = {kind: (_entries(doc["stance"].get(kind, {}).get("strong"), f"{name}: {kind}"),
                         _entries(doc["stance"].get(kind, {}).get("weak"), f"{name}: {kind}"))
                  for kind in STANCE_KINDS}
        severity = tuple(
            Group(Severity(g["level"]), tuple(Theme(t) for t in g.get("themes", ())),
                  g.get("when", ALWAYS), _entries(g["rules"], f"{name}: severity.{g['level']}"))
            for g in doc["severity"])
        questions = doc["question_words"]
        language = Language(
            code=doc["language"], themes=themes, stance=stance,
            negators=_words(doc["negators"], f"{name}: negators"),
            negated_problems=_entries(doc.get("negated_problems"), f"{name}: negated_problems"),
            negated_needs=_entries(doc.get("negated_needs"), f"{name}: negated_needs"),
            intensifiers=_words(doc.get("intensifiers", []), f"{name}: intensifiers"),
            irony=_entries(doc.get("irony"), f"{name}: irony"),
            rhetorical=_entries(doc.get("rhetorical"), f"{name}: rhetorical"), severity=severity,
            reply=_entries(doc.get("reply"), f"{name}: reply"),
            sign_off=_entries(doc.get("sign_off"), f"{name}: sign_off"),
            contrast=_words(doc.get("contrast", []), f"{name}: contrast"),
            wh_words=_words(questions["wh"], f"{name}: question_words.wh"),
            yes_no_words=_words(questions["yes_no"], f"{name}: question_words.yes_no"),
            stopwords=_words(doc["stopwords"], f"{name}: stopwords"),
            frames=_frames(doc.get("frames", {}), name),
            persons=_entries(doc.get("frames", {}).get("persons"), f"{name}: frames.persons"),
            reported=_entries(doc.get("reported"), f"{name}: reported"),
            care=tuple(sorted(_words(doc.get("frames", {}).get("care", []),
                                     f"{name}: frames.care"))))
    except (KeyError, TypeError, AttributeError, ValueError) as bad:
        if isinstance(bad, RuleFileError):
            raise
        raise RuleFileError(f"{name}: {bad!r}") from bad
    for group in severity:
        if group.when not in (ALWAYS, NOT_PRAISE, PROBLEM):
            raise RuleFileError(f"{name}: severity group 'when' must be always, not-praise or "
                                f"problem, not {group.when!r}")
    return language


def _frames(raw: Any, name: str) -> tuple[Frame, ...]:
    if not isinstance(raw, dict) or set(raw) - {"persons", "events", "care"}:
        raise RuleFileError(f"{name}: frames: expected a mapping with persons, events, care")
    out = []
    for f in raw.get("events") or ():
        if not isinstance(f, dict) or set(f) != {"frame", "alone", "rules"} \
                or f["alone"] not in FRAME_ALONE:
            raise RuleFileError(f"{name}: frames.events: each needs frame, alone "
                                f"({', '.join(FRAME_ALONE)}) and rules, not {f!r}")
        out.append(Frame(str(f["frame"]), f["alone"],
                         _entries(f["rules"], f"{name}: frames.{f['frame']}")))
    return tuple(out)


@functools.cache
def load(lang: str) -> Language:
    """rules/<lang>.yaml from the installed package, read and checked once per process."""
    text = resources.files(__package__).joinpath("rules", f"{lang}.yaml").read_text("utf-8")
    return parse(yaml.safe_load(text), f"rules/{lang}.yaml")
