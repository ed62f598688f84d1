""""You said, we did": each decision paired with what it answered, as the public may read it.
Pure; shared by the monthly digest (managers/digest.py) and the public site
(kokemusvirta/site/).

What it answered is the item's redacted text (the store keeps only that), redacted once more in
case a name or a number slipped through, unless its writer could be picked out:

- the item's group is small: fewer than the store's suppression threshold
  (sinks/suppression.sql, `small_group_limit()`, 5): for feedback the unit's feedback received in
  the same month, for a statement the county's statements of that month, for a workshop output
  the meeting's participants. In a unit that heard from three people in March, a quote is a
  name;
- the person was forgotten (right to erasure): their words are not shown again.

Then the theme summary stands in for the words ("Palaute aiheesta Saatavuus ja odottaminen").
The public never sees an item id either: `public_ref` is a short hash that stays the same for
the item (feeds need stable entry ids) and leads nowhere without the store.

Language: a text is shown as written and marked with its language when the page is in another
one ("(på finska)"). A rationale's language is not recorded, so it is read from its words
(streams' detector) and, when they do not say, taken to be the unit's first service language.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from schemas.redaction import redact
from schemas.taxonomy import Theme
from schemas.vocabulary import THEMES

PAGE_LANGUAGES = ("fi", "sv")
DEFAULT_SMALL_GROUP_LIMIT = 5  # sinks/suppression.sql; readers of a store ask it the value

# "(in Finnish)" and so on: LANGUAGE_NAMES[text's language][page's language]
LANGUAGE_NAMES: dict[str, dict[str, str]] = {
    "fi": {"fi": "suomeksi", "sv": "på finska", "en": "in Finnish"},
    "sv": {"fi": "ruotsiksi", "sv": "på svenska", "en": "in Swedish"},
    "en": {"fi": "englanniksi", "sv": "på engelska", "en": "in English"},
    "se": {"fi": "pohjoissaameksi", "sv": "på nordsamiska", "en": "in Northern Sámi"},
}

# What a summary calls the item, by source family
KINDS: dict[str, dict[str, str]] = {
    "feedback": {"fi": "Palaute", "sv": "Respons", "en": "Feedback"},
    "workshop_output": {"fi": "Työpajan ehdotus", "sv": "Förslag från en workshop",
                        "en": "Workshop proposal"},
    "expert_statement": {"fi": "Lausunto", "sv": "Utlåtande", "en": "Statement"},
}
ABOUT = {"fi": "aiheesta", "sv": "om", "en": "about"}
NO_THEME = {"fi": "muista asioista", "sv": "annat", "en": "other matters"}
AND = {"fi": "ja", "sv": "och", "en": "and"}
# Control characters and bidirectional overrides: on a public page "\u202e" would turn the
# rest of a line around and let anyone's words pass for something else.
_UNSHOWN = re.compile("[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


@dataclass(frozen=True)
class Answered:
    """A decided item as the store has it: what was said and what was decided."""

    item_id: str
    source_family: str
    county: str
    unit: str | None
    text: str  # redacted by the worker
    language: str | None  # the text's language (the source's, else the classifier's)
    themes: tuple[str, ...]  # the labels that count (a person's where given)
    received_at: datetime
    decided_at: datetime
    outcome: str
    rationale: str
    decision_ref: str | None = None
    returned_at: datetime | None = None
    group_size: int = 0  # the people or items the writer hides among (see the module's text)
    erased: bool = False  # the person was forgotten


@dataclass(frozen=True)
class Pair:
    """One "you said, we did" pair as it may be published."""

    ref: str  # public reference: a hash, never the item id
    source_family: str
    county: str
    unit: str | None
    said: str | None  # the redacted words, or None: `summary` stands in for them
    said_language: str | None
    themes: tuple[str, ...]
    outcome: str
    rationale: str  # redacted once more
    rationale_language: str
    decision_ref: str | None
    received_at: datetime
    decided_at: datetime
    returned_at: datetime | None

    @property
    def summarised(self) -> bool:
        return self.said is None


def public_ref(item_id: str) -> str:
    """A short, stable reference the public may see: the same item gives the same one, and it
    does not give back the item id (nor anything of the person)."""
    digest = hashlib.sha256(f"kokemusvirta/you-said/{item_id}".encode()).hexdigest()
    return f"yv-{digest[:12]}"


def is_small_group(n: int, limit: int = DEFAULT_SMALL_GROUP_LIMIT) -> bool:
    """The store's rule (is_small_group in sinks/suppression.sql): 1 .. limit-1 is small."""
    return 1 <= n < limit


