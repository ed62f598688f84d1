"""Random choices made fast: the scenario draws millions of them at 100,000 events."""

from __future__ import annotations

import random
from bisect import bisect
from collections.abc import Iterable
from itertools import accumulate
from typing import Any


def choice(rng: random.Random, seq: Any) -> Any:
    """rng.choice with one float draw: about twice as fast, which matters at 100,000 events."""
    return seq[int(rng.random() * len(seq))]


class Weighted:
    """Choose by weight with one random number and a bisection (random.choices is slower)."""

    def __init__(self, pairs: Iterable[tuple[Any, float]]) -> None:
        items, weights = zip(*pairs, strict=True)
        self.items = items
        self.cum = list(accumulate(weights))

    def pick(self, rng: random.Random) -> Any:
        return self.items[bisect(self.cum, rng.random() * self.cum[-1])]
