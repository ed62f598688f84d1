"""Rule-based classifier (docs/taxonomy.md): themes, stance and severity, each with its rules.

Pure logic: no I/O beyond reading the packaged rule files once, no Kafka. The rules are data, one
YAML file per language in rules/ (pattern language in ruleset.py); matching.py compiles and
matches them on the words' keys from morphology.py (Voikko base forms and compound parts for
Finnish, Snowball stems otherwise); decide.py turns what fired into labels; language.py detects
the language when the source does not give it. Critical favours recall and its explanation names
the words that triggered it.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

from schemas.taxonomy import Severity, Stance, Theme
from streams.classification import decide
from streams.classification import language as languages
from streams.classification.language import SUPPORTED, UNSUPPORTED, detect_language
from streams.classification.matching import Index, tokenize
from streams.classification.model import THEMES, ThemeModel, packaged_model
from streams.classification.morphology import Morphology, by_name, default_morphology
from streams.classification.ruleset import load

__all__ = ["CLASSIFIER_VERSION", "SUPPORTED", "UNSUPPORTED", "Classification", "Explanation",
           "classify", "detect_language"]

CLASSIFIER_VERSION = "rules-0.3.1"  # 0.3: critical frames, Sámi, language and source context;
# 0.3.1: theme rules read for the taxonomy's meaning (quality, respect, access)
_CRITICAL_IDS = ("severity.critical.", "severity.suspected.")
_FRAME_IDS = ("severity.critical.frame.", "severity.suspected.frame.")
_THEME_ORDER = {th: n for n, th in enumerate(Theme)}  # a text's themes in declaration order
# Whose rule ids explain a stance: both sides of a mixed one
_STANCE_KINDS = {st: ("praise", "complaint") if st is Stance.MIXED else (str(st),) for st in Stance}


@dataclass(frozen=True)
class Explanation:
    """Why each label was given: rule ids per label, the trigger words of severity rules."""

    language: str  # how the language was chosen: given, detected, registry, unsupported, unknown
    analyser: str  # voikko or snowball
    themes: tuple[tuple[Theme, tuple[str, ...]], ...]
    stance: tuple[str, ...]  # ids of the rules that support the chosen stance
    severity: tuple[str, ...]  # ids of the severity rules that applied
    triggers: tuple[tuple[str, tuple[str, ...]], ...]  # severity rule id -> words in the text

    @property
    def critical_triggers(self) -> tuple[str, ...]:
        """The text's words that made the item critical (empty when it is not)."""
        if not self.triggers:  # most texts: nothing to look through
            return ()
        return tuple(dict.fromkeys(w for rule_id, words in self.triggers
                                   if rule_id.startswith(_CRITICAL_IDS) for w in words))

    @property
    def frames(self) -> tuple[str, ...]:
        """The critical frames that fired (fall, medication, ...), critical ones first."""
        if not self.triggers:
            return ()
        return tuple(dict.fromkeys(rule_id.split(".")[3] for rule_id, _w in self.triggers
                                   if rule_id.startswith(_FRAME_IDS)))

    def summary(self, c: Classification) -> str:
        """One line a unit manager can read: what was decided and which words decided it."""
        parts = [f"{c.severity} {c.stance}" + (f" in {c.language}" if c.language else "")]
        if c.critical_suspected:
            parts.append("critical suspected (partial evidence, a person must confirm or "
                         f"down-grade it): {'/'.join(self.frames)}: "
                         + ", ".join(self.critical_triggers))
        elif self.critical_triggers:
            parts.append("critical because of: " + (f"{'/'.join(self.frames)}: " * bool(
                self.frames)) + ", ".join(self.critical_triggers))
        elif c.severity in (Severity.HIGH, Severity.MEDIUM) and self.triggers:
            parts.append(f"{c.severity} because of: " + ", ".join(
                dict.fromkeys(w for _r, words in self.triggers for w in words)))
        if self.language == UNSUPPORTED:
            parts.append("unsupported language: classified with the rules of every language")
        return "; ".join(parts)

    def as_dict(self, c: Classification) -> dict[str, Any]:
        return {
            "summary": self.summary(c),
            "language": self.language,
            "analyser": self.analyser,
            "themes": {str(th): list(ids) for th, ids in self.themes},
            "stance": list(self.stance),
            "severity": list(self.severity),
            "triggers": {rule_id: list(words) for rule_id, words in self.triggers},
            "frames": list(self.frames),
        }


@dataclass(frozen=True)
class Classification:
    themes: tuple[Theme, ...]  # sorted by Theme declaration order, no duplicates
    stance: Stance
    severity: Severity
    rules: tuple[str, ...]  # ids of rules that fired, e.g. "severity.critical.fi:väär lääke"
    classifier_version: str = CLASSIFIER_VERSION
    language: str | None = None  # fi, sv, en, se; "unsupported"; None: no text to tell
    explanation: Explanation | None = None
    # Severity is critical on partial evidence (a harm event without its vulnerable person):
    # routed as critical, waiting for a person to confirm or down-grade it.
    critical_suspected: bool = False


