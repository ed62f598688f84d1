"""Compiled rules of one language and where they match in a text; pure, no I/O.

Every pattern is compiled once into an index from stems to (rule, part, slot) references. A text is
lowercased and split once; each word's keys (morphology.py) are looked up by their prefixes, and
what a word hits is cached per word (Hits), so a word seen before costs one dictionary look-up. A
text's work then follows its own words, not the number of rules: a one-word rule fires where its
word first is; a longer rule is searched for only when its rarest slot's word is in the text and
every other slot was hit too (one AND of bits), and only its own slots' positions are collected.
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


class Hits(NamedTuple):
    """What one word hits in one language's rules."""

    refs: tuple[int, ...]  # ids of (rule, part, slot) whose positions a search may read
    mask: int  # the same ids as bits: a text's ids are one OR per word, a rule's check one AND
    singles: tuple[int, ...]  # one-word rules it fires
    triggered: tuple[int, ...]  # longer rules worth trying when it is in a text


_NOTHING = Hits((), 0, (), ())


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
        # A rule of one word (one part, one slot, no unless) fires where that word first is: no
        # search, no positions kept.
        self._single = frozenset(r.idx for r in self.rules
                                 if r.unless is None and r.cat != "unless"
                                 and len(r.parts) == 1 and len(r.parts[0]) == 1)
        # Every (rule, part, slot) of the other rules gets a number: a text's hits are kept by
        # these small ints, which hash for free (a tuple is hashed anew at each look-up), and a
        # word's ids are also one int's bits.
        self._ref_ids: dict[Ref, int] = {}
        self._slots: dict[int, tuple[tuple[int, ...], ...]] = {}  # per rule: per part, per slot
        for r in self.rules:
            if r.idx not in self._single:
                self._slots[r.idx] = tuple(
                    tuple(self._ref_ids.setdefault((r.idx, pi, si), len(self._ref_ids))
                          for si in range(len(part))) for pi, part in enumerate(r.parts))
        # Every (part, slot) of such a rule must be hit by some word of the text before its
        # positions are worth searching. A rule is tried only when its rarest-looking slot (the
        # longest stem; a negator such as "ei" starts many phrases but ends none) was hit, and
        # then only when all its slots were: the same rules as trying every rule whose first
        # slot was hit, fewer tried.
        needs = {r: frozenset(i for part in slots for i in part)
                 for r, slots in self._slots.items()}
        self._trigger = {r.idx: self._rarest(r) for r in self.rules
                         if r.cat != "unless" and r.idx not in self._single}
        self._needs = {r: sum(1 << i for i in needs[r]) for r in self._trigger}  # as bits
        # The ids whose positions trying a rule reads: its own and its unless pattern's.
        self._wanted = {r: needs[r] | needs[u.idx] if (u := self.rules[r].unless) else needs[r]
                        for r in self._trigger}
        self._wanted_bits = {r: sum(1 << i for i in ids) for r, ids in self._wanted.items()}
        # Per word: the ids it hits (listed and as bits), the one-word rules it fires, the
        # rules it triggers. A plain dict read per word of a text; emptied when full, so it
        # stays bounded. Most words hit nothing and share one entry.
        self._words: dict[str, Hits] = {}

    def _rarest(self, rule: Rule) -> int:
        """The id of the slot least likely to be hit: its shortest alternative is the longest
        (a compound stem, found anywhere inside a key, counts as one letter shorter)."""
        best, best_score = -1, -1
        for pi, part in enumerate(rule.parts):
            for si, (alts, _gap) in enumerate(part):
                score = min(len(stem) - comp for stem, comp, _exact, _surface in alts)
                if score > best_score:
                    best, best_score = self._slots[rule.idx][pi][si], score
        return best

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

    def _word(self, word: str) -> Hits:
        refs = self.word_hits(word)
        single, trigger, ids = self._single, self._trigger, self._ref_ids
        numbered = tuple(dict.fromkeys(ids[r] for r in refs if r[0] not in single))
        triggered = (r[0] for r in refs if trigger.get(r[0], -1) == ids.get(r))
        entry = Hits(numbered, sum(1 << i for i in numbered),
                     tuple(dict.fromkeys(r[0] for r in refs if r[0] in single)),
                     tuple(dict.fromkeys(triggered)))
        if entry == _NOTHING:
            entry = _NOTHING
        if len(self._words) >= _WORDS_CACHED:
            self._words.clear()
        self._words[word] = entry
        return entry

    def fired(self, t: Text) -> list[Fired]:
        """Rules that match, in rule order, one per data entry and position."""
        words = t.words
        first: dict[int, int] = {}  # one-word rule -> the position of its first word
        tried: set[int] = set()
        hit: list[tuple[tuple[int, ...], int, int]] = []  # (ids, bits, position) of each word
        present = 0  # the ids hit by any word, as bits
        known, nothing = self._words.get, _NOTHING
        for i, w in enumerate(words):
            entry = known(w) or self._word(w)
            if entry is nothing:
                continue
            refs, mask, singles, triggered = entry
            for r in singles:
                if r not in first:
                    first[r] = i
            if triggered:
                tried.update(triggered)
            if mask:
                present |= mask
                hit.append((refs, mask, i))
        passing: list[int] = []
        hits: dict[int, list[int]] = {}
        if tried:
            needs = self._needs
            passing = [r for r in tried if needs[r] & present == needs[r]]
        if passing:  # the positions of the ids these rules read, in text order
            wanted = frozenset().union(*map(self._wanted.__getitem__, passing))
            bits = 0
            for r in passing:
                bits |= self._wanted_bits[r]
            for refs, mask, i in hit:
                if not mask & bits:  # most words hit none of them
                    continue
                for ref in refs:
                    if ref not in wanted:
                        continue
                    got = hits.get(ref)
                    if got is None:
                        hits[ref] = [i]
                    else:
                        got.append(i)
        out: list[Fired] = []
        seen: set[tuple[int, int]] = set()
        rules, slots, new = self.rules, self._slots, tuple.__new__  # a Fired without its __new__
        for ridx in sorted([*first, *passing]) if passing else sorted(first):
            rule = rules[ridx]
            p = first.get(ridx)
            if p is not None:  # one word: where it first is
                if (rule.entry, p) not in seen:
                    seen.add((rule.entry, p))
                    out.append(new(Fired, (rule, p, p, (words[p],))))
                continue
            spans = []
            for pi in range(len(rule.parts)):  # every part must match: stop at the first not
                span = _find(rule, pi, slots[ridx][pi], hits, t)
                if span is None:
                    break
                spans.append(span)
            if len(spans) < len(rule.parts):
                continue
            start = spans[0]
            if rule.unless and _find(rule.unless, 0, slots[rule.unless.idx][0], hits, t,
                                     t.sent[start[0]]) is not None:
                continue
            if (rule.entry, start[0]) not in seen:
                seen.add((rule.entry, start[0]))
                found = tuple(w for span in spans if span for w in words[span[0]:span[1] + 1])
                out.append(new(Fired, (rule, start[0], start[1], found)))
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


def _find(rule: Rule, pi: int, slots: tuple[int, ...], hits: dict[int, list[int]], t: Text,
          sentence: int | None = None) -> tuple[int, int] | None:
    """(start, end) word positions of the first match of part pi (its slots' ids), or None."""
    part, get, sent = rule.parts[pi], hits.get, t.sent
    for p in get(slots[0], ()):
        if sentence is not None and sent[p] != sentence:
            continue
        cur: int | None = p
        for si in range(1, len(part)):
            gap = part[si][1]
            cur = next((q for q in get(slots[si], ())
                        if cur is not None and cur < q <= cur + 1 + gap
                        and sent[q] == sent[p]), None)
            if cur is None:
                break
        else:
            return p, cur if cur is not None else p
    return None
