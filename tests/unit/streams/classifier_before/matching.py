# A copy of streams/classification/matching.py at commit 3544bc6, before issue 13 made it faster
# (see __init__.py); only its imports differ.
"""Compiled rules of one language and where they match in a text; pure, no I/O.

Every pattern is compiled once into an index from stems to (rule, part, slot) references. A text is
lowercased and split once; each word's keys (morphology.py) are looked up by their prefixes, and
the references a word hits are cached per word, so a word seen before costs one dictionary look-up.
"""

from __future__ import annotations

import functools
import itertools
import math
import re
from collections import defaultdict
from typing import Any, NamedTuple

from streams.classification.morphology import Morphology
from streams.classification.ruleset import Language, R

Ref = tuple[int, int, int]  # rule index, part, slot


class Rule(NamedTuple):
    idx: int
    # theme stance negprob negharm irony rhetorical severity frame person reply signoff unless
    cat: str
    key: Any  # a Theme, a stance kind, a severity Group, or None
    weight: int
    label: str  # shown in the rule id
    entry: int  # first index of the rules expanded from the same data entry
    parts: tuple  # per " + " part: ((alternatives (stem, compound, exact), gap before), ...)
    unless: Rule | None = None


class Text(NamedTuple):
    words: list[str]
    sent: list[int]  # sentence number of each word
    clause: list[int]  # clause number (commas too) of each word
    firsts: list[int]  # position of the first word of each sentence
    questions: set[int]  # sentences that end with "?"


class Fired(NamedTuple):
    rule: Rule
    start: int  # word span of the first part
    end: int
    words: tuple[str, ...]  # the text's words that made every part match (the trigger)


_TOKEN = re.compile(r"\w+|[.!?;:,]")


def tokenize(text: str) -> Text:
    norm = text.lower().replace("\u2019", "'").replace("n't", " not")
    words: list[str] = []
    sent: list[int] = []
    clause: list[int] = []
    firsts: list[int] = []
    questions: set[int] = set()
    s = c = 0
    for t in _TOKEN.findall(norm):
        if t in ".!?;:,":
            if t == "?":
                questions.add(s)
            c, s = c + 1, s + (t in ".!?;")
            continue
        if not sent or sent[-1] != s:
            firsts.append(len(words))
        words.append(t)
        sent.append(s)
        clause.append(c)
    return Text(words, sent, clause, firsts, questions)


def _parse_part(part: str) -> tuple:
    slots: list[tuple[tuple[tuple[str, bool, bool, bool], ...], int]] = []
    gap = 1
    for word in part.split():
        if word == "..":
            gap = 3
            continue
        # (stem, anywhere inside, whole key, on the word as written only)
        alts = tuple((a.strip("*$="), a.startswith("*"), a.endswith("$"),
                      a.endswith("$") or a.startswith("=")) for a in word.split("|"))
        slots.append((alts, gap if slots else 0))
        gap = 1
    return tuple(slots)


# A phrase with more combinations of alternatives than this stays one rule (its id shows the
# first alternatives): a frequent first word ("hoitaja", "ei") is then tried once per text, not
# once per combination.
MAX_EXPANDED = 8
_WORDS_CACHED = 100_000


def _expand(spec: str, whole: bool = False) -> list[tuple[str, str]]:
    """(label, spec) pairs: alternatives become separate rules, except in co-occurrence rules,
    phrases with many combinations, and when ``whole`` (frames; the trigger words name what
    matched)."""
    words = [w.split("|") for w in spec.split()]
    if " + " in spec or whole or math.prod(map(len, words)) > MAX_EXPANDED:
        return [("+".join(" ".join(w.split("|")[0].strip("*$") for w in p.split() if w != "..")
                          for p in spec.split(" + ")), spec)]
    return [(" ".join(a.strip("*$=") for a in combo if a != ".."), " ".join(combo))
            for combo in itertools.product(*words)]


