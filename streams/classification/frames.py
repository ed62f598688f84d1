"""Critical frames: an event of harm or risk together with a person who is vulnerable or was left
without help; pure.

The rule files' ``frames`` section names the events per frame (fall, medication, violence, abuse,
neglect, suicidality, unsafe discharge, child at risk) and, once for all frames, the persons (a
person with dementia, a child, someone alone, "nobody came"). What fired becomes:

- an event with a person in the same text: **critical**;
- an event alone: what its frame says (``alone``): critical (a first-person statement of wanting
  to die needs no second half), **suspected** (severity critical, ``critical_suspected``: routed
  as critical and waiting for a person to confirm or down-grade it), or none (a fall is high);
- praise (a situation told as handled well) lowers each by one step: critical becomes suspected,
  suspected nothing;
- a negated event ("ei kaatunut", "ettei mitään murtunut") counts for nothing; the rule files'
  ``unless`` patterns take out risk talk ("kaatumisriski arvioitiin", "fall prevention").

Every result names its frame and the text's words, so the explanation says why.
"""

from __future__ import annotations

from typing import NamedTuple

from streams.classification.ruleset import Frame

CRITICAL, SUSPECTED, NONE = "critical", "suspected", "none"
_LOWER = {CRITICAL: SUSPECTED, SUSPECTED: NONE, NONE: NONE}


class Event(NamedTuple):
    frame: Frame
    lang: str
    label: str
    words: tuple[str, ...]


class Person(NamedTuple):
    lang: str
    label: str
    words: tuple[str, ...]


class Verdict(NamedTuple):
    """One frame's outcome: level (critical or suspected), the rule id, the words that decided."""

    frame: str
    level: str
    lang: str
    rule_id: str
    words: tuple[str, ...]


def judge(events: list[Event], persons: list[Person], praise: bool) -> list[Verdict]:
    """The verdict of every frame whose events fired, strongest first (critical, suspected)."""
    person = persons[0] if persons else None
    best: dict[str, Verdict] = {}
    for e in events:
        level = CRITICAL if person else e.frame.alone
        if praise:
            level = _LOWER[level]
        if level == NONE:
            continue
        label = f"{e.label}+{person.label}" if person else e.label
        words = tuple(dict.fromkeys(e.words + (person.words if person else ())))
        rule_id = f"severity.{level}.frame.{e.frame.name}.{e.lang}:{label}"
        v = Verdict(e.frame.name, level, e.lang, rule_id, words)
        old = best.get(e.frame.name)
        if old is None or (old.level == SUSPECTED and level == CRITICAL):
            best[e.frame.name] = v
    return sorted(best.values(), key=lambda v: v.level != CRITICAL)
