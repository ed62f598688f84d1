"""Training the theme model (model.py) reproducibly: plain logistic regression per theme by
stochastic gradient descent with a fixed seed, in pure Python (a few hundred texts train in
seconds; no numerical library at run time). The two thresholds that combine the model with the
rules are chosen by k-fold cross-validation on the training texts themselves, never on an
evaluation set. Pure: texts in, a JSON-ready document out.
"""

from __future__ import annotations

import math
import random
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from schemas.taxonomy import Theme
from streams.classification.model import THEMES, model_version, word_features

SEED = 14
EPOCHS = 30
RATE = 0.15
L2 = 1e-4
MIN_COUNT = 2  # a feature seen in fewer training texts has no weight
KEEP_GRID = (0.0, 0.02, 0.05, 0.1, 0.15, 0.2)
ADD_GRID = (0.35, 0.45, 0.55, 0.65, 0.75, 0.85, 1.01)


@dataclass(frozen=True)
class Example:
    features: Counter[str]  # over the text's distinct words
    themes: frozenset[Theme]  # the labels
    rule_themes: frozenset[Theme]  # what the rules alone give


def features_of(words: Sequence[str], keys: Callable[[str], tuple[str, ...]]) -> Counter[str]:
    out: Counter[str] = Counter()
    for word in dict.fromkeys(words):
        if word.isalpha():
            out.update(word_features(word, keys(word)))
    return out


def fit(examples: Sequence[Example]) -> tuple[list[float], dict[str, list[float]]]:
    seen = Counter(f for e in examples for f in e.features)
    weights = {f: [0.0] * len(THEMES) for f, n in seen.items() if n >= MIN_COUNT}
    bias = [0.0] * len(THEMES)
    order = list(range(len(examples)))
    rng = random.Random(SEED)
    for epoch in range(EPOCHS):
        rng.shuffle(order)
        rate = RATE / (1 + epoch * 0.1)
        for n in order:
            e = examples[n]
            feats = [(weights[f], c) for f, c in e.features.items() if f in weights]
            for i, theme in enumerate(THEMES):
                s = bias[i] + sum(w[i] * c for w, c in feats)
                g = 1 / (1 + math.exp(-max(-30.0, min(30.0, s)))) - (theme in e.themes)
                bias[i] -= rate * g
                for w, c in feats:
                    w[i] -= rate * (g * c + L2 * w[i])
    return bias, weights


def _probabilities(bias: list[float], weights: dict[str, list[float]], e: Example) -> list[float]:
    out = []
    for i in range(len(THEMES)):
        s = bias[i] + sum(weights[f][i] * c for f, c in e.features.items() if f in weights)
        out.append(1 / (1 + math.exp(-max(-30.0, min(30.0, s)))))
    return out


def combine(rules: frozenset[Theme], probs: Sequence[float], keep: float, add: float
            ) -> set[Theme]:
    return {t for i, t in enumerate(THEMES)
            if (t in rules and probs[i] >= keep) or probs[i] >= add}


def macro_f1(gold: Sequence[frozenset[Theme]], got: Sequence[set[Theme]]) -> float:
    total = 0.0
    for t in THEMES:
        tp = sum(t in g and t in p for g, p in zip(gold, got, strict=True))
        fp = sum(t not in g and t in p for g, p in zip(gold, got, strict=True))
        fn = sum(t in g and t not in p for g, p in zip(gold, got, strict=True))
        total += 1.0 if not (tp + fp + fn) else 2 * tp / (2 * tp + fp + fn)
    return total / len(THEMES)


def train(examples: Sequence[Example], folds: int = 5
          ) -> tuple[dict[str, object], dict[str, float]]:
    """(model document, cross-validation figures). Thresholds: the pair with the best macro-F1
    of rules and model combined over the folds."""
    probs: list[list[float]] = [[] for _ in examples]
    for k in range(folds):
        train_part = [e for n, e in enumerate(examples) if n % folds != k]
        bias, weights = fit(train_part)
        for n, e in enumerate(examples):
            if n % folds == k:
                probs[n] = _probabilities(bias, weights, e)
    gold = [e.themes for e in examples]
    rules_only = macro_f1(gold, [set(e.rule_themes) for e in examples])
    best = max(((macro_f1(gold, [combine(e.rule_themes, p, keep, add)
                                  for e, p in zip(examples, probs, strict=True)]), keep, add)
                for keep in KEEP_GRID for add in ADD_GRID), key=lambda x: (x[0], -x[1], x[2]))
    bias, weights = fit(examples)
    doc: dict[str, object] = {
        "bias": [round(b, 4) for b in bias],
        "weights": {f: [round(x, 4) for x in w] for f, w in sorted(weights.items())
                    if max(map(abs, w)) >= 0.02},
        "keep": best[1], "add": best[2],
        "themes": [str(t) for t in THEMES],
        "trained_on": len(examples),
    }
    doc["version"] = model_version(doc)
    return doc, {"cv_rules_macro_f1": round(rules_only, 4),
                 "cv_combined_macro_f1": round(best[0], 4), "keep": best[1], "add": best[2]}
