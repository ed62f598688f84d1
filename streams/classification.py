"""First rule-based classifier (TAXONOMY.md): themes, stance, severity and the rules that fired.

Pure logic: no I/O, no Kafka. Keyword data and its pattern language are in classification_rules;
they are compiled once at import into one index per language, so a text is lowercased and split
into words once and each word is looked up by its prefixes. Negation is handled in a window of
four words after a negator. A later Voikko-based classifier keeps this API.
"""

from __future__ import annotations

import itertools
import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from schemas.taxonomy import Severity, Stance, Theme
from streams import classification_rules as data

CLASSIFIER_VERSION = "rules-0.1.0"
SUPPORTED = ("fi", "sv", "en")


@dataclass(frozen=True)
class Classification:
    themes: tuple[Theme, ...]  # sorted by Theme declaration order, no duplicates
    stance: Stance
    severity: Severity
    rules: tuple[str, ...]  # ids of rules that fired, e.g. "severity.critical.fi:väär lääke"
    classifier_version: str = CLASSIFIER_VERSION


class _Rule(NamedTuple):
    idx: int
    cat: str  # theme | stance | severity | negprob | negharm | unless
    key: Any  # Theme, stance kind ("praise", ...), data.Group, or None
    weight: int
    label: str  # shown in the rule id
    entry: int  # first index of the rules expanded from the same data entry
    parts: tuple  # per " + " part: ((alternatives (stem, compound, exact), max gap before), ...)
    unless: _Rule | None = None


def _parse_part(part: str) -> tuple:
    slots: list[tuple[tuple[tuple[str, bool, bool], ...], int]] = []
    gap = 1
    for word in part.split():
        if word == "..":
            gap = 3
            continue
        alts = tuple((a.strip("*$"), a.startswith("*"), a.endswith("$")) for a in word.split("|"))
        slots.append((alts, gap if slots else 0))
        gap = 1
    return tuple(slots)


def _expand(spec: str) -> list[tuple[str, str]]:
    """(label, spec) pairs: alternatives become separate rules, except in co-occurrence rules."""
    if " + " in spec:
        return [("+".join(" ".join(w.split("|")[0].strip("*$") for w in p.split() if w != "..")
                          for p in spec.split(" + ")), spec)]
    words = [w.split("|") for w in spec.split()]
    return [(" ".join(a.strip("*$") for a in combo if a != ".."), " ".join(combo))
            for combo in itertools.product(*words)]


def _build(lang: str) -> tuple[list[_Rule], dict, dict, int]:
    """Rules of one language and its index: stem -> [((rule, part, slot), exact)]."""
    rules: list[_Rule] = []
    prefix: dict[str, list] = defaultdict(list)
    compound: dict[tuple[str, bool], list] = defaultdict(list)
    # (category, key, entry, weight); key as in _Rule.key
    entries: list[tuple[str, Theme | str | data.Group | None, str | data.R, int]]
    entries = [("theme", th, e, 0) for th, es in data.THEMES[lang].items() for e in es]
    entries += [("stance", kind, e, w) for kind, pair in data.STANCE[lang].items()
                for w, es in zip((2, 1), pair, strict=True) for e in es]
    entries += [("negprob", None, e, 0) for e in data.NEG_PROBLEMS[lang]]
    entries += [("negharm", None, e, 0) for e in data.NEG_HARM[lang]]
    entries += [("severity", g, e, 0) for g in data.SEVERITY[lang] for e in g.rules]
    entries += [("reply", None, e, 0) for e in data.REPLY[lang]]
    entries += [("signoff", None, e, 0) for e in data.SIGN_OFF[lang]]
    for cat, key, entry, weight in entries:
        r = entry if isinstance(entry, data.R) else data.R(entry)
        start = len(rules)
        for label, spec in _expand(r.spec):
            unless = None
            if r.unless:
                unless = _Rule(len(rules), "unless", None, 0, "", start, (_parse_part(r.unless),))
                rules.append(unless)
            rules.append(_Rule(len(rules), cat, key, weight, r.label or label, start,
                               tuple(_parse_part(p) for p in spec.split(" + ")), unless))
        for rule in rules[start:]:
            for pi, part in enumerate(rule.parts):
                for si, (alts, _gap) in enumerate(part):
                    for stem, comp, exact in alts:
                        if comp:
                            compound[(stem, exact)].append((rule.idx, pi, si))
                        else:
                            prefix[stem].append(((rule.idx, pi, si), exact))
    return rules, dict(prefix), dict(compound), max(map(len, prefix))


