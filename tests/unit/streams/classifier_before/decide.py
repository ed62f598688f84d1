# A copy of streams/classification/decide.py at commit 3544bc6, before issue 13 made it faster
# (see __init__.py); only its imports differ.
"""From the rules that fired to themes, stance and severity, keeping the rule ids of each label.

Negation: a negator makes the next four words of its clause negated; a negated problem is praise
("ei tarvinnut jonottaa"), a negated praise word a complaint ("ei ystävällinen"), a negated basic
need high severity ("ettei isä ehdi syödä"). Intensifiers ("todella", "very") make the next stance
word count once more. Irony markers ("kiitos vaan", "oh great") turn the praise words of their
sentence into complaint. Severity is the highest level whose rules fired and apply to the stance,
at least the base level of a complaint.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from schemas.taxonomy import Severity, Stance, Theme
from streams.classification import frames
from streams.classification.ruleset import ALWAYS, NOT_PRAISE, PROBLEM, Group
from tests.unit.streams.classifier_before.matching import Fired, Index, Text

# A complaint only about these themes is "low" unless a medium-or-higher rule fired.
MINOR_THEMES = frozenset({Theme.ENVIRONMENT, Theme.DIGITAL, Theme.FEES})
_BASIC_NEEDS = Group(Severity.HIGH, (Theme.SAFETY,), ALWAYS, ())
NEGATION_WINDOW = 4


@dataclass
class Evidence:
    """What the rules of every language tried said about one text, with rule ids."""

    ids: list[str]
    themes: dict[Theme, list[str]] = field(default_factory=dict)
    score: dict[str, int] = field(default_factory=lambda: dict.fromkeys(
        ("praise", "complaint", "suggestion", "question"), 0))
    stance_ids: dict[str, list[str]] = field(default_factory=dict)
    raised: list[tuple[Group, str, str, tuple[str, ...]]] = field(default_factory=list)
    replies: set[int] = field(default_factory=set)  # sentences asking for a reply, sign-offs
    rhetorical: set[int] = field(default_factory=set)  # "Miksi minun pitää...?": a complaint
    strong: set[str] = field(default_factory=set)  # stance kinds with a strong (weight 2) signal
    contrast: bool = False
    severity_ids: list[str] = field(default_factory=list)
    triggers: dict[str, tuple[str, ...]] = field(default_factory=dict)  # severity id -> words
    events: list[frames.Event] = field(default_factory=list)  # critical frames' events
    persons: list[frames.Person] = field(default_factory=list)  # vulnerable or left alone
    suspected: bool = False  # critical on partial evidence only

    def theme(self, th: Theme, lang: str, label: str) -> None:
        rule_id = f"theme.{th}.{lang}:{label}"
        self.themes.setdefault(th, []).append(rule_id)
        self.ids.append(rule_id)

    def stance(self, kind: str, weight: int, lang: str, label: str) -> None:
        self.score[kind] += weight
        if weight >= 2:
            self.strong.add(kind)
        rule_id = f"stance.{kind}.{lang}:{label}"
        self.stance_ids.setdefault(kind, []).append(rule_id)
        self.ids.append(rule_id)


def apply(index: Index, t: Text, ev: Evidence) -> None:
    """Add what one language's rules find in the text to the evidence."""
    lang, rules = index.language.code, index.language
    fired = index.fired(t)
    for f in fired:
        if f.rule.cat in ("reply", "signoff"):  # "Soittakaa minulle.", "Terveisin": no stance
            ev.replies.add(t.sent[f.start])
            kind = "reply.requested" if f.rule.cat == "reply" else "stance.ignored"
            ev.ids.append(f"{kind}.{lang}:{f.rule.label}")
    ironic: dict[int, str] = {}
    for f in fired:
        if f.rule.cat == "theme" and t.sent[f.start] not in ev.replies:
            ev.theme(f.rule.key, lang, f.rule.label)
        elif f.rule.cat == "severity":
            ev.raised.append((f.rule.key, lang, f.rule.label, f.words))
        elif f.rule.cat == "irony":
            ironic.setdefault(t.sent[f.start], f.rule.label)
    negated = _negation(index, t, ev, fired)
    for f in fired:
        if f.rule.cat == "frame":
            if f.start in negated and not _care_follows(index, t, f):  # "ei kaatunut"
                ev.ids.append(f"frame.negated.{f.rule.key.name}.{lang}:{f.rule.label}")
            else:
                ev.events.append(frames.Event(f.rule.key, lang, f.rule.label, f.words))
        elif f.rule.cat == "person":
            ev.persons.append(frames.Person(lang, f.rule.label, f.words))
    problems = {f.start for f in fired if f.rule.cat == "negprob"}
    reported = {i for f in fired if f.rule.cat == "reported"
                for i in range(f.end + 1, len(t.words)) if t.sent[i] == t.sent[f.start]}
    for f in fired:
        rule, s = f.rule, f.start
        if rule.cat != "stance" or t.sent[s] in ev.replies or (s in negated and (
                rule.key == "praise" or (rule.key == "complaint" and s in problems))):
            continue  # negated words were judged in _negation
        if rule.key == "suggestion" and s in reported:
            ev.ids.append(f"stance.reported.{lang}:{rule.label}")
            continue  # "he keeps saying everyone would be better off": not a proposal
        kind, label = rule.key, rule.label
        if kind == "praise" and t.sent[s] in ironic:
            kind, label = "complaint", f"irony:{ironic[t.sent[s]]}+{label}"
        boost = next((w for w in t.words[max(0, s - 2):s] if w in rules.intensifiers), None)
        if boost and t.clause[s - 1] == t.clause[s]:
            ev.stance(kind, rule.weight + 1, lang, f"{boost}+{label}")
        else:
            ev.stance(kind, rule.weight, lang, label)
    for sentence, label in ironic.items():  # irony with no praise word left is still a complaint
        if sentence not in ev.replies:
            ev.stance("complaint", 1, lang, f"irony:{label}")
    for f in fired:  # "Miksi minun pitää...?", "Why do I have to...?": a complaint
        if f.rule.cat == "rhetorical" and t.sent[f.start] not in ev.replies:
            ev.rhetorical.add(t.sent[f.start])
            ev.stance("complaint", 2, lang, f"rhetorical:{f.rule.label}")
    for i in t.firsts:
        first, sentence = t.words[i], t.sent[i]
        if sentence in ev.replies or sentence in ev.rhetorical:
            continue
        if first in rules.wh_words:  # "Miten...", "How...": a question even with a "should"
            # without "?" it may be a conjunction ("När jag kom dit...", "When I called..."))
            ev.stance("question", 2 if sentence in t.questions else 1, lang, first)
        elif first in rules.yes_no_words or (sentence in t.questions and len(first) > 3
                                             and first[-2:] in ("ko", "kö")):
            ev.stance("question", 1, lang, first)
    ev.contrast = ev.contrast or any(w in rules.contrast for w in t.words)


