"""A small supervised theme model beside the rules: logistic regression per theme over the words'
keys (Voikko base forms and compound parts, Snowball stems) and their character 4-grams; pure.

Trained by `kokemusvirta classifier train` (training.py) on the classifier's own labelled texts
(data/train.jsonl, written for it) and any exported staff corrections; the weights are data
(data/model.json) read once. Each word's weight vector is cached, so a text costs one cached
look-up per distinct word. The rules stay first: a theme is given when a rule fired and the model
does not clearly disagree, or when the model alone is confident; either way the explanation names
the rule ids or the model's version, probability and the words that weighed most.
"""

from __future__ import annotations

import functools
import hashlib
import json
import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from importlib import resources
from typing import Any

from schemas.taxonomy import Theme

THEMES = tuple(Theme)
NGRAM = 4


def word_features(word: str, keys: tuple[str, ...]) -> tuple[str, ...]:
    """The features of one word: its keys and the character 4-grams of the word as written."""
    padded = f"_{word}_"
    grams = [padded[i:i + NGRAM] for i in range(max(1, len(padded) - NGRAM + 1))]
    return tuple(dict.fromkeys([f"k:{k}" for k in keys] + [f"c:{g}" for g in grams]))


@dataclass(frozen=True)
class Prediction:
    probabilities: tuple[float, ...]  # per theme, in THEMES order
    reasons: tuple[tuple[str, ...], ...]  # per theme: the words that weighed most for it

    def of(self, theme: Theme) -> float:
        return self.probabilities[THEMES.index(theme)]


class ThemeModel:
    """Weights per feature (one float per theme), biases, thresholds; ``version`` travels in the
    classifier version."""

    def __init__(self, doc: dict[str, Any]) -> None:
        self.version: str = doc["version"]
        self.bias: tuple[float, ...] = tuple(doc["bias"])
        self.weights: dict[str, tuple[float, ...]] = {
            f: tuple(w) for f, w in doc["weights"].items()}
        self.keep: float = doc["keep"]  # a rule's theme stays unless p < keep
        self.add: float = doc["add"]  # the model alone gives a theme when p >= add
        self._word = functools.lru_cache(maxsize=200_000)(self._word_vector)

    def _word_vector(self, word: str, keys: tuple[str, ...]) -> tuple[float, ...]:
        total = [0.0] * len(THEMES)
        for f in word_features(word, keys):
            w = self.weights.get(f)
            if w is not None:
                for i, x in enumerate(w):
                    total[i] += x
        return tuple(total)

    def predict(self, words: Iterable[str], keys: Callable[[str], tuple[str, ...]]) -> Prediction:
        score = list(self.bias)
        best: list[list[tuple[float, str]]] = [[] for _ in THEMES]
        for word in dict.fromkeys(words):
            if not word.isalpha():
                continue
            v = self._word(word, keys(word))
            for i, x in enumerate(v):
                score[i] += x
                if x > 0.3:
                    best[i].append((x, word))
        probs = tuple(1 / (1 + math.exp(-max(-30.0, min(30.0, s)))) for s in score)
        reasons = tuple(tuple(w for _x, w in sorted(b, reverse=True)[:3]) for b in best)
        return Prediction(probs, reasons)


def model_version(doc: dict[str, Any]) -> str:
    """A short content hash: the same weights always give the same version."""
    body = json.dumps({k: doc[k] for k in ("bias", "weights", "keep", "add")}, sort_keys=True)
    return "model-" + hashlib.sha256(body.encode()).hexdigest()[:8]


def active(doc: dict[str, Any]) -> bool:
    """Whether the model changes anything: training sets ``add`` above 1 and ``keep`` to 0 when
    cross-validation found no gain over the rules alone, and then it is not run at all."""
    return bool(doc["add"] <= 1.0 or doc["keep"] > 0.0)


@functools.cache
def packaged_model() -> ThemeModel | None:
    """data/model.json from the installed package, or None when there is none or it is inactive
    (it would cost time per text for no change)."""
    path = resources.files(__package__).joinpath("data", "model.json")
    if not path.is_file():
        return None
    doc = json.loads(path.read_text("utf-8"))
    return ThemeModel(doc) if active(doc) else None