@functools.cache
def _index(lang: str, morphology: Morphology) -> Index:
    return Index(load(lang), morphology)


def keys_language(reported: str | None) -> str:
    """The morphology the theme model reads a text with: Finnish for Sámi and the unknown."""
    return reported if reported in SUPPORTED else "fi"


def _with_model(model: ThemeModel, ev: decide.Evidence, words: list[str], lang: str,
                morphology: Morphology) -> None:
    """Rules first: a rule's theme stays unless the model clearly disagrees (never safety, which
    severity rules and frames give); the model alone adds a theme it is confident of. Both are
    written into the evidence with the model's version, probability and weightiest words."""
    pred = model.predict(words, lambda w: morphology.keys(lang, w))
    for i, th in enumerate(THEMES):
        p, why = pred.probabilities[i], "+".join(pred.reasons[i]) or "-"
        label = f"{model.version}:p={p:.2f}:{why}"
        if th in ev.themes and p < model.keep and th is not Theme.SAFETY:
            del ev.themes[th]
            ev.ids.append(f"theme.vetoed.{th}.model:{label}")
        elif th not in ev.themes and p >= model.add:
            ev.theme(th, "model", label)


def classify(text: str, language: str | None, *, analyser: Morphology | str | None = None,
             unit_languages: tuple[str, ...] = (), source: str | None = None,
             use_model: bool = True) -> Classification:
    """Themes, stance and severity of one text; ``language`` as declared by the source (fi, sv,
    en, se; None or anything else: detected). ``unit_languages``: the service languages of the
    item's unit (organisation registry), used when the text does not tell. ``source``: the
    source family (feedback, workshop_output, expert_statement): a workshop output is a proposal
    unless it asks. ``analyser``: a Morphology, "voikko", "snowball", or None (default).
    ``use_model``: combine the rules' themes with the packaged theme model (model.py)."""
    morphology = analyser if isinstance(analyser, Morphology) else (
        default_morphology() if analyser is None else by_name(analyser))
    return _classified(text, language, morphology, tuple(unit_languages), source, use_model)


# The same text with the same context gets the same, immutable Classification: a repeated text
# (a template, a resent record) costs one look-up. Bounded: least recently used go first.
_TEXTS_CACHED = 4_096


@functools.lru_cache(maxsize=_TEXTS_CACHED)
def _classified(text: str, language: str | None, morphology: Morphology,
                unit_languages: tuple[str, ...], source: str | None,
                use_model: bool) -> Classification:
    t = tokenize(text)
    # Without "n't" (which the tokenizer splits into "not") its words are detection's words too.
    same = ("'" not in text and "\u2019" not in text) or (
        "n't" not in (low := text.lower()) and "n\u2019t" not in low)
    choice = languages.choose(text, language, unit_languages, morphology.finnish_word,
                              t.words if same else None)
    langs, how, reported, ids = list(choice.rules), choice.how, choice.reported, list(choice.ids)
    ev = decide.Evidence(ids)
    for lang in langs:
        decide.apply(_index(lang, morphology), t, ev)
    if t.questions - ev.replies - ev.rhetorical:
        ev.stance("question", 2, langs[0] if len(langs) < len(SUPPORTED) else "any", "?")
    stance = decide.stance(ev, source)
    no_evidence = stance is None
    if stance is None:  # no evidence at all: the commonest stance, at low severity
        stance = Stance.COMPLAINT
        ids.append("stance.default:complaint")
    severity = decide.severity(stance, ev, no_evidence)
    model = packaged_model() if use_model else None
    if model is not None and t.words:
        _with_model(model, ev, t.words, keys_language(reported), morphology)
    themes = tuple(sorted(ev.themes, key=_THEME_ORDER.__getitem__)) if ev.themes else ()
    kinds = _STANCE_KINDS[stance]
    explanation = Explanation(
        language=how, analyser=morphology.name,
        themes=tuple([(th, tuple(dict.fromkeys(ev.themes[th]))) for th in themes]),
        stance=tuple(dict.fromkeys(
            [i for k in kinds for i in ev.stance_ids.get(k, ())] + (
                ["stance.default:complaint"] if no_evidence else []))),
        severity=tuple(dict.fromkeys(ev.severity_ids)),
        triggers=tuple(ev.triggers.items()))
    return Classification(themes=themes, stance=stance, severity=severity,
                          rules=tuple(dict.fromkeys(ids)),
                          classifier_version="+".join(
                              [CLASSIFIER_VERSION] + ([model.version] if model else [])
                              + [morphology.name]),
                          language=reported, explanation=explanation,
                          critical_suspected=ev.suspected)
