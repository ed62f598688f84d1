"""Word analysis for the rules: each word becomes the keys the rule patterns are matched against.

Finnish is agglutinative and compounds freely ("päivystysjonossa" = päivystys + jono + -ssa), so a
Finnish word's keys are its surface form, its base forms and the base forms of its compound parts,
from Voikko (Debian: libvoikko1 + voikko-fi; PyPI: libvoikko). Without Voikko, and for Swedish and
English, the keys are the surface form and its Snowball stem; the rule patterns are prefixes, so
they still match inflected forms, only irregular forms and compound parts are found less often.

Analyses are cached per word (``functools.lru_cache``), so a word is analysed once per process.
``KOKEMUSVIRTA_ANALYSER=snowball`` forces the fallback (to compare, or where Voikko misbehaves).
"""

from __future__ import annotations

import functools
import logging
import os
import threading
from collections.abc import Callable
from typing import Any

import snowballstemmer

log = logging.getLogger(__name__)

ENV_VAR = "KOKEMUSVIRTA_ANALYSER"
VOIKKO, SNOWBALL = "voikko", "snowball"
_STEMMERS = {"fi": "finnish", "sv": "swedish", "en": "english"}
_CACHE_SIZE = 200_000
# "epämukava" is not "mukava": the parts of a word with a negating prefix are no keys of their own
_NEGATING_PREFIXES = ("epä",)


class Morphology:
    """Keys of a word per language; ``name`` travels in the classifier version."""

    def __init__(self, name: str, finnish: Callable[[str], tuple[str, ...]] | None = None,
                 finnish_word: Callable[[str], bool] | None = None) -> None:
        self.name = name
        self._finnish = finnish
        # Whether a word is a Finnish word (Voikko knows it): language detection of short texts.
        self.finnish_word = functools.lru_cache(maxsize=_CACHE_SIZE)(finnish_word) \
            if finnish_word is not None else None
        self._stemmers = {lang: snowballstemmer.stemmer(algo) for lang, algo in _STEMMERS.items()}
        self._lock = threading.Lock()  # a Snowball stemmer object is not re-entrant
        self.keys = functools.lru_cache(maxsize=_CACHE_SIZE)(self._keys)

    def _keys(self, lang: str, word: str) -> tuple[str, ...]:
        """The word itself first, then its base forms, compound parts or stem; no duplicates."""
        if lang == "fi" and self._finnish is not None:
            return self._finnish(word)
        stemmer = self._stemmers.get(lang)
        if stemmer is None:
            return (word,)
        with self._lock:
            stem: str = stemmer.stemWord(word)
        return (word, stem) if stem and stem != word else (word,)


def _voikko_keys(voikko: Any, lock: threading.Lock) -> Callable[[str], tuple[str, ...]]:
    def keys(word: str) -> tuple[str, ...]:
        with lock:  # one Voikko handle is not thread-safe
            analyses = voikko.analyze(word) if word.isalpha() else []
        out = [word]
        for analysis in analyses:
            base = analysis.get("BASEFORM", "").lower()
            out.append(base)
            # compound parts as written, the last one in its base form: "päivystysjonossa" ->
            # "päivystys", "jono". Not the derivation bases of WORDBASES ("odotus" <- "odottaa",
            # "hoitaja" <- "hoitaa"): a waiting room is no waiting, a nurse no treatment.
            parts = [p for p in analysis.get("STRUCTURE", "").split("=") if p]
            if len(parts) > 1 and not word.startswith(_NEGATING_PREFIXES):
                surfaces, start = [], 0
                for p in parts[:-1]:
                    surfaces.append(word[start:start + len(p)].strip("-"))
                    start += len(p)
                prefix = "".join(surfaces)
                out.extend(surfaces)
                if base.replace("-", "").startswith(prefix):
                    out.append(base.replace("-", "")[len(prefix):])
        return tuple(dict.fromkeys(k for k in out if k))
    return keys


def _open_voikko() -> Any | None:
    try:
        import libvoikko  # the binding is a dependency; the C library and dictionary may be missing
    except ImportError as missing:
        log.warning("Voikko is not available (%s); the Finnish rules fall back to the Snowball "
                    "stemmer", missing)
        return None
    try:
        return libvoikko.Voikko("fi")
    except (OSError, libvoikko.VoikkoException) as missing:
        log.warning("Voikko is not available (%s); the Finnish rules fall back to the Snowball "
                    "stemmer (install the Debian packages libvoikko1 and voikko-fi)", missing)
        return None


@functools.cache
def voikko_morphology() -> Morphology | None:
    """Voikko-based analysis, or None (warning logged once) when Voikko is not installed."""
    voikko = _open_voikko()
    if voikko is None:
        return None
    lock = threading.Lock()

    def known(word: str) -> bool:
        with lock:
            return bool(word.isalpha() and voikko.analyze(word))
    return Morphology(VOIKKO, _voikko_keys(voikko, lock), known)


@functools.cache
def snowball_morphology() -> Morphology:
    return Morphology(SNOWBALL)


def default_morphology() -> Morphology:
    """Voikko unless ``KOKEMUSVIRTA_ANALYSER=snowball`` or Voikko is missing; read at first use."""
    if os.environ.get(ENV_VAR, "").strip().lower() == SNOWBALL:
        return snowball_morphology()
    return voikko_morphology() or snowball_morphology()


def by_name(name: str | None) -> Morphology:
    """``voikko``, ``snowball`` or ``auto``/None (the default); voikko falls back when missing."""
    if name in (None, "", "auto"):
        return default_morphology()
    if name == SNOWBALL:
        return snowball_morphology()
    if name == VOIKKO:
        return voikko_morphology() or snowball_morphology()
    raise ValueError(f"unknown analyser {name!r}: use voikko, snowball or auto")