def _care_follows(index: Index, t: Text, f: Fired) -> bool:
    """A care verb after the event in its clause ("eikä painehaavoja ole hoidettu"): the
    negation is of the care, and the event stands."""
    care = index.language.care
    after = range(f.end + 1, min(f.end + 1 + NEGATION_WINDOW, len(t.words)))
    return bool(care) and any(t.clause[j] == t.clause[f.start] and t.words[j].startswith(care)
                              for j in after)


def _negation(index: Index, t: Text, ev: Evidence, fired: list[Fired]) -> set[int]:
    lang = index.language.code
    negated: set[int] = set()
    for i, w in enumerate(t.words):
        if w not in index.language.negators or t.sent[i] in ev.replies:
            continue
        window = [j for j in range(i + 1, min(i + 1 + NEGATION_WINDOW, len(t.words)))
                  if t.clause[j] == t.clause[i]]
        negated.update(window)
        inside = [f for f in fired if f.start in window]
        prob = next((f for f in inside if f.rule.cat == "negprob"), None)
        praise = next((f for f in inside
                       if f.rule.cat == "stance" and f.rule.key == "praise"), None)
        if prob:
            ev.stance("praise", 2, lang, f"{w}+{prob.rule.label}")
        elif praise:
            ev.stance("complaint", 2, lang, f"{w}+{praise.rule.label}")
        else:
            ev.stance("complaint", 1, lang, w)
        harm = next((f for f in inside if f.rule.cat == "negharm"), None)
        if harm:
            ev.raised.append((_BASIC_NEEDS, lang, f"{w}+{harm.rule.label}", (w, *harm.words)))
    return negated