def shows_words(item: Answered, limit: int = DEFAULT_SMALL_GROUP_LIMIT) -> bool:
    """Whether the item's own (redacted) words may be published. An unknown group (0) is not
    known to be big, so it is summarised too."""
    return not item.erased and item.group_size >= limit


def rationale_language(text: str, unit_languages: Sequence[str] = ()) -> str:
    """The language a rationale is written in: its words, else the unit's first service
    language, else Finnish (the language of a county's administration)."""
    # Here, not at the top: the classifier's rules and stemmers are not what `inbox` (which
    # shares this module through the digest) should pay for at start-up.
    from streams.classification.language import detect_language

    found = detect_language(text)
    if found in LANGUAGE_NAMES:
        return found
    for lang in unit_languages:
        if lang in LANGUAGE_NAMES:
            return lang
    return "fi"


def public_text(text: str) -> str:
    """Anyone's words as a public page shows them: redacted once more, on one line, without
    control characters or direction overrides."""
    return redact(_UNSHOWN.sub("", " ".join(text.split())))


def pair(item: Answered, unit_languages: Sequence[str] = (),
         limit: int = DEFAULT_SMALL_GROUP_LIMIT) -> Pair:
    rationale = public_text(item.rationale)
    words = public_text(item.text) if shows_words(item, limit) else None
    return Pair(
        ref=public_ref(item.item_id), source_family=item.source_family, county=item.county,
        unit=item.unit, said=words or None, said_language=item.language if words else None,
        themes=item.themes, outcome=item.outcome, rationale=rationale,
        rationale_language=rationale_language(rationale, unit_languages),
        decision_ref=public_text(item.decision_ref) if item.decision_ref else None,
        received_at=item.received_at, decided_at=item.decided_at, returned_at=item.returned_at,
    )


def newest_first(pairs: Sequence[Pair]) -> list[Pair]:
    return sorted(pairs, key=lambda p: (p.decided_at, p.ref), reverse=True)


def theme_words(themes: Sequence[str], lang: str) -> str:
    names = [THEMES[Theme(t)][lang] for t in themes if t in Theme._value2member_map_]
    if not names:
        return NO_THEME[lang]
    if len(names) == 1:
        return names[0]
    return f"{', '.join(names[:-1])} {AND[lang]} {names[-1]}"


def summary(p: Pair, lang: str) -> str:
    """What stands in for the words: 'Palaute aiheesta Saatavuus ja odottaminen'."""
    kind = KINDS.get(p.source_family, KINDS["feedback"])[lang]
    if not p.themes:
        return f"{kind} ({NO_THEME[lang]})"
    return f"{kind} {ABOUT[lang]} {theme_words(p.themes, lang)}"


def language_mark(text_language: str | None, page_language: str) -> str | None:
    """'på finska' for a Finnish text on a Swedish page; None when they agree or it is not
    known."""
    if not text_language or text_language == page_language:
        return None
    return LANGUAGE_NAMES.get(text_language, {}).get(page_language)


def with_mark(text: str, text_language: str | None, page_language: str) -> str:
    mark = language_mark(text_language, page_language)
    return f"{text} ({mark})" if mark else text


def unit_page_languages(registry_languages: Sequence[str]) -> tuple[str, ...]:
    """The unit's languages among those pages are written in (fi, sv), in the registry's
    order; Finnish when the registry names neither (a Sámi-speaking unit still has its Finnish
    page)."""
    chosen = tuple(lang for lang in registry_languages if lang in PAGE_LANGUAGES)
    return chosen or ("fi",)