_INDEX = {lang: _build(lang) for lang in SUPPORTED}
_TOKEN = re.compile(r"\w+|[.!?;:,]")
_BASIC_NEEDS = data.Group(Severity.HIGH, (Theme.SAFETY,), data.ALWAYS, ())  # negated NEG_HARM
_SAMI = re.compile(r"[áđŋŧčšž]")  # two or more: Northern Sámi rather than fi/sv/en


class _Text(NamedTuple):
    norm: str
    words: list[str]
    sent: list[int]  # sentence number of each word
    clause: list[int]  # clause number (commas too) of each word
    firsts: list[int]  # position of the first word of each sentence
    questions: set[int]  # sentences that end with "?"


def _tokenize(text: str) -> _Text:
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
    return _Text(norm, words, sent, clause, firsts, questions)


def _scan(lang: str, t: _Text) -> dict[tuple[int, int, int], list[int]]:
    """Word positions where each (rule, part, slot) matches."""
    _rules, prefix, compound, maxlen = _INDEX[lang]
    hits: dict[tuple[int, int, int], list[int]] = defaultdict(list)
    comp = [(stem, exact, refs) for (stem, exact), refs in compound.items() if stem in t.norm]
    get = prefix.get
    for i, w in enumerate(t.words):
        n = len(w)
        for k in range(1, min(n, maxlen) + 1):
            for ref, exact in get(w[:k], ()):
                if not exact or k == n:
                    hits[ref].append(i)
        for stem, exact, refs in comp:
            if stem in w and (not exact or w.endswith(stem)):
                for ref in refs:
                    hits[ref].append(i)
    return hits


def _find(rule: _Rule, pi: int, hits: dict, t: _Text, sentence: int | None = None):
    """(start, end) word positions of the first match of part pi, or None."""
    part = rule.parts[pi]
    for p in hits.get((rule.idx, pi, 0), ()):
        if sentence is not None and t.sent[p] != sentence:
            continue
        cur = p
        for si in range(1, len(part)):
            gap = part[si][1]
            cur = next((q for q in hits.get((rule.idx, pi, si), ())
                        if cur < q <= cur + 1 + gap and t.sent[q] == t.sent[p]), None)
            if cur is None:
                break
        else:
            return p, cur
    return None


def _fired(lang: str, t: _Text) -> list[tuple[_Rule, int, int]]:
    """Rules that match, with the word span of their first part, in rule order."""
    rules, hits = _INDEX[lang][0], _scan(lang, t)
    out, seen = [], set()
    for ridx in sorted({ref[0] for ref in hits if ref[1] == 0 and ref[2] == 0}):
        rule = rules[ridx]
        if rule.cat == "unless":
            continue
        span = _find(rule, 0, hits, t)
        if span is None or any(_find(rule, pi, hits, t) is None
                               for pi in range(1, len(rule.parts))):
            continue
        if rule.unless and _find(rule.unless, 0, hits, t, t.sent[span[0]]) is not None:
            continue
        if (rule.entry, span[0]) not in seen:  # one id per data entry and position
            seen.add((rule.entry, span[0]))
            out.append((rule, span[0], span[1]))
    return out