class Index:
    """The rules of one language compiled for matching with one morphology."""

    def __init__(self, language: Language, morphology: Morphology) -> None:
        self.language = language
        self.morphology = morphology
        self.rules: list[Rule] = []
        prefix: dict[str, list[tuple[Ref, bool, bool]]] = defaultdict(list)
        compound: dict[tuple[str, bool, bool], list[Ref]] = defaultdict(list)
        for cat, key, entry, weight in _entries(language):
            start = len(self.rules)
            for label, spec in _expand(entry.spec, whole=cat in ("frame", "person")):
                unless = None
                if entry.unless:
                    unless = Rule(len(self.rules), "unless", None, 0, "", start,
                                  (_parse_part(entry.unless),))
                    self.rules.append(unless)
                self.rules.append(Rule(len(self.rules), cat, key, weight, entry.label or label,
                                       start, tuple(_parse_part(p) for p in spec.split(" + ")),
                                       unless))
            for rule in self.rules[start:]:
                for pi, part in enumerate(rule.parts):
                    for si, (alts, _gap) in enumerate(part):
                        for stem, comp, exact, surface in alts:
                            if comp:
                                compound[(stem, exact, surface)].append((rule.idx, pi, si))
                            else:
                                prefix[stem].append(((rule.idx, pi, si), exact, surface))
        self._prefix = dict(prefix)
        self._compound = tuple((stem, exact, surface, tuple(refs))
                               for (stem, exact, surface), refs in compound.items())
        self._maxlen = max(map(len, self._prefix))
        # Compound stems by their first two letters: a key is checked only against the stems
        # whose first two letters it contains (stems shorter than two letters always).
        by_pair: dict[str, list[int]] = defaultdict(list)
        for n, (stem, *_rest) in enumerate(self._compound):
            by_pair[stem[:2] if len(stem) >= 2 else ""].append(n)
        self._compound_by_pair = {pair: tuple(ns) for pair, ns in by_pair.items()}
        self.word_hits = functools.lru_cache(maxsize=100_000)(self._word_hits)
        # A rule of one word (one part, one slot) matches where that word is: no search needed.
        self._single = frozenset(r.idx for r in self.rules
                                 if len(r.parts) == 1 and len(r.parts[0]) == 1)
        # Per word: its references and the rules it can start (first slot of the first part).
        # A plain dict read per word of a text; emptied when full, so it stays bounded.
        self._words: dict[str, tuple[tuple[Ref, ...], tuple[int, ...]]] = {}
        # Every (part, slot) of a longer rule must be hit by some word of the text before its
        # positions are worth searching: most phrases starting with "ei" or "ja" stop here.
        self._needs = {r.idx: frozenset((r.idx, pi, si) for pi, part in enumerate(r.parts)
                                        for si in range(len(part))) for r in self.rules}

    def _word_hits(self, word: str) -> tuple[Ref, ...]:
        """Every (rule, part, slot) that one word matches through any of its keys."""
        out: dict[Ref, None] = {}
        get, pairs = self._prefix.get, self._compound_by_pair
        for ki, key in enumerate(self.morphology.keys(self.language.code, word)):
            n = len(key)
            for k in range(1, min(n, self._maxlen) + 1):
                for ref, exact, surface in get(key[:k], ()):
                    if (not exact or k == n) and not (surface and ki):
                        out[ref] = None
            found = {c for pair in {key[i:i + 2] for i in range(n - 1)} | {""}
                     for c in pairs.get(pair, ())}
            for stem, exact, surface, refs in (self._compound[c] for c in sorted(found)):
                if stem in key and (not exact or key.endswith(stem)) and not (surface and ki):
                    out.update(dict.fromkeys(refs))
        return tuple(out)

    def _word(self, word: str) -> tuple[tuple[Ref, ...], tuple[int, ...]]:
        refs = self.word_hits(word)
        starts = tuple(r[0] for r in refs
                       if r[1] == 0 and r[2] == 0 and self.rules[r[0]].cat != "unless")
        if len(self._words) >= _WORDS_CACHED:
            self._words.clear()
        entry = self._words[word] = (refs, starts)
        return entry

    def fired(self, t: Text) -> list[Fired]:
        """Rules that match, in rule order, one per data entry and position."""
        hits: dict[Ref, list[int]] = {}
        starts: set[int] = set()
        known = self._words.get
        for i, w in enumerate(t.words):
            entry = known(w) or self._word(w)
            for ref in entry[0]:
                at = hits.get(ref)
                if at is None:
                    hits[ref] = [i]
                else:
                    at.append(i)
            starts.update(entry[1])
        out, seen = [], set()
        single, needs, present = self._single, self._needs, hits.keys()
        for ridx in sorted([r for r in starts if needs[r] <= present]):
            rule = self.rules[ridx]
            if ridx in single and rule.unless is None:  # one word: where it first is
                p = hits[(ridx, 0, 0)][0]
                if (rule.entry, p) not in seen:
                    seen.add((rule.entry, p))
                    out.append(Fired(rule, p, p, (t.words[p],)))
                continue
            spans = []
            for pi in range(len(rule.parts)):  # every part must match: stop at the first not
                span = _find(rule, pi, hits, t)
                if span is None:
                    break
                spans.append(span)
            if len(spans) < len(rule.parts):
                continue
            first = spans[0]
            if rule.unless and _find(rule.unless, 0, hits, t, t.sent[first[0]]) is not None:
                continue
            if (rule.entry, first[0]) not in seen:
                seen.add((rule.entry, first[0]))
                words = tuple(w for span in spans if span
                              for w in t.words[span[0]:span[1] + 1])
                out.append(Fired(rule, first[0], first[1], words))
        return out


def _entries(lang: Language) -> list[tuple[str, Any, R, int]]:
    """(category, key, entry, weight) of every rule of a language; strong stance counts 2."""
    out: list[tuple[str, Any, R, int]] = [
        ("theme", th, e, 0) for th, es in lang.themes.items() for e in es]
    out += [("stance", kind, e, w) for kind, pair in lang.stance.items()
            for w, es in zip((2, 1), pair, strict=True) for e in es]
    out += [("negprob", None, e, 0) for e in lang.negated_problems]
    out += [("negharm", None, e, 0) for e in lang.negated_needs]
    out += [("irony", None, e, 0) for e in lang.irony]
    out += [("rhetorical", None, e, 0) for e in lang.rhetorical]
    out += [("reported", None, e, 0) for e in lang.reported]
    out += [("severity", g, e, 0) for g in lang.severity for e in g.rules]
    out += [("frame", frame, e, 0) for frame in lang.frames for e in frame.rules]
    out += [("person", None, e, 0) for e in lang.persons]
    out += [("reply", None, e, 0) for e in lang.reply]
    out += [("signoff", None, e, 0) for e in lang.sign_off]
    return out


def _find(rule: Rule, pi: int, hits: dict[Ref, list[int]], t: Text,
          sentence: int | None = None) -> tuple[int, int] | None:
    """(start, end) word positions of the first match of part pi, or None."""
    part = rule.parts[pi]
    for p in hits.get((rule.idx, pi, 0), ()):
        if sentence is not None and t.sent[p] != sentence:
            continue
        cur: int | None = p
        for si in range(1, len(part)):
            gap = part[si][1]
            cur = next((q for q in hits.get((rule.idx, pi, si), ())
                        if cur is not None and cur < q <= cur + 1 + gap
                        and t.sent[q] == t.sent[p]), None)
            if cur is None:
                break
        else:
            return p, cur if cur is not None else p
    return None