WORKSHOP_OUTPUT = "workshop_output"


def stance(ev: Evidence, source: str | None = None) -> Stance | None:
    score, strong = ev.score, ev.strong
    p, c, s, q = score["praise"], score["complaint"], score["suggestion"], score["question"]
    if source == WORKSHOP_OUTPUT and not (q and q > s):
        # A workshop's output is a development proposal; the problem it names ("ettei joka
        # päivä tule eri hoitaja", "not only by phone") is what it proposes to fix.
        ev.ids.append("stance.suggestion.source:workshop_output")
        ev.stance_ids.setdefault("suggestion", []).append(
            "stance.suggestion.source:workshop_output")
        return Stance.SUGGESTION
    if s and s >= c and s >= p and s >= q - 1:  # "should" alone does not make a question one
        return Stance.SUGGESTION
    if q and q > c and q >= p:
        return Stance.QUESTION
    if p and c and ({"praise", "complaint"} <= strong or ev.contrast):
        return Stance.MIXED  # clear praise and clear complaint, or joined by "mutta", "but"
    if p or c:  # a tie goes to the side with a strong signal, else to complaint
        praise = p > c or (p == c and "praise" in strong and "complaint" not in strong)
        return Stance.PRAISE if praise else Stance.COMPLAINT
    return Stance.QUESTION if q else None


def severity(st: Stance, ev: Evidence, no_evidence: bool) -> Severity:
    """Highest applicable rule level, at least the stance's base level for a complaint."""
    problem = st in (Stance.COMPLAINT, Stance.MIXED)
    applies = {ALWAYS: True, NOT_PRAISE: st is not Stance.PRAISE, PROBLEM: problem}
    level = Severity.NONE
    for group, lang, label, words in ev.raised:
        if applies[group.when]:  # themes of a rule that does not apply are not added either
            rule_id = f"severity.{group.level}.{lang}:{label}"
            ev.ids.append(rule_id)
            ev.severity_ids.append(rule_id)
            ev.triggers.setdefault(rule_id, words)
            for th in group.themes:
                ev.theme(th, lang, label)
            level = max(level, group.level, key=lambda sev: sev.rank)
    for e in ev.events:  # a fall or a medication error is a safety topic at any severity
        if Theme.SAFETY not in ev.themes:
            ev.theme(Theme.SAFETY, e.lang, f"frame:{e.frame.name}")
    verdicts = frames.judge(ev.events, ev.persons, praise=st is Stance.PRAISE)
    for v in verdicts:  # the frames name what they found even when a rule was critical already
        ev.ids.append(v.rule_id)
        ev.severity_ids.append(v.rule_id)
        ev.triggers.setdefault(v.rule_id, v.words)
        ev.theme(Theme.SAFETY, v.lang, f"frame:{v.frame}")
        if v.frame == "abuse":  # restraint, sexual harassment, humiliation: dignity too
            ev.theme(Theme.RESPECT, v.lang, f"frame:{v.frame}")
    if verdicts and level is not Severity.CRITICAL:
        level = Severity.CRITICAL
        ev.suspected = verdicts[0].level == frames.SUSPECTED
    if problem:
        if no_evidence:
            base, why = Severity.LOW, "no-evidence"
        elif st is Stance.MIXED:
            base, why = (Severity.MEDIUM if ev.score["complaint"] >= 3 else Severity.LOW), "mixed"
        elif ev.themes and set(ev.themes) <= MINOR_THEMES:
            base, why = Severity.LOW, "minor-themes"
        else:
            base, why = Severity.MEDIUM, "complaint"
        if base.rank > level.rank:
            level = base
            rule_id = f"severity.{base}.base:{why}"
            ev.ids.append(rule_id)
            ev.severity_ids.append(rule_id)
    return level