def detect_language(text: str) -> str | None:
    """"fi", "sv" or "en" by frequent unambiguous words; None when unsure (or Sámi-looking)."""
    low = text.lower()
    if len(_SAMI.findall(low)) >= 2:
        return None
    words = [w for w in _TOKEN.findall(low) if w not in ".!?;:,"]
    score = {lang: float(sum(w in data.STOPWORDS[lang] for w in words)) for lang in SUPPORTED}
    score["sv"] += 2 * ("å" in low)
    score["fi"] += 0.5 * sum(w.endswith(("ssa", "ssä", "sta", "stä", "lla", "llä", "lle", "ksi"))
                             for w in words)
    ranked = sorted(SUPPORTED, key=lambda lang: -score[lang])
    best, second = score[ranked[0]], score[ranked[1]]
    return ranked[0] if best >= 1 and best > 2 * second else None


def classify(text: str, language: str | None) -> Classification:
    """Themes, stance and severity of one text; ``language`` as given by the source, may be None."""
    detected = detect_language(text)
    if language in SUPPORTED:
        langs = [language] + ([detected] if detected and detected != language else [])
        ids = [f"language.detected.{detected}"] if len(langs) > 1 else []
    else:  # None or unsupported (e.g. "se"): the detected language, else every language's rules
        langs = [detected] if detected else list(SUPPORTED)
        ids = (["language.unsupported"] if language or not detected else []) + (
            [f"language.detected.{detected}"] if detected else [])
    t = _tokenize(text)
    acc = _Acc(ids)
    for lang in langs:
        _apply(lang, t, acc)
    if t.questions - acc.replies:
        acc.stance("question", 2, langs[0] if len(langs) < len(SUPPORTED) else "any", "?")
    stance = _stance(acc)
    if stance is None:  # no evidence at all: the commonest stance, at low severity
        stance = Stance.COMPLAINT
        ids.append("stance.default:complaint")
    severity = _severity(stance, acc, "stance.default:complaint" in ids)
    return Classification(themes=tuple(th for th in Theme if th in acc.themes), stance=stance,
                          severity=severity, rules=tuple(dict.fromkeys(ids)))


@dataclass
class _Acc:
    ids: list[str]
    themes: set[Theme] = field(default_factory=set)
    score: dict[str, int] = field(default_factory=lambda: dict.fromkeys(
        ("praise", "complaint", "suggestion", "question"), 0))
    raised: list[tuple[data.Group, str, str]] = field(default_factory=list)  # group, lang, label
    replies: set[int] = field(default_factory=set)  # sentences asking for a reply, sign-offs
    strong: set[str] = field(default_factory=set)  # stance kinds with a strong (weight 2) signal
    contrast: bool = False

    def theme(self, th: Theme, lang: str, label: str) -> None:
        self.themes.add(th)
        self.ids.append(f"theme.{th}.{lang}:{label}")

    def stance(self, kind: str, weight: int, lang: str, label: str) -> None:
        self.score[kind] += weight
        if weight >= 2:
            self.strong.add(kind)
        self.ids.append(f"stance.{kind}.{lang}:{label}")


def _apply(lang: str, t: _Text, acc: _Acc) -> None:
    fired = _fired(lang, t)
    for rule, s, _e in fired:
        if rule.cat in ("reply", "signoff"):  # "Soittakaa minulle.", "Terveisin": no stance
            acc.replies.add(t.sent[s])
            acc.ids.append(f"{'reply.requested' if rule.cat == 'reply' else 'stance.ignored'}"
                           f".{lang}:{rule.label}")
    for rule, s, _e in fired:
        if rule.cat == "theme" and t.sent[s] not in acc.replies:
            acc.theme(rule.key, lang, rule.label)
        elif rule.cat == "severity":
            acc.raised.append((rule.key, lang, rule.label))
    # Negation: a negated problem counts as praise ("ei tarvinnut jonottaa"), a negated praise
    # word as complaint ("ei ystävällinen"), any other negation as weak complaint ("ei kertonut").
    negated: set[int] = set()
    for i, w in enumerate(t.words):
        if w not in data.NEGATORS[lang] or t.sent[i] in acc.replies:
            continue
        window = [j for j in range(i + 1, min(i + 5, len(t.words))) if t.clause[j] == t.clause[i]]
        negated.update(window)
        inside = [r for r, s, _e in fired if s in window]
        prob = next((r for r in inside if r.cat == "negprob"), None)
        praise = next((r for r in inside if r.cat == "stance" and r.key == "praise"), None)
        if prob:
            acc.stance("praise", 2, lang, f"{w}+{prob.label}")
        elif praise:
            acc.stance("complaint", 2, lang, f"{w}+{praise.label}")
        else:
            acc.stance("complaint", 1, lang, w)
        harm = next((r for r in inside if r.cat == "negharm"), None)
        if harm:  # basic needs not met: "ettei isä ehdi syödä", "fick inte äta"
            acc.raised.append((_BASIC_NEEDS, lang, f"{w}+{harm.label}"))
    problems = {s for r, s, _e in fired if r.cat == "negprob"}
    for rule, s, _e in fired:
        if rule.cat != "stance" or t.sent[s] in acc.replies or (s in negated and (
                rule.key == "praise" or (rule.key == "complaint" and s in problems))):
            continue  # negated words were judged above
        acc.stance(rule.key, rule.weight, lang, rule.label)
    wh, yes_no = data.QUESTION_WORDS[lang]
    for i in t.firsts:
        first, sentence = t.words[i], t.sent[i]
        if sentence in acc.replies:
            continue
        if first in wh:  # "Miten...", "How...": a question even with a "should" in it
            acc.stance("question", 2, lang, first)
        elif first in yes_no or (sentence in t.questions and len(first) > 3
                                 and first[-2:] in ("ko", "kö")):
            acc.stance("question", 1, lang, first)
    acc.contrast = acc.contrast or any(w in data.CONTRAST[lang] for w in t.words)


def _stance(acc: _Acc) -> Stance | None:
    score, strong = acc.score, acc.strong
    p, c, s, q = score["praise"], score["complaint"], score["suggestion"], score["question"]
    if s and s >= c and s >= p and s >= q - 1:  # "should" alone does not make a question one
        return Stance.SUGGESTION
    if q and q > c and q >= p:
        return Stance.QUESTION
    if p and c and ({"praise", "complaint"} <= strong or acc.contrast):
        return Stance.MIXED  # clear praise and clear complaint, or joined by "mutta", "but"
    if p or c:  # a tie goes to the side with a strong signal, else to complaint
        praise = p > c or (p == c and "praise" in strong and "complaint" not in strong)
        return Stance.PRAISE if praise else Stance.COMPLAINT
    return Stance.QUESTION if q else None


def _severity(stance: Stance, acc: _Acc, default: bool) -> Severity:
    """Highest applicable rule level, at least the stance's base level for a complaint."""
    problem = stance in (Stance.COMPLAINT, Stance.MIXED)
    applies = {data.ALWAYS: True, data.NOT_PRAISE: stance is not Stance.PRAISE,
               data.PROBLEM: problem}
    level = Severity.NONE
    for group, lang, label in acc.raised:
        if applies[group.when]:  # themes of a rule that does not apply are not added either
            acc.ids.append(f"severity.{group.level}.{lang}:{label}")
            for th in group.themes:
                acc.theme(th, lang, label)
            level = max(level, group.level, key=lambda sev: sev.rank)
    if problem:
        if default:
            base, why = Severity.LOW, "no-evidence"
        elif stance is Stance.MIXED:
            base, why = (Severity.MEDIUM if acc.score["complaint"] >= 3 else Severity.LOW), "mixed"
        elif acc.themes and acc.themes <= data.MINOR_THEMES:
            base, why = Severity.LOW, "minor-themes"
        else:
            base, why = Severity.MEDIUM, "complaint"
        if base.rank > level.rank:
            level = base
            acc.ids.append(f"severity.{base}.base:{why}")
    return level
